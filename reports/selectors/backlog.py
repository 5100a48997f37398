"""The backlog per queue: now (as of the last rollup) and at the end of each day."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Min, QuerySet, Sum
from django.utils.translation import gettext as _

from reports.figures import (
    COUNT,
    DAY,
    MINUTES,
    Column,
    Figure,
    bar_chart,
    day_label,
    line_chart,
)
from reports.models import (
    DailyBacklog,
    RollupState,
)
from reports.selectors._common import (
    Names,
    ReportFilters,
    scoped,
)
from reports.services.daily import day_start

# --- Backlog ---------------------------------------------------------------------------


def rollup_ran_at() -> datetime | None:
    """Return when the reports were last brought up to date."""
    state = RollupState.objects.filter(name="rollup").values_list("ran_at", flat=True).first()
    return state


def _backlog_rows(filters: ReportFilters, first: date, until: date) -> QuerySet[Any]:
    narrowed = ReportFilters(
        first=first,
        until=until,
        topic_id=filters.topic_id,
        queue_id=filters.queue_id,
        language=filters.language,
    )
    return scoped(DailyBacklog.objects, narrowed, day="day")


def figure_backlog_now(
    filters: ReportFilters, names: Names, *, now: datetime, today: date
) -> Figure:
    """Return the open tickets per queue as of the last rollup, with the oldest one's wait."""
    rows = list(
        _backlog_rows(filters, today, today + timedelta(days=1))
        .values("queue_id")
        .annotate(n=Sum("open_tickets"), oldest=Min("oldest_opened_at"))
        .order_by("-n", "queue_id")
    )
    table = [
        (
            names.queue(row["queue_id"]),
            row["n"],
            (now - row["oldest"]).total_seconds() / 60 if row["oldest"] else None,
        )
        for row in rows
    ]
    return Figure(
        slug="backlog-now",
        title=_("Backlog per queue now"),
        note=_("Open tickets (waiting on the desk or the buyer) as of the last update."),
        columns=(
            Column("queue", _("Queue")),
            Column("open", _("Open tickets"), COUNT),
            Column("oldest_wait", _("Oldest open for"), MINUTES),
        ),
        rows=table,
        chart=bar_chart(
            labels=[row[0] for row in table],
            datasets=[{"label": _("Open tickets"), "data": [row[1] for row in table]}],
            y_title=_("tickets"),
        ),
    )


def figure_backlog_trend(filters: ReportFilters, names: Names) -> Figure:
    """Return the open tickets per queue at the end of each day, and the oldest wait each day."""
    rows = (
        _backlog_rows(filters, filters.first, filters.until)
        .values("day", "queue_id")
        .annotate(n=Sum("open_tickets"), oldest=Min("oldest_opened_at"))
    )
    counts: dict[int, dict[date, int]] = defaultdict(dict)
    oldest: dict[date, datetime] = {}
    for row in rows:
        counts[row["queue_id"]][row["day"]] = row["n"]
        if row["day"] not in oldest or row["oldest"] < oldest[row["day"]]:
            oldest[row["day"]] = row["oldest"]
    queue_ids = [qid for qid in names.queues if qid in counts] + sorted(
        set(counts) - set(names.queues)
    )
    day_list = filters.day_list()
    table = []
    for day in day_list:
        # How long the oldest ticket open at the end of the day had been open by then.
        wait = (
            (day_start(day + timedelta(days=1)) - oldest[day]).total_seconds() / 60
            if day in oldest
            else None
        )
        table.append((day, *(counts[qid].get(day, 0) for qid in queue_ids), wait))
    return Figure(
        slug="backlog",
        title=_("Backlog per queue over time"),
        note=_("Tickets still open at the end of each day, and how long the oldest had been open."),
        columns=(
            Column("day", _("Day"), DAY),
            *(Column(f"queue_{qid}", names.queue(qid), COUNT) for qid in queue_ids),
            Column("oldest_wait", _("Oldest open for"), MINUTES),
        ),
        rows=table if counts else [],
        chart=line_chart(
            labels=[day_label(day) for day in day_list],
            datasets=[
                {"label": names.queue(qid), "data": [counts[qid].get(day, 0) for day in day_list]}
                for qid in queue_ids
            ],
            y_title=_("open tickets"),
        ),
    )
