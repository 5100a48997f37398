"""What a report figure is: a table of numbers and the Chart.js chart drawn from it.

No database here. Selectors fill figures; the page shows each as a chart and a
table, and the CSV download writes the same table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

# Column kinds: how a value is shown (the CSV writes the raw value).
TEXT, COUNT, MINUTES, PERCENT, SCORE, MONEY, DAY, LINK = (
    "text",
    "count",
    "minutes",
    "percent",
    "score",
    "money",
    "day",
    "link",
)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = TEXT


@dataclass(frozen=True)
class Figure:
    """One chart of the reports with its numbers.

    ``rows`` hold raw values in ``columns`` order: counts, minutes, shares
    (0–1), dates. ``chart`` is a Chart.js configuration (type, data,
    options) without functions, so it travels as JSON.
    """

    slug: str
    title: str
    note: str
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]]
    chart: dict[str, Any] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.rows


def share(part: float | None, whole: float | None) -> float | None:
    """Return ``part / whole``, or None when there is no whole."""
    if part is None or not whole:
        return None
    return part / whole


def hours(minutes: float | None) -> float | None:
    """Return minutes as hours for a chart axis, to two decimals."""
    return None if minutes is None else round(minutes / 60, 2)


def duration_text(minutes: float | None) -> str:
    """Return minutes as a short duration: "45 min", "3 h 05 min", "2 d 4 h"."""
    if minutes is None:
        return "–"
    total = round(minutes)
    if total < 60:
        return _("%(minutes)d min") % {"minutes": total}
    whole_hours, rest = divmod(total, 60)
    if whole_hours < 48:
        return _("%(hours)d h %(minutes)02d min") % {"hours": whole_hours, "minutes": rest}
    days, left = divmod(whole_hours, 24)
    return _("%(days)d d %(hours)d h") % {"days": days, "hours": left}


def bar_chart(
    *,
    labels: Sequence[str],
    datasets: list[dict[str, Any]],
    stacked: bool = False,
    horizontal: bool = False,
    y_title: str = "",
    y_max: float | None = None,
    counts: bool = True,
) -> dict[str, Any]:
    """Return a Chart.js bar chart; a dataset of type "line" is drawn as marks (e.g. a target).

    ``counts`` keeps the value axis on whole numbers.
    """
    value_axis: dict[str, Any] = {"beginAtZero": True, "stacked": stacked}
    if counts:
        value_axis["ticks"] = {"precision": 0}
    if y_title:
        value_axis["title"] = {"display": True, "text": y_title}
    if y_max is not None:
        value_axis["max"] = y_max
    category_axis = {"stacked": stacked}
    scales = (
        {"x": value_axis, "y": category_axis}
        if horizontal
        else {"x": category_axis, "y": value_axis}
    )
    options: dict[str, Any] = {"scales": scales}
    if horizontal:
        options["indexAxis"] = "y"
    return {
        "type": "bar",
        "data": {"labels": list(labels), "datasets": datasets},
        "options": options,
    }


def line_chart(
    *, labels: Sequence[str], datasets: list[dict[str, Any]], y_title: str = ""
) -> dict[str, Any]:
    """Return a Chart.js line chart of counts over ``labels`` (usually days)."""
    value_axis: dict[str, Any] = {"beginAtZero": True, "ticks": {"precision": 0}}
    if y_title:
        value_axis["title"] = {"display": True, "text": y_title}
    return {
        "type": "line",
        "data": {"labels": list(labels), "datasets": datasets},
        "options": {"scales": {"y": value_axis}},
    }


def day_label(day: date) -> str:
    """Return a chart's label for a day: ISO, which sorts and reads the same everywhere."""
    return day.isoformat()
