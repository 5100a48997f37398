"""The routing sweep does not pile duplicates on a backlog of routing messages.

Found by the chaos group: with 1,000 tickets waiting in the routing queue,
every sweep re-sent each ticket older than 15 s, and the worker routed
2,030 messages for 1,000 tickets (half of them no-ops), just when it was
furthest behind.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from kombu import Queue

from support_desk import celery as desk_celery
from support_desk.celery import app as celery_app
from support_desk.celery import broker_queue_length
from tests.tickets.conftest import Desk, open_ticket
from tickets import tasks


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    monkeypatch.setattr(
        tasks.route_ticket, "apply_async", lambda **kw: messages.append(kw["kwargs"])
    )
    return messages


def test_the_sweep_resends_an_unrouted_ticket_when_no_routing_message_waits(
    desk: Desk, sent: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(desk_celery, "broker_queue_length", lambda name: 0)
    ticket = open_ticket(desk, now=timezone.now() - timedelta(minutes=1))
    tasks.sweep()
    assert sent == [{"ticket_id": ticket.pk}]


def test_the_sweep_leaves_unrouted_tickets_to_a_routing_backlog(
    desk: Desk, sent: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(desk_celery, "broker_queue_length", lambda name: asked.append(name) or 40)
    open_ticket(desk, now=timezone.now() - timedelta(minutes=1))
    tasks.sweep()
    assert sent == []
    assert asked == ["routing"]


def test_the_sweep_resends_when_the_broker_cannot_say(
    desk: Desk, sent: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(desk_celery, "broker_queue_length", lambda name: None)
    ticket = open_ticket(desk, now=timezone.now() - timedelta(minutes=1))
    tasks.sweep()
    assert sent == [{"ticket_id": ticket.pk}]


@pytest.mark.integration
def test_the_broker_tells_how_many_messages_wait_in_a_queue() -> None:
    name = f"tests-backlog-{uuid.uuid4().hex[:8]}"
    queue = Queue(name, routing_key=name)
    assert broker_queue_length(name) == 0
    for _ in range(3):
        celery_app.send_task("tests.nobody_runs_this", kwargs={}, queue=queue)
    try:
        assert broker_queue_length(name) == 3
    finally:
        with celery_app.connection_for_write() as connection:
            connection.default_channel.queue_purge(name)
