"""The live queue board: each active queue's waiting line, longest wait and agents, now.

Read live from the tickets (the waiting line's own index) in one query, so
the board a wall screen polls every few seconds is always current.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, IntegerField, Min, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce

from tickets.hours import is_open
from tickets.live import digest
from tickets.models import AgentProfile, Holiday, Presence, Queue, Ticket
from tickets.status import Status

# How often the board asks (the template's hx-trigger says the same).
POLL_SECONDS = 3


@dataclass(frozen=True)
class BoardRow:
    queue_id: int
    name: str
    language: str
    waiting: int
    longest_wait_minutes: int | None
    with_agents: int
    online: int
    away: int
    open_now: bool

    @property
    def state(self) -> str:
        """Return how urgent the line looks: empty, ok, long (15 min+), or late (1 h+)."""
        if not self.waiting:
            return "empty"
        wait = self.longest_wait_minutes or 0
        return "late" if wait >= 60 else "long" if wait >= 15 else "ok"


def _count(rows: Any, field: str) -> Coalesce:
    counted = rows.order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def board_rows(*, now: datetime) -> list[BoardRow]:
    """Return every active queue with its waiting line, longest wait, tickets with agents
    and agents online and away (two queries: the queues, their holidays)."""
    waiting = Ticket.objects.filter(status=Status.QUEUED, queue=OuterRef("pk"))
    assigned = Ticket.objects.filter(status=Status.ASSIGNED, queue=OuterRef("pk"))
    agents = AgentProfile.objects.filter(queues=OuterRef("pk"))
    queues = (
        Queue.objects.filter(is_active=True)
        .select_related("hours")
        .prefetch_related(Prefetch("hours__holidays", queryset=Holiday.objects.order_by("date")))
        .annotate(
            waiting=_count(waiting, "queue"),
            oldest=Subquery(
                waiting.order_by().values("queue").annotate(m=Min("queued_at")).values("m")
            ),
            with_agents=_count(assigned, "queue"),
            online=_count(agents.filter(presence=Presence.ONLINE), "queues"),
            away=_count(agents.filter(presence=Presence.AWAY), "queues"),
        )
        .order_by("sort_order", "name")
    )
    rows = []
    for queue in queues:
        calendar = (
            queue.hours.calendar([holiday.date for holiday in queue.hours.holidays.all()])
            if queue.hours
            else None
        )
        rows.append(
            BoardRow(
                queue_id=queue.pk,
                name=queue.name,
                language=queue.language,
                waiting=queue.waiting,
                longest_wait_minutes=int((now - queue.oldest).total_seconds() // 60)
                if queue.oldest
                else None,
                with_agents=queue.with_agents,
                online=queue.online,
                away=queue.away,
                open_now=is_open(calendar, now),
            )
        )
    return rows


def board_context(*, now: datetime) -> dict[str, Any]:
    """Return what the board shows, with a version of it for the live check."""
    rows = board_rows(now=now)
    return {
        "rows": rows,
        "totals": {
            "waiting": sum(row.waiting for row in rows),
            "with_agents": sum(row.with_agents for row in rows),
            "longest_wait_minutes": max(
                (row.longest_wait_minutes for row in rows if row.longest_wait_minutes is not None),
                default=None,
            ),
        },
        "version": digest(rows),
        "poll_seconds": POLL_SECONDS,
        "now": now,
    }
