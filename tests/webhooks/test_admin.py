"""Webhooks in the admin: the secret shown once, a read-only delivery log, redelivery."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from accounts.models import User
from tests.factories import api_key_with
from tests.tickets.conftest import Desk, open_ticket
from tests.webhooks.conftest import build_payloads, deliveries_of, subscribe
from webhooks.models import DeliveryState, Subscription
from webhooks.services import delivery_send

pytestmark = pytest.mark.usefixtures("allow_private")


@pytest.fixture
def root(client: Client, db: None) -> Client:
    client.force_login(User.objects.create_superuser("root", "root@example.com", "a-root-pw-91"))
    return client


def test_a_subscription_made_in_the_admin_shows_its_secret_once(root: Client) -> None:
    api_key, _raw = api_key_with("tickets:read", "disputes:read")
    response = root.post(
        "/admin/webhooks/subscription/add/",
        {
            "api_key": api_key.pk,
            "url": "http://127.0.0.1:9/hooks",
            "events": ["ticket.created", "dispute.*"],
            "description": "Back office",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    subscription = Subscription.objects.get()
    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert [m for m in told if subscription.secret in m] == [
        f"Copy the signing secret now; it will not be shown again: {subscription.secret}"
    ]
    assert subscription.events == ["dispute.*", "ticket.created"]

    assert subscription.secret in root.get(response.url).content.decode()  # the message, once
    change = root.get(f"/admin/webhooks/subscription/{subscription.pk}/change/").content.decode()
    listing = root.get("/admin/webhooks/subscription/").content.decode()
    assert "http://127.0.0.1:9/hooks" in listing
    for page in (change, listing):
        assert subscription.secret not in page


def test_the_admin_checks_urls_and_events_as_the_api_does(root: Client, settings: Any) -> None:
    settings.DESK_WEBHOOKS_ALLOW_PRIVATE = False
    api_key, _raw = api_key_with("tickets:read")
    response = root.post(
        "/admin/webhooks/subscription/add/",
        {"api_key": api_key.pk, "url": "http://10.0.0.8/hooks", "events": ["dispute.opened"]},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "not a public address" in page
    assert "do not let it hear of dispute.opened" in page
    assert not Subscription.objects.exists()


def test_the_delivery_log_is_read_only_and_redelivers_through_the_service(
    root: Client, desk: Desk, closed_port_url: str, django_capture_on_commit_callbacks: Any
) -> None:
    subscription, _secret = subscribe(closed_port_url, ["ticket.created"])
    with django_capture_on_commit_callbacks() as callbacks:
        open_ticket(desk, now=timezone.now())
    build_payloads(callbacks)
    [delivery] = deliveries_of(subscription)
    delivery_send(delivery_id=delivery.pk, now=timezone.now())
    delivery.state = DeliveryState.FAILED
    delivery.save(update_fields=["state"])

    listing = root.get("/admin/webhooks/delivery/").content.decode()
    assert "ticket.created" in listing and "Failed" in listing
    detail = root.get(f"/admin/webhooks/delivery/{delivery.pk}/change/").content.decode()
    assert str(delivery.event_id) in detail and "Connection refused" in detail
    assert 'name="_save"' not in detail
    assert root.get("/admin/webhooks/delivery/add/").status_code == 403

    with django_capture_on_commit_callbacks() as sends:
        root.post(
            "/admin/webhooks/delivery/",
            {"action": "redeliver", "_selected_action": [delivery.pk]},
        )
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.PENDING, 0)
    assert [send.kwargs for send in sends] == [{"delivery_id": delivery.pk}]


def test_the_log_is_reached_from_its_subscription(root: Client, desk: Desk) -> None:
    mine, _secret = subscribe("http://127.0.0.1:9/mine", ["ticket.created"])
    other, _secret = subscribe("http://127.0.0.1:9/other", ["ticket.*"])
    open_ticket(desk, now=timezone.now())
    listing = root.get("/admin/webhooks/subscription/").content.decode()
    link = f"/admin/webhooks/delivery/?subscription__id__exact={mine.pk}"
    assert link in listing

    log = root.get(link)
    assert log.status_code == 200
    assert "1 webhook delivery" in log.content.decode()
    assert len(deliveries_of(other)) == 1
