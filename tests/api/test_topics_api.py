"""Topics over the API: supervisors and keys with faq:write create and change them."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from audit.models import AuditEntry, AuditSource
from faq.models import Topic
from tests.factories import AgentFactory, BuyerFactory, SupervisorFactory, api_key_with
from tests.tickets.conftest import Desk, build_desk

pytestmark = pytest.mark.django_db

TOPICS = "/api/v1/topics/"


def key_client(*scopes: str) -> APIClient:
    _key, raw = api_key_with(*scopes)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def session_client(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def error(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()["error"]
    return body


@pytest.fixture
def desk() -> Desk:
    return build_desk()


DELIVERY = {
    "slug": "delivery",
    "name": {"en": "Delivery", "ru": "Доставка"},
    "description": {"en": "Where your parcel is"},
    "icon": "🚚",
    "sort_order": 30,
}


def test_a_key_creates_a_topic_that_readers_then_see_in_their_language(desk: Desk) -> None:
    response = key_client("faq:write").post(TOPICS, DELIVERY, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["name"] == {"en": "Delivery", "ru": "Доставка"}
    listed = key_client("faq:read").get(TOPICS, {"language": "ru"}).json()["results"]
    assert {"slug": "delivery", "name": "Доставка"}.items() <= next(
        topic for topic in listed if topic["slug"] == "delivery"
    ).items()
    entry = AuditEntry.objects.get(object_repr="Delivery")
    assert (entry.action, entry.source) == ("create", AuditSource.API)


def test_a_supervisor_changes_only_the_names_and_fields_given(desk: Desk) -> None:
    client = session_client(SupervisorFactory())
    client.post(TOPICS, DELIVERY, format="json")
    response = client.patch(
        f"{TOPICS}delivery/", {"name": {"el": "Παράδοση"}, "sort_order": 1}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["name"] == {"en": "Delivery", "ru": "Доставка", "el": "Παράδοση"}
    assert body["description"]["en"] == "Where your parcel is"
    assert (body["sort_order"], body["icon"]) == (1, "🚚")
    change = AuditEntry.objects.filter(action="update").get()
    assert change.source == AuditSource.API and "sort_order" in change.changes


def test_bad_topics_are_refused_naming_the_fields(desk: Desk) -> None:
    client = key_client("faq:write")
    response = client.post(
        TOPICS,
        {"slug": "search", "name": {"ru": "Поиск", "xx": "?"}, "sort_order": -1},
        format="json",
    )
    assert response.status_code == 400
    details = error(response)["details"]
    assert {"slug", "name", "sort_order"} <= set(details)
    taken = client.post(TOPICS, {**DELIVERY, "slug": "payment"}, format="json")
    assert taken.status_code == 409 and error(taken)["code"] == "topic_exists"
    assert Topic.objects.get(slug="payment").name == "Payment"


def test_topic_writes_need_faq_write_and_a_supervisor(desk: Desk) -> None:
    response = key_client("faq:read").post(TOPICS, DELIVERY, format="json")
    assert response.status_code == 403 and error(response)["code"] == "missing_scope"
    for person in (BuyerFactory(), AgentFactory()):
        client = session_client(person)
        assert client.post(TOPICS, DELIVERY, format="json").status_code == 403
        refused = client.patch(f"{TOPICS}payment/", {"sort_order": 1}, format="json")
        assert refused.status_code == 403
        assert client.get(TOPICS).status_code == 200  # reading stays open to them
    assert not Topic.objects.filter(slug="delivery").exists()
    missing = key_client("faq:write").patch(f"{TOPICS}nowhere/", {}, format="json")
    assert missing.status_code == 404
