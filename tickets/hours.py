"""Business hours: when a queue is open, and time counted only while it is.

Pure: a :class:`Calendar` is built from plain values and every function takes
the moment it reasons about. ``None`` as a calendar means open around the
clock.

Weekly hours are written as ``{"mon": [["06:00", "24:00"]], ...}``: for each
weekday, periods in the queue's local time, ``24:00`` meaning midnight at the
end of the day. A day that is missing or empty is closed.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")
# How far ahead to look for an opening before deciding there is none.
_HORIZON_DAYS = 400


class InvalidHours(ValueError):
    """Weekly hours or a time zone that cannot be used."""


def _minutes(text: Any) -> int:
    match = _CLOCK.match(text) if isinstance(text, str) else None
    if match is None:
        raise InvalidHours(f"{text!r} is not a time like 06:00 or 24:00.")
    minutes = int(match[1]) * 60 + int(match[2])
    if minutes > 24 * 60:
        raise InvalidHours(f"{text!r} is after 24:00.")
    return minutes


def parse_weekly_hours(raw: Any) -> dict[int, tuple[tuple[int, int], ...]]:
    """Return weekday (0 = Monday) -> sorted (start, end) minute periods; raise InvalidHours."""
    if not isinstance(raw, Mapping):
        raise InvalidHours("Weekly hours are a mapping from weekday (mon…sun) to periods.")
    unknown = sorted(set(raw) - set(WEEKDAYS))
    if unknown:
        raise InvalidHours(f"Unknown weekday {unknown[0]!r}; use mon, tue, … sun.")
    parsed: dict[int, tuple[tuple[int, int], ...]] = {}
    for index, day in enumerate(WEEKDAYS):
        periods = raw.get(day) or []
        if not isinstance(periods, Sequence) or isinstance(periods, str):
            raise InvalidHours(f"{day}: periods are a list of [opens, closes] pairs.")
        spans: list[tuple[int, int]] = []
        for period in periods:
            if not isinstance(period, Sequence) or isinstance(period, str) or len(period) != 2:
                raise InvalidHours(f'{day}: each period is a pair like ["09:00", "18:00"].')
            start, end = _minutes(period[0]), _minutes(period[1])
            if start >= end:
                raise InvalidHours(f"{day}: {period[0]}–{period[1]} closes before it opens.")
            spans.append((start, end))
        spans.sort()
        for (_, first_end), (second_start, _) in itertools.pairwise(spans):
            if second_start < first_end:
                raise InvalidHours(f"{day}: periods overlap.")
        if spans:
            parsed[index] = tuple(spans)
    return parsed


@functools.cache
def _zone_names() -> frozenset[str]:
    """The IANA zone names installed: read from disk once (it walks the zone files)."""
    return frozenset(available_timezones())


def check_time_zone(name: str) -> ZoneInfo:
    """Return the IANA time zone ``name``; raise InvalidHours if it is unknown."""
    if name not in _zone_names():
        raise InvalidHours(f"{name!r} is not an IANA time zone such as Europe/Moscow.")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:  # pragma: no cover - listed but broken
        raise InvalidHours(f"{name!r} cannot be loaded.") from error


@dataclass(frozen=True)
class Calendar:
    """Opening hours in one time zone, with holidays (local dates) closed all day."""

    time_zone: ZoneInfo
    weekly: Mapping[int, tuple[tuple[int, int], ...]]
    holidays: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def build(cls, *, time_zone: str, weekly_hours: Any, holidays: Sequence[date] = ()) -> Calendar:
        """Build a calendar from stored values; raise InvalidHours when they do not parse."""
        return cls(
            check_time_zone(time_zone), parse_weekly_hours(weekly_hours), frozenset(holidays)
        )

    def periods_on(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        """Yield the open periods of a local date as aware UTC datetimes."""
        if day in self.holidays:
            return
        for start, end in self.weekly.get(day.weekday(), ()):
            yield self._at(day, start), self._at(day, end)

    def _at(self, day: date, minutes: int) -> datetime:
        local = datetime.combine(day, time(), tzinfo=self.time_zone) + timedelta(minutes=minutes)
        # Wall-clock arithmetic: re-attach the zone so DST days get their real offset.
        wall = local.replace(tzinfo=None)
        return wall.replace(tzinfo=self.time_zone).astimezone(UTC)

    def periods_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Yield open periods that end after ``moment``, in order, clipped to start at it."""
        day = moment.astimezone(self.time_zone).date() - timedelta(days=1)
        for offset in range(_HORIZON_DAYS):
            for start, end in self.periods_on(day + timedelta(days=offset)):
                if end > moment:
                    yield max(start, moment), end


def is_open(calendar: Calendar | None, now: datetime) -> bool:
    """Return whether a queue with ``calendar`` is open at ``now``."""
    if calendar is None:
        return True
    for start, _ in calendar.periods_from(now):
        return start <= now
    return False


def next_opening(calendar: Calendar | None, now: datetime) -> datetime | None:
    """Return ``now`` if open, else when it next opens (None if it never does)."""
    if calendar is None:
        return now
    for start, _ in calendar.periods_from(now):
        return start
    return None


def add_business_minutes(calendar: Calendar | None, start: datetime, minutes: float) -> datetime:
    """Return the moment ``minutes`` of open time after ``start``.

    Time while closed does not count. If the calendar never opens again the
    result is ``start`` plus the minutes of plain time, so a due time always exists.
    """
    if calendar is None or minutes <= 0:
        return start + timedelta(minutes=max(minutes, 0))
    remaining = timedelta(minutes=minutes)
    for period_start, period_end in calendar.periods_from(start):
        span = period_end - period_start
        if remaining <= span:
            return period_start + remaining
        remaining -= span
    return start + timedelta(minutes=minutes)


def business_minutes_between(calendar: Calendar | None, start: datetime, end: datetime) -> float:
    """Return the open minutes from ``start`` to ``end`` (negative when end is earlier)."""
    if end < start:
        return -business_minutes_between(calendar, end, start)
    if calendar is None:
        return (end - start).total_seconds() / 60
    total = timedelta()
    for period_start, period_end in calendar.periods_from(start):
        if period_start >= end:
            break
        total += min(period_end, end) - period_start
    return total.total_seconds() / 60
