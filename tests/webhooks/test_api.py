"""Subscriptions through the API: each key its own, the secret once, the log, redelivery."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role
from api.models import ApiKey
from tests.factories import UserFactory, api_key_with
from tests.tickets.conftest import Desk, open_ticket
from tests.webhooks.conftest import Receiver, build_payloads, deliveries_of
from webhooks.models import Delivery, DeliveryState, Subscription
from webhooks.services import delivery_send

pytestmark = pytest.mark.usefixtures("allow_private")
URL = "/api/v1/webhooks/"
HOOK = "http://127.0.0.1:9/hooks"


def client_of(*scopes: str) -> tuple[APIClient, ApiKey]:
    api_key, raw = api_key_with(*scopes)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client, api_key


def create(client: APIClient, **body: Any) -> Any:
    return client.post(URL, {"url": HOOK, "events": ["ticket.created"], **body}, format="json")


def error(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()["error"]
    return body


@pytest.fixture
def owner(db: None) -> APIClient:
    client, _key = client_of("tickets:read", "webhooks:read", "webhooks:write")
    return client


def test_the_secret_is_shown_once_when_the_subscription_is_made(owner: APIClient) -> None:
    response = create(owner, description="Back office")
    assert response.status_code == 201, response.json()
    made = response.json()
    assert made["secret"].startswith("whsec_")
    assert made["events"] == ["ticket.created"] and made["active"] is True
    assert Subscription.objects.get(pk=made["id"]).secret == made["secret"]

    listed = owner.get(URL).json()
    shown = owner.get(f"{URL}{made['id']}/").json()
    changed = owner.patch(f"{URL}{made['id']}/", {"active": False}, format="json").json()
    for answer in (listed, shown, changed):
        assert made["secret"] not in str(answer)
        assert "secret" not in str(answer)
    assert [row["id"] for row in listed["results"]] == [made["id"]]
    assert (shown["description"], changed["active"]) == ("Back office", False)


def test_a_key_cannot_see_or_touch_another_keys_subscriptions(
    owner: APIClient, desk: Desk, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    theirs = create(owner, url=receiver.url).json()
    with django_capture_on_commit_callbacks() as callbacks:
        open_ticket(desk, now=timezone.now())
    build_payloads(callbacks)
    [delivery] = deliveries_of(Subscription.objects.get(pk=theirs["id"]))
    delivery_send(delivery_id=delivery.pk, now=timezone.now())
    other, _key = client_of("tickets:read", "webhooks:read", "webhooks:write")
    mine = create(other).json()

    assert [row["id"] for row in other.get(URL).json()["results"]] == [mine["id"]]
    base = f"{URL}{theirs['id']}/"
    answers = [
        other.get(base),
        other.patch(base, {"active": False}, format="json"),
        other.delete(base),
        other.get(f"{base}deliveries/"),
        other.post(f"{base}deliveries/{delivery.uuid}/redeliver/"),
        # Its own subscription's path with someone else's delivery.
        other.post(f"{URL}{mine['id']}/deliveries/{delivery.uuid}/redeliver/"),
    ]
    assert [(a.status_code, error(a)["code"]) for a in answers] == [(404, "not_found")] * 6
    assert Subscription.objects.get(pk=theirs["id"]).active is True
    assert Delivery.objects.get(pk=delivery.pk).state == DeliveryState.DELIVERED


def test_scopes_read_and_write_and_keys_only(owner: APIClient) -> None:
    reader, _key = client_of("tickets:read", "webhooks:read")
    assert reader.get(URL).status_code == 200
    refused = create(reader)
    assert (refused.status_code, error(refused)["code"]) == (403, "missing_scope")
    outsider, _key = client_of("tickets:read")
    assert error(outsider.get(URL))["code"] == "missing_scope"
    assert APIClient().get(URL).status_code == 401

    person = APIClient()
    person.force_login(UserFactory(role=Role.SUPERVISOR))
    answer = person.get(URL)
    assert (answer.status_code, error(answer)["code"]) == (403, "role_not_allowed")


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"events": []}, "validation_error", "events"),
        ({"events": ["ticket.deleted"]}, "validation_error", "events"),
        ({"events": ["dispute.opened"]}, "webhook_events_refused", "events"),
        ({"url": ""}, "validation_error", "url"),
        ({"url": "ftp://93.184.215.14/"}, "webhook_url_refused", "url"),
    ],
)
def test_bad_subscriptions_are_refused_with_stable_codes(
    owner: APIClient, body: dict[str, Any], code: str, field: str
) -> None:
    response = create(owner, **body)
    assert response.status_code == 400
    assert error(response)["code"] == code
    assert field in error(response)["details"]
    assert not Subscription.objects.exists()


def test_a_subscription_changes_and_is_deleted(owner: APIClient, settings: Any) -> None:
    made = create(owner).json()
    detail = f"{URL}{made['id']}/"
    changed = owner.patch(
        detail, {"events": ["ticket.*"], "url": "http://[::1]:9/x"}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["events"], changed.json()["url"]) == (["ticket.*"], "http://[::1]:9/x")
    settings.DESK_WEBHOOKS_ALLOW_PRIVATE = False
    refused = owner.patch(detail, {"url": "http://169.254.169.254/"}, format="json")
    assert error(refused)["code"] == "webhook_url_refused"
    assert Subscription.objects.get(pk=made["id"]).url == "http://[::1]:9/x"

    assert owner.delete(detail).status_code == 204
    assert owner.get(detail).status_code == 404


def test_the_delivery_log_pages_newest_first_and_redelivers(
    owner: APIClient, desk: Desk, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    receiver.failures = 1
    made = create(owner, url=receiver.url).json()
    subscription = Subscription.objects.get(pk=made["id"])
    with django_capture_on_commit_callbacks() as callbacks:
        tickets = [open_ticket(desk, now=timezone.now()) for _n in range(3)]
    build_payloads(callbacks)
    oldest, middle, newest = deliveries_of(subscription)
    now = timezone.now()
    assert delivery_send(delivery_id=oldest.pk, now=now) == "retry"  # answered 503
    assert delivery_send(delivery_id=middle.pk, now=now) == "delivered"

    log = f"{URL}{made['id']}/deliveries/"
    first = owner.get(log, {"page_size": 2}).json()
    second = owner.get(first["next"]).json()
    rows = first["results"] + second["results"]
    assert [row["id"] for row in rows] == [str(d.uuid) for d in (newest, middle, oldest)]
    by_id = {row["id"]: row for row in rows}
    failed_once = by_id[str(oldest.uuid)]
    assert (failed_once["state"], failed_once["attempts"]) == ("pending", 1)
    assert (failed_once["response_code"], failed_once["last_error"]) == (
        503,
        "HTTP 503 Service Unavailable",
    )
    arrived = by_id[str(middle.uuid)]
    assert (arrived["state"], arrived["response_code"]) == ("delivered", 204)
    assert arrived["payload"]["data"]["ticket"]["id"] == tickets[1].pk
    assert arrived["event"] == "ticket.created"

    with django_capture_on_commit_callbacks(execute=False) as sends:
        again = owner.post(f"{log}{middle.uuid}/redeliver/")
    assert again.status_code == 202, again.json()
    assert (again.json()["state"], again.json()["attempts"]) == ("pending", 0)
    assert [send.kwargs for send in sends] == [{"delivery_id": middle.pk}]
    busy = owner.post(f"{log}{middle.uuid}/redeliver/")
    assert (busy.status_code, error(busy)["code"]) == (409, "delivery_not_finished")
    assert delivery_send(delivery_id=middle.pk, now=timezone.now()) == "delivered"
    assert [r.json()["id"] for r in receiver.received].count(str(middle.event_id)) == 2
