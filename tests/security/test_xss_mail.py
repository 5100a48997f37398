"""The desk's mail shows hostile text as text: in HTML parts escaped, in text parts as typed.

Every notification a buyer, seller, agent or supervisor gets — received,
assigned, replied, pending reminder, solved, SLA breached, reply to a closed
request, and every step of a dispute or warranty claim — is sent with the
XSS corpus in the subjects, names, replies, statements, decision notes, item
titles and queue names it quotes. Each HTML part must contain no script, no
event-handler attribute and no link or image that is not http(s) or mailto;
each text part must read the hostile text exactly as it was written (mail
clients show text/plain as text, so escaping it there would only garble it).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from accounts.models import User
from disputes import services as dispute_services
from disputes.models import DisputeReason, Remedy, WantedOutcome
from orders.models import Order, OrderStatus
from orders.services import ItemSpec, order_upsert, shop_upsert
from tests.factories import AgentFactory, BuyerFactory, SellerFactory, SupervisorFactory
from tests.security.xss_corpus import ONE_LINE, PAYLOADS, fitting, joined
from tests.tickets.conftest import Desk, build_desk
from tickets import services
from tickets.inbound.addresses import reply_address
from tickets.inbound.parsing import InboundMessage
from tickets.inbound.service import Outcome, inbound_mail_receive
from tickets.models import (
    AgentProfile,
    Notification,
    NotificationKind,
    NotificationState,
    Presence,
    Ticket,
)
from tickets.notifications import notification_send
from tickets.status import Status

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SUBJECT_MAX = 200
NAME_MAX = 150
ITEM_TITLE_MAX = 200
QUEUE_NAME_MAX = 80
SHOP_NAME_MAX = 120
# Many payloads per field: every one-line payload is in some name, subject and title.
NAMES = joined(ONE_LINE, separator=" ", most=NAME_MAX)
SUBJECTS = joined(ONE_LINE, separator=" ", most=SUBJECT_MAX)
TITLES = joined(ONE_LINE, separator=" ", most=ITEM_TITLE_MAX)

# What the desk's own mail templates use; anything else in an HTML part came from a payload.
MAIL_TAGS = frozenset(
    {"html", "head", "meta", "title", "body", "table", "tr", "td", "p", "a", "strong", "div", "br"}
)
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "background", "poster", "data"})
SAFE_SCHEMES = ("http://", "https://", "mailto:")
# Characters a browser drops or ignores when it reads a URL's scheme.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f]+")


def words(text: str) -> str:
    """Return ``text`` with every run of whitespace made one space (HTML collapses it too)."""
    return " ".join(text.split())


class _MailMarkup(HTMLParser):
    """Collect the elements, attributes and readable text of an HTML mail part."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))
        if tag in ("br", "p", "tr", "td", "div", "title"):
            self.text.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.text.append(" ")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def html_part(sent: EmailMultiAlternatives) -> str:
    [(markup, mimetype)] = sent.alternatives
    assert mimetype == "text/html"
    return str(markup)


def assert_inert(markup: str, *, where: str) -> str:
    """Fail if the HTML part could run anything; return its readable text, whitespace collapsed."""
    assert "<script" not in markup.lower(), f"{where}: a raw <script in the HTML part"
    parser = _MailMarkup()
    parser.feed(markup)
    parser.close()
    for tag, attrs in parser.elements:
        assert tag in MAIL_TAGS, f"{where}: a <{tag}> element the mail templates never write"
        for name, value in attrs:
            assert not name.startswith("on"), f"{where}: <{tag} {name}={value!r}>"
            if name in URL_ATTRIBUTES and value is not None:
                url = _URL_NOISE.sub("", value).lower()
                assert url.startswith(SAFE_SCHEMES), f"{where}: <{tag} {name}={value!r}>"
            if name == "style" and value is not None:
                style = _URL_NOISE.sub("", value).lower()
                assert not re.search(r"expression|javascript:|url\(|@import", style), (
                    f"{where}: <{tag} style={value!r}>"
                )
    return words("".join(parser.text))


