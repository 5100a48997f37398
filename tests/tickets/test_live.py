"""Live pages: the cheap "anything new?" check, who else is viewing, and replies that collide."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgentFactory, BuyerFactory, SupervisorFactory
from tests.tickets.conftest import Desk, open_ticket
from tickets import live, selectors, services
from tickets.models import Message, MessageKind, Priority, Ticket
from tickets.services.conversation import (
    ticket_reply_by_agent,
    ticket_reply_by_buyer,
    ticket_set_status_by_agent,
)
from tickets.status import Status

HX = {"HTTP_HX_REQUEST": "true"}


def queued(desk: Desk, **kwargs: object) -> Ticket:
    """Open and route a ticket while nobody is online: it waits in its queue."""
    now = timezone.now()
    ticket = open_ticket(desk, now=now, **kwargs)  # type: ignore[arg-type]
    services.ticket_route(ticket_id=ticket.pk, now=now)
    ticket.refresh_from_db()
    assert ticket.status == Status.QUEUED
    return ticket


def assigned_to_sam(desk: Desk) -> Ticket:
    ticket = queued(desk)
    services.ticket_assign(
        ticket_id=ticket.pk, agent=desk.agent, actor=desk.agent, now=timezone.now()
    )
    ticket.refresh_from_db()
    return ticket


def logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def live_url(page: str, region: str) -> str:
    """Return the URL the page's live region asks, with the version it holds."""
    match = re.search(rf'id="{region}"[^>]*hx-get="([^"]+)"', page)
    assert match, f"no live region {region!r} on the page"
    return html.unescape(match.group(1))


def buyer_live(client: Client, ticket: Ticket) -> str:
    page = client.get(reverse("requests:detail", args=[ticket.pk]))
    assert page.status_code == 200
    return live_url(page.content.decode(), "request-live")


def agent_live(client: Client, ticket: Ticket) -> str:
    page = client.get(reverse("agent:ticket", args=[ticket.pk]))
    assert page.status_code == 200
    return live_url(page.content.decode(), "ticket-live")


def later(seconds: float = 1) -> datetime:
    return timezone.now() + timedelta(seconds=seconds)


# The buyer's request page


def test_buyer_check_is_empty_while_nothing_changed(desk: Desk) -> None:
    ticket = queued(desk)
    client = logged_in(desk.buyer)
    url = buyer_live(client, ticket)
    response = client.get(url, **HX)
    assert response.status_code == 204
    assert response.content == b""


def test_buyer_check_costs_one_query_beyond_the_session(desk: Desk) -> None:
    ticket = queued(desk)
    client = logged_in(desk.buyer)
    url = buyer_live(client, ticket)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **HX).status_code == 204
    # The session, its user, and the version.
    assert len(queries) <= 3, [query["sql"] for query in queries.captured_queries]


def test_agent_reply_reaches_the_buyers_open_page(desk: Desk) -> None:
    ticket = assigned_to_sam(desk)
    client = logged_in(desk.buyer)
    url = buyer_live(client, ticket)
    ticket_reply_by_agent(
        ticket_id=ticket.pk, agent=desk.agent, body="The refund is on its way.", now=later()
    )
    response = client.get(url, **HX)
    assert response.status_code == 200
    region = response.content.decode()
    assert 'id="request-live"' in region
    assert "The refund is on its way." in region
    assert "<html" not in region
    # The region drawn again holds the new version: the next check is empty.
    assert client.get(live_url(region, "request-live"), **HX).status_code == 204


def test_internal_note_does_not_wake_the_buyers_page(desk: Desk) -> None:
    ticket = assigned_to_sam(desk)
    client = logged_in(desk.buyer)
    url = buyer_live(client, ticket)
    ticket_reply_by_agent(
        ticket_id=ticket.pk, agent=desk.agent, body="Checked the bank.", now=later(), internal=True
    )
    # The note moved updated_at, so the page is drawn again, without the note.
    response = client.get(url, **HX)
    assert "Checked the bank." not in response.content.decode()


def test_status_change_reaches_the_buyers_open_page(desk: Desk) -> None:
    ticket = assigned_to_sam(desk)
    client = logged_in(desk.buyer)
    url = buyer_live(client, ticket)
    ticket_set_status_by_agent(
        ticket_id=ticket.pk, agent=desk.agent, status=Status.SOLVED, now=later()
    )
    response = client.get(url, **HX)
    assert response.status_code == 200
    assert 'data-testid="status">Solved<' in response.content.decode()


