"""Business hours: open or closed, next opening, and time counted only while open."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tickets.hours import (
    Calendar,
    InvalidHours,
    add_business_minutes,
    business_minutes_between,
    is_open,
    next_opening,
    parse_weekly_hours,
)

MOSCOW = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
SIX_TO_MIDNIGHT = {
    d: [["06:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
}
OFFICE = {d: [["09:00", "13:00"], ["14:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


def moscow_calendar(**kwargs: object) -> Calendar:
    return Calendar.build(time_zone="Europe/Moscow", weekly_hours=SIX_TO_MIDNIGHT, **kwargs)  # type: ignore[arg-type]


def test_none_is_open_around_the_clock() -> None:
    now = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
    assert is_open(None, now)
    assert next_opening(None, now) == now
    assert add_business_minutes(None, now, 90) == now + timedelta(minutes=90)


def test_moscow_queue_closed_at_0559_and_open_at_0600() -> None:
    calendar = moscow_calendar()
    assert not is_open(calendar, datetime(2026, 11, 20, 5, 59, tzinfo=MOSCOW))
    assert is_open(calendar, datetime(2026, 11, 20, 6, 0, tzinfo=MOSCOW))
    assert is_open(calendar, datetime(2026, 11, 20, 23, 59, tzinfo=MOSCOW))
    assert not is_open(calendar, datetime(2026, 11, 21, 0, 0, tzinfo=MOSCOW))


def test_next_opening_is_six_moscow_time() -> None:
    opening = next_opening(moscow_calendar(), datetime(2026, 11, 20, 1, 30, tzinfo=MOSCOW))
    assert opening == datetime(2026, 11, 20, 6, 0, tzinfo=MOSCOW)


def test_holidays_are_closed_all_day() -> None:
    calendar = moscow_calendar(holidays=[date(2027, 1, 1)])
    assert not is_open(calendar, datetime(2027, 1, 1, 12, 0, tzinfo=MOSCOW))
    assert next_opening(calendar, datetime(2027, 1, 1, 12, 0, tzinfo=MOSCOW)) == datetime(
        2027, 1, 2, 6, 0, tzinfo=MOSCOW
    )


def test_business_minutes_skip_the_night() -> None:
    calendar = moscow_calendar()
    start = datetime(2026, 11, 20, 23, 30, tzinfo=MOSCOW)
    due = add_business_minutes(calendar, start, 4 * 60)
    assert due == datetime(2026, 11, 21, 9, 30, tzinfo=MOSCOW)
    assert business_minutes_between(calendar, start, due) == 240


def test_lunch_break_and_weekend_do_not_count() -> None:
    calendar = Calendar.build(time_zone="Europe/Berlin", weekly_hours=OFFICE)
    friday_noon = datetime(2026, 11, 20, 12, 0, tzinfo=BERLIN)
    # 1 h before lunch, 4 h after: 5 h used on Friday; 3 h more on Monday.
    assert add_business_minutes(calendar, friday_noon, 8 * 60) == datetime(
        2026, 11, 23, 12, 0, tzinfo=BERLIN
    )


def test_daylight_saving_change_keeps_local_opening_hours() -> None:
    calendar = Calendar.build(time_zone="Europe/Berlin", weekly_hours=OFFICE)
    # Berlin moves from UTC+1 to UTC+2 on Sunday 29 March 2026.
    assert next_opening(calendar, datetime(2026, 3, 28, 12, 0, tzinfo=UTC)) == datetime(
        2026, 3, 30, 9, 0, tzinfo=BERLIN
    )
    assert datetime(2026, 3, 30, 9, 0, tzinfo=BERLIN).utcoffset() == timedelta(hours=2)


def test_a_calendar_that_never_opens() -> None:
    calendar = Calendar.build(time_zone="UTC", weekly_hours={})
    now = datetime(2026, 11, 22, tzinfo=UTC)
    assert not is_open(calendar, now)
    assert next_opening(calendar, now) is None
    assert add_business_minutes(calendar, now, 30) == now + timedelta(minutes=30)


@pytest.mark.parametrize(
    "raw",
    [
        [],
        {"monday": [["09:00", "18:00"]]},
        {"mon": [["18:00", "09:00"]]},
        {"mon": [["09:00", "25:00"]]},
        {"mon": [["9", "18:00"]]},
        {"mon": [["09:00", "13:00"], ["12:00", "18:00"]]},
        {"mon": "09:00-18:00"},
        {"mon": [["09:00"]]},
    ],
)
def test_bad_weekly_hours_are_refused_with_a_reason(raw: object) -> None:
    with pytest.raises(InvalidHours) as raised:
        parse_weekly_hours(raw)
    assert str(raised.value)


def test_unknown_time_zone_is_refused() -> None:
    with pytest.raises(InvalidHours, match="IANA"):
        Calendar.build(time_zone="Mars/Olympus", weekly_hours=OFFICE)
