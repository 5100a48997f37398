"""Disputes: opened, escalated, how they ended, and refunds by currency."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from reports.figures import (
    COUNT,
    MONEY,
    Column,
    Figure,
    bar_chart,
)
from reports.models import DailyDisputeStats
from reports.selectors._common import (
    Names,
    ReportFilters,
)

# --- Disputes ----------------------------------------------------------------------------

DISPUTE_MEASURES = (
    "opened",
    "escalated",
    "full_refunds",
    "partial_refunds",
    "no_refunds",
    "withdrawn",
)


def _dispute_labels() -> dict[str, str]:
    return {
        "opened": _("Opened"),
        "escalated": _("Escalated to the desk"),
        "full_refunds": _("Resolved: full refund"),
        "partial_refunds": _("Resolved: partial refund"),
        "no_refunds": _("Resolved: no refund"),
        "withdrawn": _("Withdrawn"),
    }


def _dispute_rows(filters: ReportFilters) -> QuerySet[DailyDisputeStats]:
    return DailyDisputeStats.objects.order_by().filter(
        day__gte=filters.first, day__lt=filters.until
    )


def figure_disputes(filters: ReportFilters, names: Names) -> Figure:
    """Return disputes opened, escalated and how they ended over the period.

    Topic, queue and language filters do not apply to disputes.
    """
    totals = _dispute_rows(filters).aggregate(
        **{measure: Coalesce(Sum(measure), 0) for measure in DISPUTE_MEASURES}
    )
    labels = _dispute_labels()
    rows = [(labels[measure], totals[measure]) for measure in DISPUTE_MEASURES]
    return Figure(
        slug="disputes",
        title=_("Disputes: opened, escalated, outcomes"),
        note=_("Each step counts on its day. Topic, queue and language filters do not apply."),
        columns=(Column("measure", _("Disputes")), Column("count", _("Count"), COUNT)),
        rows=rows if any(count for _label, count in rows) else [],
        chart=bar_chart(
            labels=[label for label, _count in rows],
            datasets=[{"label": _("Disputes"), "data": [count for _label, count in rows]}],
            y_title=_("disputes"),
        ),
    )


def figure_refunds(filters: ReportFilters, names: Names) -> Figure:
    """Return the refunds decided over the period, per currency."""
    rows = list(
        _dispute_rows(filters)
        .values("currency")
        .annotate(
            refunded=Sum("refunded"),
            resolved=Sum(F("full_refunds") + F("partial_refunds") + F("no_refunds")),
        )
        .filter(resolved__gt=0)
        .order_by("currency")
    )
    table = [(row["currency"], row["resolved"], row["refunded"] or Decimal(0)) for row in rows]
    return Figure(
        slug="refunds",
        title=_("Refund totals by currency"),
        note=_("Refunds of disputes resolved in the period."),
        columns=(
            Column("currency", _("Currency")),
            Column("resolved", _("Disputes resolved"), COUNT),
            Column("refunded", _("Refunded"), MONEY),
        ),
        rows=table,
        chart=bar_chart(
            labels=[currency for currency, *_rest in table],
            datasets=[{"label": _("Refunded"), "data": [float(total) for *_rest, total in table]}],
            y_title=_("amount"),
            counts=False,
        ),
    )