def test_place_in_line_goes_down_when_the_ticket_ahead_is_taken(desk: Desk) -> None:
    ahead = queued(desk, buyer=desk.other_buyer)
    mine = queued(desk)
    client = logged_in(desk.buyer)
    page = client.get(reverse("requests:detail", args=[mine.pk])).content.decode()
    assert "You are number 2 in the queue." in page
    url = live_url(page, "request-live")
    services.ticket_assign(ticket_id=ahead.pk, agent=desk.agent, actor=desk.agent, now=later())
    # Only the ticket ahead changed; the waiting ticket's own row did not.
    assert Ticket.objects.get(pk=mine.pk).updated_at == mine.updated_at
    response = client.get(url, **HX)
    assert response.status_code == 200
    assert "You are number 1 in the queue." in response.content.decode()


def test_check_counts_the_place_in_line_as_the_page_does(desk: Desk) -> None:
    """The check's own SQL and the page's selector agree on every place in line."""
    now = timezone.now()
    buyers = [desk.other_buyer, BuyerFactory(), desk.buyer, BuyerFactory()]
    tickets = []
    for buyer in buyers:
        # One arrival time for all: the id breaks the tie.
        ticket = open_ticket(desk, now=now, buyer=buyer)
        services.ticket_route(ticket_id=ticket.pk, now=now)
        tickets.append(ticket)
    services.ticket_set_priority(
        ticket_id=tickets[-1].pk, priority=Priority.HIGH, actor=None, now=now
    )
    places = []
    for ticket, buyer in zip(tickets, buyers, strict=True):
        shown = selectors.ticket_get_for_buyer(buyer=buyer, ticket_id=ticket.pk)
        thread = selectors.ticket_thread(ticket=shown, for_agent=False)
        places.append(shown.ahead)  # type: ignore[attr-defined]
        assert live.buyer_version_now(buyer=buyer, ticket_id=ticket.pk) == live.buyer_version(
            updated_at=shown.updated_at,
            newest_message_id=max(message.pk for message in thread),
            status=shown.status,
            ahead=shown.ahead,  # type: ignore[attr-defined]
        )
    # The urgent one first; the others, arrived at once, by their (random) ids.
    tied = sorted(ticket.pk for ticket in tickets[:3])
    assert places == [1 + tied.index(ticket.pk) for ticket in tickets[:3]] + [0]


def test_a_ticket_behind_does_not_wake_the_page(desk: Desk) -> None:
    mine = queued(desk)
    client = logged_in(desk.buyer)
    url = buyer_live(client, mine)
    queued(desk, buyer=desk.other_buyer)
    assert client.get(url, **HX).status_code == 204


def test_another_buyers_ticket_is_not_found(desk: Desk) -> None:
    theirs = queued(desk, buyer=desk.other_buyer)
    client = logged_in(desk.buyer)
    response = client.get(reverse("requests:live", args=[theirs.pk]), **HX)
    assert response.status_code == 404


def test_an_ended_session_reloads_the_page_instead_of_drawing_the_log_in_form(
    desk: Desk,
) -> None:
    ticket = queued(desk)
    response = Client().get(reverse("requests:live", args=[ticket.pk]), **HX)
    assert response.status_code == 401
    assert response["HX-Refresh"] == "true"


def test_agents_cannot_ask_the_buyers_check(desk: Desk) -> None:
    ticket = queued(desk)
    response = logged_in(desk.agent).get(reverse("requests:live", args=[ticket.pk]), **HX)
    assert response.status_code == 403


def test_checks_are_never_cached(desk: Desk) -> None:
    ticket = queued(desk)
    client = logged_in(desk.buyer)
    response = client.get(buyer_live(client, ticket), **HX)
    assert "no-store" in response["Cache-Control"]


# The agent's ticket page


def test_buyer_reply_reaches_the_agents_open_page(desk: Desk) -> None:
    ticket = assigned_to_sam(desk)
    client = logged_in(desk.agent)
    url = agent_live(client, ticket)
    assert client.get(url, **HX).status_code == 204
    ticket_reply_by_buyer(
        ticket_id=ticket.pk, buyer=desk.buyer, body="Here is my bank statement.", now=later()
    )
    response = client.get(url, **HX)
    assert response.status_code == 200
    region = response.content.decode()
    assert "Here is my bank statement." in region
    assert 'id="conversation"' in region


def test_assignee_change_reaches_the_agents_open_page(desk: Desk) -> None:
    ticket = queued(desk)
    client = logged_in(desk.agent_ru)
    url = agent_live(client, ticket)
    services.ticket_assign(ticket_id=ticket.pk, agent=desk.agent, actor=desk.agent, now=later())
    response = client.get(url, **HX)
    assert response.status_code == 200
    assert f"with {desk.agent.display_name}" in response.content.decode()


def test_agent_outside_the_tickets_queues_gets_not_found(desk: Desk) -> None:
    ticket = queued(desk, topic=desk.warranty)
    response = logged_in(desk.agent_ru).get(reverse("agent:ticket-live", args=[ticket.pk]), **HX)
    assert response.status_code == 404


