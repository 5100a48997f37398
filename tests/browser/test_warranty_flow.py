"""A warranty claim from the buyer's photo to the desk's decision, in three real browsers.

The buyer's drill stopped working fourteen months into its two-year warranty:
they ask for a repair with a photo of the fault; the seller, in their own
browser, sees the claim and the photo in the seller centre and refuses it,
saying why; the refusal passes the claim to the support team, where an agent,
in a third browser, takes the escalation ticket, reads the case beside it and
decides that the seller owes the repair. Both parties then see the decision on
their pages and got the mails about each step. A second test has a buyer claim
on an item whose warranty has ended: the form comes back saying so, with what
they typed.

On PostgreSQL a real Celery worker routes the escalation ticket (and may send
the mails), as on the desk; on the embedded SQLite run the test thread makes
the routing task's own service call (see ``route_ticket`` in the browser tests' conftest).
Only the worker would post the assistant's automatic reply on a new ticket:
there the test also sees that the escalation ticket gets none.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
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
from disputes.models import WarrantyClaim
from disputes.status import ClaimStatus
from orders.models import Order, OrderItem, OrderStatus, warranty_last_day
from orders.services import ItemSpec, order_upsert, shop_upsert
from tests.browser.conftest import (
    PageProblems,
    RouteTicket,
    agent_takes_the_escalation,
    queue_agent,
    quiet_demo_desk,
)
from tests.disputes.conftest import day
from tickets.models import Notification, NotificationKind, Ticket
from tickets.models.conversation import NotificationState
from tickets.notifications import notification_send
from tickets.status import Status

pytestmark = pytest.mark.browser

ORDER_NUMBER = "MP-770142"
OLD_ORDER_NUMBER = "MP-330217"
ITEM = "Cordless drill 18 V"
OLD_ITEM = "Stand mixer"
AGENT_USERNAME = "tomas"
AGENT_PASSWORD = "tomas-decides-claims-7"
PHOTO_NAME = "drill-fault.png"
DEFECT = (
    "Since last week the drill stops after two seconds under load and the battery "
    "light blinks red, with a fully charged battery. Photo of the blinking light attached."
)
SELLER_STATEMENT = (
    "The casing is cracked near the chuck: the drill was dropped, which the warranty "
    "does not cover."
)
DECISION_NOTE = (
    "The crack is a hairline on the outside and the fault is the battery contact, which "
    "the warranty covers: the seller repairs the drill at their cost."
)
OLD_DEFECT = "The bowl no longer locks into place and the motor hums without turning."


def fact(container: Any, term: str) -> Any:
    """Return the value beside ``term`` in a list of facts (the ``dd`` after its ``dt``)."""
    return container.locator("dt", has_text=term).locator("xpath=following-sibling::dd[1]")


def warranty_label(item: OrderItem) -> str:
    """Return the item's choice as the claim form names it, last day of the warranty included."""
    order = item.order
    assert order.delivered_at is not None
    last_day = warranty_last_day(
        delivered_at=order.delivered_at, months=item.warranty_months, time_zone=settings.TIME_ZONE
    )
    if last_day < timezone.localdate():
        return f"{item.title} · order {order.number} · warranty ended on {day(last_day)}"
    return f"{item.title} · order {order.number} · warranty to {day(last_day)}"


@dataclass(frozen=True)
class WarrantyDesk:
    """The demo desk, an order of the demo buyer still under warranty, and a warranty agent."""

    order: Order
    drill: OrderItem
    buyer: User
    seller: User
    agent: User


