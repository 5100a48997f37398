"""Per-ticket facts: one row per ticket, written by two statements that run in the database.

The first copies what the reports need from the tickets (``INSERT ...
SELECT ... ON CONFLICT``); the second counts the SLA times in business
minutes against the stored calendars (``UPDATE ... SET`` from subqueries).
No ticket passes through Python.
"""

from __future__ import annotations

from typing import Any

from django.db.models import (
    Case,
    DateTimeField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round, TruncDate

from reports.models import NONE, TicketFact
from reports.sql import business_clock, jit_off, upsert_from_select
from tickets.models import EventKind, Ticket, TicketEvent
from tickets.status import Status

_COLUMNS = {
    # fact column: expression over the ticket
    "ticket_id": F("id"),
    "topic_id": F("topic_id"),
    "queue_id": Coalesce(F("queue_id"), Value(NONE)),
    "agent_id": Coalesce(F("assignee_id"), Value(NONE)),
    "hours_id": Coalesce(F("queue__hours_id"), Value(NONE)),
    "language": F("language"),
    "status": F("status"),
    "opened_at": F("created_at"),
    "opened_on": TruncDate("created_at"),
    "first_responded_at": F("first_responded_at"),
    "first_response_due_at": F("first_response_due_at"),
    "solved_at": F("report_solved_at"),
    "solved_on": TruncDate("report_solved_at"),
    "resolution_due_at": F("resolution_due_at"),
    "done_at": F("report_done_at"),
    "clock_stopped_at": Case(
        When(status=Status.PENDING, then=F("pending_since")),
        default=F("report_done_at"),
        output_field=DateTimeField(),
    ),
}


def _status_events() -> QuerySet[TicketEvent]:
    return TicketEvent.objects.filter(ticket=OuterRef("pk"), kind=EventKind.STATUS).order_by(
        "-created_at", "-id"
    )


def _fact_select(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """Return the facts' columns of ``tickets`` as a values() query."""
    last_solve = _status_events().filter(to_value=Status.SOLVED).values("created_at")[:1]
    closed_from = _status_events().filter(to_value=Status.CLOSED).values("from_value")[:1]
    rows = (
        tickets.order_by()
        .annotate(report_closed_from=Subquery(closed_from))
        .annotate(
            # Leaving "solved" clears solved_at, closing too: a closed ticket's
            # solve is its last "solved" event, if it closed from there.
            report_solved_at=Case(
                When(status=Status.SOLVED, then=F("solved_at")),
                When(
                    status=Status.CLOSED,
                    report_closed_from=Status.SOLVED,
                    then=Subquery(last_solve),
                ),
                default=None,
                output_field=DateTimeField(),
            )
        )
        .annotate(
            report_done_at=Case(
                When(status=Status.SOLVED, then=F("report_solved_at")),
                When(status=Status.CLOSED, then=Coalesce(F("report_solved_at"), F("closed_at"))),
                default=None,
                output_field=DateTimeField(),
            )
        )
    )
    names = {f"fact_{column}": expression for column, expression in _COLUMNS.items()}
    return rows.annotate(**names).values(*names)


def _paused(*, ends: bool) -> Coalesce:
    """Return the business clock summed over the fact's pending spans' ends (or starts).

    Every span that began before the solve ended by then (a solve from
    pending ends the span), so ends minus starts is the time paused.
    """
    edge = {"from_value": Status.PENDING} if ends else {"to_value": Status.PENDING}
    before = {"created_at__lte" if ends else "created_at__lt": OuterRef("solved_at")}
    events = (
        TicketEvent.objects.filter(
            ticket_id=OuterRef("ticket_id"), kind=EventKind.STATUS, **edge, **before
        )
        .order_by()
        .values("ticket_id")
        .annotate(clock=Sum(business_clock(OuterRef("created_at"), OuterRef(OuterRef("hours_id")))))
        .values("clock")
    )
    return Coalesce(Subquery(events), Value(0.0))


def _minutes(expression: Any) -> Round:
    # Millisecond precision: SQLite's julianday() leaves noise below that.
    return Round(expression, precision=5)


def facts_refresh(*, tickets: QuerySet[Ticket]) -> int:
    """Write the facts of ``tickets`` (new or changed) and their SLA times; return how many.

    The stored calendars must cover the tickets' lives
    (``calendars_cover``). Idempotent: a ticket's facts are recomputed whole.
    Call inside a transaction.
    """
    jit_off()
    written = upsert_from_select(
        table=TicketFact._meta.db_table,
        key=["ticket_id"],
        columns={column: f"fact_{column}" for column in _COLUMNS},
        select=_fact_select(tickets),
    )
    opened = business_clock(OuterRef("opened_at"), OuterRef("hours_id"))
    TicketFact.objects.filter(ticket__in=tickets.order_by().values("pk")).update(
        first_response_minutes=Case(
            When(
                first_responded_at__isnull=False,
                then=_minutes(
                    business_clock(OuterRef("first_responded_at"), OuterRef("hours_id")) - opened
                ),
            ),
            default=None,
        ),
        resolution_minutes=Case(
            When(
                Q(solved_at__isnull=False),
                then=_minutes(
                    business_clock(OuterRef("solved_at"), OuterRef("hours_id"))
                    - opened
                    - (_paused(ends=True) - _paused(ends=False))
                ),
            ),
            default=None,
        ),
    )
    return written
