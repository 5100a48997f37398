"""First-response and resolution times against the SLA, and breaches, per queue."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from reports.figures import (
    COUNT,
    MINUTES,
    PERCENT,
    Column,
    Figure,
    bar_chart,
    hours,
    share,
)
from reports.models import TicketFact
from reports.selectors._common import (
    FRACTIONS,
    Names,
    ReportFilters,
    scoped,
)
from reports.sql import percentiles
from tickets.models import Priority, Queue, SlaTarget

# --- SLA: first response and resolution ---------------------------------------------------


@dataclass(frozen=True)
class QueueTimes:
    """One queue's SLA figures over the tickets opened in the range."""

    queue_id: int | None  # None: all queues
    tickets: int
    answered: int
    solved: int
    first_response: list[float | None]  # median, 90th percentile (business minutes)
    resolution: list[float | None]
    first_response_breaches: int
    resolution_breaches: int
    first_response_target: int | None
    resolution_target: int | None


def _breach_counts(now: datetime) -> dict[str, Any]:
    # The clock stops when the ticket waits on the buyer or is done; a target
    # missed before that is a breach, a target not reached yet is not.
    clock = Coalesce(F("clock_stopped_at"), Value(now))
    return {
        "tickets": Count("pk"),
        "answered": Count("first_response_minutes"),
        "solved": Count("resolution_minutes"),
        "first_response_breaches": Count(
            "pk",
            filter=Q(
                first_response_due_at__lt=Coalesce(
                    F("first_responded_at"), F("clock_stopped_at"), Value(now)
                )
            ),
        ),
        "resolution_breaches": Count("pk", filter=Q(resolution_due_at__lt=clock)),
    }


def _targets(queue_ids: set[int], topic_id: int | None) -> dict[int, tuple[int, int]]:
    """Return each queue's first-response and resolution targets at normal priority.

    The topic's own targets when the report is for one topic, or the queue
    serves one topic only; else the policy's targets for every topic. Two queries.
    """
    served: dict[int, list[int]] = defaultdict(list)
    for queue_id, served_topic in Queue.topics.through.objects.filter(
        queue_id__in=queue_ids
    ).values_list("queue_id", "topic_id"):
        served[queue_id].append(served_topic)
    found: dict[int, dict[int | None, tuple[int, int]]] = defaultdict(dict)
    for queue_id, target_topic, first, resolution in SlaTarget.objects.filter(
        priority=Priority.NORMAL, policy__queues__in=queue_ids
    ).values_list("policy__queues", "topic_id", "first_response_minutes", "resolution_minutes"):
        found[queue_id][target_topic] = (first, resolution)
    targets = {}
    for queue_id, by_topic in found.items():
        topic = topic_id
        if topic is None and len(served[queue_id]) == 1:
            topic = served[queue_id][0]
        target = by_topic.get(topic) or by_topic.get(None)
        if target is not None:
            targets[queue_id] = target
    return targets


def sla_times(filters: ReportFilters, *, now: datetime) -> list[QueueTimes]:
    """Return first-response and resolution times (median, 90th percentile) and breaches per queue.

    Over the tickets opened in the range, in business minutes of each
    queue's hours; resolution leaves out time waiting on the buyer. The
    last row (queue None) is every queue together. Four queries on
    PostgreSQL (six elsewhere), whatever the range.
    """
    facts = scoped(TicketFact.objects, filters, day="opened_on")
    counts = list(facts.values("queue_id").annotate(**_breach_counts(now)).order_by("queue_id"))
    if not counts:
        return []
    values = ("first_response_minutes", "resolution_minutes")
    per_queue = percentiles(facts, values=values, fractions=FRACTIONS, group="queue_id")
    overall = percentiles(facts, values=values, fractions=FRACTIONS).get(None, {})
    targets = _targets({row["queue_id"] for row in counts}, filters.topic_id)
    empty: list[float | None] = [None] * len(FRACTIONS)

    def times(
        found: dict[str, list[float | None]], row: dict[str, Any], queue_id: int | None
    ) -> QueueTimes:
        target = targets.get(queue_id) if queue_id is not None else None
        return QueueTimes(
            queue_id=queue_id,
            tickets=row["tickets"],
            answered=row["answered"],
            solved=row["solved"],
            first_response=found.get("first_response_minutes", empty),
            resolution=found.get("resolution_minutes", empty),
            first_response_breaches=row["first_response_breaches"],
            resolution_breaches=row["resolution_breaches"],
            first_response_target=target[0] if target else None,
            resolution_target=target[1] if target else None,
        )

    rows = [times(per_queue.get(row["queue_id"], {}), row, row["queue_id"]) for row in counts]
    totals = {key: sum(row[key] for row in counts) for key in counts[0] if key != "queue_id"}
    return [*rows, times(overall, totals, None)]


