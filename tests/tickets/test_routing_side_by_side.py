"""Routing workers behind a backlog route batches side by side, not one after another.

A routing message whose ticket another transaction holds (most often another
worker's batch routing it) must not make its worker wait idle: the worker
routes the next waiting tickets first, then waits for its own. Needs
PostgreSQL's row locks.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction

from tests.tickets.conftest import build_desk, open_ticket
from tickets import services
from tickets.models import EventKind, Ticket
from tickets.services.routing import ROUTE_BATCH
from tickets.status import Status

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

OPENED = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
NOW = OPENED + timedelta(minutes=1)


class Holder(threading.Thread):
    """Hold a row lock on a ticket, on a connection of its own, until told to let go."""

    def __init__(self, ticket_id: int, *, route: bool) -> None:
        super().__init__()
        self.ticket_id, self.route = ticket_id, route
        self.locked, self.release = threading.Event(), threading.Event()

    def run(self) -> None:
        try:
            with transaction.atomic():
                Ticket.objects.select_for_update().get(pk=self.ticket_id)
                self.locked.set()
                self.release.wait(30)
                if self.route:  # as another worker's batch would
                    services.ticket_route(ticket_id=self.ticket_id, now=NOW)
        finally:
            connection.close()


class Router(threading.Thread):
    """Deliver one routing message, as a worker behind a backlog does."""

    def __init__(self, ticket_id: int) -> None:
        super().__init__()
        self.ticket_id = ticket_id
        self.outcome: str | None = None

    def run(self) -> None:
        try:
            self.outcome = services.ticket_route(
                ticket_id=self.ticket_id, now=NOW, batch=ROUTE_BATCH
            )
        finally:
            connection.close()


def _statuses(tickets: list[Ticket]) -> list[str]:
    return [Ticket.objects.get(pk=t.pk).status for t in tickets]


def _wait_until_routed(tickets: list[Ticket], router: Router) -> list[str]:
    """Poll until ``tickets`` leave new, or the router returns; return their statuses."""
    for _ in range(200):
        statuses = _statuses(tickets)
        if Status.NEW not in statuses or not router.is_alive():
            return statuses
        threading.Event().wait(0.05)
    return _statuses(tickets)


@pytest.mark.parametrize("holder_routes", [True, False], ids=["held-by-a-batch", "held-briefly"])
def test_a_held_ticket_does_not_hold_up_the_tickets_waiting_behind_it(
    postgres: None, holder_routes: bool
) -> None:
    desk = build_desk()
    held, *behind = [open_ticket(desk, now=OPENED + timedelta(seconds=i)) for i in range(4)]
    holder = Holder(held.pk, route=holder_routes)
    holder.start()
    router = Router(held.pk)
    try:
        assert holder.locked.wait(10)
        router.start()
        # While the first ticket is still held, the message's worker routes the others...
        assert _wait_until_routed(behind, router) == [Status.QUEUED] * 3
        assert router.is_alive(), "the worker waits for its own ticket once the others are done"
        assert Ticket.objects.get(pk=held.pk).status == Status.NEW
    finally:
        holder.release.set()
        holder.join()
        router.join(30)
    # ...and its own ticket ends routed once, by whichever transaction got to it.
    assert router.outcome == ("already-routed" if holder_routes else "queued")
    ticket = Ticket.objects.get(pk=held.pk)
    assert ticket.status == Status.QUEUED
    assert ticket.events.filter(kind=EventKind.STATUS, to_value=Status.QUEUED).count() == 1
    assert all(
        t.events.filter(kind=EventKind.STATUS, to_value=Status.QUEUED).count() == 1 for t in behind
    )
