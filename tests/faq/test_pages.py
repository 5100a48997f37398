"""The help-centre pages as a buyer uses them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from faq.models import AssistantQuestion, FaqFeedback
from tests.faq.conftest import HelpCentre

pytestmark = pytest.mark.django_db


def page(client: Client, url: str, **kwargs: Any) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_home_shows_topics_search_and_most_asked(client: Client, help_centre: HelpCentre) -> None:
    html = page(client, "/help/")
    assert 'href="/help/payment/"' in html and 'href="/help/refund/"' in html
    assert 'action="/help/search/"' in html
    assert "My payment failed but the money was taken from my card" in html
    assert "A draft about payment refunds" not in html


def test_topic_page_lists_questions_most_asked_first(
    client: Client, help_centre: HelpCentre
) -> None:
    html = page(client, "/help/refund/")
    first = html.index("I have not received my refund")
    assert first < html.index("How long does a refund take") < html.index("My card expired")


def test_unknown_topic_or_entry_is_404(client: Client, help_centre: HelpCentre) -> None:
    assert client.get("/help/shipping/").status_code == 404
    assert client.get("/help/refund/no-such-question/").status_code == 404
    assert client.get("/help/payment/draft-answer/").status_code == 404
    # An entry is only found under its own topic.
    assert client.get("/help/payment/refund-timing-by-payment-method/").status_code == 404


def test_answer_page_asks_for_feedback_and_records_the_view(
    client: Client, help_centre: HelpCentre, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        html = page(client, "/help/payment/payment-failed-money-taken/")
    assert "Our suggestion" in html
    assert "<strong>hold</strong>" in html
    assert "Did this solve your problem?" in html
    assert "Still need help?" not in html
    assert len(callbacks) == 1  # the view is stored by a task after commit
    assert "sd_visitor" in client.cookies


def test_no_shows_exactly_the_contact_ways_the_entry_allows(
    client: Client, help_centre: HelpCentre
) -> None:
    url = "/help/payment/payment-failed-money-taken/"
    response = client.post(f"{url}feedback/", {"solved": "no"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?solved=no#still-need-help"
    html = page(client, f"{url}?solved=no")
    assert "Still need help?" in html
    assert 'data-contact-way="chat"' in html
    assert 'data-contact-way="email"' in html
    assert 'data-contact-way="hotline"' in html
    assert FaqFeedback.objects.get().helpful is False

    html = page(client, "/help/refund/refund-to-expired-card/?solved=no")
    assert 'data-contact-way="chat"' not in html  # not operator_resolvable
    assert 'data-contact-way="email"' not in html  # the entry turns email off
    assert 'data-contact-way="hotline"' in html


def test_yes_thanks_the_buyer(client: Client, help_centre: HelpCentre) -> None:
    url = "/help/refund/refund-timing-by-payment-method/"
    client.post(f"{url}feedback/", {"solved": "yes"})
    assert "Glad it helped" in page(client, f"{url}?solved=yes")
    assert FaqFeedback.objects.get().helpful is True


def test_contact_click_is_counted_and_leads_to_the_contact_step(
    client: Client, help_centre: HelpCentre, django_capture_on_commit_callbacks: Any
) -> None:
    entry_id = help_centre.payment_failed.pk
    for way in ("chat", "email"):
        url = f"/help/payment/payment-failed-money-taken/contact/{way}/"
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client.get(url)
        assert response.status_code == 302
        # Chat and email open a request about this answer: the contact form.
        assert response["Location"] == f"/help/requests/new/{entry_id}/{way}/"
        assert len(callbacks) == 1  # the contact step is stored by a task after commit
    url = "/help/payment/payment-failed-money-taken/contact/hotline/"
    response = client.get(url)
    assert response["Location"] == f"/help/contact/?way=hotline&entry={entry_id}"
    html = page(client, response["Location"])
    assert "Contact support" in html and "My payment failed" in html


def test_a_contact_way_the_entry_does_not_allow_is_refused(
    client: Client, help_centre: HelpCentre
) -> None:
    response = client.get("/help/refund/refund-to-expired-card/contact/chat/")
    assert response["Location"] == "/help/refund/refund-to-expired-card/"
    assert client.get("/help/refund/refund-to-expired-card/contact/fax/").status_code == 302


def test_russian_reader_gets_russian_or_english_with_a_notice(
    client: Client, help_centre: HelpCentre
) -> None:
    html = page(
        client, "/help/refund/refund-not-received-after-cancellation/", HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert "Я не получил возврат средств" in html
    assert 'data-testid="fallback-notice"' not in html
    html = page(client, "/help/refund/refund-to-expired-card/", HTTP_ACCEPT_LANGUAGE="ru")
    assert "My card expired" in html
    assert 'data-testid="fallback-notice"' in html


@pytest.mark.parametrize(
    "query", ["", "a", "%%%", "<script>alert(1)</script>", "x" * 2000, "x" * 2001]
)
def test_search_page_answers_any_query(client: Client, help_centre: HelpCentre, query: str) -> None:
    response = client.get("/help/search/", {"q": query})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


def test_search_page_shows_highlighted_results(client: Client, help_centre: HelpCentre) -> None:
    html = page(client, "/help/search/?q=refund+card")
    assert 'data-testid="search-results"' in html
    assert "<mark>" in html
    html = page(client, "/help/search/?q=xyzzy")
    assert 'data-testid="no-results"' in html


def test_suggest_returns_a_fragment_of_links(client: Client, help_centre: HelpCentre) -> None:
    html = page(client, "/help/suggest/?q=how+long+does+a+ref")
    assert 'href="/help/refund/refund-timing-by-payment-method/"' in html
    assert page(client, "/help/suggest/?q=").strip() == ""


def test_assistant_answers_or_says_it_cannot(client: Client, help_centre: HelpCentre) -> None:
    html = client.post(
        "/help/assistant/", {"question": "seller cancelled order, refund not received"}
    ).content.decode()
    assert 'data-testid="assistant-reply"' in html
    assert "refund-not-received-after-cancellation" in html
    html = client.post(
        "/help/assistant/", {"question": "Can I bring my dog to the office?"}
    ).content.decode()
    assert 'data-testid="assistant-no-answer"' in html
    assert AssistantQuestion.objects.count() == 2


def test_assistant_keeps_the_question_on_error(client: Client, help_centre: HelpCentre) -> None:
    response = client.post("/help/assistant/", {"question": "y" * 2001})
    assert response.status_code == 400
    assert "y" * 2001 in response.content.decode()
    assert client.post("/help/assistant/", {"question": "  "}).status_code == 400


def test_assistant_feedback_is_recorded(client: Client, help_centre: HelpCentre) -> None:
    client.post("/help/assistant/", {"question": "refund cancelled order"})
    question = AssistantQuestion.objects.get()
    response = client.post(f"/help/assistant/{question.pk}/feedback/", {"helpful": "yes"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.helpful is True
    other = Client()
    other.post(f"/help/assistant/{question.pk}/feedback/", {"helpful": "no"})
    question.refresh_from_db()
    assert question.helpful is True


def test_topic_names_follow_the_language(client: Client, help_centre: HelpCentre) -> None:
    html = page(client, "/help/", HTTP_ACCEPT_LANGUAGE="ru")
    assert "Оплата" in html and "Возврат средств" in html


def test_topic_page_pages_through_many_questions(client: Client, help_centre: HelpCentre) -> None:
    from faq import services
    from faq.selectors import TOPIC_PAGE_SIZE

    for n in range(TOPIC_PAGE_SIZE + 2):
        services.faq_entry_upsert(
            topic=help_centre.payment,
            slug=f"extra-{n}",
            sort_weight=-n,
            texts={"en": (f"Extra question number {n}", "An answer.")},
        )
    first = page(client, "/help/payment/")
    assert "Extra question number 0<" in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = page(client, "/help/payment/?page=2")
    assert f"Extra question number {TOPIC_PAGE_SIZE + 1}<" in second
    assert "Extra question number 0<" not in second
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert client.get("/help/payment/?page=99").status_code == 302
    assert client.get("/help/payment/?page=abc").status_code == 200


def test_answer_page_lists_related_questions_in_the_readers_language(
    client: Client, help_centre: HelpCentre
) -> None:
    html = page(client, "/help/refund/refund-to-expired-card/", HTTP_ACCEPT_LANGUAGE="ru")
    assert "Related questions" in html or "Похожие вопросы" in html
    assert 'href="/help/refund/refund-not-received-after-cancellation/"' in html
    assert "Я не получил возврат средств" in html  # a related question in Russian
    assert 'href="/help/refund/refund-to-expired-card/"' not in html  # not itself
    assert 'href="/help/payment/payment-failed-money-taken/"' not in html  # another topic
    assert "<title>My card expired" in html  # the page itself falls back to English


def test_answer_page_reads_two_queries_then_none(client: Client, help_centre: HelpCentre) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = "/help/payment/payment-failed-money-taken/"
    with CaptureQueriesContext(connection) as cold:
        page(client, url, HTTP_ACCEPT_LANGUAGE="el")
    with CaptureQueriesContext(connection) as warm:
        html = page(client, url, HTTP_ACCEPT_LANGUAGE="el")
    assert len(cold) <= 2 and len(warm) == 0
    assert "Η πληρωμή απέτυχε" in html and 'lang="el"' in html
    assert ">Πληρωμή</a>" in html  # the topic's Greek name in the breadcrumbs


def test_search_results_link_to_their_answers(client: Client, help_centre: HelpCentre) -> None:
    html = page(client, "/help/search/?q=seller+cancelled", HTTP_ACCEPT_LANGUAGE="ru")
    assert 'href="/help/refund/refund-not-received-after-cancellation/"' in html
    assert "Я не получил возврат средств" in html
