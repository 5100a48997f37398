"""Daily rollups: each day's counts per key, recomputed whole from the facts and records.

A recompute deletes the days' rows and writes them again from grouped
queries (the database counts and sums; Python only merges the few grouped
rows of different sources under one key), so running it twice changes
nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from disputes.models import Dispute, DisputeEvent
from disputes.status import DisputeStatus
from faq.models import FaqEvent, FaqEventKind, FaqFeedback
from reports.models import (
    NONE,
    DailyBacklog,
    DailyDisputeStats,
    DailyFunnelStats,
    DailyTicketStats,
    TicketFact,
)
from tickets.models import Rating


def day_start(day: date) -> datetime:
    """Return the first moment of ``day`` in the desk's time zone (settings.TIME_ZONE)."""
    return datetime.combine(day, time(), tzinfo=timezone.get_default_timezone())


def days(first: date, last: date) -> Iterator[date]:
    """Yield every day from ``first`` to ``last``, both included."""
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _in_days(field: str, first: date, last: date) -> Q:
    return Q(**{f"{field}__gte": day_start(first), f"{field}__lt": day_start(last + timedelta(1))})


def _local_day(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=timezone.get_default_timezone())


def _rows(rows: QuerySet[Any, Any]) -> list[dict[str, Any]]:
    """Return grouped rows as plain dicts (their keys are the query's own names)."""
    return list(rows)


def tickets_recompute(*, first: date, last: date) -> int:
    """Rewrite the tickets' daily rows (opened, solved, ratings) of days ``first``..``last``."""
    keys = ("k_topic", "k_queue", "k_agent", "k_language")
    facts = TicketFact.objects.order_by()
    fact_keys = {
        "k_topic": F("topic_id"),
        "k_queue": F("queue_id"),
        "k_agent": F("agent_id"),
        "k_language": F("language"),
    }
    opened = (
        facts.filter(opened_on__range=(first, last))
        .values(k_day=F("opened_on"), **fact_keys)
        .annotate(n=Count("pk"))
    )
    solved = (
        facts.filter(solved_on__range=(first, last))
        .values(k_day=F("solved_on"), **fact_keys)
        .annotate(n=Count("pk"))
    )
    ratings = (
        Rating.objects.order_by()
        .filter(_in_days("created_at", first, last))
        .values(
            k_day=_local_day("created_at"),
            k_topic=F("ticket__topic_id"),
            k_queue=Coalesce(F("ticket__queue_id"), Value(NONE)),
            k_agent=Coalesce(F("agent_id"), Value(NONE)),
            k_language=F("ticket__language"),
        )
        .annotate(n=Count("pk"), total=Sum("score"))
    )
    merged: dict[tuple[Any, ...], dict[str, int]] = defaultdict(
        lambda: {"opened": 0, "solved": 0, "ratings": 0, "rating_total": 0}
    )
    for row in _rows(opened):
        merged[(row["k_day"], *(row[k] for k in keys))]["opened"] += row["n"]
    for row in _rows(solved):
        merged[(row["k_day"], *(row[k] for k in keys))]["solved"] += row["n"]
    for row in _rows(ratings):
        counts = merged[(row["k_day"], *(row[k] for k in keys))]
        counts["ratings"] += row["n"]
        counts["rating_total"] += row["total"] or 0
    DailyTicketStats.objects.filter(day__range=(first, last)).delete()
    DailyTicketStats.objects.bulk_create(
        [
            DailyTicketStats(
                day=day, topic_id=topic, queue_id=queue, agent_id=agent, language=language, **counts
            )
            for (day, topic, queue, agent, language), counts in merged.items()
        ],
        batch_size=1000,
    )
    return len(merged)


def backlog_recompute(*, first: date, last: date) -> int:
    """Rewrite what was open at the end of each day ``first``..``last`` (today: until now)."""
    DailyBacklog.objects.filter(day__range=(first, last)).delete()
    rows = []
    for day in days(first, last):
        end = day_start(day + timedelta(days=1))
        still_open = (
            TicketFact.objects.order_by()
            .filter(Q(done_at__gte=end) | Q(done_at__isnull=True), opened_at__lt=end)
            .values("topic_id", "queue_id", "language")
            .annotate(n=Count("pk"), oldest=Min("opened_at"))
        )
        rows += [
            DailyBacklog(
                day=day,
                topic_id=row["topic_id"],
                queue_id=row["queue_id"],
                language=row["language"],
                open_tickets=row["n"],
                oldest_opened_at=row["oldest"],
            )
            for row in _rows(still_open)
        ]
    DailyBacklog.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


_FUNNEL_KINDS = {
    FaqEventKind.VIEW: "views",
    FaqEventKind.CONTACT: "contacts",
    FaqEventKind.TICKET: "tickets",
}


