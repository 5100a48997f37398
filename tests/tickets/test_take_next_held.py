"""Take-next while the only waiting ticket is held for a moment by a background task.

Found by the chaos group (tests/chaos/test_concurrency.py): the assistant's
reply locks a new ticket right after routing queued it, and take-next, which
skips locked rows, told every agent "nothing waits" while one ticket did.
Needs PostgreSQL's row locks.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection, transaction

from tests.tickets.conftest import build_desk, open_ticket
from tickets import services
from tickets.models import Ticket
from tickets.status import Status

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _hold(ticket_id: int, *, locked: threading.Event, seconds: float) -> None:
    """Lock the ticket on another connection for ``seconds``, as a background task would."""
    try:
        with transaction.atomic():
            Ticket.objects.select_for_update().get(pk=ticket_id)
            locked.set()
            threading.Event().wait(seconds)
    finally:
        connection.close()


def test_take_next_gets_a_ticket_held_for_a_moment_by_a_background_task(postgres: None) -> None:
    desk = build_desk()
    ticket = open_ticket(desk, now=NOW)
    services.ticket_route(ticket_id=ticket.pk, now=NOW)
    locked = threading.Event()
    holder = threading.Thread(
        target=_hold, kwargs={"ticket_id": ticket.pk, "locked": locked, "seconds": 0.4}
    )
    holder.start()
    try:
        assert locked.wait(10)
        taken = services.ticket_take_next(agent=desk.agent, now=NOW)
    finally:
        holder.join()
    assert taken is not None and taken.pk == ticket.pk
    ticket.refresh_from_db()
    assert ticket.status == Status.ASSIGNED and ticket.assignee == desk.agent


def test_take_next_says_nothing_waits_at_once_when_nothing_waits(postgres: None) -> None:
    desk = build_desk()
    assert services.ticket_take_next(agent=desk.agent, now=NOW) is None
