"""Every write of the reports: the rollup on beat, and rebuilding a range on demand.

The rollup reads what changed since its last run (tickets by their update
time, which every ticket service moves), refreshes those tickets' facts,
and recomputes the daily rows of the last few days and of every day since
the last run, so it is idempotent and catches up after downtime. Days
before that keep the numbers they had; ``reports_rebuild`` recomputes any
range from the records.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from reports.models import RollupState
from reports.services.calendars import calendars_cover
from reports.services.daily import (
    backlog_recompute,
    day_start,
    disputes_recompute,
    funnel_recompute,
    tickets_recompute,
)
from reports.services.facts import facts_refresh
from tickets.models import Ticket
from tickets.status import OPEN_STATUSES

logger = logging.getLogger("reports")

ROLLUP = "rollup"
# Changes are read again this far back: a transaction that started before the
# last run but committed after it is seen by the next one.
OVERLAP = timedelta(minutes=10)
# A rebuild writes the facts of this many days of tickets per statement.
REBUILD_STEP = timedelta(days=7)


def recompute_days() -> int:
    """Return how many recent days every rollup recomputes: ratings change for a while."""
    return max(3, settings.DESK_RATING_CHANGE_DAYS + 1)


@dataclass(frozen=True)
class RollupResult:
    facts: int
    first_day: date
    last_day: date


def _today(now: datetime) -> date:
    return timezone.localdate(now, timezone.get_default_timezone())


def _cover_calendars(*, now: datetime, first: date | None = None) -> None:
    """Store the calendars from the oldest ticket (or ``first``) to tomorrow."""
    oldest = Ticket.objects.aggregate(oldest=Min("created_at"))["oldest"]
    start = _today(oldest) if oldest is not None else _today(now)
    if first is not None:
        start = min(start, first)
    # A day's margin on each side: calendars keep their own time zones.
    calendars_cover(first=start - timedelta(days=1), last=_today(now) + timedelta(days=1), now=now)


def days_recompute(*, first: date, last: date) -> None:
    """Recompute every daily rollup of days ``first``..``last`` from the facts and records."""
    tickets_recompute(first=first, last=last)
    backlog_recompute(first=first, last=last)
    funnel_recompute(first=first, last=last)
    disputes_recompute(first=first, last=last)


def reports_rollup(*, now: datetime) -> RollupResult:
    """Bring the reports up to date with the desk's changes; safe to run at any time, twice.

    Holds the rollup's state row locked for the run, so runs never overlap.
    The first run ever reads the open tickets and those changed within the
    recomputed days; older history comes from ``reports_rebuild``.
    """
    today = _today(now)
    with transaction.atomic():
        state, _ = RollupState.objects.select_for_update().get_or_create(name=ROLLUP)
        first_day = today - timedelta(days=recompute_days() - 1)
        if state.changes_until is None:
            changed = Ticket.objects.filter(
                Q(updated_at__gte=day_start(first_day)) | Q(status__in=OPEN_STATUSES)
            )
        else:
            since = state.changes_until - OVERLAP
            changed = Ticket.objects.filter(updated_at__gte=since)
            first_day = min(first_day, _today(since))
        _cover_calendars(now=now)
        facts = facts_refresh(tickets=changed)
        days_recompute(first=first_day, last=today)
        state.changes_until = now
        state.ran_at = now
        state.save()
    logger.info("reports rollup: %s ticket facts, days %s to %s", facts, first_day, today)
    return RollupResult(facts=facts, first_day=first_day, last_day=today)


def reports_rebuild(*, first: date, last: date, now: datetime) -> RollupResult:
    """Recompute the facts of tickets opened on days ``first``..``last``, and those days' rollups.

    For history the rollup never read, or after a correction. Each step is
    its own transaction, under the rollup's lock.
    """
    facts = 0
    with transaction.atomic():
        RollupState.objects.select_for_update().get_or_create(name=ROLLUP)
        _cover_calendars(now=now, first=first)
    start = day_start(first)
    end = day_start(last + timedelta(days=1))
    while start < end:
        step_end = min(start + REBUILD_STEP, end)
        with transaction.atomic():
            RollupState.objects.select_for_update().get_or_create(name=ROLLUP)
            facts += facts_refresh(
                tickets=Ticket.objects.filter(created_at__gte=start, created_at__lt=step_end)
            )
        start = step_end
    day = first
    while day <= last:
        step_last = min(day + timedelta(days=30), last)
        with transaction.atomic():
            RollupState.objects.select_for_update().get_or_create(name=ROLLUP)
            days_recompute(first=day, last=step_last)
        day = step_last + timedelta(days=1)
    logger.info("reports rebuild: %s ticket facts, days %s to %s", facts, first, last)
    return RollupResult(facts=facts, first_day=first, last_day=last)