def send_owed() -> list[EmailMultiAlternatives]:
    """Send every owed mail as the worker would; return what went out."""
    mail.outbox.clear()
    owed = Notification.objects.filter(state=NotificationState.PENDING).order_by("created_at")
    for notification_id in owed.values_list("id", flat=True):
        assert notification_send(notification_id=notification_id, now=NOW) == "sent"
    return list(mail.outbox)  # type: ignore[arg-type]


def assert_carried(sent: list[EmailMultiAlternatives], texts: list[str], *, what: str) -> None:
    """Every mail is inert, and each of ``texts`` reads as written in some text and HTML part."""
    text_parts = []
    html_texts = []
    for number, message in enumerate(sent):
        where = f"mail {number} to {message.to} ({message.subject[:40]!r}…)"
        html_texts.append(assert_inert(html_part(message), where=where))
        text_parts.append(words(message.body))
    for text in texts:
        assert any(words(text) in part for part in text_parts), (
            f"{what} {text!r} is not readable in any text part"
        )
        assert any(words(text) in part for part in html_texts), (
            f"{what} {text!r} is not shown as text in any HTML part"
        )


def kinds_sent(kinds: set[str]) -> set[str]:
    return set(
        Notification.objects.filter(state=NotificationState.SENT, kind__in=kinds).values_list(
            "kind", flat=True
        )
    )


# --- Tickets -------------------------------------------------------------------


def _hostile_agent(desk: Desk, name: str) -> User:
    agent = AgentFactory(username="hostile-agent", first_name=name)
    services.agent_configure(
        agent=agent, queues=[desk.en_payment], languages=["en"], capacity=len(ONE_LINE)
    )
    # Agents choose in the admin whether a new assignment mails them.
    AgentProfile.objects.filter(user=agent).update(notify_on_assignment=True)
    services.agent_set_presence(agent=agent, presence=Presence.ONLINE, now=NOW)
    return agent


def _open(desk: Desk, *, buyer: User, subject: str, description: str) -> Ticket:
    request = services.TicketRequest(
        subject=subject,
        description=description,
        language="en",
        channel="web",
        order_number="MP-1001",
        transaction_id="TX-42",
        amount=Decimal("59.90"),
    )
    return services.ticket_open(buyer=buyer, topic=desk.payment, request=request, now=NOW)


def test_ticket_mails_show_hostile_subjects_names_and_replies_as_text() -> None:
    desk = build_desk()
    services.agent_set_presence(agent=desk.agent, presence=Presence.OFFLINE, now=NOW)
    services.agent_set_presence(agent=desk.agent_ru, presence=Presence.OFFLINE, now=NOW)
    subjects = SUBJECTS
    names = NAMES
    agent = _hostile_agent(desk, names[0])
    supervisor = SupervisorFactory(username="hostile-supervisor", first_name=names[1])
    # The SLA mail names the queue: integrators with agents:write name queues.
    queue_name = fitting(ONE_LINE, most=QUEUE_NAME_MAX)[2].text
    services.queue_upsert(
        slug="en-payment",
        name=queue_name,
        language="en",
        topics=[desk.payment],
        sla_policy=desk.en_payment.sla_policy,
    )
    buyers = [
        BuyerFactory(username=f"hostile-buyer-{number}", first_name=name)
        for number, name in enumerate(names)
    ]
    replies = joined(PAYLOADS, most=10_000)
    tickets = [
        _open(
            desk,
            buyer=buyers[number % len(buyers)],
            subject=subject,
            description=replies[0],
        )
        for number, subject in enumerate(subjects)
    ]
    for ticket in tickets:
        services.ticket_route(ticket_id=ticket.pk, now=NOW)

    first, second = tickets[0], tickets[1]
    for reply in replies:
        services.ticket_reply_by_agent(ticket_id=first.pk, agent=agent, body=reply, now=NOW)
    services.ticket_reply_by_agent(
        ticket_id=second.pk, agent=agent, body=replies[0], now=NOW, then_status=Status.PENDING
    )
    assert services.ticket_remind_pending(ticket_id=second.pk, now=NOW + timedelta(days=2))
    services.ticket_set_status_by_agent(
        ticket_id=first.pk, agent=agent, status=Status.SOLVED, now=NOW + timedelta(hours=1)
    )
    # A ticket nobody answered breaches its first-response target.
    services.agent_set_presence(agent=agent, presence=Presence.OFFLINE, now=NOW)
    late = _open(desk, buyer=buyers[-1], subject=subjects[-1], description="Still waiting.")
    services.ticket_route(ticket_id=late.pk, now=NOW)
    assert services.ticket_escalate(ticket_id=late.pk, now=NOW + timedelta(days=5))

    sent = send_owed()
    assert kinds_sent(set(NotificationKind.values)) >= {
        NotificationKind.TICKET_RECEIVED,
        NotificationKind.TICKET_ASSIGNED,
        NotificationKind.AGENT_REPLIED,
        NotificationKind.PENDING_REMINDER,
        NotificationKind.TICKET_SOLVED,
        NotificationKind.SLA_BREACHED,
    }
    assert supervisor.email in {address for message in sent for address in message.to}
    assert_carried(sent, subjects, what="the subject")
    assert_carried(sent, names, what="the name")
    assert_carried(sent, replies, what="the agent's reply")
    assert_carried(sent, [queue_name], what="the queue name")