def test_assignee_keeps_the_check_after_leaving_the_tickets_queue(desk: Desk) -> None:
    ticket = assigned_to_sam(desk)
    client = logged_in(desk.agent)
    url = agent_live(client, ticket)
    services.agent_configure(
        agent=desk.agent, queues=[desk.en_refund], languages=["en"], capacity=3
    )
    assert ticket.queue != desk.en_refund
    assert client.get(url, **HX).status_code == 204


def test_supervisor_checks_any_ticket_and_others_none(desk: Desk) -> None:
    ticket = queued(desk, topic=desk.warranty)
    supervisor = logged_in(SupervisorFactory())
    url = agent_live(supervisor, ticket)
    assert supervisor.get(url, **HX).status_code == 204
    assert logged_in(desk.agent_ru).get(url, **HX).status_code == 404
    assert logged_in(desk.buyer).get(url, **HX).status_code == 403


def test_agent_check_costs_one_query_beyond_the_session(desk: Desk) -> None:
    ticket = assigned_to_sam(desk)
    client = logged_in(desk.agent)
    url = agent_live(client, ticket)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **HX).status_code == 204
    assert len(queries) <= 3, [query["sql"] for query in queries.captured_queries]


# Who else is viewing


def test_the_other_agent_viewing_is_shown(desk: Desk) -> None:
    ticket = queued(desk)
    sam, olga = logged_in(desk.agent), logged_in(desk.agent_ru)
    url = agent_live(sam, ticket)
    assert "Also viewing" not in sam.get(reverse("agent:ticket", args=[ticket.pk])).content.decode()
    agent_live(olga, ticket)
    response = sam.get(url, **HX)
    assert response.status_code == 200
    assert f"Also viewing: {desk.agent_ru.display_name}" in response.content.decode()
    # Olga's page shows Sam, never herself.
    olga_page = olga.get(reverse("agent:ticket", args=[ticket.pk])).content.decode()
    assert f"Also viewing: {desk.agent.display_name}" in olga_page
    assert desk.agent_ru.display_name not in re.findall(r"Also viewing: ([^<]*)", olga_page)[0]


def test_viewers_expire_when_their_page_stops_asking(desk: Desk) -> None:
    ticket = queued(desk)
    now = timezone.now()
    live.viewers_touch(ticket_id=ticket.pk, agent=desk.agent_ru, now=now)
    seen = live.viewers_touch(ticket_id=ticket.pk, agent=desk.agent, now=now + timedelta(seconds=5))
    assert seen == [desk.agent_ru.display_name]
    gone = now + timedelta(seconds=live.VIEWER_SECONDS + 1)
    assert live.viewers_touch(ticket_id=ticket.pk, agent=desk.agent, now=gone) == []


def test_a_viewer_whose_page_keeps_asking_stays_shown_between_heartbeats(desk: Desk) -> None:
    # The heartbeat is written every other check; the others must never lose sight of it.
    ticket = queued(desk)
    start = timezone.now()
    for check in range(20):
        at = start + timedelta(seconds=check * live.POLL_SECONDS)
        live.viewers_touch(ticket_id=ticket.pk, agent=desk.agent_ru, now=at)
        seen = live.viewers_touch(
            ticket_id=ticket.pk, agent=desk.agent, now=at + timedelta(seconds=2)
        )
        assert seen == [desk.agent_ru.display_name], check
    stopped = start + timedelta(seconds=19 * live.POLL_SECONDS + live.VIEWER_SECONDS + 1)
    assert live.viewers_touch(ticket_id=ticket.pk, agent=desk.agent, now=stopped) == []


def test_several_viewers_are_all_shown(desk: Desk) -> None:
    ticket = queued(desk)
    third = AgentFactory(first_name="Zoe")
    services.agent_configure(agent=third, queues=[desk.en_payment], languages=["en"], capacity=3)
    now = timezone.now()
    for agent in (desk.agent_ru, third):
        live.viewers_touch(ticket_id=ticket.pk, agent=agent, now=now)
    seen = live.viewers_touch(ticket_id=ticket.pk, agent=desk.agent, now=now)
    assert sorted(seen) == sorted([desk.agent_ru.display_name, "Zoe"])


# Replies that collide


def reply_post(page: str, body: str, **extra: str) -> dict[str, str]:
    version = re.search(r'name="reply-loaded_version" value="([^"]*)"', page)
    assert version, "the reply form carries no version"
    return {
        "reply-body": body,
        "reply-visibility": "public",
        "reply-then_status": "",
        "reply-loaded_version": version.group(1),
        **extra,
    }


def agent_messages(ticket: Ticket) -> list[str]:
    return list(
        Message.objects.filter(ticket=ticket, kind=MessageKind.AGENT).values_list("body", flat=True)
    )


