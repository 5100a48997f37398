"""The deflection funnel per topic, and the answers that fail most often."""

from __future__ import annotations

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from faq.models import FaqTranslation
from reports.figures import (
    COUNT,
    LINK,
    PERCENT,
    Column,
    Figure,
    bar_chart,
    share,
)
from reports.models import DailyFunnelStats
from reports.selectors._common import (
    Names,
    ReportFilters,
    scoped,
)

# --- The deflection funnel -----------------------------------------------------------


FUNNEL_STEPS = ("views", "not_helpful", "contacts", "tickets")


def _funnel_sums() -> dict[str, Sum]:
    return {step: Sum(step) for step in FUNNEL_STEPS}


def _funnel_labels() -> dict[str, str]:
    return {
        "views": _("Answer views"),
        "not_helpful": _("“Not solved”"),
        "contacts": _("Contact form"),
        "tickets": _("Tickets"),
    }


def figure_funnel(filters: ReportFilters, names: Names) -> Figure:
    """Return the funnel per topic: answer views → "not solved" → contact form → tickets.

    Rates are shares of the answer views. The queue filter does not apply:
    buyers meet answers before any queue.
    """
    rows = list(
        scoped(DailyFunnelStats.objects, filters, day="day")
        .values("topic_id")
        .annotate(**_funnel_sums())
        .order_by()
    )
    by_topic = {row["topic_id"]: row for row in rows}
    topic_ids = [tid for tid in names.topics if tid in by_topic] + sorted(
        set(by_topic) - set(names.topics)
    )
    labels = _funnel_labels()
    table = []
    for tid in topic_ids:
        row = by_topic[tid]
        table.append(
            (
                names.topic(tid),
                *(row[step] for step in FUNNEL_STEPS),
                share(row["not_helpful"], row["views"]),
                share(row["contacts"], row["views"]),
                share(row["tickets"], row["views"]),
            )
        )
    return Figure(
        slug="funnel",
        title=_("Deflection funnel per topic"),
        note=_("Rates are shares of the answer views. Queues do not apply here."),
        columns=(
            Column("topic", _("Topic")),
            *(Column(step, labels[step], COUNT) for step in FUNNEL_STEPS),
            Column("not_solved_rate", _("Not solved rate"), PERCENT),
            Column("contact_rate", _("Contact rate"), PERCENT),
            Column("ticket_rate", _("Ticket rate"), PERCENT),
        ),
        rows=table,
        chart=bar_chart(
            labels=[names.topic(tid) for tid in topic_ids],
            datasets=[
                {"label": labels[step], "data": [by_topic[tid][step] for tid in topic_ids]}
                for step in FUNNEL_STEPS
            ],
            y_title=_("buyers' steps"),
        ),
    )


def _questions(entry_ids: list[int]) -> dict[int, str]:
    """Return each entry's question in the page's language, else English, else any."""
    preferred = [get_language() or "en", "en"]
    found: dict[int, tuple[int, str]] = {}
    for entry_id, language, question in FaqTranslation.objects.filter(
        entry_id__in=entry_ids
    ).values_list("entry_id", "language", "question"):
        rank = preferred.index(language) if language in preferred else len(preferred)
        if entry_id not in found or rank < found[entry_id][0]:
            found[entry_id] = (rank, question)
    return {entry_id: question for entry_id, (_rank, question) in found.items()}


def figure_failing_answers(filters: ReportFilters, names: Names) -> Figure:
    """Return the ten answers that fail most: most buyers went on to the contact form.

    Ties go to the one more often marked "not solved", then the more viewed.
    Each links to its page in the admin.
    """
    rows = list(
        scoped(DailyFunnelStats.objects, filters, day="day")
        .values("entry_id", "topic_id")
        .annotate(**_funnel_sums())
        .filter(Q(contacts__gt=0) | Q(not_helpful__gt=0))
        .order_by("-contacts", "-not_helpful", "-views", "entry_id")[:10]
    )
    questions = _questions([row["entry_id"] for row in rows])
    labels = _funnel_labels()
    table = [
        (
            questions.get(row["entry_id"], f"#{row['entry_id']}"),
            names.topic(row["topic_id"]),
            *(row[step] for step in FUNNEL_STEPS),
            share(row["contacts"], row["views"]),
            reverse("admin:faq_faqentry_change", args=[row["entry_id"]]),
        )
        for row in rows
    ]
    return Figure(
        slug="failing-answers",
        title=_("Answers that fail most often"),
        note=_("Ranked by buyers who went on to the contact form, then by “not solved”."),
        columns=(
            Column("answer", _("Answer")),
            Column("topic", _("Topic")),
            *(Column(step, labels[step], COUNT) for step in FUNNEL_STEPS),
            Column("contact_rate", _("Contact rate"), PERCENT),
            Column("edit", _("Edit"), LINK),
        ),
        rows=table,
        chart=bar_chart(
            labels=[row[0] for row in table],
            datasets=[
                {"label": labels["contacts"], "data": [row["contacts"] for row in rows]},
                {"label": labels["not_helpful"], "data": [row["not_helpful"] for row in rows]},
            ],
            horizontal=True,
            y_title=_("buyers"),
        ),
    )
