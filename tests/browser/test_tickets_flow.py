"""A request from an answer to an agent and back, in two real browsers.

The buyer says an answer did not help, logs in, writes to support (with
suggested answers appearing under the subject) and sees their place in the
queue. On PostgreSQL a real Celery worker routes the ticket, as on the desk
(see ``route_ticket`` for the embedded SQLite run). The agent, in
a second browser context, goes online, gets the ticket, replies and adds an
internal note; the buyer then sees the reply and never the note.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from accounts.models import Role, User
from accounts.services import user_create
from faq.models import FaqEntry
from support_desk.demo import demo_load
from tests.browser.conftest import RouteTicket
from tickets import services
from tickets.models import Presence, Queue, Ticket
from tickets.status import Status

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
AGENT_PASSWORD = "pat-works-payments-7"
ENTRY_SLUG = "payment-charged-twice"
ENTRY_QUESTION = "I was charged twice for one order. What should I do?"
SUBJECT = "Charged twice for order MP-300777"
DESCRIPTION = "My card shows two charges of 18.50 for order MP-300777. I paid once."
AGENT_REPLY = "I can see both charges. The second one is a hold and goes back within 7 days."
AGENT_NOTE = "Bank reference checked with the payments team: hold only, not a capture."


@dataclass(frozen=True)
class FlowDesk:
    """The demo desk with one fresh agent who works only the English payment queue."""

    entry: FaqEntry
    agent: User


@pytest.fixture
def flow_desk(transactional_db: None) -> FlowDesk:
    """Load the demo desk; nobody online on English payment; a new agent for that queue only.

    The demo's own agent "agent" is online and would take the buyer's ticket at
    once; here it waits, so the buyer sees a place in line and the new agent
    gets it by going online.
    """
    now = timezone.now()
    demo_load(now=now)
    # The demo keeps one ticket saved but not yet routed (an English payment
    # chat). Route it now, as the worker would on start, while the demo agent
    # is online to take it: it must not wait ahead of the buyer. The worker's
    # own delivery of it later finds it routed and changes nothing.
    for ticket_id in Ticket.objects.filter(status=Status.NEW).values_list("id", flat=True):
        services.ticket_route(ticket_id=ticket_id, now=now)
    for username in ("agent", "agent_ru", "supervisor"):
        services.agent_set_presence(
            agent=User.objects.get(username=username), presence=Presence.OFFLINE, now=now
        )
    queue = Queue.objects.get(slug="en-payment")
    agent = user_create(
        username="pat", password=AGENT_PASSWORD, role=Role.AGENT, first_name="Pat", last_name="Lee"
    )
    services.agent_configure(agent=agent, queues=[queue], languages=["en"], capacity=3)
    # Nothing waits ahead of the buyer: their request is number 1.
    assert not Ticket.objects.filter(queue=queue, status=Status.QUEUED).exists()
    return FlowDesk(entry=FaqEntry.objects.get(slug=ENTRY_SLUG), agent=agent)


def entry_path(entry: FaqEntry) -> str:
    return f"/help/{entry.topic.slug}/{entry.slug}/"


@pytest.fixture
def agent_page(open_page: Callable[[], Any]) -> Any:
    """A second browser context (the agent's own cookies), checked like ``page``."""
    return open_page()


def log_in_here(page: Any, username: str, password: str) -> None:
    """Fill in the log-in page the browser was sent to and follow it back."""
    expect(page).to_have_url(re.compile(r"/accounts/login/\?"))
    form = page.locator("main form", has=page.locator('input[name="password"]'))
    form.locator('input[name="username"]').fill(username)
    form.locator('input[name="password"]').fill(password)
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()
    expect(page.locator('[data-testid="signed-in-as"]')).to_be_attached()


def no_horizontal_scroll(page: Any) -> None:
    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert sizes["scroll"] <= sizes["inner"], f"horizontal scroll: {sizes}"


def answer_no_and_contact(page: Any, way_label: str) -> None:
    """Say the answer did not help, then pick a contact way from "Still need help?"."""
    feedback = page.locator("#feedback")
    expect(feedback.get_by_role("heading", name="Did this solve your problem?")).to_be_visible()
    with page.expect_navigation():
        feedback.get_by_role("button", name="No", exact=True).click()
    block = page.locator("[data-testid=still-need-help]")
    expect(block.get_by_role("heading", name="Still need help?")).to_be_visible()
    with page.expect_navigation():
        block.get_by_role("link", name=way_label, exact=True).click()


def test_a_buyer_request_reaches_an_agent_and_the_buyer_sees_the_reply_but_not_the_note(
    page: Any,
    agent_page: Any,
    desk_url: Callable[[str], str],
    flow_desk: FlowDesk,
    route_ticket: RouteTicket,
    artifact_path: Callable[[str], Any],
) -> None:
    # --- The buyer: answer → "No" → "Chat now" → log in → the form --------------
    page.goto(desk_url(entry_path(flow_desk.entry)))
    expect(page.get_by_role("heading", level=1)).to_have_text(ENTRY_QUESTION)
    answer_no_and_contact(page, "Chat now")
    form_path = f"/help/requests/new/{flow_desk.entry.pk}/chat/"
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)["next"] == [form_path]
    log_in_here(page, "buyer", DEMO_PASSWORD)
    expect(page).to_have_url(desk_url(form_path))

    form = page.locator("[data-testid=contact-form]")
    expect(form.get_by_role("heading", level=1)).to_have_text("Chat with support")
    expect(form.locator("[data-testid=came-from]")).to_have_text(f"About: {ENTRY_QUESTION}")

    # Typing the subject suggests matching questions.
    subject = form.get_by_label("Subject")
    subject.press_sequentially("charged twice", delay=40)
    suggestions = form.locator("#subject-suggestions [data-testid=suggestions]")
    expect(suggestions).to_be_visible()
    expect(suggestions.get_by_role("link", name=ENTRY_QUESTION)).to_be_visible()
    page.screenshot(path=str(artifact_path("tickets-form-suggestions")))
    subject.press("Escape")  # the buyer keeps writing instead
    expect(suggestions).to_have_count(0)
    subject.fill(SUBJECT)
    subject.press("Escape")  # before the suggestions for it are asked for

    # The payment topic asks for the order, the transaction and the amount.
    order = form.locator("fieldset", has_text="About your order")
    order.get_by_label("Order number").fill("MP-300777")
    order.get_by_label("Transaction id").fill("TX-4410-0093")
    order.get_by_label("Amount paid").fill("18.50")
    form.get_by_label("What happened?").fill(DESCRIPTION)
    page.screenshot(path=str(artifact_path("tickets-form-filled")), full_page=True)
    with page.expect_navigation():
        form.get_by_role("button", name="Start the chat").click()

    # --- The buyer's ticket page, once routing has put it in its queue -------
    expect(page).to_have_url(re.compile(r"/help/requests/\d+/$"))
    ticket_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    ticket = Ticket.objects.get(pk=ticket_id)
    expect(page.locator("[data-testid=reference]")).to_have_text(ticket.reference)
    expect(page.locator(".messages")).to_contain_text(f"Your request {ticket.reference} is open.")
    route_ticket(ticket_id)
    page.reload()
    request = page.locator("[data-testid=request]")
    expect(request.get_by_role("heading", level=1)).to_have_text(SUBJECT)
    expect(request.locator("[data-testid=status]")).to_have_text("In the queue")
    expect(request.locator("[data-testid=queue-position]")).to_contain_text(
        "You are number 1 in the queue."
    )
    expect(request.locator("[data-testid=queue-position]")).to_contain_text(
        re.compile(r"Estimated wait: about \d+ (minute|minutes|hour|hours)\.")
    )
    expect(request.locator("[data-testid=chat-note]")).to_be_visible()
    expect(request.locator("[data-testid=thread]")).to_contain_text(DESCRIPTION)
    page.screenshot(path=str(artifact_path("tickets-buyer-queued")), full_page=True)

    # The request is listed with its place in line too.
    page.get_by_role("link", name="My requests").first.click()
    item = page.locator("[data-testid=request-item]", has_text=ticket.reference)
    expect(item).to_contain_text(SUBJECT)
    expect(item.locator(".request-item__position")).to_have_text("number 1 in the queue")
    page.screenshot(path=str(artifact_path("tickets-buyer-list")), full_page=True)

    # --- The agent, in their own browser context --------------------------------
    agent_page.goto(desk_url("/agent/"))
    log_in_here(agent_page, flow_desk.agent.get_username(), AGENT_PASSWORD)
    expect(agent_page).to_have_url(desk_url("/agent/"))
    my_tickets = agent_page.locator("[data-testid=my-tickets]")
    expect(my_tickets).to_contain_text("No tickets with you.")
    expect(agent_page.locator("[data-testid=my-queues]")).to_contain_text("1 waiting")

    presence = agent_page.locator("[data-testid=presence]")
    expect(presence.get_by_role("button", name="Offline")).to_have_attribute("aria-pressed", "true")
    with agent_page.expect_navigation():
        presence.get_by_role("button", name="Online").click()
    expect(presence.get_by_role("button", name="Online")).to_have_attribute("aria-pressed", "true")
    # Going online pulled the waiting ticket: it is the agent's now.
    row = my_tickets.locator("tr", has_text=ticket.reference)
    expect(row).to_contain_text(SUBJECT)
    expect(row).to_contain_text("Assigned")
    agent_page.screenshot(path=str(artifact_path("tickets-agent-home")), full_page=True)

    row.get_by_role("link", name=ticket.reference).click()
    expect(agent_page).to_have_url(desk_url(f"/agent/tickets/{ticket_id}/"))
    header = agent_page.locator("[data-testid=ticket-header]")
    expect(header.get_by_role("heading", level=1)).to_contain_text(SUBJECT)
    expect(header).to_contain_text(ENTRY_QUESTION)
    expect(header).to_contain_text("MP-300777")
    expect(header.locator("[data-testid=routing-reason]")).not_to_have_text("—")
    conversation = agent_page.locator("[data-testid=conversation]")
    expect(conversation).to_contain_text(DESCRIPTION)
    expect(conversation.locator("[data-testid=ticket-status]")).to_have_text("Assigned")

    reply = agent_page.locator("[data-testid=reply]")
    reply.get_by_label("Message").fill(AGENT_REPLY)
    expect(reply.get_by_label("Public reply")).to_be_checked()
    with agent_page.expect_navigation():
        reply.get_by_role("button", name="Send").click()
    expect(agent_page.get_by_text("Reply sent.")).to_be_visible()
    expect(conversation).to_contain_text(AGENT_REPLY)

    reply.get_by_label("Message").fill(AGENT_NOTE)
    reply.get_by_label("Internal note").check()
    with agent_page.expect_navigation():
        reply.get_by_role("button", name="Send").click()
    expect(agent_page.get_by_text("Internal note added.")).to_be_visible()
    note = conversation.locator("[data-testid=internal-note]")
    expect(note).to_have_count(1)
    expect(note).to_contain_text(AGENT_NOTE)
    expect(note).to_contain_text("Internal note — the buyer never sees this")
    agent_page.screenshot(path=str(artifact_path("tickets-agent-ticket")), full_page=True)

    # --- Back to the buyer: the reply is there, the note is not ------------------
    page.goto(desk_url(f"/help/requests/{ticket_id}/"))
    thread = page.locator("[data-testid=thread]")
    agent_message = thread.locator("li", has_text=AGENT_REPLY)
    expect(agent_message).to_have_count(1)
    expect(agent_message.locator(".thread__author")).to_have_text("Pat")
    expect(page.locator("[data-testid=status]")).to_have_text("With an agent")
    expect(page.locator("[data-testid=queue-position]")).not_to_contain_text("in the queue")
    expect(page.locator("body")).not_to_contain_text(AGENT_NOTE)
    assert AGENT_NOTE not in page.content()
    page.screenshot(path=str(artifact_path("tickets-buyer-replied")), full_page=True)


