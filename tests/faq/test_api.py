"""The help-centre API: topics, entries, search, suggestions, feedback and the assistant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from faq import services
from faq.api.views import AnonymousScopedRateThrottle
from faq.models import AssistantQuestion, FaqEntry, FaqFeedback, Topic
from faq.search import faq_search_refresh
from tests.factories import AgentFactory, BuyerFactory, api_key_with

pytestmark = pytest.mark.django_db


@dataclass
class Content:
    payment: Topic
    refund: Topic
    card_declined: FaqEntry
    invoice: FaqEntry
    refund_timing: FaqEntry
    expired_card: FaqEntry
    draft: FaqEntry


@pytest.fixture
def content(db: None) -> Content:
    payment = services.topic_upsert(
        slug="payment",
        name={"en": "Payment", "ru": "Оплата"},
        description={"en": "Paying for orders", "ru": "Оплата заказов"},
        icon="💳",
        sort_order=1,
        email_contact=True,
    )
    refund = services.topic_upsert(
        slug="refund",
        name={"en": "Refund", "ru": "Возврат"},
        description={"en": "Getting money back"},
        icon="💸",
        sort_order=2,
    )
    card_declined = services.faq_entry_upsert(
        topic=payment,
        slug="card-declined",
        operator_resolvable=True,
        texts={
            "en": (
                "Why was my card declined?",
                "Your bank declined the charge. Check the card number and expiry date.",
            ),
            "ru": ("Почему отклонили карту?", "Банк отклонил платёж. Проверьте номер карты."),
        },
    )
    invoice = services.faq_entry_upsert(
        topic=payment,
        slug="invoice-download",
        email_contact=False,
        texts={
            "en": ("Where do I download an invoice?", "Open the order and press **Invoice**."),
            "ru": ("Где скачать счёт?", "Откройте заказ и нажмите **Счёт**."),
        },
    )
    refund_timing = services.faq_entry_upsert(
        topic=refund,
        slug="refund-timing",
        texts={
            "en": ("How long does a refund take?", "Refunds reach you within ten business days."),
            "ru": ("Сколько идёт возврат?", "Возврат приходит в течение десяти рабочих дней."),
        },
    )
    expired_card = services.faq_entry_upsert(
        topic=refund,
        slug="expired-card",
        texts={"en": ("My card expired: where is my refund?", "Your bank forwards it.")},
    )
    draft = services.faq_entry_upsert(
        topic=payment,
        slug="draft",
        published=False,
        texts={"en": ("A draft about declined cards", "Not ready.")},
    )
    faq_search_refresh()
    return Content(payment, refund, card_declined, invoice, refund_timing, expired_card, draft)


@pytest.fixture(autouse=True)
def generous_throttle(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep anonymous calls of earlier tests from throttling later ones."""
    rates = {"anon_feedback": "1000/min", "anon_assistant": "1000/min"}
    monkeypatch.setattr(AnonymousScopedRateThrottle, "THROTTLE_RATES", rates)


def bearer(*scopes: str) -> tuple[APIClient, str]:
    """Return a client calling with a new key holding ``scopes``, and the key's prefix."""
    api_key, raw_key = api_key_with(*scopes)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    return client, api_key.prefix


def reader() -> APIClient:
    return bearer("faq:read")[0]


def signed_in_buyer() -> APIClient:
    client = APIClient()
    client.force_login(BuyerFactory())
    return client


def error_of(response: Any) -> dict[str, Any]:
    return response.json()["error"]


# --- Topics ------------------------------------------------------------------


def test_topics_are_listed_in_order_in_the_requested_language(content: Content) -> None:
    response = reader().get("/api/v1/topics/", {"language": "ru"})
    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "slug": "payment",
            "name": "Оплата",
            "description": "Оплата заказов",
            "icon": "💳",
            "email_contact": True,
        },
        {
            "slug": "refund",
            "name": "Возврат",
            "description": "Getting money back",
            "icon": "💸",
            "email_contact": False,
        },
    ]


