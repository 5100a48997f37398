"""Business calendars as tables: the open periods of each queue's hours, day by day.

Stored periods keep the hours that were in force when they were stored:
each run stores the days not stored yet and restores the days from today
on, so a change of opening hours counts from the day it is made.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Prefetch

from reports.models import NONE, BusinessPeriod, CalendarSpan
from tickets.hours import Calendar
from tickets.models import BusinessHours, Holiday

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# The calendar of queues without business hours: one period that never closes.
_ALWAYS_ENDS = 2**40


def _minute(moment: datetime) -> int:
    return int((moment - _EPOCH).total_seconds() // 60)


def _periods(calendar: Calendar, first: date, last: date) -> list[tuple[int, int]]:
    """Return the open periods of local days ``first``..``last`` as epoch-minute pairs."""
    spans: list[tuple[int, int]] = []
    day = first
    while day <= last:
        for start, end in calendar.periods_on(day):
            spans.append((_minute(start), _minute(end)))
        day += timedelta(days=1)
    return spans


def _store(hours_id: int, spans: list[tuple[int, int]], open_before: int) -> int:
    """Store ``spans`` with running totals starting at ``open_before``; return the total after."""
    rows = []
    for start, end in spans:
        rows.append(
            BusinessPeriod(
                hours_id=hours_id, starts_minute=start, ends_minute=end, open_before=open_before
            )
        )
        open_before += end - start
    BusinessPeriod.objects.bulk_create(rows, batch_size=1000)
    return open_before


def _calendar_cover(hours: BusinessHours, *, first: date, last: date, now: datetime) -> None:
    """Store the calendar's periods for local days ``first``..``last``; restore today onwards."""
    calendar = hours.calendar([holiday.date for holiday in hours.holidays.all()])
    today = now.astimezone(calendar.time_zone).date()
    span = CalendarSpan.objects.filter(hours_id=hours.pk).first()
    if span is None:
        _store(hours.pk, _periods(calendar, first, last), 0)
        CalendarSpan.objects.create(hours_id=hours.pk, first_day=first, last_day=last)
        return
    if first < span.first_day:
        earlier = _periods(calendar, first, span.first_day - timedelta(days=1))
        stored_first = (
            BusinessPeriod.objects.filter(hours_id=hours.pk).order_by("starts_minute").first()
        )
        # Running totals may go below zero: only their differences mean anything.
        base = stored_first.open_before if stored_first else 0
        _store(hours.pk, earlier, base - sum(end - start for start, end in earlier))
        span.first_day = first
    # Days from today on follow the hours as they are now; the past stays as stored.
    redo_from = min(span.last_day + timedelta(days=1), today)
    if redo_from <= max(last, span.last_day):
        until = max(last, span.last_day)
        cut = _minute(datetime.combine(redo_from, time(), tzinfo=calendar.time_zone))
        BusinessPeriod.objects.filter(hours_id=hours.pk, starts_minute__gte=cut).delete()
        previous = (
            BusinessPeriod.objects.filter(hours_id=hours.pk).order_by("-starts_minute").first()
        )
        base = (
            previous.open_before + previous.ends_minute - previous.starts_minute if previous else 0
        )
        _store(hours.pk, _periods(calendar, redo_from, until), base)
        span.last_day = until
    span.save()


def calendars_cover(*, first: date, last: date, now: datetime) -> None:
    """Make every calendar's stored periods cover local days ``first``..``last``.

    Idempotent. Days already stored before the calendar's today are kept;
    today and later days are stored again from the hours as they are now.
    Callers leave a day's margin on both sides for time zones.
    """
    if not BusinessPeriod.objects.filter(hours_id=NONE).exists():
        BusinessPeriod.objects.create(
            hours_id=NONE, starts_minute=0, ends_minute=_ALWAYS_ENDS, open_before=0
        )
    calendars = BusinessHours.objects.prefetch_related(
        Prefetch("holidays", queryset=Holiday.objects.order_by("date"))
    )
    for hours in calendars:
        _calendar_cover(hours, first=first, last=last, now=now)