@pytest.mark.parametrize("viewport", [PHONE], indirect=True, ids=["phone"])
def test_phone_email_form_fits_keeps_what_was_typed_and_opens_the_request(
    page: Any,
    desk_url: Callable[[str], str],
    flow_desk: FlowDesk,
    artifact_path: Callable[[str], Any],
) -> None:
    page.goto(desk_url(entry_path(flow_desk.entry)))
    answer_no_and_contact(page, "Email us")
    log_in_here(page, "buyer", DEMO_PASSWORD)
    expect(page).to_have_url(desk_url(f"/help/requests/new/{flow_desk.entry.pk}/email/"))
    form = page.locator("[data-testid=contact-form]")
    expect(form.get_by_role("heading", level=1)).to_have_text("Email support")
    no_horizontal_scroll(page)

    subject = form.get_by_label("Subject")
    subject.press_sequentially("charged twice", delay=40)
    suggestions = form.locator("#subject-suggestions [data-testid=suggestions]")
    expect(suggestions.get_by_role("link", name=ENTRY_QUESTION)).to_be_visible()
    suggestions.scroll_into_view_if_needed()
    expect(suggestions).to_be_in_viewport()
    no_horizontal_scroll(page)
    page.screenshot(path=str(artifact_path("phone-tickets-form-suggestions")))
    subject.press("Escape")

    # Sent without the order details: the errors are on the page, the text stays.
    form.get_by_label("What happened?").fill(DESCRIPTION)
    with page.expect_navigation():
        form.get_by_role("button", name="Send").click()
    form = page.locator("[data-testid=contact-form]")
    expect(form.locator("[data-testid=error-summary]")).to_be_visible()
    expect(form.locator(".field--error").first).to_be_visible()
    expect(form.get_by_label("Subject")).to_have_value("charged twice")
    expect(form.get_by_label("What happened?")).to_have_value(DESCRIPTION)
    no_horizontal_scroll(page)
    page.screenshot(path=str(artifact_path("phone-tickets-form-errors")), full_page=True)

    order = form.locator("fieldset", has_text="About your order")
    order.get_by_label("Order number").fill("MP-300777")
    order.get_by_label("Transaction id").fill("TX-4410-0093")
    order.get_by_label("Amount paid").fill("18.50")
    with page.expect_navigation():
        form.get_by_role("button", name="Send").click()
    expect(page).to_have_url(re.compile(r"/help/requests/\d+/$"))
    request = page.locator("[data-testid=request]")
    expect(request.get_by_role("heading", level=1)).to_have_text("charged twice")
    expect(request.locator("[data-testid=thread]")).to_contain_text(DESCRIPTION)
    no_horizontal_scroll(page)
    page.screenshot(path=str(artifact_path("phone-tickets-request")), full_page=True)