def test_topics_follow_accept_language_by_default(content: Content) -> None:
    body = reader().get("/api/v1/topics/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert [topic["name"] for topic in body["results"]] == ["Оплата", "Возврат"]
    body = reader().get("/api/v1/topics/").json()
    assert [topic["name"] for topic in body["results"]] == ["Payment", "Refund"]


def test_session_person_of_any_role_may_read_topics(content: Content) -> None:
    client = APIClient()
    client.force_login(AgentFactory())
    assert client.get("/api/v1/topics/").status_code == 200
    assert signed_in_buyer().get("/api/v1/topics/").status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/topics/", "/api/v1/faq/", "/api/v1/faq/suggest?q=card"])
def test_anonymous_callers_may_not_read(content: Content, url: str) -> None:
    response = APIClient().get(url)
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


@pytest.mark.parametrize("url", ["/api/v1/topics/", "/api/v1/faq/", "/api/v1/faq/suggest"])
def test_reading_needs_the_faq_read_scope(content: Content, url: str) -> None:
    client, _ = bearer("tickets:read")
    response = client.get(url)
    assert response.status_code == 403
    assert error_of(response)["code"] == "missing_scope"
    assert "faq:read" in error_of(response)["message"]


# --- Entries -----------------------------------------------------------------


def test_list_shows_published_entries_in_creation_order(content: Content) -> None:
    body = reader().get("/api/v1/faq/", {"language": "en"}).json()
    assert [item["slug"] for item in body["results"]] == [
        "card-declined",
        "invoice-download",
        "refund-timing",
        "expired-card",
    ]
    assert body["next"] is None


def test_list_filtered_by_topic_and_language(content: Content) -> None:
    body = reader().get("/api/v1/faq/", {"topic": "refund", "language": "ru"}).json()
    assert body["results"] == [
        {
            "id": content.refund_timing.pk,
            "topic": "refund",
            "slug": "refund-timing",
            "language": "ru",
            "is_fallback": False,
            "question": "Сколько идёт возврат?",
            "answer_html": "<p>Возврат приходит в течение десяти рабочих дней.</p>\n",
            "operator_resolvable": False,
            "email_contact": False,
            "url": "http://testserver/help/refund/refund-timing/",
        },
        {
            "id": content.expired_card.pk,
            "topic": "refund",
            "slug": "expired-card",
            "language": "en",
            "is_fallback": True,
            "question": "My card expired: where is my refund?",
            "answer_html": "<p>Your bank forwards it.</p>\n",
            "operator_resolvable": False,
            "email_contact": False,
            "url": "http://testserver/help/refund/expired-card/",
        },
    ]


def test_email_contact_is_the_entrys_choice_else_its_topics(content: Content) -> None:
    body = reader().get("/api/v1/faq/", {"topic": "payment"}).json()
    assert {item["slug"]: item["email_contact"] for item in body["results"]} == {
        "card-declined": True,  # follows the topic
        "invoice-download": False,  # the entry says no
    }


def test_list_is_cursor_paginated(content: Content) -> None:
    client = reader()
    first = client.get("/api/v1/faq/", {"page_size": 3}).json()
    assert [item["slug"] for item in first["results"]] == [
        "card-declined",
        "invoice-download",
        "refund-timing",
    ]
    second = client.get(first["next"]).json()
    assert [item["slug"] for item in second["results"]] == ["expired-card"]
    assert second["next"] is None


def test_unknown_topic_lists_nothing(content: Content) -> None:
    body = reader().get("/api/v1/faq/", {"topic": "nothing-here"}).json()
    assert body["results"] == []


def test_search_ranks_the_matching_entry_first(content: Content) -> None:
    response = reader().get("/api/v1/faq/", {"q": "card declined", "language": "en"})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "card declined"
    assert "next" not in body
    first = body["results"][0]
    assert first["id"] == content.card_declined.pk
    assert first["question"] == "Why was my card declined?"
    assert 0 < first["score"] <= 1
    assert "<mark>" in first["snippet_html"]
    assert content.draft.pk not in [item["id"] for item in body["results"]]


def test_search_is_limited_and_narrowed_by_topic(content: Content) -> None:
    client = reader()
    body = client.get("/api/v1/faq/", {"q": "card", "language": "en", "limit": 1}).json()
    assert len(body["results"]) == 1
    body = client.get("/api/v1/faq/", {"q": "card", "language": "en", "topic": "refund"}).json()
    assert [item["id"] for item in body["results"]] == [content.expired_card.pk]


def test_detail_in_the_requested_language_or_english(content: Content) -> None:
    client = reader()
    ru = client.get(f"/api/v1/faq/{content.card_declined.pk}/", {"language": "ru"}).json()
    assert (ru["language"], ru["is_fallback"], ru["question"]) == (
        "ru",
        False,
        "Почему отклонили карту?",
    )
    assert ru["operator_resolvable"] is True
    fallback = client.get(f"/api/v1/faq/{content.expired_card.pk}/", {"language": "ru"}).json()
    assert (fallback["language"], fallback["is_fallback"]) == ("en", True)


def test_detail_of_an_unpublished_or_unknown_entry_is_json_404(content: Content) -> None:
    client = reader()
    for entry_id in (content.draft.pk, 999_999):
        response = client.get(f"/api/v1/faq/{entry_id}/")
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"


def test_suggest_offers_questions_as_the_buyer_types(content: Content) -> None:
    body = reader().get("/api/v1/faq/suggest", {"q": "refund", "language": "en"}).json()
    assert body["results"] == [
        {
            "id": content.refund_timing.pk,
            "question": "How long does a refund take?",
            "topic": "refund",
            "url": "http://testserver/help/refund/refund-timing/",
        },
        {
            "id": content.expired_card.pk,
            "question": "My card expired: where is my refund?",
            "topic": "refund",
            "url": "http://testserver/help/refund/expired-card/",
        },
    ]


def test_suggest_with_an_empty_query_is_an_empty_list(content: Content) -> None:
    client = reader()
    for params in ({}, {"q": ""}, {"q": "   "}):
        response = client.get("/api/v1/faq/suggest", params)
        assert response.status_code == 200
        assert response.json() == {"results": []}


# --- Feedback ----------------------------------------------------------------


def test_anonymous_feedback_is_recorded_and_a_second_vote_replaces_the_first(
    content: Content,
) -> None:
    client = APIClient()
    url = f"/api/v1/faq/{content.card_declined.pk}/feedback"
    response = client.post(url, {"helpful": True, "language": "ru"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"entry": content.card_declined.pk, "helpful": True}
    assert "sd_visitor" in response.cookies
    client.post(url, {"helpful": False, "language": "ru"}, format="json")
    feedback = FaqFeedback.objects.get()
    assert (feedback.entry_id, feedback.helpful, feedback.language) == (
        content.card_declined.pk,
        False,
        "ru",
    )
    assert feedback.visitor == f"anon:{client.cookies['sd_visitor'].value}"


def test_feedback_by_a_signed_in_buyer(content: Content) -> None:
    buyer = BuyerFactory()
    client = APIClient()
    client.force_login(buyer)
    response = client.post(
        f"/api/v1/faq/{content.refund_timing.pk}/feedback", {"helpful": False}, format="json"
    )
    assert response.status_code == 200
    feedback = FaqFeedback.objects.get()
    assert (feedback.visitor, feedback.helpful, feedback.topic_id) == (
        f"user:{buyer.pk}",
        False,
        content.refund.pk,
    )


def test_feedback_by_a_key_is_recorded_for_the_buyer_it_names(content: Content) -> None:
    client, prefix = bearer("faq:read")
    url = f"/api/v1/faq/{content.invoice.pk}/feedback"
    for visitor, helpful in (("buyer-42", True), ("buyer-43", False), ("buyer-42", False)):
        response = client.post(url, {"helpful": helpful, "visitor": visitor}, format="json")
        assert response.status_code == 200
    votes = dict(FaqFeedback.objects.values_list("visitor", "helpful"))
    assert votes == {f"key:{prefix}:buyer-42": False, f"key:{prefix}:buyer-43": False}


def test_a_long_buyer_id_of_a_key_still_fits_and_stays_stable(content: Content) -> None:
    client, prefix = bearer("faq:read")
    url = f"/api/v1/faq/{content.invoice.pk}/feedback"
    long_id = "b" * 64
    for helpful in (True, False):
        client.post(url, {"helpful": helpful, "visitor": long_id}, format="json")
    feedback = FaqFeedback.objects.get()
    assert feedback.visitor.startswith(f"key:{prefix}:~")
    assert len(feedback.visitor) == 64
    assert feedback.helpful is False


def test_feedback_by_a_key_needs_the_buyers_visitor_id(content: Content) -> None:
    client, _ = bearer("faq:read")
    response = client.post(
        f"/api/v1/faq/{content.invoice.pk}/feedback", {"helpful": True}, format="json"
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "validation_error"
    assert list(error_of(response)["details"]) == ["visitor"]
    assert not FaqFeedback.objects.exists()


def test_feedback_by_a_key_without_faq_read_is_403(content: Content) -> None:
    client, _ = bearer("tickets:write")
    response = client.post(
        f"/api/v1/faq/{content.invoice.pk}/feedback",
        {"helpful": True, "visitor": "buyer-42"},
        format="json",
    )
    assert response.status_code == 403
    assert error_of(response)["code"] == "missing_scope"
    assert not FaqFeedback.objects.exists()


def test_feedback_on_an_unpublished_entry_is_json_404(content: Content) -> None:
    response = APIClient().post(
        f"/api/v1/faq/{content.draft.pk}/feedback", {"helpful": True}, format="json"
    )
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "helpful"),
        ({"helpful": "perhaps"}, "helpful"),
        ({"helpful": True, "language": "xx"}, "language"),
        ({"helpful": True, "visitor": "v" * 65}, "visitor"),
    ],
)
def test_feedback_validation_errors_name_the_field(
    content: Content, body: dict[str, Any], field: str
) -> None:
    response = APIClient().post(f"/api/v1/faq/{content.invoice.pk}/feedback", body, format="json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "validation_error"
    assert field in error_of(response)["details"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"language": "xx"}, "language"),
        ({"q": "card", "limit": 51}, "limit"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_list_validation_errors_name_the_field(
    content: Content, params: dict[str, Any], field: str
) -> None:
    response = reader().get("/api/v1/faq/", params)
    assert response.status_code == 400
    assert error_of(response)["code"] == "validation_error"
    assert field in error_of(response)["details"]


# --- The assistant -------------------------------------------------------------


def test_assistant_answers_a_question_it_knows(content: Content) -> None:
    response = APIClient().post(
        "/api/v1/assistant",
        {"question": "Why was my card declined?", "language": "en"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["answered"] is True
    best = body["answers"][0]
    assert best["entry"] == content.card_declined.pk
    assert best["question"] == "Why was my card declined?"
    assert best["url"] == "http://testserver/help/payment/card-declined/"
    assert 0 < best["score"] <= 1
    assert "<mark>" in best["snippet_html"]
    question = AssistantQuestion.objects.get(pk=body["id"])
    assert (question.answered, question.best_entry_id) == (True, content.card_declined.pk)


def test_assistant_says_honestly_when_it_knows_nothing(content: Content) -> None:
    client, prefix = bearer("faq:read")
    response = client.post(
        "/api/v1/assistant",
        {"question": "xyzzy plugh", "language": "ru", "visitor": "buyer-7"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["answered"], body["answers"]) == (False, [])
    question = AssistantQuestion.objects.get(pk=body["id"])
    assert (question.visitor, question.language) == (f"key:{prefix}:buyer-7", "ru")


def test_assistant_feedback_only_from_the_asker(content: Content) -> None:
    asker = APIClient()
    asked = asker.post("/api/v1/assistant", {"question": "refund"}, format="json").json()
    url = f"/api/v1/assistant/{asked['id']}/feedback"

    stranger = APIClient().post(url, {"helpful": True}, format="json")
    assert stranger.status_code == 404
    assert error_of(stranger)["code"] == "not_found"

    response = asker.post(url, {"helpful": True}, format="json")
    assert response.status_code == 200
    assert response.json() == {"id": asked["id"], "helpful": True}
    assert AssistantQuestion.objects.get(pk=asked["id"]).helpful is True


def test_assistant_feedback_by_a_key_is_for_the_buyer_who_asked(content: Content) -> None:
    client, _ = bearer("faq:read")
    asked = client.post(
        "/api/v1/assistant", {"question": "refund", "visitor": "buyer-1"}, format="json"
    ).json()
    url = f"/api/v1/assistant/{asked['id']}/feedback"
    other = client.post(url, {"helpful": False, "visitor": "buyer-2"}, format="json")
    assert other.status_code == 404
    own = client.post(url, {"helpful": False, "visitor": "buyer-1"}, format="json")
    assert own.json() == {"id": asked["id"], "helpful": False}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "question"),
        ({"question": ""}, "question"),
        ({"question": "   "}, "question"),
        ({"question": "x" * 2001}, "question"),
        ({"question": "refund", "language": "de"}, "language"),
    ],
)
def test_assistant_validation_errors_name_the_field(
    content: Content, body: dict[str, Any], field: str
) -> None:
    response = APIClient().post("/api/v1/assistant", body, format="json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "validation_error"
    assert field in error_of(response)["details"]
    assert not AssistantQuestion.objects.exists()


# --- Throttling and cost ---------------------------------------------------------


@pytest.mark.parametrize("scope", ["anon_feedback", "anon_assistant"])
def test_anonymous_callers_are_throttled(
    content: Content, monkeypatch: pytest.MonkeyPatch, scope: str
) -> None:
    monkeypatch.setattr(AnonymousScopedRateThrottle, "THROTTLE_RATES", {scope: "2/min"})
    cache.clear()
    if scope == "anon_feedback":
        url, body = f"/api/v1/faq/{content.invoice.pk}/feedback", {"helpful": True}
    else:
        url, body = "/api/v1/assistant", {"question": "refund"}
    client = APIClient()
    statuses = [client.post(url, body, format="json").status_code for _ in range(2)]
    assert statuses == [200, 200]
    response = client.post(url, body, format="json")
    assert response.status_code == 429
    assert error_of(response)["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_signed_in_callers_are_not_throttled_as_anonymous(
    content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(AnonymousScopedRateThrottle, "THROTTLE_RATES", {"anon_feedback": "2/min"})
    cache.clear()
    client = signed_in_buyer()
    url = f"/api/v1/faq/{content.invoice.pk}/feedback"
    assert {client.post(url, {"helpful": True}, format="json").status_code for _ in range(4)} == {
        200
    }


def _queries(client: APIClient, url: str, params: dict[str, Any]) -> int:
    """Count the queries of one request with nothing cached (search answers are cached)."""
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def _more_entries(content: Content, count: int) -> None:
    for n in range(count):
        services.faq_entry_upsert(
            topic=content.payment,
            slug=f"card-extra-{n}",
            texts={
                "en": (f"Card question {n}", "About the card."),
                "ru": (f"Вопрос о карте {n}", "О карте."),
            },
        )


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/v1/faq/", {"language": "ru", "topic": "payment"}),
        ("/api/v1/faq/", {"language": "en", "q": "card", "topic": "payment"}),
        ("/api/v1/faq/suggest", {"language": "en", "q": "card"}),
        ("/api/v1/topics/", {"language": "ru"}),
    ],
)
def test_lists_cost_the_same_queries_whatever_their_length(
    content: Content, url: str, params: dict[str, Any]
) -> None:
    client = reader()
    client.get("/api/v1/topics/")  # the key's first use writes its last_used_at
    few = _queries(client, url, params)
    _more_entries(content, 5)
    services.topic_upsert(slug="warranty", name={"en": "Warranty"}, description={})
    many = _queries(client, url, params)
    assert client.get(url, params).json()["results"]
    assert many == few
    assert few <= 6


def test_lean_outputs_have_the_shape_their_serializers_document(content: Content) -> None:
    from faq.api import serializers as s

    client = reader()
    search = client.get("/api/v1/faq/", {"q": "card", "language": "ru"}).json()
    assert set(search) == set(s.FaqSearchOutputSerializer().fields)
    assert search["results"]
    for item in search["results"]:
        assert list(item) == list(s.FaqSearchHitOutputSerializer().fields)
    suggest = client.get("/api/v1/faq/suggest", {"q": "card", "language": "en"}).json()
    assert suggest["results"]
    assert list(suggest["results"][0]) == list(s.FaqSuggestionOutputSerializer().fields)
    reply = APIClient().post(
        "/api/v1/assistant", {"question": "Why was my card declined?"}, format="json"
    )
    answer = reply.json()["answers"][0]
    assert list(answer) == list(s.AssistantAnswerOutputSerializer().fields)


def test_search_results_read_as_entries_do(content: Content) -> None:
    client = reader()
    hit = client.get("/api/v1/faq/", {"q": "card declined", "language": "ru"}).json()["results"][0]
    entry = client.get(f"/api/v1/faq/{hit['id']}/", {"language": "ru"}).json()
    assert {k: v for k, v in hit.items() if k not in ("score", "snippet_html")} == entry
