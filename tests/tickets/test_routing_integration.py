"""Routing through the real broker and a real worker; concurrency on PostgreSQL.

Under CI these run against PostgreSQL, Redis and an in-process Celery worker
and fail, not skip, when those are missing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from celery.worker import WorkController
from django.db import connection
from django.test import Client
from django.utils import timezone

from support_desk.celery import app as celery_app
from tests.factories import AgentFactory
from tests.tickets.conftest import build_desk, open_ticket
from tickets import services, tasks
from tickets.models import EventKind, Presence, Ticket
from tickets.status import Status

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def wait_for(condition: Callable[[], bool], timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@contextmanager
def broker_unreachable() -> Iterator[None]:
    """Point the producers at a port where no broker listens, then restore them."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.broker_write_url
    conf.broker_url = conf.broker_write_url = "redis://127.0.0.1:9/0"
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        conf.broker_url, conf.broker_write_url = saved
        celery_app._pool = None
        celery_app.amqp._producer_pool = None


def test_a_new_ticket_is_routed_and_assigned_by_the_worker(worker: WorkController) -> None:
    desk = build_desk()
    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=timezone.now())
    ticket = open_ticket(desk, now=timezone.now())
    assert wait_for(lambda: Ticket.objects.get(pk=ticket.pk).status == Status.ASSIGNED)
    ticket.refresh_from_db()
    assert (ticket.queue, ticket.assignee) == (desk.en_payment, desk.agent)


def test_a_ticket_sent_through_the_contact_form_is_assigned_within_seconds(
    worker: WorkController,
) -> None:
    desk = build_desk()
    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=timezone.now())
    browser = Client()
    browser.force_login(desk.buyer)
    response = browser.post(
        f"/help/requests/new/{desk.payment_failed.pk}/chat/",
        {
            "order_number": "MP-1001",
            "transaction_id": "TX-42",
            "amount": "59.90",
            "subject": "Charged but the order failed",
            "description": "The bank took the money, the shop says unpaid.",
        },
    )
    ticket = Ticket.objects.get(buyer=desk.buyer)
    assert response.status_code == 302
    assert wait_for(lambda: Ticket.objects.get(pk=ticket.pk).status == Status.ASSIGNED, timeout=30)
    assert "With an agent" in browser.get(f"/help/requests/{ticket.pk}/").content.decode()


def test_the_contact_form_succeeds_while_the_broker_is_down(worker: WorkController) -> None:
    desk = build_desk()
    browser = Client()
    browser.force_login(desk.buyer)
    with broker_unreachable():
        response = browser.post(
            f"/help/requests/new/{desk.payment_failed.pk}/email/",
            {
                "order_number": "MP-1001",
                "transaction_id": "TX-42",
                "amount": "59.90",
                "subject": "Charged but the order failed",
                "description": "The bank took the money, the shop says unpaid.",
            },
        )
    ticket = Ticket.objects.get(buyer=desk.buyer)
    assert response.status_code == 302
    assert ticket.status == Status.NEW
    Ticket.objects.filter(pk=ticket.pk).update(created_at=timezone.now() - timedelta(minutes=1))
    services.routing_sweep(now=timezone.now())
    assert wait_for(lambda: Ticket.objects.get(pk=ticket.pk).status == Status.QUEUED)


def test_tickets_saved_while_the_broker_is_down_are_routed_when_it_is_back(
    worker: WorkController,
) -> None:
    desk = build_desk()
    with broker_unreachable():
        saved = [open_ticket(desk, now=timezone.now() - timedelta(minutes=1)) for _ in range(3)]
    assert Ticket.objects.filter(pk__in=[t.pk for t in saved], status=Status.NEW).count() == 3
    # What beat does every few seconds once the broker answers again.
    assert services.routing_sweep(now=timezone.now()) >= 3
    assert wait_for(
        lambda: (
            Ticket.objects.filter(pk__in=[t.pk for t in saved], status=Status.QUEUED).count() == 3
        )
    )
    for ticket in saved:
        assert ticket.events.filter(kind=EventKind.QUEUE).count() == 1


def test_a_routing_message_delivered_twice_routes_once(worker: WorkController) -> None:
    desk = build_desk()
    with broker_unreachable():
        ticket = open_ticket(desk, now=timezone.now())
    deliveries = [tasks.route_ticket.apply_async(kwargs={"ticket_id": ticket.pk}) for _ in range(2)]
    outcomes = sorted(delivery.get(timeout=30) for delivery in deliveries)
    assert outcomes == ["already-routed", "queued"]
    assert ticket.events.filter(kind=EventKind.QUEUE).count() == 1
    assert ticket.events.filter(kind=EventKind.STATUS, to_value=Status.QUEUED).count() == 1


def _concurrently(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls at once on their own threads and database connections."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        barrier.wait()
        try:
            return call()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_ten_agents_taking_next_on_five_tickets_get_five_distinct_ones(postgres: None) -> None:
    desk = build_desk()
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    waiting = [open_ticket(desk, now=now + timedelta(seconds=i)) for i in range(5)]
    for ticket in waiting:
        services.ticket_route(ticket_id=ticket.pk, now=now)
    agents = [AgentFactory() for _ in range(10)]
    for agent in agents:
        services.agent_configure(
            agent=agent, queues=[desk.en_payment], languages=["en"], capacity=5
        )

    def take(agent: Any) -> int | None:
        ticket = services.ticket_take_next(agent=agent, now=now)
        return ticket.pk if ticket else None

    results = _concurrently([lambda a=agent: take(a) for agent in agents])
    taken = [r for r in results if r is not None]
    assert sorted(taken) == sorted(t.pk for t in waiting)
    assert results.count(None) == 5
    assert Ticket.objects.filter(status=Status.ASSIGNED).values("assignee").distinct().count() == 5


def test_capacity_holds_under_twenty_concurrent_routings(postgres: None) -> None:
    desk = build_desk()
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=now)
    services.agent_set_presence(agent=desk.agent_ru, presence=Presence.ONLINE, now=now)
    tickets = [open_ticket(desk, now=now + timedelta(seconds=i)) for i in range(20)]
    outcomes = _concurrently(
        [lambda t=ticket: services.ticket_route(ticket_id=t.pk, now=now) for ticket in tickets]
    )
    assert outcomes.count("assigned") == 6
    assert outcomes.count("queued") == 14
    for agent in (desk.agent, desk.agent_ru):
        assert Ticket.objects.filter(assignee=agent, status=Status.ASSIGNED).count() == 3