@pytest.fixture
def warranty_desk(transactional_db: None) -> WarrantyDesk:
    """Load the demo desk; add a 99.00 EUR order delivered 14 months ago; nobody online.

    The drill has a 24-month warranty, the bits none. The demo's agents are set
    offline, so the escalation ticket waits in the English warranty queue until
    the new agent, who works only that queue, goes online and gets it.
    """
    now = timezone.now()
    buyer, seller = quiet_demo_desk(now)
    shop = seller.shops.order_by("id").first()
    assert shop is not None, "the demo seller has a shop"
    delivered = now - timedelta(days=425)
    order = order_upsert(
        number=ORDER_NUMBER,
        buyer=buyer,
        shop=shop,
        status=OrderStatus.DELIVERED,
        currency="EUR",
        now=delivered,
        items=[
            ItemSpec(ITEM, 1, Decimal("89.00"), warranty_months=24),
            ItemSpec("Drill bits, set of 10", 1, Decimal("10.00")),
        ],
        paid_at=delivered - timedelta(days=5),
        shipped_at=delivered - timedelta(days=3),
        delivered_at=delivered,
    )
    assert order.total == Decimal("99.00")
    agent = queue_agent(
        username=AGENT_USERNAME,
        password=AGENT_PASSWORD,
        name=("Tomás", "Reyes"),
        queue="en-warranty",
    )
    return WarrantyDesk(
        order=order,
        drill=order.items.get(title=ITEM),
        buyer=buyer,
        seller=seller,
        agent=agent,
    )


def fault_photo(folder: Path) -> Path:
    """Write a small real PNG: a grey drill with a red battery light."""
    image = Image.new("RGB", (160, 120), (232, 234, 236))
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 35, 120, 60), fill=(60, 60, 64))
    draw.rectangle((70, 60, 95, 105), fill=(60, 60, 64))
    draw.ellipse((100, 40, 112, 52), fill=(220, 30, 30))
    path = folder / PHOTO_NAME
    image.save(path, format="PNG")
    return path


def assert_serves_the_photo(page: Any, url: str) -> None:
    """Fetch ``url`` with the page's cookies: it must be the buyer's PNG."""
    served = page.request.get(url)
    assert served.status == 200, served.status
    assert served.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(served.body())) as image:
        assert image.format == "PNG"
        assert image.size == (160, 120)


def claim_mail(party: User, claim: WarrantyClaim) -> list[Any]:
    """Return the mails sent to ``party`` about ``claim``, oldest first."""
    return [
        message
        for message in mail.outbox
        if any(party.email in address for address in message.to)
        and f"[{claim.reference}]" in message.subject
    ]


def send_owed(rows: Any, what: str) -> None:
    """Send the mails of ``rows`` still owed, as the worker would; fail on any not sent.

    A row the worker sent meanwhile answers "not-owed"; one it is sending now
    is waited for.
    """
    deadline = time.monotonic() + 30
    while True:
        for notification_id in rows.filter(state=NotificationState.PENDING).values_list(
            "id", flat=True
        ):
            notification_send(notification_id=notification_id, now=timezone.now())
        unsent = (NotificationState.PENDING, NotificationState.SENDING)
        if not rows.filter(state__in=unsent).exists():
            break
        assert time.monotonic() < deadline, f"mails about {what} were still being sent"
        time.sleep(0.2)
    failed = list(rows.exclude(state=NotificationState.SENT).values_list("kind", "last_error"))
    assert not failed, f"mails about {what} failed: {failed}"


def mail_the_step(claim: WarrantyClaim, *, parties: tuple[User, ...], steps: int) -> None:
    """Send the mails owed about the claim; check each party got one per step.

    Every step of the claim owes its buyer and its seller a mail whose
    subject carries the claim's reference.
    """
    rows = Notification.objects.filter(claim_event__claim_id=claim.pk)
    for party in parties:
        owed = rows.filter(recipient=party, kind=NotificationKind.CASE_UPDATE).count()
        assert owed == steps, f"{party.username}: {owed} claim mails owed after {steps} steps"
    send_owed(rows, "the warranty claim")
    for party in parties:
        got = [message.subject for message in claim_mail(party, claim)]
        assert len(got) == steps, f"{party.username} got {got} after {steps} steps"


