"""Opening a ticket: from the contact form, from email, or by an integrator."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from faq.models import FaqEntry, FaqEventKind, Topic
from orders.models import Order
from tickets import tasks
from tickets.models import Channel, EventKind, Message, MessageKind, NotificationKind, Ticket
from tickets.services._common import (
    InvalidTicket,
    event_write,
    notification_queue,
    send_after_commit,
    system_message_write,
)

SUBJECT_MAX = 200
DESCRIPTION_MAX = 10000
ORDER_NUMBER_MAX = 40

# What each topic's form asks for beyond subject and description.
TOPIC_FIELDS: dict[str, tuple[str, ...]] = {
    "payment": ("order_number", "transaction_id", "amount"),
    "refund": ("order_number",),
    "dispute": ("order_number",),
    "warranty": ("product", "purchase_date"),
}


def topic_fields(topic_slug: str) -> tuple[str, ...]:
    """Return the extra fields the contact form asks for on ``topic_slug``."""
    return TOPIC_FIELDS.get(topic_slug, ())


@dataclass(frozen=True)
class TicketRequest:
    """What a buyer (or an integrator on their behalf) asks for."""

    subject: str
    description: str
    language: str
    channel: Channel
    order_number: str = ""
    transaction_id: str = ""
    amount: Decimal | None = None
    product: str = ""
    purchase_date: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _clean(request: TicketRequest, *, topic: Topic, now: datetime) -> dict[str, Any]:
    """Check the request against the topic's needs; return the ticket's details."""
    errors: dict[str, str] = {}
    if not request.subject.strip():
        errors["subject"] = _("Say in a few words what the problem is.")
    elif len(request.subject) > SUBJECT_MAX:
        errors["subject"] = _("At most %(n)d characters.") % {"n": SUBJECT_MAX}
    if not request.description.strip():
        errors["description"] = _("Describe what happened.")
    elif len(request.description) > DESCRIPTION_MAX:
        errors["description"] = _("At most %(n)d characters.") % {"n": DESCRIPTION_MAX}
    if request.language not in dict(settings.LANGUAGES):
        errors["language"] = _("Not one of the desk's languages.")
    if len(request.order_number) > ORDER_NUMBER_MAX:
        errors["order_number"] = _("At most %(n)d characters.") % {"n": ORDER_NUMBER_MAX}
    needs = topic_fields(topic.slug)
    details: dict[str, Any] = {}
    if "order_number" in needs and not request.order_number.strip():
        errors["order_number"] = _("Give the order number from your order page.")
    if "transaction_id" in needs:
        if not request.transaction_id.strip():
            errors["transaction_id"] = _("Give the transaction id from your bank or payment app.")
        details["transaction_id"] = request.transaction_id.strip()[:80]
    if "amount" in needs:
        if request.amount is None:
            errors["amount"] = _("Give the amount you paid.")
        else:
            try:
                valid = request.amount.is_finite() and Decimal("0") < request.amount < Decimal(
                    "10000000"
                )
            except InvalidOperation:
                valid = False
            if not valid:
                errors["amount"] = _("Give an amount above zero.")
            else:
                details["amount"] = str(request.amount.quantize(Decimal("0.01")))
    if "product" in needs:
        if not request.product.strip():
            errors["product"] = _("Name the product.")
        details["product"] = request.product.strip()[:200]
    if "purchase_date" in needs:
        if request.purchase_date is None:
            errors["purchase_date"] = _("Give the date you bought it.")
        # "Today" somewhere on Earth: the buyer may be up to 14 hours ahead of UTC.
        elif request.purchase_date > (now + timedelta(hours=14)).date():
            errors["purchase_date"] = _("The purchase date cannot be in the future.")
        else:
            details["purchase_date"] = request.purchase_date.isoformat()
    if errors:
        raise InvalidTicket(_("The request is not complete."), details=errors)
    return details


def _buyers_order(*, buyer: User, number: str) -> Order | None:
    """Return the buyer's own order with ``number`` to link to the ticket, else None.

    Only the buyer's own order is ever linked. Any other number stays as typed
    and unlinked — the marketplace may not have sent the order yet — and the
    agent sees that the desk does not know it as theirs; nothing tells the
    buyer whether someone else has an order with that number.
    """
    if not number:
        return None
    return Order.objects.filter(number=number, buyer=buyer).first()


def ticket_open(
    *,
    buyer: User,
    topic: Topic,
    request: TicketRequest,
    now: datetime,
    faq_entry: FaqEntry | None = None,
    visitor: str = "",
    assistant: bool = True,
) -> Ticket:
    """Save a buyer's ticket, then send it to routing once the transaction commits.

    The ticket is saved whatever the broker does: if the routing message
    cannot be sent, the routing sweeper sends it later. ``assistant=False``
    for a ticket the desk opens for the buyer (a case's escalation): it asks
    no question, and an answer the buyer accepted would close it undecided.
    Raises InvalidTicket with per-field ``details``.
    """
    if not buyer.is_buyer:
        raise InvalidTicket(
            _("Tickets are opened for buyers."), details={"buyer": _("Not a buyer.")}
        )
    if not topic.is_active:
        raise InvalidTicket(
            _("That topic is closed."), details={"topic": _("Not an active topic.")}
        )
    if faq_entry is not None and faq_entry.topic_id != topic.pk:
        raise InvalidTicket(
            _("The answer is from another topic."), details={"faq_entry": _("Not in this topic.")}
        )
    details = _clean(request, topic=topic, now=now)
    order = _buyers_order(buyer=buyer, number=request.order_number.strip())
    with transaction.atomic():
        ticket = Ticket.objects.create(
            buyer=buyer,
            order=order,
            topic=topic,
            faq_entry=faq_entry,
            channel=request.channel,
            language=request.language,
            order_number=request.order_number.strip(),
            details=details,
            subject=request.subject.strip(),
            description=request.description.strip(),
            created_at=now,
            updated_at=now,
        )
        Message.objects.create(
            ticket=ticket,
            kind=MessageKind.BUYER,
            author=buyer,
            body=ticket.description,
            created_at=now,
        )
        opened = event_write(
            ticket=ticket, kind=EventKind.OPENED, now=now, actor=buyer, to_value=request.channel
        )
        reference = ticket.reference
        system_message_write(
            ticket=ticket,
            now=now,
            text=lambda: _("We received your request %(reference)s.") % {"reference": reference},
        )
        notification_queue(
            ticket=ticket,
            event=opened,
            kind=NotificationKind.TICKET_RECEIVED,
            recipient=buyer,
            now=now,
        )
        if faq_entry is not None and visitor:
            from faq.services import faq_event_record

            faq_event_record(
                kind=FaqEventKind.TICKET,
                entry=faq_entry,
                language=request.language,
                visitor=visitor,
                now=now,
                channel=request.channel,
            )
        send_after_commit(tasks.route_ticket, ticket_id=ticket.pk)
        if assistant:
            send_after_commit(tasks.assistant_reply, ticket_id=ticket.pk)
    return ticket