def funnel_recompute(*, first: date, last: date) -> int:
    """Rewrite the answers' daily funnel rows of days ``first``..``last``."""
    keys = {
        "k_day": _local_day("created_at"),
        "k_topic": F("topic_id"),
        "k_entry": F("entry_id"),
        "k_language": F("language"),
    }
    events = (
        FaqEvent.objects.order_by()
        .filter(_in_days("created_at", first, last), kind__in=list(_FUNNEL_KINDS))
        .values(**keys, k_kind=F("kind"))
        .annotate(n=Count("pk"))
    )
    feedback = (
        FaqFeedback.objects.order_by()
        .filter(_in_days("created_at", first, last))
        .values(**keys, k_helpful=F("helpful"))
        .annotate(n=Count("pk"))
    )
    merged: dict[tuple[Any, ...], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(("views", "helpful", "not_helpful", "contacts", "tickets"), 0)
    )
    for row in _rows(events):
        key = (row["k_day"], row["k_topic"], row["k_entry"], row["k_language"])
        merged[key][_FUNNEL_KINDS[row["k_kind"]]] += row["n"]
    for row in _rows(feedback):
        key = (row["k_day"], row["k_topic"], row["k_entry"], row["k_language"])
        merged[key]["helpful" if row["k_helpful"] else "not_helpful"] += row["n"]
    DailyFunnelStats.objects.filter(day__range=(first, last)).delete()
    DailyFunnelStats.objects.bulk_create(
        [
            DailyFunnelStats(day=day, topic_id=topic, entry_id=entry, language=language, **counts)
            for (day, topic, entry, language), counts in merged.items()
        ],
        batch_size=1000,
    )
    return len(merged)


def disputes_recompute(*, first: date, last: date) -> int:
    """Rewrite the disputes' daily rows (per currency) of days ``first``..``last``.

    Opened counts by the day a dispute was opened, escalated and withdrawn by
    the day of that step, outcomes and refunds by the day it was resolved: a
    full refund is the order's total, a partial one less, none is nothing.
    """
    # Disputes with a step in the days were changed on or after their start:
    # the update index narrows every read below.
    touched = Q(updated_at__gte=day_start(first))
    opened = (
        Dispute.objects.order_by()
        .filter(touched, _in_days("opened_at", first, last))
        .values(k_day=_local_day("opened_at"), k_currency=F("order__currency"))
        .annotate(opened=Count("pk"))
    )
    steps = (
        DisputeEvent.objects.order_by()
        .filter(
            _in_days("created_at", first, last),
            dispute__updated_at__gte=day_start(first),
            to_status__in=[DisputeStatus.ESCALATED, DisputeStatus.CANCELLED],
        )
        .values(
            k_day=_local_day("created_at"),
            k_currency=F("dispute__order__currency"),
            k_status=F("to_status"),
        )
        .annotate(n=Count("pk"))
    )
    refund = Coalesce(F("refund_amount"), Value(Decimal(0)))
    resolved = (
        Dispute.objects.order_by()
        .filter(touched, _in_days("resolved_at", first, last))
        .values(k_day=_local_day("resolved_at"), k_currency=F("order__currency"))
        .annotate(
            full_refunds=Count(
                "pk", filter=Q(refund_amount__gt=0, refund_amount__gte=F("order__total"))
            ),
            partial_refunds=Count(
                "pk", filter=Q(refund_amount__gt=0, refund_amount__lt=F("order__total"))
            ),
            no_refunds=Count("pk", filter=Q(refund_amount__isnull=True) | Q(refund_amount=0)),
            refunded=Sum(refund, output_field=DecimalField(max_digits=16, decimal_places=2)),
        )
    )
    merged: dict[tuple[Any, str], dict[str, Any]] = defaultdict(
        lambda: {
            "opened": 0,
            "escalated": 0,
            "full_refunds": 0,
            "partial_refunds": 0,
            "no_refunds": 0,
            "withdrawn": 0,
            "refunded": Decimal(0),
        }
    )
    for row in _rows(opened):
        merged[(row["k_day"], row["k_currency"])]["opened"] += row["opened"]
    for row in _rows(steps):
        name = "escalated" if row["k_status"] == DisputeStatus.ESCALATED else "withdrawn"
        merged[(row["k_day"], row["k_currency"])][name] += row["n"]
    for row in _rows(resolved):
        counts = merged[(row["k_day"], row["k_currency"])]
        for name in ("full_refunds", "partial_refunds", "no_refunds"):
            counts[name] += row[name]
        counts["refunded"] += row["refunded"] or Decimal(0)
    DailyDisputeStats.objects.filter(day__range=(first, last)).delete()
    DailyDisputeStats.objects.bulk_create(
        [
            DailyDisputeStats(day=day, currency=currency, **counts)
            for (day, currency), counts in merged.items()
        ],
        batch_size=1000,
    )
    return len(merged)
