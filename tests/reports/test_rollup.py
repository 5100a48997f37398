"""The rollup: business minutes counted in SQL, idempotent runs, catching up, rebuilding."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import OuterRef, Value

from reports import sql
from reports.models import NONE, BusinessPeriod, DailyTicketStats, TicketFact
from reports.services import reports_rollup
from reports.services.calendars import calendars_cover
from reports.sql import business_clock, percentiles
from tests.reports.conftest import NOW, Seeded, at
from tests.tickets.conftest import open_ticket
from tickets import services
from tickets.hours import business_minutes_between
from tickets.models import BusinessHours
from tickets.status import Status


def _sql_minutes(hours_id: int, start: datetime, end: datetime) -> float:
    """Return the business minutes between two moments as the database counts them."""
    row = (
        BusinessPeriod.objects.filter(hours_id=NONE)
        .annotate(h=Value(hours_id), a=Value(start), b=Value(end))
        .annotate(
            start_clock=business_clock(OuterRef("a"), OuterRef("h")),
            end_clock=business_clock(OuterRef("b"), OuterRef("h")),
        )
        .values("start_clock", "end_clock")
        .get()
    )
    return row["end_clock"] - row["start_clock"]


@pytest.mark.django_db
def test_business_minutes_in_sql_match_the_calendar_across_holidays_and_dst() -> None:
    berlin = services.business_hours_upsert(
        name="Berlin office",
        time_zone="Europe/Berlin",
        weekly_hours={
            day: [["09:00", "12:00"], ["13:00", "18:00"]]
            for day in ("mon", "tue", "wed", "thu", "fri")
        },
        holidays=[(date(2026, 3, 27), "A Friday off")],
    )
    moscow = services.business_hours_upsert(
        name="Moscow 06–24",
        time_zone="Europe/Moscow",
        weekly_hours={
            day: [["06:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        },
    )
    now = datetime(2026, 4, 3, tzinfo=UTC)
    calendars_cover(first=date(2026, 3, 20), last=date(2026, 4, 2), now=now)
    # Berlin moves its clocks on Sunday 29 March; the 27th is a holiday.
    moments = [
        datetime(2026, 3, 23, 7, 59, tzinfo=UTC),
        datetime(2026, 3, 24, 11, 30, tzinfo=UTC),
        datetime(2026, 3, 26, 16, 45, 30, tzinfo=UTC),
        datetime(2026, 3, 28, 3, 0, tzinfo=UTC),
        datetime(2026, 3, 30, 7, 15, tzinfo=UTC),
        datetime(2026, 3, 31, 21, 5, tzinfo=UTC),
        datetime(2026, 4, 1, 10, 0, 0, 500_000, tzinfo=UTC),
    ]
    for hours in (berlin, moscow):
        calendar = BusinessHours.objects.get(pk=hours.pk).calendar()
        for start in moments:
            for end in moments:
                if end < start:
                    continue
                expected = business_minutes_between(calendar, start, end)
                assert _sql_minutes(hours.pk, start, end) == pytest.approx(expected, abs=1e-6), (
                    hours.name,
                    start,
                    end,
                )
    # Queues without hours count every minute.
    start, end = moments[0], moments[-1]
    assert _sql_minutes(NONE, start, end) == pytest.approx((end - start).total_seconds() / 60)


def _python_percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    rank = (len(ordered) - 1) * fraction
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (rank - low) * (ordered[high] - ordered[low])


FRACTIONS = (0.0, 0.25, 0.5, 0.9, 1.0)


def test_percentiles_in_sql_interpolate_like_percentile_cont(seeded: Seeded) -> None:
    facts = TicketFact.objects.all()
    found = percentiles(
        facts, values=["first_response_minutes", "resolution_minutes"], fractions=FRACTIONS
    )[None]
    for name in ("first_response_minutes", "resolution_minutes"):
        values = [v for v in facts.values_list(name, flat=True) if v is not None]
        assert found[name] == pytest.approx([_python_percentile(values, f) for f in FRACTIONS])
    by_queue = percentiles(facts, values=["resolution_minutes"], fractions=(0.5,), group="queue_id")
    assert by_queue[seeded.desk.en_refund.pk]["resolution_minutes"] == pytest.approx([495])


def test_portable_percentiles_agree_with_the_native_ones(seeded: Seeded, postgres: None) -> None:
    facts = TicketFact.objects.all()
    native = percentiles(
        facts, values=["resolution_minutes"], fractions=FRACTIONS, group="queue_id"
    )
    with mock.patch.object(sql, "native_percentiles", return_value=False):
        portable = percentiles(
            facts, values=["resolution_minutes"], fractions=FRACTIONS, group="queue_id"
        )
    assert portable.keys() == native.keys()
    for key, found in native.items():
        assert portable[key]["resolution_minutes"] == pytest.approx(found["resolution_minutes"])


def _stats() -> set[tuple[Any, ...]]:
    return set(
        DailyTicketStats.objects.values_list(
            "day", "topic_id", "queue_id", "agent_id", "language", "opened", "solved", "ratings"
        )
    )


def test_running_the_rollup_again_changes_nothing(seeded: Seeded) -> None:
    facts = set(TicketFact.objects.values_list("ticket_id", "resolution_minutes", "done_at"))
    stats = _stats()
    reports_rollup(now=NOW)
    reports_rollup(now=NOW + timedelta(minutes=2))
    assert (
        set(TicketFact.objects.values_list("ticket_id", "resolution_minutes", "done_at")) == facts
    )
    assert _stats() == stats


def test_the_rollup_catches_up_on_what_changed_while_it_did_not_run(seeded: Seeded) -> None:
    desk, p4 = seeded.desk, seeded.tickets["P4"]
    # Down from Wednesday noon to Saturday: P4 is answered and solved on Friday.
    friday = at(4, 10)
    services.ticket_reply_by_agent(
        ticket_id=p4.pk, agent=desk.agent, body="Sorted.", now=friday, then_status=Status.SOLVED
    )
    late = open_ticket(desk, now=at(3, 9))
    services.ticket_route(ticket_id=late.pk, now=at(3, 9))
    reports_rollup(now=at(5, 8))
    fact = TicketFact.objects.get(ticket=p4)
    assert fact.solved_on == date(2026, 3, 6)
    # Tuesday 10:00 to Friday 10:00 around the clock.
    assert fact.first_response_minutes == pytest.approx(3 * 24 * 60)
    solved_friday = DailyTicketStats.objects.filter(day=date(2026, 3, 6)).values_list(
        "solved", flat=True
    )
    assert sum(solved_friday) == 1
    opened_thursday = DailyTicketStats.objects.filter(day=date(2026, 3, 5))
    assert sum(opened_thursday.values_list("opened", flat=True)) == 1


def test_a_closed_ticket_keeps_the_time_it_was_solved(seeded: Seeded) -> None:
    p1 = seeded.tickets["P1"]
    # Solved Monday 12:00; closed when quiet for 72 hours.
    services.sla_sweep(now=at(3, 13))
    p1.refresh_from_db()
    assert p1.status == Status.CLOSED and p1.solved_at is None
    reports_rollup(now=at(3, 13))
    fact = TicketFact.objects.get(ticket=p1)
    assert fact.solved_at == at(0, 12)
    assert fact.done_at == at(0, 12)
    assert fact.resolution_minutes == pytest.approx(120)


def test_rebuild_command_recomputes_a_range_from_the_records(seeded: Seeded) -> None:
    stats = _stats()
    TicketFact.objects.all().delete()
    DailyTicketStats.objects.all().delete()
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        call_command("reports_rebuild", "--from", "2026-03-02", "--until", "2026-03-05")
    assert TicketFact.objects.count() == 9
    assert _stats() == stats
    with pytest.raises(CommandError, match="must come after"):
        call_command("reports_rebuild", "--from", "2026-03-05", "--until", "2026-03-02")
    with pytest.raises(CommandError, match="not a date"):
        call_command("reports_rebuild", "--from", "March")


def test_beat_runs_the_rollup_every_few_minutes() -> None:
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "maintenance.reports_rollup"
    ]
    assert len(entries) == 1
    assert entries[0]["schedule"] <= 300
