"""Deliveries arrive signed, are retried with back-off for a day, then logged as failed."""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from tests.tickets.conftest import Desk, open_ticket
from tests.webhooks.conftest import (
    Receiver,
    build_payloads,
    deliveries_of,
    subscribe,
    verify_signature,
)
from webhooks import services, tasks
from webhooks.models import Delivery, DeliveryState, Subscription
from webhooks.schedule import RETRY_WINDOW, retry_wait
from webhooks.selectors import deliveries_due
from webhooks.services import deliveries_sweep, delivery_send

pytestmark = pytest.mark.usefixtures("allow_private")


def _owed(
    desk: Desk, url: str, callbacks_fixture: Any, events: list[str] | None = None
) -> tuple[Subscription, str, Delivery]:
    """Subscribe to ticket.created at ``url``, open a ticket; return the delivery owed."""
    subscription, secret = subscribe(url, events or ["ticket.created"])
    with callbacks_fixture() as callbacks:
        open_ticket(desk, now=timezone.now())
    build_payloads(callbacks)
    [delivery] = deliveries_of(subscription)
    return subscription, secret, delivery


def test_a_delivery_arrives_signed_with_the_subscriptions_secret(
    desk: Desk, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    _subscription, secret, delivery = _owed(desk, receiver.url, django_capture_on_commit_callbacks)
    now = timezone.now()

    assert delivery_send(delivery_id=delivery.pk, now=now) == "delivered"

    [received] = receiver.received
    body = verify_signature(secret, received, at=now)
    assert received.path == "/hooks/desk?source=support"
    assert received.headers["Content-Type"] == "application/json"
    assert received.headers["User-Agent"] == "SupportDesk-Webhooks/1"
    assert received.headers["X-Desk-Event"] == "ticket.created"
    assert received.headers["X-Desk-Delivery"] == str(delivery.uuid)
    assert body["id"] == str(delivery.event_id)
    assert body["type"] == "ticket.created"
    assert body["data"]["event"]["kind"] == "opened"
    # A body signed with another secret, or changed on the way, does not verify.
    with pytest.raises(AssertionError, match="signature"):
        verify_signature("whsec_someone-else", received, at=now)
    received.body = received.body.replace(b'"opened"', b'"closed"')
    with pytest.raises(AssertionError, match="signature"):
        verify_signature(secret, received, at=now)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.response_code, delivery.attempts) == ("delivered", 204, 1)
    assert delivery.delivered_at == now


def test_the_readmes_verification_snippet_accepts_a_delivery_and_refuses_a_replay(
    desk: Desk, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    section = readme.split("### Webhooks", 1)[1]
    snippet = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert snippet is not None, "the README's Webhooks section has a Python snippet"
    namespace: dict[str, Any] = {}
    exec(snippet.group(1), namespace)
    verify = namespace["verify_desk_webhook"]
    _subscription, secret, delivery = _owed(desk, receiver.url, django_capture_on_commit_callbacks)
    sent_at = timezone.now()
    delivery_send(delivery_id=delivery.pk, now=sent_at)
    [received] = receiver.received
    header = received.headers["X-Desk-Signature"]

    assert verify(received.body, header, secret)
    assert not verify(received.body + b" ", header, secret)
    assert not verify(received.body, header, "whsec_wrong")
    # The same request replayed ten minutes later is refused.
    later = (sent_at + timedelta(minutes=10)).timestamp()
    assert not verify(received.body, header, secret, now=later)


def _drive(delivery: Delivery, *, until: datetime) -> list[tuple[datetime, str]]:
    """Act as beat and worker: at each due moment, send what the sweeper finds due."""
    moments: list[tuple[datetime, str]] = []
    now = delivery.created_at
    while now <= until:
        due = deliveries_due(now=now, batch=100)
        if delivery.pk in due:
            moments.append((now, delivery_send(delivery_id=delivery.pk, now=now)))
        delivery.refresh_from_db()
        if delivery.state != DeliveryState.PENDING:
            break
        # Just before the next attempt nothing is due yet.
        assert delivery.pk not in deliveries_due(
            now=delivery.next_attempt_at - timedelta(seconds=1), batch=100
        )
        now = delivery.next_attempt_at
    return moments


def test_a_receiver_failing_three_times_gets_the_event_on_the_fourth_try(
    desk: Desk, django_capture_on_commit_callbacks: Any, receiver: Receiver
) -> None:
    receiver.failures = 3
    _subscription, secret, delivery = _owed(desk, receiver.url, django_capture_on_commit_callbacks)
    start = delivery.created_at

    moments = _drive(delivery, until=start + RETRY_WINDOW)

    assert [outcome for _at, outcome in moments] == ["retry", "retry", "retry", "delivered"]
    waits = [later - earlier for (earlier, _a), (later, _b) in itertools.pairwise(moments)]
    assert waits == [timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=2)]
    assert receiver.refused == 3 and len(receiver.received) == 4
    bodies = {received.body for received in receiver.received}
    assert len(bodies) == 1, "every attempt sends the same payload"
    assert {r.headers["X-Desk-Delivery"] for r in receiver.received} == {str(delivery.uuid)}
    for (at, _outcome), received in zip(moments, receiver.received, strict=True):
        verify_signature(secret, received, at=at)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.response_code) == ("delivered", 4, 204)
    assert delivery.last_error == ""