def test_a_refused_warranty_claim_goes_to_the_desk_and_both_see_the_decision(
    page: Any,
    open_page: Callable[[], Any],
    desk_url: Callable[[str], str],
    login_as: Callable[..., None],
    warranty_desk: WarrantyDesk,
    route_ticket: RouteTicket,
    artifact_path: Callable[[str], Path],
    tmp_path: Path,
) -> None:
    buyer_page = page
    shop_name = warranty_desk.order.shop.name
    parties = (warranty_desk.buyer, warranty_desk.seller)

    # --- The buyer asks for a repair, with a photo of the fault ------------------------
    login_as(buyer_page, "buyer", DEMO_PASSWORD)
    buyer_page.goto(desk_url("/help/"))
    with buyer_page.expect_navigation():
        buyer_page.get_by_role("link", name="My disputes", exact=True).click()
    with buyer_page.expect_navigation():
        buyer_page.locator("[data-testid=open-claim]").click()
    expect(buyer_page).to_have_url(desk_url("/help/disputes/warranty/new/"))
    form = buyer_page.locator("[data-testid=claim-form]")
    expect(form.get_by_role("heading", level=1)).to_have_text("Warranty claim")
    items = form.get_by_label("Item", exact=True)
    # The drill is offered with the last day of its warranty; the bits, without one, are not.
    drill = str(warranty_desk.drill.pk)
    expect(items.locator(f'option[value="{drill}"]')).to_have_text(
        warranty_label(warranty_desk.drill)
    )
    expect(items.locator("option", has_text="Drill bits")).to_have_count(0)
    items.select_option(label=warranty_label(warranty_desk.drill))
    form.get_by_label("What is wrong with it?").fill(DEFECT)
    form.get_by_label("Repair", exact=True).check()
    form.get_by_label("Evidence (optional)").set_input_files(str(fault_photo(tmp_path)))
    buyer_page.screenshot(path=str(artifact_path("warranty-1-buyer-form")), full_page=True)
    with buyer_page.expect_navigation():
        form.get_by_role("button", name="Send the claim").click()

    expect(buyer_page).to_have_url(re.compile(r"/help/disputes/claims/\d+/$"))
    claim_id = int(buyer_page.url.rstrip("/").rsplit("/", 1)[1])
    claim = WarrantyClaim.objects.get(pk=claim_id)
    reference = claim.reference
    assert re.fullmatch(r"WC-\d{6,}", reference), reference
    assert claim.item_id == warranty_desk.drill.pk
    claim_path = f"/help/disputes/claims/{claim_id}/"
    case = buyer_page.locator("[data-testid=case]")
    expect(buyer_page.locator(".messages")).to_contain_text(
        f"Your warranty claim {reference} is open."
    )
    expect(case.locator(".case__reference")).to_have_text(reference)
    expect(case.get_by_role("heading", level=1)).to_have_text(
        f"Warranty claim: {ITEM}, order {ORDER_NUMBER}"
    )
    expect(case.locator("[data-testid=status]")).to_have_text("Waiting for the seller")
    expect(case.locator("[data-testid=status-explained]")).to_contain_text(
        "If they refuse or do not answer, the support team decides."
    )
    expect(fact(case, "You asked for")).to_have_text("Repair")
    expect(case).to_contain_text(DEFECT)
    expect(case.locator("[data-testid=evidence]").get_by_role("link")).to_have_text(PHOTO_NAME)
    expect(case.locator("[data-testid=steps] [data-testid=withdraw]")).to_be_visible()
    buyer_page.screenshot(path=str(artifact_path("warranty-2-buyer-opened")), full_page=True)
    mail_the_step(claim, parties=parties, steps=1)

    # --- The seller sees the claim and the photo, and refuses it -----------------------
    seller_page = open_page()
    login_as(seller_page, "seller", DEMO_PASSWORD)
    seller_page.goto(desk_url("/seller/"))
    expect(seller_page.get_by_role("heading", level=1)).to_have_text("Seller centre")
    row = seller_page.locator(
        "[data-testid=open-claims] [data-testid=case-row]", has_text=reference
    )
    expect(row).to_contain_text(f"Order {ORDER_NUMBER}")
    expect(row).to_contain_text("Anna")
    expect(row).to_contain_text(f"{ITEM} (89.00 EUR)")
    expect(row).to_contain_text("Wants: Repair")
    expect(row).to_contain_text("Waiting for the seller")
    days = settings.DESK_WARRANTY_SELLER_DAYS
    left = f"{days} days left" if days > 1 else re.compile(r"\d+ hours? left")
    expect(row.locator("[data-testid=deadline]")).to_contain_text("answer by")
    expect(row.locator("[data-testid=deadline]")).to_contain_text(left)
    seller_page.screenshot(path=str(artifact_path("warranty-3-seller-home")), full_page=True)

    with seller_page.expect_navigation():
        row.get_by_role("link").click()
    expect(seller_page).to_have_url(desk_url(f"/seller/claims/{claim_id}/"))
    seller_case = seller_page.locator("[data-testid=case]")
    expect(seller_case.get_by_role("heading", level=1)).to_have_text(
        f"Warranty claim: {ITEM}, order {ORDER_NUMBER}"
    )
    expect(seller_case.locator("[data-testid=status]")).to_have_text("Waiting for the seller")
    expect(seller_case.locator("[data-testid=deadline]")).to_contain_text(left)
    expect(fact(seller_case, "Wanted remedy")).to_have_text("Repair")
    expect(fact(seller_case, "Warranty")).to_have_text("24 months")
    expect(seller_case.locator("[data-testid=buyer-statement]")).to_have_text(DEFECT)
    photo_link = seller_case.locator("[data-testid=evidence]").get_by_role("link", name=PHOTO_NAME)
    expect(photo_link).to_be_visible()
    assert_serves_the_photo(seller_page, desk_url(photo_link.get_attribute("href") or ""))
    seller_page.screenshot(path=str(artifact_path("warranty-4-seller-claim")), full_page=True)

    answers = seller_page.locator("[data-testid=answers]")
    refuse = answers.locator("form", has=seller_page.locator("[data-testid=refuse]"))
    refuse.get_by_label("Your statement").fill(SELLER_STATEMENT)
    with seller_page.expect_navigation():
        refuse.locator("[data-testid=refuse]").click()
    expect(seller_page.locator(".messages")).to_contain_text(
        "You refused the claim; the support team will decide."
    )
    expect(seller_case.locator("[data-testid=status]")).to_have_text("With the support team")
    expect(seller_case.locator("[data-testid=seller-statement]")).to_have_text(SELLER_STATEMENT)
    expect(seller_case.locator("[data-testid=deadline]")).to_have_count(0)
    expect(answers).to_have_count(0)
    expect(seller_case.locator("[data-testid=timeline]")).to_contain_text(
        "The seller refused the claim · You"
    )
    seller_page.screenshot(path=str(artifact_path("warranty-5-seller-refused")), full_page=True)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ESCALATED
    assert claim.ticket_id is not None
    ticket = Ticket.objects.get(pk=claim.ticket_id)
    mail_the_step(claim, parties=parties, steps=2)

    # --- The buyer sees the refusal and the request the desk works on -----------------
    buyer_page.goto(desk_url(claim_path))
    expect(case.locator("[data-testid=status]")).to_have_text("With the support team")
    expect(case.locator("[data-testid=status-explained]")).to_have_text(
        "The support team is looking at your claim and will decide."
    )
    expect(case.locator("[data-testid=seller-answer]")).to_contain_text(SELLER_STATEMENT)
    expect(case.locator("[data-testid=escalation-link]")).to_contain_text(ticket.reference)
    expect(case.locator("[data-testid=timeline]")).to_contain_text(
        f"The seller refused the claim · {shop_name}"
    )
    buyer_page.screenshot(path=str(artifact_path("warranty-6-buyer-escalated")), full_page=True)
    with buyer_page.expect_navigation():
        case.locator("[data-testid=escalation-link]").get_by_role("link").click()
    expect(buyer_page).to_have_url(desk_url(f"/help/requests/{ticket.pk}/"))
    request_card = buyer_page.locator("[data-testid=request]")
    expect(request_card.get_by_role("heading", level=1)).to_have_text(
        f"Warranty claim {reference}: {ITEM}"
    )
    expect(request_card.locator("[data-testid=ticket-order]")).to_have_text(
        f"{ORDER_NUMBER} · {shop_name} · 99.00 EUR"
    )
    expect(request_card.locator("[data-testid=order-case]")).to_have_text(
        f"See your warranty claim {reference}"
    )
    buyer_page.screenshot(path=str(artifact_path("warranty-7-buyer-request")), full_page=True)

    # --- The agent takes the escalation ticket and decides ----------------------------
    route_ticket(ticket.pk)
    ticket.refresh_from_db()
    assert ticket.status == Status.QUEUED, ticket.status
    assert ticket.queue is not None and ticket.queue.slug == "en-warranty"

    agent_page = open_page()
    login_as(agent_page, AGENT_USERNAME, AGENT_PASSWORD)
    # Going online pulls the waiting escalation: it is the agent's then.
    agent_takes_the_escalation(agent_page, desk_url, ticket, case_reference=reference)

    panel = agent_page.locator("[data-testid=case-panel]")
    expect(panel.get_by_role("heading", level=2).first).to_contain_text(
        f"Warranty claim {reference}"
    )
    expect(panel.locator(".status").first).to_have_text("With the support team")
    expect(panel).to_contain_text(f"{ORDER_NUMBER} · {shop_name} · 99.00 EUR")
    expect(panel).to_contain_text(f"1 × {ITEM} (89.00 EUR, 24 months warranty)")
    expect(fact(panel, "The buyer wants")).to_have_text("Repair")
    statements = panel.locator(".case-panel__statement")
    expect(statements).to_have_text([DEFECT, SELLER_STATEMENT])
    panel_photo = panel.get_by_role("link", name=PHOTO_NAME)
    expect(panel_photo).to_be_visible()
    assert_serves_the_photo(agent_page, desk_url(panel_photo.get_attribute("href") or ""))
    timeline = panel.locator(".case-panel__timeline li")
    expect(timeline).to_have_count(2)
    expect(timeline.nth(0)).to_contain_text("Opened · Anna")
    expect(timeline.nth(1)).to_contain_text(f"The seller refused the claim · {shop_name}")
    expect(timeline.nth(1)).to_contain_text(SELLER_STATEMENT)
    # The seller answered: their deadline binds nobody now.
    expect(panel).not_to_contain_text("Seller's deadline")
    decide = panel.locator("[data-testid=case-decide]")
    owed = decide.get_by_label("The seller owes")
    # The remedy the buyer asked for is proposed; refusing the claim is one choice.
    expect(owed).to_have_value("repair")
    expect(owed.locator("option")).to_have_text(
        ["Nothing: the claim is refused", "Repair", "Replacement", "Refund"]
    )
    panel.screenshot(path=str(artifact_path("warranty-8-agent-case-panel")))
    agent_page.screenshot(path=str(artifact_path("warranty-8-agent-ticket")), full_page=True)

    decide.get_by_label("Decision, as both parties will read it").fill(DECISION_NOTE)
    with agent_page.expect_navigation():
        decide.get_by_role("button", name="Record the decision").click()
    expect(agent_page.locator(".messages")).to_contain_text(
        "Decision recorded; both parties can see it."
    )
    expect(panel.locator(".status").first).to_have_text("Resolved")
    expect(panel.locator("[data-testid=case-decide]")).to_have_count(0)
    expect(timeline.nth(2)).to_contain_text("The support team decided · You")
    expect(timeline.nth(2)).to_contain_text(DECISION_NOTE)
    # What was decided stays in view beside the case, as for a dispute.
    decided = panel.locator("[data-testid=case-decided]")
    expect(fact(decided, "The seller owes")).to_have_text("Repair")
    expect(decided).to_contain_text(DECISION_NOTE)
    panel.screenshot(path=str(artifact_path("warranty-9-agent-case-decided")))
    ticket.refresh_from_db()
    assert ticket.status == Status.SOLVED, ticket.status

    # --- Both parties see the decision ------------------------------------------------
    buyer_page.goto(desk_url(claim_path))
    expect(case.locator("[data-testid=status]")).to_have_text("Resolved")
    expect(case.locator("[data-testid=decided-remedy]")).to_have_text("Repair")
    expect(case.locator("[data-testid=outcome]")).to_contain_text(DECISION_NOTE)
    expect(case.locator("[data-testid=seller-answer]")).to_contain_text(SELLER_STATEMENT)
    expect(case.locator("[data-testid=timeline]")).to_contain_text(
        "The support team decided · Support team"
    )
    # Decided: nothing left to withdraw, no more evidence to add.
    expect(case.locator("[data-testid=steps]")).to_have_count(0)
    expect(case.locator("[data-testid=evidence-add]")).to_have_count(0)
    buyer_page.screenshot(path=str(artifact_path("warranty-10-buyer-resolved")), full_page=True)
    # The request the desk opened for the claim is solved by the decision. It never
    # offered help-centre answers: accepting one would have closed it undecided.
    buyer_page.goto(desk_url(f"/help/requests/{ticket.pk}/"))
    expect(request_card.locator("[data-testid=status]")).to_have_text("Solved")
    expect(request_card.locator("[data-testid=assistant-reply]")).to_have_count(0)
    buyer_page.goto(desk_url("/help/disputes/"))
    buyer_row = buyer_page.locator("[data-testid=case-row]", has_text=reference)
    expect(buyer_row).to_contain_text(f"Warranty claim, order {ORDER_NUMBER}")
    expect(buyer_row).to_contain_text("Resolved")

    seller_page.goto(desk_url(f"/seller/claims/{claim_id}/"))
    expect(seller_case.locator("[data-testid=status]")).to_have_text("Resolved")
    expect(seller_case.locator("[data-testid=decided-remedy]")).to_have_text("Repair")
    expect(seller_case).to_contain_text(DECISION_NOTE)
    expect(seller_case.locator("[data-testid=evidence-add]")).to_have_count(0)
    seller_page.screenshot(path=str(artifact_path("warranty-11-seller-resolved")), full_page=True)
    seller_page.goto(desk_url("/seller/"))
    finished = seller_page.locator("[data-testid=finished-cases] [data-testid=case-row]")
    expect(finished.filter(has_text=reference)).to_contain_text("Resolved")
    expect(
        seller_page.locator("[data-testid=open-claims] [data-testid=case-row]", has_text=reference)
    ).to_have_count(0)

    # --- The mails ----------------------------------------------------------------------
    mail_the_step(claim, parties=parties, steps=3)
    for party in parties:
        opened, refused, decided_mail = claim_mail(party, claim)
        assert "The buyer opened a warranty claim" in opened.body, opened.body
        assert SELLER_STATEMENT in refused.body, refused.body
        assert "Status: With the support team" in refused.body, refused.body
        assert "Remedy decided: Repair" in decided_mail.body, decided_mail.body
        assert DECISION_NOTE in decided_mail.body, decided_mail.body
        assert "Status: Resolved" in decided_mail.body, decided_mail.body
    # The buyer also heard of the request opened for them, and of it being solved.
    ticket_rows = Notification.objects.filter(ticket=ticket, recipient=warranty_desk.buyer)
    assert set(ticket_rows.values_list("kind", flat=True)) == {
        NotificationKind.TICKET_RECEIVED,
        NotificationKind.TICKET_SOLVED,
    }
    send_owed(ticket_rows, "the escalation ticket")
    request_mail = [
        message
        for message in mail.outbox
        if warranty_desk.buyer.email in message.to and f"[{ticket.reference}]" in message.subject
    ]
    assert len(request_mail) == 2, [message.subject for message in request_mail]


