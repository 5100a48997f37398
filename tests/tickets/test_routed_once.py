"""The database itself refuses a second routing of a ticket (tickets_event_routed_once)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, transaction

from tests.tickets.conftest import Desk, open_ticket
from tickets import services
from tickets.models import EventKind, TicketEvent
from tickets.status import Status

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def test_a_second_history_row_leaving_new_is_refused(desk: Desk) -> None:
    ticket = open_ticket(desk, now=NOW)
    services.ticket_route(ticket_id=ticket.pk, now=NOW)
    with pytest.raises(IntegrityError), transaction.atomic():
        TicketEvent.objects.create(
            ticket=ticket,
            kind=EventKind.STATUS,
            from_value=Status.NEW,
            to_value=Status.QUEUED,
            created_at=NOW,
        )
    assert ticket.events.filter(kind=EventKind.STATUS, from_value=Status.NEW).count() == 1


def test_other_status_changes_may_repeat(desk: Desk) -> None:
    ticket = open_ticket(desk, now=NOW)
    for _ in range(2):
        TicketEvent.objects.create(
            ticket=ticket,
            kind=EventKind.STATUS,
            from_value=Status.ASSIGNED,
            to_value=Status.QUEUED,
            created_at=NOW,
        )
    assert ticket.events.filter(from_value=Status.ASSIGNED).count() == 2
