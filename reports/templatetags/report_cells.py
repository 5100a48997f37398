"""Show a report table's raw values as people read them."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from reports.figures import COUNT, DAY, LINK, MINUTES, MONEY, PERCENT, SCORE, Column, duration_text

register = template.Library()


@register.simple_tag
def report_cell(value: Any, column: Column) -> str | SafeString:
    """Return one table cell: counts grouped, minutes as durations, shares as percentages."""
    if value is None:
        return "–"
    if column.kind == COUNT:
        return formats.number_format(value, force_grouping=True)
    if column.kind == MINUTES:
        return duration_text(value)
    if column.kind == PERCENT:
        return _("%(percent)s %%") % {"percent": formats.number_format(value * 100, 0)}
    if column.kind == SCORE:
        return formats.number_format(value, 2)
    if column.kind == MONEY:
        return formats.number_format(value, 2, force_grouping=True)
    if column.kind == DAY:
        return formats.date_format(value, "D j M Y")
    if column.kind == LINK:
        return format_html('<a href="{}">{}</a>', value, _("Edit"))
    return str(value)


@register.simple_tag
def report_cells(row: tuple[Any, ...], columns: tuple[Column, ...]) -> list[str | SafeString]:
    """Return a table row's cells shown as ``report_cell`` does."""
    return [report_cell(value, column) for value, column in zip(row, columns, strict=True)]


@register.filter
def duration(minutes: float | None) -> str:
    """Return minutes as a short duration ("3 h 05 min")."""
    return duration_text(minutes)
