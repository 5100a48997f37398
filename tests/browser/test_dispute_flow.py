"""A dispute from the buyer's photo to the desk's decision, in three real browsers.

The buyer opens a dispute with a photo of the parcel; the seller, in their own
browser, sees the photo in the seller centre, adds a photo of how the kettle
was packed and offers a partial refund; the
buyer asks the support team to decide; an agent, in a third browser, takes the
escalation ticket, reads the case beside it and decides a larger partial
refund. Both parties then see the outcome on their pages and got the mails
about each step.

On PostgreSQL a real Celery worker routes the escalation ticket (and may send
the mails), as on the desk; on the embedded SQLite run the test thread makes
the routing task's own service call (see ``route_ticket`` in the browser tests' conftest).
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from disputes.models import Dispute
from disputes.status import DisputeStatus
from orders.models import Order, OrderStatus, Shop
from orders.services import ItemSpec, order_upsert
from tests.browser.conftest import (
    RouteTicket,
    agent_takes_the_escalation,
    queue_agent,
    quiet_demo_desk,
)
from tickets.models import Notification, Ticket
from tickets.models.conversation import NotificationState
from tickets.notifications import notification_send
from tickets.status import Status

pytestmark = pytest.mark.browser

ORDER_NUMBER = "MP-880080"
AGENT_USERNAME = "rosa"
AGENT_PASSWORD = "rosa-decides-disputes-3"
PHOTO_NAME = "parcel-contents.png"
PACKING_NAME = "kettle-packing.png"
BUYER_STORY = (
    "The listing showed a stainless steel kettle with a glass window; "
    "a plastic kettle without a window arrived. Photo of what came attached."
)
SELLER_STATEMENT = "The kettle works as sold; we offer 30.00 back for the different finish."
DECISION_NOTE = (
    "The photo shows a different model from the listing: 45.00 is refunded, "
    "the buyer keeps the kettle."
)


@dataclass(frozen=True)
class DisputeDesk:
    """The demo desk, a delivered order of the demo buyer, and an agent on the disputes queue."""

    order: Order
    buyer: User
    seller: User
    agent: User


@pytest.fixture
def dispute_desk(transactional_db: None) -> DisputeDesk:
    """Load the demo desk; add an 80.00 EUR order delivered three days ago; nobody online.

    The demo's agents are set offline, so the escalation ticket waits in the
    English disputes queue until the new agent, who works only that queue,
    goes online and gets it.
    """
    now = timezone.now()
    buyer, seller = quiet_demo_desk(now)
    shop = Shop.objects.filter(seller=seller).order_by("id").first()
    assert shop is not None, "the demo seller has a shop"
    delivered = now - timedelta(days=3)
    order = order_upsert(
        number=ORDER_NUMBER,
        buyer=buyer,
        shop=shop,
        status=OrderStatus.DELIVERED,
        currency="EUR",
        now=delivered,
        items=[
            ItemSpec("Stainless steel kettle", 1, Decimal("70.00"), warranty_months=24),
            ItemSpec("Descaler", 2, Decimal("5.00")),
        ],
        paid_at=delivered - timedelta(days=4),
        shipped_at=delivered - timedelta(days=2),
        delivered_at=delivered,
    )
    assert order.total == Decimal("80.00")
    agent = queue_agent(
        username=AGENT_USERNAME,
        password=AGENT_PASSWORD,
        name=("Rosa", "Vidal"),
        queue="en-dispute",
    )
    return DisputeDesk(order=order, buyer=buyer, seller=seller, agent=agent)


def parcel_photo(folder: Path) -> Path:
    """Write a small real PNG: a grey kettle on a light background."""
    image = Image.new("RGB", (160, 120), (236, 232, 224))
    draw = ImageDraw.Draw(image)
    draw.rectangle((50, 30, 110, 100), fill=(120, 120, 124))
    draw.ellipse((60, 18, 100, 40), fill=(90, 90, 94))
    path = folder / PHOTO_NAME
    image.save(path, format="PNG")
    return path


def packing_photo(folder: Path) -> Path:
    """Write a small real PNG: a brown box with the kettle's grey shape in it."""
    image = Image.new("RGB", (160, 120), (240, 240, 236))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 140, 108), fill=(176, 132, 84))
    draw.rectangle((55, 35, 105, 95), fill=(120, 120, 124))
    path = folder / PACKING_NAME
    image.save(path, format="PNG")
    return path


