"""The whole report: which figures, in which sections, for whom."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

from reports.figures import Figure
from reports.selectors._common import (
    Names,
    ReportFilters,
)
from reports.selectors.backlog import figure_backlog_now, figure_backlog_trend
from reports.selectors.disputes import figure_disputes, figure_refunds
from reports.selectors.funnel import figure_failing_answers, figure_funnel
from reports.selectors.sla import QueueTimes, figure_breaches, figure_time, sla_times
from reports.selectors.tickets import (
    figure_opened,
    figure_satisfaction_agents,
    figure_satisfaction_queues,
    figure_solved,
)

# --- The whole report -----------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: list[Figure]


# Sections in page order, with their figures; an agent's own report has only OWN_FIGURES.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("tickets", ("opened", "solved")),
    ("deflection", ("funnel", "failing-answers")),
    ("sla", ("first-response", "resolution", "breaches")),
    ("satisfaction", ("satisfaction-agents", "satisfaction-queues")),
    ("backlog", ("backlog-now", "backlog")),
    ("disputes", ("disputes", "refunds")),
)
OWN_FIGURES = frozenset(
    {
        "opened",
        "solved",
        "first-response",
        "resolution",
        "breaches",
        "satisfaction-agents",
        "satisfaction-queues",
    }
)


def _section_titles() -> dict[str, str]:
    return {
        "tickets": _("Tickets"),
        "deflection": _("Deflection"),
        "sla": _("Response times and SLA"),
        "satisfaction": _("Satisfaction"),
        "backlog": _("Backlog"),
        "disputes": _("Disputes"),
    }


def figure_slugs(*, own: bool) -> list[str]:
    """Return the figures a report shows, in page order: an agent's own report has fewer."""
    return [slug for _key, slugs in SECTIONS for slug in slugs if not own or slug in OWN_FIGURES]


def report_figures(
    filters: ReportFilters, *, slugs: list[str], names: Names, now: datetime, today: date
) -> dict[str, Figure]:
    """Return the figures ``slugs`` (each a fixed number of queries), keyed by slug.

    Raises KeyError for a figure that does not exist or that an agent's own
    report (``filters.agent_id``) does not show.
    """
    allowed = set(figure_slugs(own=filters.is_own))
    unknown = [slug for slug in slugs if slug not in allowed]
    if unknown:
        raise KeyError(unknown[0])
    times: list[QueueTimes] | None = None
    figures: dict[str, Figure] = {}
    for slug in slugs:
        if slug in ("first-response", "resolution", "breaches"):
            if times is None:
                times = sla_times(filters, now=now)
            figures[slug] = (
                figure_breaches(times, names)
                if slug == "breaches"
                else figure_time(times, names, which=slug.replace("-", "_"))
            )
        elif slug == "backlog-now":
            figures[slug] = figure_backlog_now(filters, names, now=now, today=today)
        else:
            figures[slug] = _BUILDERS[slug](filters, names)
    return figures


def report_sections(
    filters: ReportFilters, *, names: Names, now: datetime, today: date
) -> list[Section]:
    """Return the report's sections with their figures, as the page shows them."""
    slugs = figure_slugs(own=filters.is_own)
    figures = report_figures(filters, slugs=slugs, names=names, now=now, today=today)
    titles = _section_titles()
    return [
        Section(key, titles[key], [figures[slug] for slug in section if slug in figures])
        for key, section in SECTIONS
        if any(slug in figures for slug in section)
    ]


_BUILDERS = {
    "opened": figure_opened,
    "solved": figure_solved,
    "funnel": figure_funnel,
    "failing-answers": figure_failing_answers,
    "satisfaction-agents": figure_satisfaction_agents,
    "satisfaction-queues": figure_satisfaction_queues,
    "backlog": figure_backlog_trend,
    "disputes": figure_disputes,
    "refunds": figure_refunds,
}