def test_the_mail_about_a_reply_to_a_closed_request_shows_its_subject_as_text(
    django_capture_on_commit_callbacks: Any,
) -> None:
    desk = build_desk()
    name = NAMES[3]
    buyer = BuyerFactory(username="closed-buyer", first_name=name)
    subject = SUBJECTS[1]
    ticket = _open(desk, buyer=buyer, subject=subject, description="Please help.")
    services.ticket_route(ticket_id=ticket.pk, now=NOW)
    services.ticket_reply_by_agent(
        ticket_id=ticket.pk, agent=desk.agent, body="Done.", now=NOW, then_status=Status.SOLVED
    )
    services.sla_sweep(now=NOW + timedelta(days=30))
    assert Ticket.objects.get(pk=ticket.pk).status == Status.CLOSED

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = inbound_mail_receive(
            mail=InboundMessage(
                mail_id="<closed-reply@mail.example.com>",
                sender=buyer.email,
                recipients=[reply_address(ticket_id=ticket.pk, email=buyer.email)],
                subject=PAYLOADS[0].text,
                text=PAYLOADS[1].text,
            ),
            now=NOW + timedelta(days=31),
        )
    assert result.outcome == Outcome.CLOSED
    sent: list[Any] = list(mail.outbox)
    assert [message.to for message in sent] == [[buyer.email]]
    assert_carried(sent, [name], what="the name")
    # The subject is in the mail's Subject header and the HTML part's title, as text.
    [told] = sent
    assert told.subject == f"[{ticket.reference}] {subject}"
    assert words(subject) in assert_inert(html_part(told), where="the closed-request mail")


# --- Disputes and warranty claims --------------------------------------------


def _hostile_order(
    *, buyer: User, seller_name: str, titles: list[str], number: str, slug: str
) -> Order:
    seller = SellerFactory(username=f"seller-{slug}", first_name=seller_name)
    shop = shop_upsert(slug=slug, name=seller_name[:SHOP_NAME_MAX], seller=seller)
    delivered = NOW - timedelta(days=3)
    return order_upsert(
        number=number,
        buyer=buyer,
        shop=shop,
        status=OrderStatus.DELIVERED,
        currency="EUR",
        now=delivered,
        items=[ItemSpec(title, 1, Decimal("10.00"), warranty_months=24) for title in titles],
        paid_at=delivered - timedelta(days=5),
        shipped_at=delivered - timedelta(days=3),
        delivered_at=delivered,
    )


