"""Through the real Celery worker on the ``webhooks`` queue: a ticket opened by API arrives signed."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from celery.worker import WorkController
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import api_key_with
from tests.tickets.conftest import build_desk
from tests.webhooks.conftest import Receiver, verify_signature
from webhooks.models import Delivery, DeliveryState


def wait_for(condition: Callable[[], bool], timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_a_signed_event_for_a_ticket_opened_through_the_api(
    worker: WorkController, receiver: Receiver, settings: Any
) -> None:
    settings.DESK_WEBHOOKS_ALLOW_PRIVATE = True
    build_desk()
    _key, raw = api_key_with("tickets:read", "tickets:write", "webhooks:write")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    made = client.post(
        "/api/v1/webhooks/", {"url": receiver.url, "events": ["ticket.created"]}, format="json"
    )
    assert made.status_code == 201, made.json()

    opened = client.post(
        "/api/v1/tickets/",
        {
            "topic": "payment",
            "subject": "Charged twice",
            "description": "My card was charged twice at checkout.",
            "order_number": "MP-1001",
            "transaction_id": "TX-42",
            "amount": "59.90",
            "buyer": "anna",
        },
        format="json",
    )
    assert opened.status_code == 201, opened.json()

    assert wait_for(lambda: len(receiver.received) >= 1), "no delivery reached the receiver"
    [received] = receiver.received
    body = verify_signature(made.json()["secret"], received, at=timezone.now())
    assert body["type"] == "ticket.created"
    assert body["data"]["ticket"]["reference"] == opened.json()["reference"]
    assert wait_for(
        lambda: Delivery.objects.get(event_id=body["id"]).state == DeliveryState.DELIVERED
    )
    delivery = Delivery.objects.get(event_id=body["id"])
    assert (delivery.attempts, delivery.response_code) == (1, 204)
