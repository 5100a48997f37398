"""Supervisors manage topics and answers in the admin and see the funnel per entry."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from faq import services
from faq.models import FaqEventKind, FaqTranslation
from tests.factories import SupervisorFactory
from tests.faq.conftest import HelpCentre

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 20, tzinfo=UTC)


@pytest.fixture
def supervisor_client(client: Client) -> Client:
    client.force_login(SupervisorFactory())
    return client


def test_entry_list_shows_funnel_numbers(
    supervisor_client: Client, help_centre: HelpCentre
) -> None:
    entry = help_centre.payment_failed
    for visitor in ("a", "b", "c"):
        services.faq_event_store(
            kind=FaqEventKind.VIEW, entry_id=entry.pk, language="en", visitor=visitor, at=NOW
        )
    services.faq_event_store(
        kind=FaqEventKind.CONTACT, entry_id=entry.pk, language="en", visitor="a", at=NOW
    )
    services.faq_feedback_record(entry=entry, visitor="a", language="en", helpful=False, now=NOW)
    services.faq_feedback_record(entry=entry, visitor="b", language="en", helpful=True, now=NOW)

    response = supervisor_client.get(
        f"/admin/faq/faqentry/?topic__id__exact={help_centre.payment.pk}"
    )
    assert response.status_code == 200
    shown = next(row for row in response.context["cl"].result_list if row.pk == entry.pk)
    assert (shown.n_views, shown.n_contacts, shown.n_helpful, shown.n_not_helpful) == (3, 1, 1, 1)
    html = response.content.decode()
    assert "50% of 2" in html
    assert "My payment failed but the money was taken from my card" in html


@pytest.mark.parametrize("query", ["?q=expired", "?language=ru", "?published__exact=0", "?o=5"])
def test_entry_list_search_filters_and_sorting_work(
    supervisor_client: Client, help_centre: HelpCentre, query: str
) -> None:
    assert supervisor_client.get(f"/admin/faq/faqentry/{query}").status_code == 200


def test_editing_a_translation_renders_sanitised_html(
    supervisor_client: Client, help_centre: HelpCentre
) -> None:
    entry = help_centre.english_only
    translation = entry.translations.get()
    url = f"/admin/faq/faqentry/{entry.pk}/change/"
    page = supervisor_client.get(url)
    assert page.status_code == 200
    assert 'class="faq-preview"' in page.content.decode()
    data = {
        "topic": help_centre.refund.pk,
        "slug": entry.slug,
        "sort_weight": 10,
        "published": "on",
        "email_contact": "false",
        "translations-TOTAL_FORMS": "2",
        "translations-INITIAL_FORMS": "1",
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
        "translations-0-id": translation.pk,
        "translations-0-entry": entry.pk,
        "translations-0-language": "en",
        "translations-0-published": "on",
        "translations-0-question": translation.question,
        "translations-0-answer": "New **text** <script>alert(1)</script>",
        "translations-1-entry": entry.pk,
        "translations-1-language": "ru",
        "translations-1-published": "on",
        "translations-1-question": "Срок действия карты истёк: куда придёт возврат?",
        "translations-1-answer": "Банк перечислит деньги на новую карту.",
    }
    response = supervisor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    translation.refresh_from_db()
    assert (
        translation.answer_html
        == "<p>New <strong>text</strong> &lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    )
    russian = FaqTranslation.objects.get(entry=entry, language="ru")
    assert russian.answer_text == "Банк перечислит деньги на новую карту."


def test_topic_admin_lists_topics_with_entry_counts(
    supervisor_client: Client, help_centre: HelpCentre
) -> None:
    html = supervisor_client.get("/admin/faq/topic/").content.decode()
    assert "Payment" in html and "Refund" in html


def test_agents_cannot_edit_the_faq(client: Client, help_centre: HelpCentre) -> None:
    from tests.factories import AgentFactory

    client.force_login(AgentFactory())
    assert client.get("/admin/faq/faqentry/").status_code == 302