def assert_is_png(body: bytes) -> None:
    with Image.open(io.BytesIO(body)) as image:
        assert image.format == "PNG"
        assert image.size == (160, 120)


def fact(container: Any, term: str) -> Any:
    """Return the value beside ``term`` in a list of facts (dt/dd pairs)."""
    return container.locator("div", has=container.page.locator("dt", has_text=term)).locator("dd")


def mail_the_step(dispute: Dispute, *, parties: tuple[User, ...], steps: int) -> None:
    """Send the mails owed about the dispute as the worker would; check each party got one per step.

    Every step of the dispute owes its buyer and its seller a mail whose
    subject carries the reference. A row the worker sent meanwhile answers
    "not-owed"; one it is sending now is waited for.
    """
    rows = Notification.objects.filter(dispute_event__dispute_id=dispute.pk)
    for party in parties:
        owed = rows.filter(recipient=party, kind="case_update").count()
        assert owed == steps, f"{party.username}: {owed} dispute mails owed after {steps} steps"
    deadline = time.monotonic() + 30
    while True:
        for notification_id in rows.filter(state=NotificationState.PENDING).values_list(
            "id", flat=True
        ):
            notification_send(notification_id=notification_id, now=timezone.now())
        unsent = (NotificationState.PENDING, NotificationState.SENDING)
        if not rows.filter(state__in=unsent).exists():
            break
        assert time.monotonic() < deadline, "mails about the dispute were still being sent"
        time.sleep(0.2)
    failed = list(rows.exclude(state=NotificationState.SENT).values_list("kind", "last_error"))
    assert not failed, f"mails about the dispute failed: {failed}"
    for party in parties:
        got = [message.subject for message in case_mail(party, dispute)]
        assert len(got) == steps, f"{party.username} got {got} after {steps} steps"


def case_mail(party: User, dispute: Dispute) -> list[Any]:
    """Return the mails sent to ``party`` about ``dispute``, oldest first."""
    return [
        message
        for message in mail.outbox
        if any(party.email in address for address in message.to)
        and f"[{dispute.reference}]" in message.subject
    ]