def test_case_mails_show_hostile_statements_notes_and_item_titles_as_text() -> None:
    desk = build_desk()
    names = NAMES
    buyer = BuyerFactory(username="case-buyer", first_name=names[4])
    agent = AgentFactory(username="case-agent", first_name=names[5])
    services.agent_configure(agent=agent, queues=[desk.en_dispute], languages=["en"], capacity=9)
    statements = joined(PAYLOADS, most=5_000)
    titles = TITLES

    # Dispute 1: the seller rejects with a statement, the buyer escalates, an agent decides.
    rejected = _hostile_order(
        buyer=buyer, seller_name=names[6], titles=titles[:1], number="MP-9001", slug="shop-one"
    )
    dispute = dispute_services.dispute_open(
        buyer=buyer,
        order_number=rejected.number,
        reason=DisputeReason.DAMAGED,
        wanted_outcome=WantedOutcome.FULL_REFUND,
        description=statements[0],
        now=NOW,
    )
    dispute_services.dispute_seller_reject(
        dispute_id=dispute.pk, seller=rejected.shop.seller, statement=statements[0], now=NOW
    )
    dispute_services.dispute_buyer_escalate(
        dispute_id=dispute.pk, buyer=buyer, note=statements[-1], now=NOW
    )
    dispute_services.dispute_decide(
        dispute_id=dispute.pk,
        agent=agent,
        refund_amount=Decimal("10.00"),
        return_required=False,
        return_cost_bearer="",
        note=statements[-1],
        now=NOW,
    )

    # Dispute 2: a counter-offer with a statement; the seller is reminded of the deadline.
    countered = _hostile_order(
        buyer=buyer, seller_name=names[7], titles=titles[1:2], number="MP-9002", slug="shop-two"
    )
    offer = dispute_services.dispute_open(
        buyer=buyer,
        order_number=countered.number,
        reason=DisputeReason.NOT_AS_DESCRIBED,
        wanted_outcome=WantedOutcome.FULL_REFUND,
        description=statements[0],
        now=NOW,
    )
    dispute_services.dispute_seller_counter(
        dispute_id=offer.pk,
        seller=countered.shop.seller,
        amount=Decimal("5.00"),
        statement=statements[0],
        now=NOW,
    )
    reminded = _hostile_order(
        buyer=buyer, seller_name=names[8], titles=titles[2:3], number="MP-9003", slug="shop-three"
    )
    dispute_services.dispute_open(
        buyer=buyer,
        order_number=reminded.number,
        reason=DisputeReason.NOT_RECEIVED,
        wanted_outcome=WantedOutcome.FULL_REFUND,
        description=statements[0],
        now=NOW,
    )

    # Warranty claims on every hostile item title; the seller refuses one with a statement.
    claims_order = _hostile_order(
        buyer=buyer, seller_name=names[9], titles=titles, number="MP-9004", slug="shop-four"
    )
    claims = [
        dispute_services.warranty_claim_open(
            buyer=buyer, item_id=item.pk, defect=statements[0], remedy=Remedy.REPAIR, now=NOW
        )
        for item in claims_order.items.order_by("id")
    ]
    dispute_services.warranty_claim_seller_refuse(
        claim_id=claims[0].pk, seller=claims_order.shop.seller, statement=statements[0], now=NOW
    )

    sent = send_owed()
    deadline = reminded_deadline(reminded)
    assert dispute_services.case_reminders_run(now=deadline - timedelta(hours=12)) >= 1
    sent += send_owed()
    assert kinds_sent({NotificationKind.CASE_UPDATE, NotificationKind.CASE_REMINDER}) == {
        NotificationKind.CASE_UPDATE,
        NotificationKind.CASE_REMINDER,
    }
    assert_carried(sent, [statements[0], statements[-1]], what="the statement or note")
    assert_carried(sent, titles, what="the item title")
    assert_carried(sent, names[4:10], what="the name")


def reminded_deadline(order: Order) -> datetime:
    deadline = order.disputes.get().seller_deadline_at
    assert deadline is not None
    return deadline
