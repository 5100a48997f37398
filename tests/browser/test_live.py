"""Live pages in real browsers: each side sees the other's messages without reloading.

The buyer and the agents each have their own browser context (their own
cookies). Every action is taken in a browser; the pages that watch it are
never reloaded: a flag set in the page's window before the action must still
be there after the change appeared. Tickets are opened and routed by the
test thread through the services (the routing task's own call), so the
pages never wait on a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.tickets.conftest import Desk, build_desk, open_ticket
from tickets import services
from tickets.models import Ticket
from tickets.status import Status

pytestmark = pytest.mark.browser

# A change appears within one check (every 3 s) and its drawing.
LIVE_TIMEOUT_MS = 5_000

OpenPage = Callable[[], Any]


@pytest.fixture
def live_desk(transactional_db: None) -> Desk:
    """The tests' small desk (topics, queues, agents sam and olga, buyers anna and dmitri)."""
    return build_desk()


def queued_ticket(desk: Desk, **kwargs: Any) -> Ticket:
    now = timezone.now()
    ticket = open_ticket(desk, now=now, channel="chat", **kwargs)
    services.ticket_route(ticket_id=ticket.pk, now=now)
    ticket.refresh_from_db()
    assert ticket.status == Status.QUEUED
    return ticket


def stays(page: Any) -> None:
    """Mark the page's window; ``still_there`` checks it was not reloaded since."""
    page.evaluate("() => { window.deskNotReloaded = true; }")


def still_there(page: Any) -> None:
    assert page.evaluate("() => window.deskNotReloaded === true"), "the page was reloaded"


def test_messages_status_and_viewers_appear_without_reloading(
    page: Any,
    open_page: OpenPage,
    login_as: Callable[..., None],
    desk_url: Callable[[str], str],
    live_desk: Desk,
    artifact_path: Callable[[str], Any],
) -> None:
    desk = live_desk
    ticket = queued_ticket(desk, subject="Refund not received")
    services.ticket_assign(
        ticket_id=ticket.pk, agent=desk.agent, actor=desk.agent, now=timezone.now()
    )

    # The buyer watches their request.
    buyer = page
    login_as(buyer, desk.buyer.get_username(), PASSWORD)
    buyer.goto(desk_url(f"/help/requests/{ticket.pk}/"))
    expect(buyer.locator("[data-testid=status]")).to_have_text("With an agent")
    stays(buyer)

    # The agent replies from the ticket page.
    sam = open_page()
    login_as(sam, desk.agent.get_username(), PASSWORD)
    sam.goto(desk_url(f"/agent/tickets/{ticket.pk}/"))
    reply = sam.locator("[data-testid=reply]")
    reply.get_by_label("Message").fill("Your refund left us today; allow three days.")
    with sam.expect_navigation():
        reply.get_by_role("button", name="Send", exact=True).click()
    expect(sam.get_by_text("Reply sent.")).to_be_visible()

    thread = buyer.locator("[data-testid=thread]")
    expect(thread).to_contain_text(
        "Your refund left us today; allow three days.", timeout=LIVE_TIMEOUT_MS
    )
    still_there(buyer)

    # The buyer answers; the agent's open page shows it.
    stays(sam)
    buyer.locator("#reply").get_by_label("Your message").fill("Thank you, I will wait.")
    with buyer.expect_navigation():
        buyer.locator("#reply").get_by_role("button", name="Send").click()
    conversation = sam.locator("[data-testid=conversation]")
    expect(conversation).to_contain_text("Thank you, I will wait.", timeout=LIVE_TIMEOUT_MS)
    still_there(sam)

    # A second agent opens the same ticket: each sees the other.
    olga = open_page()
    login_as(olga, desk.agent_ru.get_username(), PASSWORD)
    olga.goto(desk_url(f"/agent/tickets/{ticket.pk}/"))
    expect(olga.locator("[data-testid=also-viewing]")).to_have_text(
        f"Also viewing: {desk.agent.display_name}"
    )
    expect(sam.locator("[data-testid=also-viewing]")).to_have_text(
        f"Also viewing: {desk.agent_ru.display_name}", timeout=LIVE_TIMEOUT_MS
    )
    still_there(sam)
    sam.screenshot(path=str(artifact_path("live-agent-also-viewing")), full_page=True)

    # Olga sets it pending: the buyer's status follows.
    stays(buyer)
    status = olga.locator("section.action", has=olga.get_by_role("heading", name="Status"))
    status.get_by_label("Status").select_option("pending")
    with olga.expect_navigation():
        status.get_by_role("button", name="Set status").click()
    expect(buyer.locator("[data-testid=status]")).to_have_text(
        "Waiting for your reply", timeout=LIVE_TIMEOUT_MS
    )
    still_there(buyer)
    buyer.screenshot(path=str(artifact_path("live-buyer-updated")), full_page=True)

    # Sam had typed a reply meanwhile: it does not go out blindly.
    reply = sam.locator("[data-testid=reply]")
    reply.get_by_label("Message").fill("Anything else I can do?")
    with sam.expect_navigation():
        reply.get_by_role("button", name="Send", exact=True).click()
    changes = sam.locator("[data-testid=reply-changes]")
    expect(changes).to_contain_text("the ticket changed while you were writing")
    expect(changes).to_contain_text(f"{desk.agent_ru.display_name} set the status to Pending")
    expect(reply.get_by_label("Message")).to_have_value("Anything else I can do?")
    sam.screenshot(path=str(artifact_path("live-agent-send-anyway")), full_page=True)
    with sam.expect_navigation():
        changes.get_by_role("button", name="Send anyway").click()
    expect(sam.get_by_text("Reply sent.")).to_be_visible()
    expect(thread).to_contain_text("Anything else I can do?", timeout=LIVE_TIMEOUT_MS)


def test_place_in_line_goes_down_when_the_ticket_ahead_is_taken(
    page: Any,
    open_page: OpenPage,
    login_as: Callable[..., None],
    desk_url: Callable[[str], str],
    live_desk: Desk,
) -> None:
    desk = live_desk
    queued_ticket(desk, buyer=desk.other_buyer, subject="Ahead in line")
    mine = queued_ticket(desk, subject="Behind in line")

    buyer = page
    login_as(buyer, desk.buyer.get_username(), PASSWORD)
    buyer.goto(desk_url(f"/help/requests/{mine.pk}/"))
    position = buyer.locator("[data-testid=queue-position]")
    expect(position).to_contain_text("You are number 2 in the queue.")
    stays(buyer)

    # Olga watches her workspace; Sam takes the next ticket.
    olga = open_page()
    login_as(olga, desk.agent_ru.get_username(), PASSWORD)
    olga.goto(desk_url("/agent/"))
    queues = olga.locator("[data-testid=my-queues]")
    payment = queues.locator("li", has_text=desk.en_payment.name)
    expect(payment).to_contain_text("2 waiting")
    stays(olga)

    sam = open_page()
    login_as(sam, desk.agent.get_username(), PASSWORD)
    sam.goto(desk_url("/agent/"))
    with sam.expect_navigation():
        sam.get_by_role("button", name="Take next").click()
    expect(sam.locator("[data-testid=ticket-header]")).to_contain_text("Ahead in line")

    expect(position).to_contain_text("You are number 1 in the queue.", timeout=LIVE_TIMEOUT_MS)
    still_there(buyer)
    expect(payment).to_contain_text("1 waiting", timeout=LIVE_TIMEOUT_MS)
    still_there(olga)
