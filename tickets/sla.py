"""SLA arithmetic: due times in a queue's business hours, and pauses while pending.

Pure: targets and calendars in, datetimes out; ``now`` is always passed in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tickets.hours import Calendar, add_business_minutes, business_minutes_between


@dataclass(frozen=True)
class SlaTargetFacts:
    topic_id: int | None
    priority: int
    first_response_minutes: int
    resolution_minutes: int


@dataclass(frozen=True)
class DueTimes:
    first_response_due_at: datetime | None
    resolution_due_at: datetime | None


def target_for(
    targets: Iterable[SlaTargetFacts], *, topic_id: int, priority: int
) -> SlaTargetFacts | None:
    """Return the target for a topic and priority: the topic's own row, else the catch-all."""
    catch_all = None
    for target in targets:
        if target.priority != priority:
            continue
        if target.topic_id == topic_id:
            return target
        if target.topic_id is None:
            catch_all = target
    return catch_all


def due_times(
    calendar: Calendar | None,
    *,
    start: datetime,
    target: SlaTargetFacts | None,
    responded: bool = False,
) -> DueTimes:
    """Return when the first response and the resolution are due, counted from ``start``."""
    if target is None:
        return DueTimes(None, None)
    first = (
        None if responded else add_business_minutes(calendar, start, target.first_response_minutes)
    )
    return DueTimes(first, add_business_minutes(calendar, start, target.resolution_minutes))


def resume_due(
    calendar: Calendar | None, *, due: datetime | None, paused_at: datetime, resumed_at: datetime
) -> datetime | None:
    """Return ``due`` moved on by the business time spent paused (a due time already passed stays)."""
    if due is None or due <= paused_at:
        return due
    remaining = business_minutes_between(calendar, paused_at, due)
    return add_business_minutes(calendar, max(resumed_at, paused_at), remaining)


def raised_priority(priority: int, *, highest: int) -> int:
    """Return the priority after an escalation: one step up, at most ``highest``."""
    return min(priority + 1, highest)
