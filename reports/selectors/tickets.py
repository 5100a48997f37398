"""Tickets opened and solved per day, and satisfaction: read from the daily ticket rollup."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import FloatField, Sum
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from reports.figures import (
    COUNT,
    DAY,
    SCORE,
    Column,
    Figure,
    bar_chart,
    day_label,
)
from reports.models import DailyTicketStats
from reports.selectors._common import (
    Names,
    ReportFilters,
    scoped,
)

# --- Tickets per day ---------------------------------------------------------------


def _per_day(filters: ReportFilters, names: Names, measure: str) -> Figure:
    rows = (
        scoped(DailyTicketStats.objects, filters, day="day")
        .values("day", "topic_id")
        .annotate(n=Sum(measure))
        .filter(n__gt=0)
    )
    counts: dict[int, dict[date, int]] = defaultdict(dict)
    for row in rows:
        counts[row["topic_id"]][row["day"]] = row["n"]
    topic_ids = [topic_id for topic_id in names.topics if topic_id in counts] + sorted(
        set(counts) - set(names.topics)
    )
    day_list = filters.day_list()
    columns = (
        Column("day", _("Day"), DAY),
        *(Column(f"topic_{tid}", names.topic(tid), COUNT) for tid in topic_ids),
        Column("total", _("Total"), COUNT),
    )
    table = [
        (
            day,
            *(counts[tid].get(day, 0) for tid in topic_ids),
            sum(counts[tid].get(day, 0) for tid in topic_ids),
        )
        for day in day_list
    ]
    datasets = [
        {"label": names.topic(tid), "data": [counts[tid].get(day, 0) for day in day_list]}
        for tid in topic_ids
    ]
    opened = measure == "opened"
    return Figure(
        slug="opened" if opened else "solved",
        title=_("Tickets opened per day, by topic")
        if opened
        else _("Tickets solved per day, by topic"),
        note=_("Days in the desk's time zone.")
        if opened
        else _("A ticket counts on the day it was last solved."),
        columns=columns,
        rows=table if any(row[-1] for row in table) else [],
        chart=bar_chart(
            labels=[day_label(day) for day in day_list],
            datasets=datasets,
            stacked=True,
            y_title=_("tickets"),
        ),
    )


def figure_opened(filters: ReportFilters, names: Names) -> Figure:
    """Return the tickets opened per day, stacked by topic."""
    return _per_day(filters, names, "opened")


def figure_solved(filters: ReportFilters, names: Names) -> Figure:
    """Return the tickets solved per day, stacked by topic."""
    return _per_day(filters, names, "solved")


# --- Satisfaction --------------------------------------------------------------------


def _satisfaction(filters: ReportFilters, key: str) -> list[dict[str, Any]]:
    return list(
        scoped(DailyTicketStats.objects, filters, day="day")
        .filter(ratings__gt=0)
        .values(key)
        .annotate(
            n=Sum("ratings"),
            average=Cast(Sum("rating_total"), FloatField()) / Cast(Sum("ratings"), FloatField()),
        )
        .order_by("-average", key)
    )


def _satisfaction_figure(
    slug: str, title: str, label: str, rows: list[tuple[str, int, float]]
) -> Figure:
    return Figure(
        slug=slug,
        title=title,
        note=_("Buyers' ratings (1–5) given in the period."),
        columns=(
            Column("name", label),
            Column("ratings", _("Ratings"), COUNT),
            Column("average", _("Average score"), SCORE),
        ),
        rows=rows,
        chart=bar_chart(
            labels=[f"{name} ({count})" for name, count, _average in rows],
            datasets=[
                {
                    "label": _("Average score"),
                    "data": [round(average, 2) for *_rest, average in rows],
                }
            ],
            y_title=_("score"),
            y_max=5,
            counts=False,
        ),
    )


def figure_satisfaction_agents(filters: ReportFilters, names: Names) -> Figure:
    """Return each agent's average rating and the number of ratings (an agent: their own)."""
    rows = _satisfaction(filters, "agent_id")
    agents = names.agents({row["agent_id"] for row in rows})
    return _satisfaction_figure(
        "satisfaction-agents",
        _("Satisfaction per agent"),
        _("Agent"),
        [(agents.get(row["agent_id"], "?"), row["n"], row["average"]) for row in rows],
    )


def figure_satisfaction_queues(filters: ReportFilters, names: Names) -> Figure:
    """Return each queue's average rating and the number of ratings."""
    rows = _satisfaction(filters, "queue_id")
    return _satisfaction_figure(
        "satisfaction-queues",
        _("Satisfaction per queue"),
        _("Queue"),
        [(names.queue(row["queue_id"]), row["n"], row["average"]) for row in rows],
    )