@pytest.fixture
def expired_order(demo_people: dict[str, User]) -> OrderItem:
    """An order of the demo buyer delivered 26 months ago: its mixer's 24-month warranty ended."""
    now = timezone.now()
    shop = shop_upsert(slug="kitchen-corner", name="Kitchen Corner", seller=demo_people["seller"])
    delivered = now - timedelta(days=790)
    order = order_upsert(
        number=OLD_ORDER_NUMBER,
        buyer=demo_people["buyer"],
        shop=shop,
        status=OrderStatus.DELIVERED,
        currency="EUR",
        now=delivered,
        items=[ItemSpec(OLD_ITEM, 1, Decimal("149.00"), warranty_months=24)],
        paid_at=delivered - timedelta(days=4),
        shipped_at=delivered - timedelta(days=2),
        delivered_at=delivered,
    )
    return order.items.get()


def test_a_claim_after_the_warranty_ended_is_refused_with_the_last_day_and_keeps_the_form(
    page: Any,
    desk_url: Callable[[str], str],
    login_as: Callable[..., None],
    expired_order: OrderItem,
    page_problems: PageProblems,
    artifact_path: Callable[[str], Path],
    tmp_path: Path,
) -> None:
    assert expired_order.order.delivered_at is not None
    last_day: date = warranty_last_day(
        delivered_at=expired_order.order.delivered_at, months=24, time_zone=settings.TIME_ZONE
    )
    assert last_day < timezone.now().date()
    login_as(page, "buyer", DEMO_PASSWORD)
    page.goto(desk_url("/help/disputes/"))
    with page.expect_navigation():
        page.locator("[data-testid=open-claim]").click()
    form = page.locator("[data-testid=claim-form]")
    items = form.get_by_label("Item", exact=True)
    # The form already says the warranty ended; the buyer sends the claim all the same.
    ended = items.locator("optgroup[label='Warranty ended'] option")
    expect(ended).to_have_text([warranty_label(expired_order)])
    items.select_option(label=warranty_label(expired_order))
    form.get_by_label("What is wrong with it?").fill(OLD_DEFECT)
    form.get_by_label("Replacement", exact=True).check()
    form.get_by_label("Evidence (optional)").set_input_files(str(fault_photo(tmp_path)))
    with page.expect_navigation() as sent:
        form.get_by_role("button", name="Send the claim").click()

    # The claim is refused with a reason on the form, not an error page.
    assert sent.value is not None and sent.value.status == 400, sent.value
    expect(page).to_have_url(desk_url("/help/disputes/warranty/new/"))
    refusal = f"The warranty on this item ended on {day(last_day)}."
    expect(form.locator("[data-testid=error-summary]")).to_contain_text(f"Item — {refusal}")
    expect(form.locator(".field--error .field__error")).to_have_text(refusal)
    # Nothing typed is lost; only the file is to be chosen again, and the form says so.
    expect(items).to_have_value(str(expired_order.pk))
    expect(form.get_by_label("What is wrong with it?")).to_have_value(OLD_DEFECT)
    expect(form.get_by_label("Replacement", exact=True)).to_be_checked()
    expect(form.locator("[data-testid=files-again]")).to_be_visible()
    page.screenshot(path=str(artifact_path("warranty-12-expired-refused")), full_page=True)
    assert not WarrantyClaim.objects.exists()
    # The browser logs the 400 answer itself; that page is the refusal, not a broken load.
    assert desk_url("/help/disputes/warranty/new/") in page_problems.error_documents