def _queue_label(names: Names, queue_id: int | None) -> str:
    return _("All queues") if queue_id is None else names.queue(queue_id)


def figure_time(times: list[QueueTimes], names: Names, *, which: str) -> Figure:
    """Return the first-response (``which`` "first_response") or resolution times per queue."""
    first = which == "first_response"
    done_label = _("Answered") if first else _("Solved")
    rows = []
    for row in times:
        measured = getattr(row, which)
        target = row.first_response_target if first else row.resolution_target
        breaches = row.first_response_breaches if first else row.resolution_breaches
        rows.append(
            (
                _queue_label(names, row.queue_id),
                row.answered if first else row.solved,
                measured[0],
                measured[1],
                target,
                breaches,
                share(row.tickets - breaches, row.tickets),
            )
        )
    queues = [row for row in times if row.queue_id is not None]
    datasets: list[dict[str, Any]] = [
        {"label": _("Median"), "data": [hours(getattr(r, which)[0]) for r in queues]},
        {"label": _("90th percentile"), "data": [hours(getattr(r, which)[1]) for r in queues]},
        {
            "type": "line",
            "label": _("Target (normal priority)"),
            "data": [
                hours(r.first_response_target if first else r.resolution_target) for r in queues
            ],
        },
    ]
    return Figure(
        slug="first-response" if first else "resolution",
        title=_("First response time against the SLA")
        if first
        else _("Resolution time against the SLA"),
        note=_(
            "Tickets opened in the period, in business hours of their queue; "
            "resolution leaves out time waiting on the buyer."
        ),
        columns=(
            Column("queue", _("Queue")),
            Column("count", done_label, COUNT),
            Column("median", _("Median"), MINUTES),
            Column("p90", _("90th percentile"), MINUTES),
            Column("target", _("Target (normal priority)"), MINUTES),
            Column("breaches", _("Breaches"), COUNT),
            Column("met", _("Met"), PERCENT),
        ),
        rows=rows,
        chart=bar_chart(
            labels=[names.queue(r.queue_id) for r in queues if r.queue_id is not None],
            datasets=datasets,
            y_title=_("business hours"),
            counts=False,
        ),
    )


def figure_breaches(times: list[QueueTimes], names: Names) -> Figure:
    """Return the SLA breaches per queue, first response and resolution."""
    queues = [row for row in times if row.queue_id is not None]
    return Figure(
        slug="breaches",
        title=_("SLA breaches per queue"),
        note=_(
            "Tickets opened in the period that missed a target, by now or by when they were done."
        ),
        columns=(
            Column("queue", _("Queue")),
            Column("tickets", _("Tickets"), COUNT),
            Column("first_response", _("First response missed"), COUNT),
            Column("resolution", _("Resolution missed"), COUNT),
        ),
        rows=[
            (
                _queue_label(names, row.queue_id),
                row.tickets,
                row.first_response_breaches,
                row.resolution_breaches,
            )
            for row in times
        ],
        chart=bar_chart(
            labels=[names.queue(r.queue_id) for r in queues if r.queue_id is not None],
            datasets=[
                {"label": _("First response"), "data": [r.first_response_breaches for r in queues]},
                {"label": _("Resolution"), "data": [r.resolution_breaches for r in queues]},
            ],
            stacked=True,
            y_title=_("tickets"),
        ),
    )