@pytest.mark.parametrize("down", ["refusing connections", "answering 500"])
def test_a_receiver_down_all_day_ends_failed_in_the_log(
    desk: Desk,
    django_capture_on_commit_callbacks: Any,
    receiver: Receiver,
    closed_port_url: str,
    down: str,
) -> None:
    receiver.status = 500
    url = closed_port_url if down == "refusing connections" else receiver.url
    _subscription, _secret, delivery = _owed(desk, url, django_capture_on_commit_callbacks)
    start = delivery.created_at

    moments = _drive(delivery, until=start + timedelta(days=3))

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert [outcome for _at, outcome in moments][-1] == "failed"
    assert all(outcome == "retry" for _at, outcome in moments[:-1])
    last_attempt = moments[-1][0]
    # Tried for the whole day, at most an hour apart, and not after it.
    assert last_attempt <= start + RETRY_WINDOW
    assert last_attempt + retry_wait(delivery.attempts) > start + RETRY_WINDOW
    assert delivery.attempts == len(moments) >= 24
    if down == "refusing connections":
        assert delivery.response_code is None
        assert "Connection refused" in delivery.last_error or "Errno" in delivery.last_error
    else:
        assert delivery.response_code == 500
        assert delivery.last_error.startswith("HTTP 500")
        assert len(receiver.received) == delivery.attempts
    assert deliveries_due(now=start + timedelta(days=7), batch=100) == []


def test_two_copies_of_the_task_send_once_and_a_dead_workers_claim_is_taken_over(
    desk: Desk, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    _subscription, _secret, delivery = _owed(desk, receiver.url, django_capture_on_commit_callbacks)
    now = timezone.now()
    assert delivery_send(delivery_id=delivery.pk, now=now) == "delivered"
    assert delivery_send(delivery_id=delivery.pk, now=now) == "not-due"
    assert len(receiver.received) == 1

    # A worker claimed another delivery and died before it could send.
    _s, _secret2, stuck = _owed(desk, receiver.url, django_capture_on_commit_callbacks)
    Delivery.objects.filter(pk=stuck.pk).update(
        state=DeliveryState.SENDING, claimed_at=now, attempts=1
    )
    assert delivery_send(delivery_id=stuck.pk, now=now + timedelta(minutes=1)) == "not-due"
    assert stuck.pk in deliveries_due(now=now + timedelta(minutes=11), batch=100)
    assert delivery_send(delivery_id=stuck.pk, now=now + timedelta(minutes=11)) == "delivered"
    assert Delivery.objects.get(pk=stuck.pk).attempts == 2


def test_the_sweeper_sends_what_is_due_and_only_that(
    desk: Desk,
    receiver: Receiver,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(tasks.deliver, "apply_async", lambda kwargs, **options: sent.append(kwargs))
    subscription, _secret = subscribe(receiver.url, ["ticket.created"])
    with django_capture_on_commit_callbacks() as callbacks:
        for _n in range(3):
            open_ticket(desk, now=timezone.now())
    build_payloads(callbacks)
    due_now, later, done = deliveries_of(subscription)
    Delivery.objects.filter(pk=later.pk).update(
        next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    delivery_send(delivery_id=done.pk, now=timezone.now())

    assert deliveries_sweep(now=timezone.now()) == 1
    assert sent == [{"delivery_id": due_now.pk}]
    assert tasks.deliver.name.startswith("webhooks.")


def test_a_payload_never_built_after_commit_is_built_by_the_sender(
    desk: Desk, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    """The process died between commit and building: the row's source is enough."""
    subscription, secret = subscribe(receiver.url, ["ticket.created"])
    with django_capture_on_commit_callbacks():
        ticket = open_ticket(desk, now=timezone.now())
    [delivery] = deliveries_of(subscription)
    assert delivery.payload is None
    now = timezone.now()

    assert delivery_send(delivery_id=delivery.pk, now=now) == "delivered"

    body = verify_signature(secret, receiver.received[0], at=now)
    assert body["data"]["ticket"]["reference"] == ticket.reference
    delivery.refresh_from_db()
    assert delivery.payload == body


def test_a_paused_subscription_is_sent_nothing(
    desk: Desk, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    subscription, _secret, delivery = _owed(desk, receiver.url, django_capture_on_commit_callbacks)
    services.subscription_update(subscription=subscription, now=timezone.now(), active=False)

    assert delivery_send(delivery_id=delivery.pk, now=timezone.now()) == "failed"
    with django_capture_on_commit_callbacks():
        open_ticket(desk, now=timezone.now())

    assert receiver.received == []
    assert len(deliveries_of(subscription)) == 1
    with pytest.raises(services.SubscriptionInactive):
        services.delivery_redeliver(delivery=delivery, now=timezone.now())


def test_redelivery_sends_a_finished_delivery_again_with_a_new_day_of_retries(
    desk: Desk, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    _subscription, secret, delivery = _owed(desk, receiver.url, django_capture_on_commit_callbacks)
    first = timezone.now()
    delivery_send(delivery_id=delivery.pk, now=first)
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.PENDING)
    with pytest.raises(services.DeliveryNotFinished):
        services.delivery_redeliver(delivery=delivery, now=first)
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.FAILED)
    again = first + timedelta(days=2)

    with django_capture_on_commit_callbacks() as callbacks:
        redelivered = services.delivery_redeliver(delivery=delivery, now=again)

    assert [c.kwargs for c in callbacks] == [{"delivery_id": delivery.pk}]
    assert (redelivered.state, redelivered.attempts) == ("pending", 0)
    assert redelivered.retry_until == again + RETRY_WINDOW
    assert delivery_send(delivery_id=delivery.pk, now=again) == "delivered"
    first_body = verify_signature(secret, receiver.received[0], at=first)
    second_body = verify_signature(secret, receiver.received[1], at=again)
    assert first_body == second_body  # the same event, so the receiver can tell