def test_stale_reply_asks_first_and_keeps_the_text(desk: Desk) -> None:
    ticket = assigned_to_sam(desk)
    client = logged_in(desk.agent)
    page = client.get(reverse("agent:ticket", args=[ticket.pk])).content.decode()
    ticket_reply_by_buyer(
        ticket_id=ticket.pk, buyer=desk.buyer, body="Never mind, it arrived.", now=later()
    )
    response = client.post(
        reverse("agent:ticket-reply", args=[ticket.pk]),
        reply_post(page, "Your refund was issued today."),
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "Not sent yet: the ticket changed while you were writing." in text
    assert f"{desk.buyer.display_name} wrote" in text
    assert "Never mind, it arrived." in text
    assert "Your refund was issued today.</textarea>" in text
    assert "Send anyway" in text
    assert agent_messages(ticket) == []


def test_confirmed_reply_goes_out(desk: Desk) -> None:
    ticket = assigned_to_sam(desk)
    client = logged_in(desk.agent)
    page = client.get(reverse("agent:ticket", args=[ticket.pk])).content.decode()
    ticket_set_status_by_agent(
        ticket_id=ticket.pk, agent=desk.agent_ru, status=Status.PENDING, now=later()
    )
    url = reverse("agent:ticket-reply", args=[ticket.pk])
    asked = client.post(url, reply_post(page, "Please send the receipt."))
    assert asked.status_code == 409
    assert "set the status to Pending" in asked.content.decode()
    response = client.post(
        url, reply_post(page, "Please send the receipt.", **{"reply-send_anyway": "1"})
    )
    assert response.status_code == 302
    assert agent_messages(ticket) == ["Please send the receipt."]


def test_reply_from_the_confirmation_page_goes_out(desk: Desk) -> None:
    """The page that asked shows the changes, so its form holds the version after them."""
    ticket = assigned_to_sam(desk)
    client = logged_in(desk.agent)
    page = client.get(reverse("agent:ticket", args=[ticket.pk])).content.decode()
    ticket_reply_by_buyer(ticket_id=ticket.pk, buyer=desk.buyer, body="Any news?", now=later())
    url = reverse("agent:ticket-reply", args=[ticket.pk])
    asked = client.post(url, reply_post(page, "Yes: it is refunded.")).content.decode()
    assert client.post(url, reply_post(asked, "Yes: it is refunded.")).status_code == 302
    assert agent_messages(ticket) == ["Yes: it is refunded."]


def test_reply_on_an_unchanged_ticket_goes_out_at_once(desk: Desk) -> None:
    ticket = assigned_to_sam(desk)
    client = logged_in(desk.agent)
    page = client.get(reverse("agent:ticket", args=[ticket.pk])).content.decode()
    response = client.post(
        reverse("agent:ticket-reply", args=[ticket.pk]), reply_post(page, "Looking into it.")
    )
    assert response.status_code == 302
    assert agent_messages(ticket) == ["Looking into it."]


def test_own_changes_do_not_ask(desk: Desk) -> None:
    ticket = assigned_to_sam(desk)
    client = logged_in(desk.agent)
    page = client.get(reverse("agent:ticket", args=[ticket.pk])).content.decode()
    ticket_reply_by_agent(ticket_id=ticket.pk, agent=desk.agent, body="First.", now=later())
    response = client.post(
        reverse("agent:ticket-reply", args=[ticket.pk]), reply_post(page, "Second.")
    )
    assert response.status_code == 302
    assert sorted(agent_messages(ticket)) == ["First.", "Second."]


@pytest.mark.parametrize("version", ["", "nonsense", "1-2-3", "9" * 60])
def test_reply_without_a_readable_version_goes_out(desk: Desk, version: str) -> None:
    ticket = assigned_to_sam(desk)
    ticket_reply_by_buyer(ticket_id=ticket.pk, buyer=desk.buyer, body="Hello?", now=later())
    response = logged_in(desk.agent).post(
        reverse("agent:ticket-reply", args=[ticket.pk]),
        {
            "reply-body": "Hello!",
            "reply-visibility": "public",
            "reply-loaded_version": version[:40],
        },
    )
    assert response.status_code == 302
    assert agent_messages(ticket) == ["Hello!"]


# The agent's home lists


def test_home_lists_update_when_a_ticket_arrives(desk: Desk) -> None:
    client = logged_in(desk.agent)
    page = client.get(reverse("agent:home")).content.decode()
    url = live_url(page, "agent-lists")
    assert client.get(url, **HX).status_code == 204
    queued(desk)
    response = client.get(url, **HX)
    assert response.status_code == 200
    assert "1 waiting" in response.content.decode()


def test_buyers_cannot_ask_the_home_check(desk: Desk) -> None:
    response = logged_in(BuyerFactory()).get(reverse("agent:home-live"), **HX)
    assert response.status_code == 403
