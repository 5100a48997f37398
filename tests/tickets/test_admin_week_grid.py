"""Business hours are edited as a week: seven rows of opening and closing times."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from tests.factories import SupervisorFactory
from tickets import services
from tickets.admin.week_grid import WeekGridField
from tickets.hours import is_open
from tickets.models import BusinessHours

EVERY_DAY_6_TO_24 = {
    day: [["06:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
}
MOSCOW = ZoneInfo("Europe/Moscow")


def grid(**days: list[tuple[str, str]]) -> dict[str, str]:
    """Return the POST of a week grid with ``days`` filled in and two periods a row."""
    data = {}
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        periods = list(days.get(day, []))
        periods += [("", "")] * (2 - len(periods))
        for index, (opens, closes) in enumerate(periods):
            data[f"weekly_hours_{day}_{index}_opens"] = opens
            data[f"weekly_hours_{day}_{index}_closes"] = closes
    return data


def clean(**days: list[tuple[str, str]]) -> Any:
    field = WeekGridField(required=False)
    return field.clean(field.widget.value_from_datadict(grid(**days), {}, "weekly_hours"))


def test_the_grid_gives_the_stored_shape_sorted_with_closed_days_left_out() -> None:
    hours = clean(
        mon=[("14:00", "18:00"), ("9:00", "13:00")],
        sat=[("10", "00:00")],
    )
    assert hours == {
        "mon": [["09:00", "13:00"], ["14:00", "18:00"]],
        "sat": [["10:00", "24:00"]],
    }


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (
            {"tue": [("09:00", "13:00"), ("12:00", "18:00")]},
            "Tuesday: 09:00–13:00 and 12:00–18:00 overlap.",
        ),
        ({"wed": [("18:00", "09:00")]}, "Wednesday: 18:00–09:00 closes before it opens."),
        ({"thu": [("09:00", "")]}, "Thursday: give both the opening and the closing time."),
        ({"fri": [("9am", "17:00")]}, "Friday: “9am” is not a time like 09:00 or 24:00."),
        ({"sun": [("09:00", "24:30")]}, "Sunday: “24:30” is not a time like 09:00 or 24:00."),
    ],
)
def test_bad_times_are_refused_naming_the_day(days: dict[str, Any], message: str) -> None:
    with pytest.raises(forms.ValidationError) as refused:
        clean(**days)
    assert message in refused.value.messages


@pytest.fixture
def moscow_hours(db: None) -> BusinessHours:
    return services.business_hours_upsert(
        name="Moscow", time_zone="Europe/Moscow", weekly_hours=EVERY_DAY_6_TO_24
    )


@pytest.fixture
def admin_client(client: Client, db: None) -> Client:
    client.force_login(SupervisorFactory(username="sofia"))
    return client


def page_post(hours: BusinessHours, **days: list[tuple[str, str]]) -> dict[str, str]:
    return {
        "name": hours.name,
        "time_zone": hours.time_zone,
        **grid(**days),
        "holidays-TOTAL_FORMS": "0",
        "holidays-INITIAL_FORMS": "0",
    }


def test_the_change_page_shows_the_week_as_time_inputs(
    admin_client: Client, moscow_hours: BusinessHours
) -> None:
    page = admin_client.get(reverse("admin:tickets_businesshours_change", args=[moscow_hours.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('class="week-grid-day"') == 7
    assert 'name="weekly_hours_mon_0_opens" id="id_weekly_hours_mon_0_opens" value="06:00"' in html
    assert (
        'name="weekly_hours_sun_0_closes" id="id_weekly_hours_sun_0_closes" value="24:00"' in html
    )
    assert "Monday" in html and "Sunday" in html
    assert "<textarea" not in html.split('id="businesshours_form"')[1].split("holidays")[0]


def test_overlapping_periods_are_shown_in_the_form_and_what_was_typed_stays(
    admin_client: Client, moscow_hours: BusinessHours
) -> None:
    url = reverse("admin:tickets_businesshours_change", args=[moscow_hours.pk])
    response = admin_client.post(
        url, page_post(moscow_hours, mon=[("09:00", "13:00"), ("12:30", "18:00")])
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["weekly_hours"]
    assert errors == ["Monday: 09:00–13:00 and 12:30–18:00 overlap."]
    html = response.content.decode()
    assert 'value="12:30"' in html and "errorlist" in html
    moscow_hours.refresh_from_db()
    assert moscow_hours.weekly_hours == EVERY_DAY_6_TO_24


def test_a_saved_week_is_stored_in_the_hours_shape_routing_reads_and_audited(
    admin_client: Client, moscow_hours: BusinessHours
) -> None:
    url = reverse("admin:tickets_businesshours_change", args=[moscow_hours.pk])
    response = admin_client.post(
        url,
        page_post(
            moscow_hours,
            mon=[("09:00", "13:00"), ("14:00", "18:00")],
            tue=[("09:00", "18:00")],
        ),
    )
    assert response.status_code == 302
    moscow_hours.refresh_from_db()
    assert moscow_hours.weekly_hours == {
        "mon": [["09:00", "13:00"], ["14:00", "18:00"]],
        "tue": [["09:00", "18:00"]],
    }
    calendar = moscow_hours.calendar()
    monday = datetime(2026, 11, 23, tzinfo=MOSCOW)
    assert not is_open(calendar, monday.replace(hour=13, minute=30))
    assert is_open(calendar, monday.replace(hour=14, minute=30))
    assert not is_open(calendar, datetime(2026, 11, 25, 10, tzinfo=MOSCOW))  # Wednesday

    entry = AuditEntry.objects.filter(object_id=str(moscow_hours.pk)).latest("id")
    assert entry.changes["weekly_hours"][0] == EVERY_DAY_6_TO_24
    assert entry.changes["weekly_hours"][1] == moscow_hours.weekly_hours
    assert entry.actor_name == "sofia"
