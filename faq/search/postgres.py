"""PostgreSQL search: a stored, GIN-indexed tsvector per translation in its
language's configuration, and a pg_trgm vocabulary that corrects typos.

The columns, the vocabulary view and their indexes (one GIN index per
language, of published translations) are made by the ``faq`` migrations
(PostgreSQL only).
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.db import connection

from faq.search.backend import RawHit, Suggestion

# Closest known word for each term that is not in the vocabulary; and which
# terms are stop words (an empty tsquery) in the language's configuration.
_CORRECT_SQL = """
SELECT
    term,
    numnode(plainto_tsquery(faq_search_config(%(language)s), term)) > 0 AS meaningful,
    CASE WHEN EXISTS (SELECT 1 FROM faq_search_words w WHERE w.word = term) THEN NULL
         ELSE (SELECT w.word FROM faq_search_words w
               WHERE w.word %% term
               ORDER BY similarity(w.word, term) DESC, w.ndoc DESC, w.word
               LIMIT 1)
    END AS correction
FROM unnest(%(terms)s::text[]) WITH ORDINALITY AS t(term, position)
ORDER BY position
"""

# One statement, one round trip. Candidates are read unranked from the
# language's GIN index (a bitmap scan that stops at the limit; no join, so
# the planner has no ordered walk of a whole table to prefer) and only they
# are ranked: ranking every match of a common word is what makes full-text
# search slow on a large table. Answers holding every term come first;
# answers holding any term are read only when fewer than %(enough)s hold
# every one (an init plan decides, so the second scan costs nothing when it
# is not needed). A shown entry is published, in an active topic, and has
# published text in the default language (a join, one index probe per
# candidate, left out when searching that language). The rows found carry
# what a result list shows, in the reader's language (%(display_language)s)
# when the entry has published text in it.
_EVERY_TERM = """
every_term AS MATERIALIZED (
    SELECT t.id, t.entry_id, t.search_vector, 1 AS tier
    FROM faq_faqtranslation t
    WHERE t.language = %(language)s AND t.published
      AND t.search_vector @@ to_tsquery(faq_search_config(%(language)s), %(every_query)s)
    LIMIT %(candidates)s
)"""
_ANY_TERM = """,
any_term AS MATERIALIZED (
    SELECT t.id, t.entry_id, t.search_vector, 2 AS tier
    FROM faq_faqtranslation t
    WHERE (SELECT count(*) FROM every_term) < %(enough)s
      AND t.language = %(language)s AND t.published
      AND t.search_vector @@ to_tsquery(faq_search_config(%(language)s), %(any_query)s)
      AND t.id NOT IN (SELECT id FROM every_term)
    LIMIT %(candidates)s
)"""
_RANKED = """,
ranked AS (
    SELECT c.id, c.entry_id, c.tier, e.sort_weight, e.slug, e.operator_resolvable,
           tp.slug AS topic_slug, COALESCE(e.email_contact, tp.email_contact) AS email_contact,
           ts_rank_cd(c.search_vector,
                      to_tsquery(faq_search_config(%(language)s), %(rank_query)s), 32) AS rank
    FROM {candidates} c
    JOIN faq_faqentry e ON e.id = c.entry_id
    JOIN faq_topic tp ON tp.id = e.topic_id{default_text}
    WHERE e.published AND tp.is_active
    ORDER BY c.tier, rank DESC, e.sort_weight DESC, c.entry_id
    LIMIT %(limit)s
)
SELECT r.id, r.entry_id, r.rank, t.answer_text, r.topic_slug, r.slug, {display}
FROM ranked r
JOIN faq_faqtranslation t ON t.id = r.id{display_join}
ORDER BY r.tier, r.rank DESC, r.sort_weight DESC, r.entry_id
"""
_DEFAULT_TEXT_JOIN = """
    JOIN faq_faqtranslation dt ON dt.entry_id = c.entry_id
        AND dt.language = %(default_language)s AND dt.published"""
_DISPLAY_JOIN = """
LEFT JOIN faq_faqtranslation d
    ON d.entry_id = r.entry_id AND d.language = %(display_language)s AND d.published"""


@functools.lru_cache(maxsize=8)
def _search_sql(*, default_language: bool, two_tiers: bool, other_display: bool) -> str:
    """Return the search statement with only the parts a search needs (less to plan).

    ``default_language``: the searched language is the default one (no check
    that an entry has text in it); ``two_tiers``: more than one term (an "any
    term" tier); ``other_display``: shown in another language than searched.
    """
    display = (
        "COALESCE(d.question, t.question), COALESCE(d.language, t.language), "
        "COALESCE(d.answer_html, t.answer_html), r.operator_resolvable, r.email_contact"
        if other_display
        else "t.question, t.language, t.answer_html, r.operator_resolvable, r.email_contact"
    )
    ranked = (
        _RANKED.replace(
            "{candidates}",
            "(SELECT * FROM every_term UNION ALL SELECT * FROM any_term)"
            if two_tiers
            else "every_term",
        )
        .replace("{default_text}", "" if default_language else _DEFAULT_TEXT_JOIN)
        .replace("{display}", display)
        .replace("{display_join}", _DISPLAY_JOIN if other_display else "")
    )
    return "WITH" + _EVERY_TERM + (_ANY_TERM if two_tiers else "") + ranked


# How many matches of one tier are ranked.
CANDIDATES = 100
# With this many answers holding every word, answers holding only some are not read.
ENOUGH_PRECISE_HITS = 3

# Matches are found through the GIN index first (at most SUGGEST_CANDIDATES),
# then put in weight order: ordering first would walk every entry when a
# prefix matches little or nothing.
_SUGGEST_SQL = """
WITH matches AS MATERIALIZED (
    SELECT t.id, t.entry_id
    FROM faq_faqtranslation t
    WHERE t.language = %(language)s AND t.published
      AND t.question_vector @@ to_tsquery(faq_search_config(%(language)s), %(tsquery)s)
    LIMIT %(candidates)s
), best AS (
    SELECT m.id, m.entry_id, e.slug, tp.slug AS topic_slug,
           e.sort_weight, e.view_count
    FROM matches m
    JOIN faq_faqentry e ON e.id = m.entry_id
    JOIN faq_topic tp ON tp.id = e.topic_id
    WHERE e.published AND tp.is_active
    ORDER BY e.sort_weight DESC, e.view_count DESC, e.id
    LIMIT %(limit)s
)
SELECT b.id, b.entry_id, b.topic_slug, b.slug, t.question, t.language
FROM best b
JOIN faq_faqtranslation t ON t.id = b.id
ORDER BY b.sort_weight DESC, b.view_count DESC, b.entry_id
"""
SUGGEST_CANDIDATES = 500


def _quoted(word: str) -> str:
    """Quote a word as a tsquery operand; words are \\w+ only, quoting guards the rest."""
    return "'" + word.replace("'", "") + "'"


def _tiers(groups: list[list[str]]) -> tuple[str, str]:
    """Return the match queries, most precise first: every term, then any term.

    Each group is a term and its correction.
    """

    def group(words: list[str]) -> str:
        return "(" + " | ".join(_quoted(w) for w in words) + ")"

    return " & ".join(group(g) for g in groups), " | ".join(group(g) for g in groups)


def search(
    *, terms: list[str], language: str, limit: int, display_language: str
) -> tuple[list[RawHit], list[str]]:
    """Return ranked hits and the meaningful terms they were matched on (corrected)."""
    with connection.cursor() as cursor:
        cursor.execute(_CORRECT_SQL, {"terms": terms, "language": language})
        groups: list[list[str]] = []
        effective: list[str] = []
        for term, meaningful, correction in cursor.fetchall():
            if not (meaningful or correction):
                continue  # a stop word: it would only empty an AND
            groups.append([term] + ([correction] if correction and correction != term else []))
            effective.append(correction or term)
        if not groups:
            return [], []
        every_query, any_query = _tiers(groups)
        sql = _search_sql(
            default_language=language == settings.LANGUAGE_CODE,
            two_tiers=len(groups) > 1,
            other_display=display_language != language,
        )
        cursor.execute(
            sql,
            {
                "language": language,
                "display_language": display_language,
                "default_language": settings.LANGUAGE_CODE,
                "every_query": every_query,
                "any_query": any_query,
                "rank_query": " | ".join(_quoted(word) for words in groups for word in words),
                "enough": min(limit, ENOUGH_PRECISE_HITS),
                "candidates": CANDIDATES,
                "limit": limit,
            },
        )
        hits = [
            RawHit(
                tid, eid, float(rank), text, topic, slug, question, shown, html, bool(op), bool(em)
            )
            for tid, eid, rank, text, topic, slug, question, shown, html, op, em in cursor.fetchall()
        ]
    return hits, effective


def suggest(*, terms: list[str], language: str, limit: int) -> list[Suggestion]:
    """Return questions that have every term, the last as a prefix, in weight order."""
    *complete, partial = terms
    operands = [_quoted(word) for word in complete] + [_quoted(partial) + ":*"]
    with connection.cursor() as cursor:
        cursor.execute(
            _SUGGEST_SQL,
            {
                "language": language,
                "tsquery": " & ".join(operands),
                "candidates": SUGGEST_CANDIDATES,
                "limit": limit,
            },
        )
        return [Suggestion(*row) for row in cursor.fetchall()]


def refresh_vocabulary() -> None:
    """Rebuild the typo-correction vocabulary from the published translations."""
    with connection.cursor() as cursor:
        cursor.execute("REFRESH MATERIALIZED VIEW faq_search_words")
