"""A supervisor changes a queue's opening hours in the admin's week grid; routing follows them."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from faq.models import Topic
from support_desk.demo import demo_load
from tickets import services
from tickets.demo import MOSCOW_HOURS, RUSSIAN_QUEUE
from tickets.models import BusinessHours, Ticket

pytestmark = pytest.mark.browser

MOSCOW = ZoneInfo("Europe/Moscow")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _next_working_morning(hours: BusinessHours) -> datetime:
    """Return 08:00 Moscow time on the next day that is not one of the hours' holidays."""
    holidays = set(hours.holidays.values_list("date", flat=True))
    day = timezone.now().astimezone(MOSCOW).date() + timedelta(days=1)
    while day in holidays:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 8, 0, tzinfo=MOSCOW)


def test_supervisor_edits_opening_hours_in_the_week_grid_and_routing_and_the_trail_follow(
    page: Any, desk_url: Any, login_as: Any, transactional_db: None, artifact_path: Any
) -> None:
    demo_load(now=timezone.now())
    hours = BusinessHours.objects.get(name=MOSCOW_HOURS)
    login_as(page, "supervisor", "demo-pass-2026")

    page.goto(desk_url(f"/admin/tickets/businesshours/{hours.pk}/change/"))
    grid = page.locator("table.week-grid")
    expect(grid.locator("tr.week-grid-day")).to_have_count(7)
    # A typo first: the form says what is wrong, and keeps the week as typed.
    grid.locator('input[name="weekly_hours_mon_0_opens"]').fill("10:00")
    grid.locator('input[name="weekly_hours_mon_0_closes"]').fill("09:00")
    page.locator('input[name="_save"]').click()
    expect(page.locator(".errorlist")).to_contain_text(
        "Monday: 10:00–09:00 closes before it opens."
    )
    expect(grid.locator('input[name="weekly_hours_mon_0_opens"]')).to_have_value("10:00")

    for day in DAYS:
        grid.locator(f'input[name="weekly_hours_{day}_0_opens"]').fill("10:00")
        grid.locator(f'input[name="weekly_hours_{day}_0_closes"]').fill("19:00")
    grid.screenshot(path=str(artifact_path("admin-week-grid")))
    page.locator('input[name="_save"]').click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    hours.refresh_from_db()
    assert hours.weekly_hours == {day: [["10:00", "19:00"]] for day in DAYS}

    # At 08:00 Moscow time the Russian queue used to be open (06:00–24:00); now it is not,
    # so a Russian payment ticket goes to the English fallback, with the reason recorded.
    morning = _next_working_morning(hours)
    buyer = User.objects.get(username="buyer")
    ticket = services.ticket_open(
        buyer=buyer,
        topic=Topic.objects.get(slug="payment"),
        request=services.TicketRequest(
            subject="Оплата не прошла",
            description="Деньги списаны, заказ не оплачен.",
            language="ru",
            channel="web",
            order_number="MP-1001",
            transaction_id="TX-42",
            amount=Decimal("59.90"),
        ),
        now=morning,
    )
    services.ticket_route(ticket_id=ticket.pk, now=morning)
    ticket = Ticket.objects.select_related("queue").get(pk=ticket.pk)
    assert ticket.queue is not None and ticket.queue.slug == "en-payment"
    assert ticket.queue.slug != RUSSIAN_QUEUE

    page.goto(desk_url("/admin/audit/auditentry/?q=" + MOSCOW_HOURS.split()[0]))
    row = page.locator("#result_list tbody tr").first
    expect(row).to_contain_text("supervisor")
    expect(row).to_contain_text("weekly_hours")
    row.locator("a", has_text=MOSCOW_HOURS).first.click()
    expect(page).to_have_url(desk_url(f"/admin/tickets/businesshours/{hours.pk}/change/"))
    page.go_back()
    row.locator("th a, td a").first.click()
    changes = page.locator("table.audit-changes")
    expect(changes).to_contain_text("06:00")
    expect(changes).to_contain_text("10:00")
    page.screenshot(path=str(artifact_path("admin-audit-entry")), full_page=True)
