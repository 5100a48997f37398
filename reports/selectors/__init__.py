"""Every read of the reports: one function per figure, scoped by who asks.

Figures read the daily rollups and the per-ticket facts that
``reports.services`` keeps; the database does every count, sum, average
and percentile. Each figure costs a fixed number of queries whatever the
range. A supervisor sees the whole desk; an agent sees only their own
tickets and ratings, and none of the desk-wide figures.
"""

from reports.selectors._common import FRACTIONS, MAX_DAYS, Names, ReportFilters
from reports.selectors.backlog import figure_backlog_now, figure_backlog_trend, rollup_ran_at
from reports.selectors.disputes import figure_disputes, figure_refunds
from reports.selectors.funnel import figure_failing_answers, figure_funnel
from reports.selectors.report import (
    OWN_FIGURES,
    SECTIONS,
    Section,
    figure_slugs,
    report_figures,
    report_sections,
)
from reports.selectors.sla import QueueTimes, figure_breaches, figure_time, sla_times
from reports.selectors.tickets import (
    figure_opened,
    figure_satisfaction_agents,
    figure_satisfaction_queues,
    figure_solved,
)

__all__ = [
    "FRACTIONS",
    "MAX_DAYS",
    "OWN_FIGURES",
    "SECTIONS",
    "Names",
    "QueueTimes",
    "ReportFilters",
    "Section",
    "figure_backlog_now",
    "figure_backlog_trend",
    "figure_breaches",
    "figure_disputes",
    "figure_failing_answers",
    "figure_funnel",
    "figure_opened",
    "figure_refunds",
    "figure_satisfaction_agents",
    "figure_satisfaction_queues",
    "figure_slugs",
    "figure_solved",
    "figure_time",
    "report_figures",
    "report_sections",
    "rollup_ran_at",
    "sla_times",
]
