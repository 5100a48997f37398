"""The buyer's requests: the list, the ticket page, replying and marking solved."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from tests.factories import AgentFactory
from tests.tickets.conftest import Desk, open_ticket
from tickets import services
from tickets.models import Presence, Ticket
from tickets.status import Status

pytestmark = pytest.mark.django_db

ATHENS = ZoneInfo("Europe/Athens")


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def thread_of(html: str) -> str:
    """Return the conversation part of a ticket page."""
    start = html.index('data-testid="thread"')
    return html[start : html.index("</ol>", start)]


def status_of(html: str) -> str:
    """Return the status card of a ticket page."""
    start = html.index('data-testid="queue-position"')
    return html[start : html.index("</div>", start)]


def queued(desk: Desk, *, now: datetime, **kwargs: Any) -> Ticket:
    """Open a ticket and route it into its queue (no agent is online)."""
    ticket = open_ticket(desk, now=now, **kwargs)
    assert services.ticket_route(ticket_id=ticket.pk, now=now) == "queued"
    ticket.refresh_from_db()
    return ticket


def assigned(desk: Desk, *, now: datetime, agent: User | None = None) -> Ticket:
    """Open a payment ticket and route it to ``agent`` (sam by default), who is online."""
    services.agent_set_presence(agent=agent or desk.agent, presence=Presence.ONLINE, now=now)
    ticket = open_ticket(desk, now=now)
    assert services.ticket_route(ticket_id=ticket.pk, now=now) == "assigned"
    ticket.refresh_from_db()
    return ticket


# --- /help/requests/ --------------------------------------------------------


def test_empty_list_points_to_the_help_centre(client: Client, desk: Desk) -> None:
    client.force_login(desk.buyer)
    html = page(client, "/help/requests/")
    assert "You have no requests yet." in html
    assert 'href="/help/"' in html
    assert 'href="/help/requests/"' in html  # the "My requests" link in the menu


def test_list_shows_the_buyers_tickets_newest_first_with_place_in_line(
    client: Client, desk: Desk
) -> None:
    now = timezone.now()
    first = queued(desk, now=now - timedelta(hours=2), subject="Refund missing", topic=desk.refund)
    second = queued(desk, now=now - timedelta(hours=1), subject="Charged twice")
    third = queued(desk, now=now, subject="Still charged twice")
    open_ticket(desk, now=now, buyer=desk.other_buyer, subject="Someone else's problem")
    client.force_login(desk.buyer)
    html = page(client, "/help/requests/")
    assert "Someone else" not in html
    positions = [html.index(t.reference) for t in (third, second, first)]
    assert positions == sorted(positions)
    assert html.count('data-testid="request-item"') == 3
    third_row = html[html.index(third.reference) : html.index(second.reference)]
    assert "Still charged twice" in third_row
    assert "Payment" in third_row
    assert "In the queue" in third_row
    assert "number 2 in the queue" in third_row  # behind `second` in the payment queue
    first_row = html[html.index(first.reference) :]
    assert "Refund" in first_row and "number 1 in the queue" in first_row


@pytest.mark.parametrize("count", [1, 20])
def test_list_reads_a_constant_number_of_queries(
    client: Client, desk: Desk, django_assert_num_queries: Any, count: int
) -> None:
    now = timezone.now()
    for n in range(count):
        queued(desk, now=now - timedelta(minutes=n), subject=f"Problem {n}")
    client.force_login(desk.buyer)
    # Session, user, topic names (two), the page count and the page of tickets.
    with django_assert_num_queries(6):
        html = page(client, "/help/requests/")
    assert html.count('data-testid="request-item"') == count


def test_list_is_for_buyers_only(client: Client, desk: Desk) -> None:
    assert client.get("/help/requests/")["Location"] == "/accounts/login/?next=/help/requests/"
    client.force_login(desk.agent)
    assert client.get("/help/requests/").status_code == 403


# --- /help/requests/<id>/ ---------------------------------------------------


def test_ticket_page_shows_what_the_buyer_gave_and_the_place_in_line(
    client: Client, desk: Desk
) -> None:
    now = timezone.now()
    queued(desk, now=now - timedelta(minutes=5))
    ticket = queued(desk, now=now)
    client.force_login(desk.buyer)
    html = page(client, f"/help/requests/{ticket.pk}/")
    assert ticket.reference in html
    assert "My card was charged twice" in html
    assert "In the queue" in html and "Payment" in html
    assert "MP-1001" in html and "TX-42" in html and "59.90" in html
    assert "You are number 2 in the queue." in html
    # Nobody online and no history: two tickets of 15 minutes each before this one is answered.
    assert "Estimated wait: about 30 minutes." in html
    assert 'aria-live="polite"' in html
    assert "My problem is solved" in html


def test_a_closed_queue_says_when_it_opens_and_that_the_fallback_is_open(
    client: Client, desk: Desk
) -> None:
    now = timezone.now()
    # A Greek payment queue open one hour, two days from now (Athens time), with English behind it.
    opening_day = (now.astimezone(ATHENS) + timedelta(days=2)).date()
    day_key = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[opening_day.weekday()]
    hours = services.business_hours_upsert(
        name="Athens one hour",
        time_zone="Europe/Athens",
        weekly_hours={day_key: [["10:00", "11:00"]]},
    )
    services.queue_upsert(
        slug="el-payment",
        name="Πληρωμές",
        language="el",
        topics=[desk.payment],
        hours=hours,
        fallback=desk.en_payment,
    )
    open_at = datetime(opening_day.year, opening_day.month, opening_day.day, 10, 30, tzinfo=ATHENS)
    ticket = queued(desk, now=open_at, language="el")
    assert ticket.queue.slug == "el-payment"  # type: ignore[union-attr]
    client.force_login(desk.buyer)
    html = page(client, f"/help/requests/{ticket.pk}/")
    assert "You are number 1 in the queue." in html
    assert "It opens at 10:00 on" in html and "(Europe/Athens time)" in html
    assert opening_day.strftime("%A") in html
    assert "Support in English is available now." in html
    assert "Estimated wait" not in html


def test_another_buyers_ticket_is_not_found(client: Client, desk: Desk) -> None:
    ticket = queued(desk, now=timezone.now())
    client.force_login(desk.other_buyer)
    assert client.get(f"/help/requests/{ticket.pk}/").status_code == 404
    assert client.post(f"/help/requests/{ticket.pk}/reply/", {"body": "hi"}).status_code == 404
    assert client.post(f"/help/requests/{ticket.pk}/solve/").status_code == 404
    assert client.get("/help/requests/999999/").status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Status.QUEUED
    assert ticket.messages.exclude(kind="system").count() == 1


def test_internal_notes_never_appear_and_agents_show_by_first_name(
    client: Client, desk: Desk
) -> None:
    now = timezone.now()
    agent = AgentFactory(username="mkowalska", first_name="Marta", last_name="Kowalska")
    services.agent_configure(agent=agent, queues=[desk.en_payment], languages=["en"], capacity=3)
    ticket = assigned(desk, now=now, agent=agent)
    assert ticket.assignee == agent
    services.ticket_reply_by_agent(
        ticket_id=ticket.pk, agent=agent, body="Please send a screenshot.", now=now
    )
    services.ticket_reply_by_agent(
        ticket_id=ticket.pk,
        agent=agent,
        body="Buyer looks like a repeat chargeback case.",
        now=now,
        internal=True,
    )
    client.force_login(desk.buyer)
    html = page(client, f"/help/requests/{ticket.pk}/")
    assert "Please send a screenshot." in thread_of(html)
    assert "chargeback" not in html
    assert "Marta" in thread_of(html)
    assert "Kowalska" not in html and "mkowalska" not in html
    assert "With an agent" in html
    assert "Marta from our team is looking after your request." in html


def test_reply_reopens_a_solved_ticket(client: Client, desk: Desk) -> None:
    now = timezone.now()
    ticket = assigned(desk, now=now)
    services.ticket_set_status_by_agent(
        ticket_id=ticket.pk, agent=desk.agent, status=Status.SOLVED, now=now
    )
    client.force_login(desk.buyer)
    html = page(client, f"/help/requests/{ticket.pk}/")
    assert "This request is solved. Writing here opens it again." in html
    assert "My problem is solved" not in html
    response = client.post(
        f"/help/requests/{ticket.pk}/reply/", {"body": "It happened again this morning."}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/help/requests/{ticket.pk}/#reply"
    ticket.refresh_from_db()
    assert ticket.status == Status.ASSIGNED and ticket.assignee == desk.agent
    html = page(client, response["Location"])
    assert "It happened again this morning." in thread_of(html)
    assert "With an agent" in html
    assert "Your message was sent." in html


def test_an_empty_reply_is_refused_in_the_page(client: Client, desk: Desk) -> None:
    ticket = queued(desk, now=timezone.now())
    client.force_login(desk.buyer)
    response = client.post(f"/help/requests/{ticket.pk}/reply/", {"body": "   "})
    assert response.status_code == 400
    assert "Write a message first." in response.content.decode()
    assert ticket.messages.exclude(kind="system").count() == 1


def test_mark_solved(client: Client, desk: Desk) -> None:
    ticket = queued(desk, now=timezone.now())
    client.force_login(desk.buyer)
    response = client.post(f"/help/requests/{ticket.pk}/solve/")
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.SOLVED
    html = page(client, f"/help/requests/{ticket.pk}/")
    assert "Glad it is solved." in html
    assert "My problem is solved" not in html
    assert "You are number" not in status_of(html)
    assert "This request is marked solved." in thread_of(html)


def test_a_closed_ticket_says_so_and_keeps_a_late_reply_in_the_box(
    client: Client, desk: Desk
) -> None:
    now = timezone.now()
    ticket = queued(desk, now=now)
    services.ticket_solve_by_buyer(ticket_id=ticket.pk, buyer=desk.buyer, now=now)
    services.sla_sweep(now=now + timedelta(days=30))
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    client.force_login(desk.buyer)
    html = page(client, f"/help/requests/{ticket.pk}/")
    assert "This request is closed" in html
    assert 'href="/help/"' in html
    assert f'action="/help/requests/{ticket.pk}/reply/' not in html
    response = client.post(f"/help/requests/{ticket.pk}/reply/", {"body": "One more thing"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "This ticket is closed" in html
    assert "One more thing</textarea>" in html
    assert ticket.messages.exclude(kind="system").count() == 1