def test_a_dispute_goes_from_buyer_to_seller_to_the_desk_and_both_see_the_decision(
    page: Any,
    open_page: Callable[[], Any],
    desk_url: Callable[[str], str],
    login_as: Callable[..., None],
    dispute_desk: DisputeDesk,
    route_ticket: RouteTicket,
    artifact_path: Callable[[str], Path],
    tmp_path: Path,
) -> None:
    buyer_page = page
    photo = parcel_photo(tmp_path)

    # --- The buyer opens a dispute with a photo ------------------------------------
    login_as(buyer_page, "buyer", DEMO_PASSWORD)
    buyer_page.goto(desk_url("/help/"))
    with buyer_page.expect_navigation():
        buyer_page.get_by_role("link", name="My disputes", exact=True).click()
    with buyer_page.expect_navigation():
        buyer_page.locator("[data-testid=open-dispute]").click()
    expect(buyer_page).to_have_url(desk_url("/help/disputes/new/"))
    form = buyer_page.locator("[data-testid=dispute-form]")
    expect(form.get_by_role("heading", level=1)).to_have_text("Open a dispute")
    form.get_by_label("Order", exact=True).select_option(ORDER_NUMBER)
    form.get_by_label("What went wrong?").select_option(label="Not as described")
    form.get_by_label("Full refund").check()
    form.get_by_label("What happened?").fill(BUYER_STORY)
    form.get_by_label("Evidence (optional)").set_input_files(str(photo))
    with buyer_page.expect_navigation():
        form.get_by_role("button", name="Open the dispute").click()

    expect(buyer_page).to_have_url(re.compile(r"/help/disputes/\d+/$"))
    dispute_id = int(buyer_page.url.rstrip("/").rsplit("/", 1)[1])
    dispute = Dispute.objects.get(pk=dispute_id)
    reference = dispute.reference
    assert re.fullmatch(r"DS-\d{10,16}", reference)
    assert dispute.order_id == dispute_desk.order.pk
    dispute_path = f"/help/disputes/{dispute_id}/"
    case = buyer_page.locator("[data-testid=case]")
    expect(buyer_page.locator(".messages")).to_contain_text(f"Your dispute {reference} is open.")
    expect(case.locator(".case__reference")).to_have_text(reference)
    expect(case.get_by_role("heading", level=1)).to_contain_text(ORDER_NUMBER)
    expect(case.locator("[data-testid=status]")).to_have_text("Waiting for the seller")
    expect(case).to_contain_text("Full refund: 80.00 EUR")
    expect(case.locator("[data-testid=evidence]").get_by_role("link")).to_have_text(PHOTO_NAME)
    buyer_page.screenshot(path=str(artifact_path("dispute-buyer-opened")), full_page=True)
    parties = (dispute_desk.buyer, dispute_desk.seller)
    mail_the_step(dispute, parties=parties, steps=1)

    # --- The seller sees it in the seller centre and offers a partial refund -------
    seller_page = open_page()
    login_as(seller_page, "seller", DEMO_PASSWORD)
    seller_page.goto(desk_url("/seller/"))
    expect(seller_page.get_by_role("heading", level=1)).to_have_text("Seller centre")
    row = seller_page.locator(
        "[data-testid=open-disputes] [data-testid=case-row]", has_text=reference
    )
    expect(row).to_contain_text(f"Order {ORDER_NUMBER}")
    expect(row).to_contain_text("Anna")
    expect(row).to_contain_text("Full refund: 80.00 EUR")
    expect(row).to_contain_text("Waiting for the seller")
    days = settings.DESK_DISPUTE_SELLER_DAYS
    left = f"{days} days left" if days > 1 else re.compile(r"\d+ hours? left")
    expect(row.locator("[data-testid=deadline]")).to_contain_text("answer by")
    expect(row.locator("[data-testid=deadline]")).to_contain_text(left)
    # The deadline reads as on the ticket pages ("27 Nov 09:58"), in a <time> element.
    deadline_at = timezone.localtime(dispute.seller_deadline_at)
    expect(row.locator("[data-testid=deadline] time")).to_have_text(
        f"{deadline_at.day} {deadline_at:%b %H:%M}"
    )
    # Those still awaiting the seller come first, nearest deadline first; the rest after.
    open_rows = seller_page.locator("[data-testid=open-disputes] [data-testid=case-row]")
    has_deadline = [
        open_rows.nth(n).locator("[data-testid=deadline]").count() == 1
        for n in range(open_rows.count())
    ]
    assert False in has_deadline, "the demo seller has an answered open dispute"
    assert has_deadline == sorted(has_deadline, reverse=True), has_deadline
    seller_page.screenshot(path=str(artifact_path("dispute-seller-home")), full_page=True)

    with seller_page.expect_navigation():
        row.get_by_role("link").click()
    expect(seller_page).to_have_url(desk_url(f"/seller/disputes/{dispute_id}/"))
    seller_case = seller_page.locator("[data-testid=case]")
    expect(seller_case.locator("[data-testid=status]")).to_have_text("Waiting for the seller")
    expect(seller_case.locator("[data-testid=deadline]")).to_contain_text(left)
    expect(seller_case.locator("[data-testid=buyer-statement]")).to_have_text(BUYER_STORY)
    photo_link = seller_case.locator("[data-testid=evidence]").get_by_role("link", name=PHOTO_NAME)
    expect(photo_link).to_be_visible()
    # The link works for the seller: it serves the buyer's photo, as an image.
    served = seller_page.request.get(desk_url(photo_link.get_attribute("href") or ""))
    assert served.status == 200, served.status
    assert served.headers["content-type"] == "image/png"
    assert_is_png(served.body())
    seller_page.screenshot(path=str(artifact_path("dispute-seller-case")), full_page=True)

    # Before answering, the seller adds a photo of how the kettle was packed.
    adding = seller_case.locator("[data-testid=evidence-add]")
    adding.get_by_label("Files to add").set_input_files(str(packing_photo(tmp_path)))
    with seller_page.expect_navigation():
        adding.get_by_role("button", name="Add the files").click()
    expect(seller_page).to_have_url(desk_url(f"/seller/disputes/{dispute_id}/#evidence"))
    expect(seller_page.locator(".messages")).to_contain_text(
        f"Added to the evidence: {PACKING_NAME}."
    )
    expect(seller_case.locator("[data-testid=evidence]").get_by_role("link")).to_have_text(
        [PHOTO_NAME, PACKING_NAME]
    )
    expect(seller_case.locator("[data-testid=timeline]")).to_contain_text("New evidence was added")
    seller_page.screenshot(path=str(artifact_path("dispute-seller-evidence-added")), full_page=True)
    mail_the_step(dispute, parties=parties, steps=2)

    answers = seller_page.locator("[data-testid=answers]")
    offer = answers.locator("form", has=seller_page.locator("[data-testid=counter-offer]"))
    offer.get_by_label("Refund you offer (EUR)").fill("30.00")
    offer.get_by_label("Why this amount (optional)").fill(SELLER_STATEMENT)
    with seller_page.expect_navigation():
        offer.locator("[data-testid=counter-offer]").click()
    expect(seller_page.locator(".messages")).to_contain_text("Your offer is sent to the buyer.")
    expect(seller_case.locator("[data-testid=status]")).to_have_text(
        "Seller offers a partial refund"
    )
    expect(seller_case.locator("[data-testid=counter]")).to_have_text("30.00 EUR")
    expect(seller_case.locator("[data-testid=seller-statement]")).to_have_text(SELLER_STATEMENT)
    expect(answers).to_have_count(0)
    mail_the_step(dispute, parties=parties, steps=3)

    # --- The buyer sees the offer and asks the support team to decide --------------
    buyer_page.goto(desk_url(dispute_path))
    expect(case.locator("[data-testid=status]")).to_have_text("Seller offers a partial refund")
    seller_answer = case.locator("[data-testid=seller-answer]")
    expect(seller_answer.locator("[data-testid=counter]")).to_have_text(
        "The seller offers a partial refund of 30.00 EUR."
    )
    expect(seller_answer).to_contain_text(SELLER_STATEMENT)
    expect(case.locator("[data-testid=accept-offer]")).to_be_visible()
    with buyer_page.expect_navigation():
        case.locator("[data-testid=escalate]").click()
    expect(buyer_page.locator(".messages")).to_contain_text("The support team will decide.")
    expect(case.locator("[data-testid=status]")).to_have_text("With the support team")
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.ESCALATED
    assert dispute.ticket_id is not None
    ticket = Ticket.objects.get(pk=dispute.ticket_id)
    expect(case.locator("[data-testid=escalation-link]")).to_contain_text(ticket.reference)
    expect(case.locator("[data-testid=steps]")).not_to_contain_text("Ask the support team")
    expect(seller_answer.locator("[data-testid=counter]")).to_have_text(
        "The seller offered a partial refund of 30.00 EUR."
    )
    mail_the_step(dispute, parties=parties, steps=4)

    # The request the escalation opened shows the order and leads back to the dispute.
    with buyer_page.expect_navigation():
        case.locator("[data-testid=escalation-link]").get_by_role("link").click()
    expect(buyer_page).to_have_url(desk_url(f"/help/requests/{ticket.pk}/"))
    request_card = buyer_page.locator("[data-testid=request]")
    expect(request_card.locator("[data-testid=ticket-order]")).to_have_text(
        f"{ORDER_NUMBER} · {dispute_desk.order.shop.name} · 80.00 EUR"
    )
    expect(request_card.locator("[data-testid=order-case]")).to_have_text(
        f"See your dispute {reference}"
    )
    buyer_page.screenshot(path=str(artifact_path("dispute-buyer-request")), full_page=True)
    with buyer_page.expect_navigation():
        request_card.get_by_role("link", name=f"See your dispute {reference}").click()
    expect(buyer_page).to_have_url(desk_url(dispute_path))

    # --- The agent takes the escalation ticket and decides -------------------------
    route_ticket(ticket.pk)
    ticket.refresh_from_db()
    assert ticket.status == Status.QUEUED, ticket.status
    assert ticket.queue is not None and ticket.queue.slug == "en-dispute"

    agent_page = open_page()
    login_as(agent_page, AGENT_USERNAME, AGENT_PASSWORD)
    # Going online pulls the waiting escalation: it is the agent's then.
    agent_takes_the_escalation(agent_page, desk_url, ticket, case_reference=reference)

    panel = agent_page.locator("[data-testid=case-panel]")
    expect(panel.get_by_role("heading", level=2).first).to_contain_text(f"Dispute {reference}")
    expect(panel.locator(".status").first).to_have_text("With the support team")
    expect(panel).to_contain_text(f"{ORDER_NUMBER} · {dispute_desk.order.shop.name} · 80.00 EUR")
    expect(panel).to_contain_text("Stainless steel kettle")
    expect(panel).to_contain_text("Not as described")
    expect(panel).to_contain_text("Full refund: 80.00 EUR")
    expect(panel).to_contain_text("30.00 EUR")
    statements = panel.locator(".case-panel__statement")
    expect(statements).to_have_text([BUYER_STORY, SELLER_STATEMENT])
    panel_photo = panel.get_by_role("link", name=PHOTO_NAME)
    expect(panel_photo).to_be_visible()
    served = agent_page.request.get(desk_url(panel_photo.get_attribute("href") or ""))
    assert served.status == 200, served.status
    assert_is_png(served.body())
    # The seller's packing photo is there beside the buyer's, and it opens.
    panel_packing = panel.get_by_role("link", name=PACKING_NAME)
    expect(panel_packing).to_be_visible()
    served = agent_page.request.get(desk_url(panel_packing.get_attribute("href") or ""))
    assert served.status == 200, served.status
    assert_is_png(served.body())
    timeline = panel.locator(".case-panel__timeline li")
    expect(timeline).to_have_count(4)
    expect(timeline.nth(0)).to_contain_text("Opened · Anna")
    expect(timeline.nth(1)).to_contain_text(
        f"New evidence was added · {dispute_desk.order.shop.name}"
    )
    expect(timeline.nth(1)).to_contain_text(PACKING_NAME)
    expect(timeline.nth(2)).to_contain_text(
        f"The seller offered a partial refund · {dispute_desk.order.shop.name}"
    )
    expect(timeline.nth(2)).to_contain_text("30.00 EUR")
    expect(timeline.nth(3)).to_contain_text("Passed to the support team · Anna")
    opened_at = timezone.localtime(dispute.opened_at)
    expect(timeline.nth(0).locator("time")).to_have_text(f"{opened_at.day} {opened_at:%b %H:%M}")
    # The seller answered long ago: their deadline binds nobody now.
    expect(panel).not_to_contain_text("Seller's deadline")
    decide = panel.locator("[data-testid=case-decide]")
    expect(decide.get_by_role("spinbutton", name="Refund", exact=True)).to_have_value("30.00")
    # The return checkbox sits on its label's line, before it.
    checkbox = decide.get_by_label("The item goes back").bounding_box()
    label = decide.locator("label", has_text="The item goes back").bounding_box()
    assert checkbox is not None and label is not None
    assert checkbox["x"] + checkbox["width"] <= label["x"], (checkbox, label)
    assert (
        abs((checkbox["y"] + checkbox["height"] / 2) - (label["y"] + label["height"] / 2))
        < label["height"] / 2
    ), (checkbox, label)
    # The status control is an action: it names no status until one is chosen.
    expect(agent_page.get_by_role("combobox", name="Status", exact=True)).to_have_value("")
    panel.screenshot(path=str(artifact_path("dispute-agent-case-panel")))
    agent_page.screenshot(path=str(artifact_path("dispute-agent-ticket")), full_page=True)

    decide.get_by_role("spinbutton", name="Refund", exact=True).fill("45.00")
    expect(decide.get_by_label("The item goes back")).not_to_be_checked()
    decide.get_by_label("Decision, as both parties will read it").fill(DECISION_NOTE)
    with agent_page.expect_navigation():
        decide.get_by_role("button", name="Record the decision").click()
    expect(agent_page.locator(".messages")).to_contain_text(
        "Decision recorded; both parties can see it."
    )
    expect(panel.locator(".status").first).to_have_text("Resolved")
    expect(panel).to_contain_text("Refund: 45.00 EUR")
    expect(panel).to_contain_text(DECISION_NOTE)
    expect(timeline.nth(4)).to_contain_text("The support team decided · You")
    expect(panel.locator("[data-testid=case-decide]")).to_have_count(0)
    panel.screenshot(path=str(artifact_path("dispute-agent-case-decided")))

    # --- Both parties see the outcome -----------------------------------------------
    for party_page, path in (
        (buyer_page, dispute_path),
        (seller_page, f"/seller/disputes/{dispute_id}/"),
    ):
        party_page.goto(desk_url(path))
        party_case = party_page.locator("[data-testid=case]")
        expect(party_case.locator("[data-testid=status]")).to_have_text("Resolved")
        outcome = party_case.locator("[data-testid=outcome]")
        expect(fact(outcome, "Refund")).to_have_text("45.00 EUR")
        expect(fact(outcome, "Return of the item")).to_have_text("Not needed")
        expect(outcome).to_contain_text(DECISION_NOTE)
        expect(party_case.locator("[data-testid=timeline]")).to_contain_text(
            "The support team decided"
        )
    expect(buyer_page.locator("[data-testid=steps]")).to_have_count(0)
    expect(buyer_page.locator("[data-testid=counter]")).to_have_text(
        "The seller offered a partial refund of 30.00 EUR."
    )
    buyer_page.screenshot(path=str(artifact_path("dispute-buyer-resolved")), full_page=True)
    seller_page.screenshot(path=str(artifact_path("dispute-seller-resolved")), full_page=True)
    seller_page.goto(desk_url("/seller/"))
    finished = seller_page.locator("[data-testid=finished-cases] [data-testid=case-row]")
    expect(finished.filter(has_text=reference)).to_contain_text("Resolved")
    expect(
        seller_page.locator(
            "[data-testid=open-disputes] [data-testid=case-row]", has_text=reference
        )
    ).to_have_count(0)

    # --- The mails: the decision's mail tells both parties the refund ---------------
    mail_the_step(dispute, parties=parties, steps=5)
    for party in parties:
        *earlier, outcome_mail = case_mail(party, dispute)
        assert "45.00" in outcome_mail.body, outcome_mail.body
        assert not [message for message in earlier if "45.00" in message.body]
