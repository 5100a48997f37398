"""Search over the help centre: ranked, typo-tolerant on PostgreSQL, word matches on SQLite."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from faq import services
from faq.models import FaqTranslation
from faq.search import (
    faq_cached,
    faq_content_version,
    faq_search,
    faq_search_refresh,
    faq_suggest,
)
from faq.search.query import query_terms, snippet_html, terms_matched
from tests.faq.conftest import HelpCentre


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


def top_entries(query: str, language: str, n: int = 3) -> list[int]:
    return [hit.entry_id for hit in faq_search(query=query, language=language)[:n]]


# --- pure helpers -----------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("", []),
        ("x", []),
        ("?!%$#@", []),
        ("   ", []),
        ("Refund NOT received, refund!", ["refund", "not", "received"]),
        ("Оплата не прошла", ["оплата", "не", "прошла"]),
    ],
)
def test_query_terms(query: str, terms: list[str]) -> None:
    assert query_terms(query) == terms


def test_query_terms_bound_long_input() -> None:
    assert len(query_terms(" ".join(f"word{i}" for i in range(2000)))) == 10
    assert query_terms("a" * 2000) == ["a" * 200]


def test_snippet_marks_word_forms_and_escapes_text() -> None:
    html = snippet_html("Refunds <b>arrive</b> after the refund starts.", ["refund"])
    assert (
        html
        == "<mark>Refunds</mark> &lt;b&gt;arrive&lt;/b&gt; after the <mark>refund</mark> starts."
    )


def test_terms_matched_counts_word_forms() -> None:
    assert terms_matched("Оплата не прошла, деньги списаны", ["оплату", "деньги", "карта"]) == 2


# --- both databases -----------------------------------------------------------


def test_exact_words_find_the_entry(help_centre: HelpCentre) -> None:
    assert top_entries("refund cancelled order", "en")[0] == help_centre.refund_missing.pk


def test_search_uses_the_readers_language(help_centre: HelpCentre) -> None:
    hits = faq_search(query="возврат средств отмены", language="ru")
    assert hits[0].entry_id == help_centre.refund_missing.pk


def test_unpublished_entries_are_never_found(help_centre: HelpCentre) -> None:
    assert help_centre.hidden.pk not in top_entries("draft payment refunds", "en", n=10)


@pytest.mark.parametrize(
    "query", ["", "a", "?!?!", "<script>", "'; DROP TABLE faq_faqentry; --", "x" * 2000, "🙂🙂"]
)
def test_odd_queries_answer_without_error(help_centre: HelpCentre, query: str) -> None:
    assert isinstance(faq_search(query=query, language="en"), list)
    assert isinstance(faq_suggest(query=query, language="en"), list)


def test_nothing_found_for_unknown_words(help_centre: HelpCentre) -> None:
    assert faq_search(query="xyzzy plugh", language="en") == []


def test_a_language_without_matches_falls_back_to_english(help_centre: HelpCentre) -> None:
    hits = faq_search(query="expired card", language="el")
    assert hits and hits[0].entry_id == help_centre.english_only.pk


def test_suggest_completes_the_last_word(help_centre: HelpCentre) -> None:
    found = faq_suggest(query="how long does a ref", language="en")
    assert [s.translation_id for s in found] == [
        help_centre.refund_timing.translations.get(language="en").pk
    ]
    assert (found[0].topic_slug, found[0].entry_slug) == (
        "refund",
        "refund-timing-by-payment-method",
    )


def test_snippets_highlight_the_query(help_centre: HelpCentre) -> None:
    hit = faq_search(query="refund card", language="en")[0]
    assert "<mark>" in hit.snippet_html


def test_edited_answer_is_found_by_its_new_words(help_centre: HelpCentre) -> None:
    services.faq_entry_upsert(
        topic=help_centre.refund,
        slug="refund-to-expired-card",
        texts={
            "en": (
                "My card expired: where does my refund go?",
                "It lands in the buyer piggybank account.",
            )
        },
    )
    from faq.search import faq_search_refresh

    faq_search_refresh()
    assert top_entries("piggybank", "en", n=1) == [help_centre.english_only.pk]


# --- PostgreSQL only ------------------------------------------------------------


@pytest.fixture
def postgres_search(help_centre: HelpCentre, postgres: None) -> HelpCentre:
    return help_centre


def test_misspelled_query_finds_the_right_entry(postgres_search: HelpCentre) -> None:
    assert postgres_search.refund_missing.pk in top_entries("refnd not recieved", "en")


def test_russian_word_form_finds_the_entry(postgres_search: HelpCentre) -> None:
    # The text says "Оплата"/"оплаты"; the query uses another case of the word.
    assert postgres_search.payment_failed.pk in top_entries("оплату списали", "ru")


def test_greek_search_uses_the_greek_stemmer(postgres_search: HelpCentre) -> None:
    assert postgres_search.payment_failed.pk in top_entries("πληρωμές χρήματα", "el")


def test_search_vector_has_a_gin_index(postgres_search: HelpCentre) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'faq_faqtranslation' AND indexdef LIKE '%%gin%%'"
        )
        definitions = [row[0] for row in cursor.fetchall()]
    assert any("search_vector" in d for d in definitions)


def test_sqlite_fallback_finds_exact_words(help_centre: HelpCentre) -> None:
    if on_postgres():
        pytest.skip("the SQLite fallback is tested on SQLite")
    assert top_entries("expired card", "en", n=1) == [help_centre.english_only.pk]


def test_cached_answers_are_dropped_when_content_changes(help_centre: HelpCentre) -> None:
    from faq.search import faq_search_refresh

    assert faq_search(query="kangaroo", language="en") == []  # now cached as "nothing"
    services.faq_entry_upsert(
        topic=help_centre.refund,
        slug="refund-to-expired-card",
        texts={
            "en": ("My card expired: where does my refund go?", "Ask the kangaroo at the bank.")
        },
    )
    assert faq_search(query="kangaroo", language="en") == []  # still the cached answer
    faq_search_refresh()  # what a content change triggers after commit
    assert top_entries("kangaroo", "en", n=1) == [help_centre.english_only.pk]


# --- What a hit carries, and the cache --------------------------------------------


def test_hits_carry_what_a_result_list_shows(help_centre: HelpCentre) -> None:
    hit = faq_search(query="refund cancelled order", language="en")[0]
    assert (hit.topic_slug, hit.entry_slug) == ("refund", "refund-not-received-after-cancellation")
    assert hit.question == "I have not received my refund after the seller cancelled my order"
    assert (hit.language, hit.is_fallback) == ("en", False)
    assert "3–10 business days" in hit.answer_html
    assert hit.operator_resolvable is True
    assert hit.email_contact is True  # the topic's default


def test_english_hits_are_shown_in_the_readers_language_when_they_have_it(
    help_centre: HelpCentre,
) -> None:
    # Latin words find nothing in Russian text: the search falls back to English,
    # and an entry with Russian text is still shown in Russian.
    hits = {hit.entry_id: hit for hit in faq_search(query="seller cancelled", language="ru")}
    shown = hits[help_centre.refund_missing.pk]
    assert (shown.language, shown.is_fallback) == ("ru", False)
    assert shown.question == "Я не получил возврат средств после отмены заказа продавцом"
    expired = faq_search(query="expired card", language="ru")[0]
    assert expired.entry_id == help_centre.english_only.pk
    assert (expired.language, expired.is_fallback) == ("en", True)


def test_entries_without_published_english_text_are_not_found(help_centre: HelpCentre) -> None:
    FaqTranslation.objects.filter(entry=help_centre.payment_failed, language="en").update(
        published=False
    )
    faq_search_refresh()
    assert help_centre.payment_failed.pk not in top_entries("оплата деньги", "ru", n=10)


def test_a_cold_search_reads_at_most_two_queries_and_a_cached_one_none(
    help_centre: HelpCentre,
) -> None:
    with CaptureQueriesContext(connection) as cold:
        assert faq_search(query="refund card", language="en")
    with CaptureQueriesContext(connection) as warm:
        assert faq_search(query="refund card", language="en")
    assert len(cold) <= (2 if on_postgres() else 1)  # typo corrections, then one search
    assert len(warm) == 0


def test_a_value_cached_under_an_earlier_version_is_read_again(help_centre: HelpCentre) -> None:
    reads: list[int] = []

    def read() -> int:
        reads.append(1)
        return len(reads)

    assert faq_cached("faq:test:value", read) == 1
    assert faq_cached("faq:test:value", read) == 1
    faq_search_refresh()
    assert faq_cached("faq:test:value", read) == 2


def test_a_lost_version_never_revives_old_answers(help_centre: HelpCentre) -> None:
    from django.core.cache import cache

    assert faq_cached("faq:test:lost", lambda: "old") == "old"
    cache.delete("faq:search:version")  # evicted, or the cache was flushed
    assert faq_cached("faq:test:lost", lambda: "new") == "new"
    assert faq_content_version() > 1


@pytest.mark.parametrize(
    ("topic", "entry"), [("refund", "refund-timing"), ("gift-cards", "a_b-9"), ("x", "1")]
)
def test_entry_path_is_what_reverse_gives(topic: str, entry: str) -> None:
    from django.urls import reverse

    from faq.search.links import entry_path

    assert entry_path(topic, entry) == reverse("help:entry", args=[topic, entry])
