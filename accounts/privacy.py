"""A buyer's data across the desk: gathered for an export, redacted for an erasure.

Called only by ``accounts.services.buyer_export`` and ``buyer_erase``, which
check the person is a buyer and record the request in the audit trail.
Tickets, cases and orders stay (the reports count them); what names or
quotes the person goes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from accounts.models import User
from api.models import IdempotencyRecord
from disputes.models import ClaimEvent, Dispute, DisputeEvent, Evidence, WarrantyClaim
from faq.models import AssistantQuestion, FaqEvent, FaqFeedback
from orders.models import Order
from tickets.models import (
    Attachment,
    EventKind,
    InboundMail,
    Message,
    MessageKind,
    Notification,
    NotificationState,
    Rating,
    Ticket,
    TicketEvent,
)

ERASED = "[erased]"
# What a mail about a case keeps of it (disputes.services case_snapshot) that quotes people.
CASE_TEXT_KEYS = ("description", "defect", "seller_statement", "decision_note")


def _at(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _file(row: Attachment | Evidence, buyer: User) -> dict[str, Any]:
    return {
        "name": row.name,
        "content_type": row.content_type,
        "size": row.size,
        "uploaded_at": _at(row.created_at),
        "uploaded_by_you": row.uploaded_by_id == buyer.pk,
    }


def _inbound_mail(buyer: User, *, email: str) -> QuerySet[InboundMail]:
    about = Q(ticket__buyer=buyer)
    if email:
        about |= Q(sender__icontains=email)
    return InboundMail.objects.filter(about)


def _visitor(buyer: User) -> str:
    return f"user:{buyer.pk}"


def buyer_data(*, buyer: User, now: datetime) -> dict[str, Any]:
    """Return the buyer's profile, tickets, cases, orders, FAQ feedback and mail, JSON-ready."""
    tickets = (
        Ticket.objects.filter(buyer=buyer)
        .select_related("topic", "faq_entry")
        .prefetch_related("messages", "attachments", "events")
        .order_by("pk")
    )
    ratings = {rating.ticket_id: rating for rating in Rating.objects.filter(ticket__buyer=buyer)}
    disputes = (
        Dispute.objects.filter(buyer=buyer)
        .select_related("order")
        .prefetch_related("events", "evidence")
        .order_by("pk")
    )
    claims = (
        WarrantyClaim.objects.filter(buyer=buyer)
        .select_related("item__order")
        .prefetch_related("events", "evidence")
        .order_by("pk")
    )
    orders = (
        Order.objects.filter(buyer=buyer).select_related("shop").prefetch_related("items")
    ).order_by("pk")
    notifications = (
        Notification.objects.filter(recipient=buyer)
        .select_related("ticket", "dispute_event", "claim_event")
        .order_by("created_at", "pk")
    )
    visitor = _visitor(buyer)
    return {
        "exported_at": _at(now),
        "profile": {
            "id": buyer.pk,
            "username": buyer.username,
            "email": buyer.email,
            "first_name": buyer.first_name,
            "last_name": buyer.last_name,
            "role": buyer.role,
            "preferred_language": buyer.preferred_language,
            "is_active": buyer.is_active,
            "date_joined": _at(buyer.date_joined),
            "last_login": _at(buyer.last_login),
        },
        "tickets": [_ticket(ticket, ratings.get(ticket.pk), buyer) for ticket in tickets],
        "disputes": [_dispute(dispute, buyer) for dispute in disputes],
        "warranty_claims": [_claim(claim, buyer) for claim in claims],
        "orders": [
            {
                "number": order.number,
                "shop": order.shop.name,
                "status": order.status,
                "total": str(order.total),
                "currency": order.currency,
                "paid_at": _at(order.paid_at),
                "shipped_at": _at(order.shipped_at),
                "delivered_at": _at(order.delivered_at),
                "cancelled_at": _at(order.cancelled_at),
                "created_at": _at(order.created_at),
                "items": [
                    {
                        "title": item.title,
                        "quantity": item.quantity,
                        "price": str(item.price),
                        "warranty_months": item.warranty_months,
                    }
                    for item in order.items.all()
                ],
            }
            for order in orders
        ],
        "faq_feedback": [
            {
                "entry": feedback.entry.slug,
                "topic": feedback.topic.slug,
                "language": feedback.language,
                "helpful": feedback.helpful,
                "at": _at(feedback.updated_at),
            }
            for feedback in FaqFeedback.objects.filter(visitor=visitor)
            .select_related("entry", "topic")
            .order_by("pk")
        ],
        "faq_events": [
            {"kind": event.kind, "entry": event.entry.slug, "at": _at(event.created_at)}
            for event in FaqEvent.objects.filter(visitor=visitor)
            .select_related("entry")
            .order_by("pk")
        ],
        "assistant_questions": [
            {
                "question": asked.question,
                "language": asked.language,
                "answered": asked.answered,
                "helpful": asked.helpful,
                "at": _at(asked.created_at),
            }
            for asked in AssistantQuestion.objects.filter(visitor=visitor).order_by("pk")
        ],
        "notifications": [
            {
                "kind": notification.kind,
                "about": _notification_about(notification),
                "state": notification.state,
                "created_at": _at(notification.created_at),
                "sent_at": _at(notification.sent_at),
            }
            for notification in notifications
        ],
        "inbound_mail": [
            {
                "message_id": mail.mail_id,
                "from": mail.sender,
                "subject": mail.subject,
                "ticket": mail.ticket.reference if mail.ticket is not None else None,
                "outcome": mail.outcome,
                "received_at": _at(mail.received_at),
            }
            for mail in _inbound_mail(buyer, email=buyer.email)
            .select_related("ticket")
            .order_by("received_at", "pk")
        ],
    }


def _ticket(ticket: Ticket, rating: Rating | None, buyer: User) -> dict[str, Any]:
    return {
        "reference": ticket.reference,
        "topic": ticket.topic.slug,
        "faq_entry": ticket.faq_entry.slug if ticket.faq_entry is not None else None,
        "channel": ticket.channel,
        "language": ticket.language,
        "order_number": ticket.order_number,
        "details": ticket.details,
        "subject": ticket.subject,
        "description": ticket.description,
        "status": ticket.status,
        "created_at": _at(ticket.created_at),
        "solved_at": _at(ticket.solved_at),
        "closed_at": _at(ticket.closed_at),
        "messages": [
            {
                "kind": message.kind,
                "by_you": message.author_id == buyer.pk,
                "text": message.body,
                "sent_at": _at(message.created_at),
                "attachments": [
                    _file(attachment, buyer)
                    for attachment in ticket.attachments.all()
                    if attachment.message_id == message.pk
                ],
            }
            for message in ticket.messages.all()
        ],
        "attachments_without_message": [
            _file(attachment, buyer)
            for attachment in ticket.attachments.all()
            if attachment.message_id is None
        ],
        "history": [
            {
                "kind": event.kind,
                "from": event.from_value,
                "to": event.to_value,
                "at": _at(event.created_at),
            }
            for event in ticket.events.all()
        ],
        "rating": (
            {
                "score": rating.score,
                "comment": rating.comment,
                "rated_at": _at(rating.created_at),
            }
            if rating is not None
            else None
        ),
    }


def _case_events(events: Any) -> list[dict[str, Any]]:
    return [
        {
            "kind": event.kind,
            "from": event.from_status,
            "to": event.to_status,
            "note": event.note,
            "at": _at(event.created_at),
        }
        for event in events.all()
    ]


def _dispute(dispute: Dispute, buyer: User) -> dict[str, Any]:
    return {
        "reference": str(dispute),
        "order": dispute.order.number,
        "reason": dispute.reason,
        "wanted_outcome": dispute.wanted_outcome,
        "wanted_amount": str(dispute.wanted_amount) if dispute.wanted_amount is not None else None,
        "description": dispute.description,
        "status": dispute.status,
        "seller_statement": dispute.seller_statement,
        "refund_amount": str(dispute.refund_amount) if dispute.refund_amount is not None else None,
        "decision": dispute.decision_note,
        "opened_at": _at(dispute.opened_at),
        "resolved_at": _at(dispute.resolved_at),
        "events": _case_events(dispute.events),
        "evidence": [_file(row, buyer) for row in dispute.evidence.all()],
    }


def _claim(claim: WarrantyClaim, buyer: User) -> dict[str, Any]:
    return {
        "reference": str(claim),
        "order": claim.item.order.number,
        "item": claim.item.title,
        "defect": claim.defect,
        "remedy": claim.remedy,
        "status": claim.status,
        "seller_statement": claim.seller_statement,
        "decided_remedy": claim.decided_remedy,
        "decision": claim.decision_note,
        "opened_at": _at(claim.opened_at),
        "resolved_at": _at(claim.resolved_at),
        "events": _case_events(claim.events),
        "evidence": [_file(row, buyer) for row in claim.evidence.all()],
    }


def _notification_about(notification: Notification) -> str:
    if notification.ticket is not None:
        return notification.ticket.reference
    if notification.dispute_event is not None:
        return f"DS-{notification.dispute_event.dispute_id:06d}"
    if notification.claim_event is not None:
        return f"WC-{notification.claim_event.claim_id:06d}"
    return ""


@dataclass
class Redaction:
    tickets: int = 0
    messages: int = 0
    # (storage, name) of every file to delete once the erasure commits.
    files: list[tuple[Any, str]] = field(default_factory=list)
    other: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.tickets or self.messages or self.files or self.other)


def _text(rows: QuerySet[Any], *names: str) -> int:
    """Set each non-empty, not yet erased text field of ``rows`` to "[erased]"; return the count."""
    total = 0
    for name in names:
        total += rows.exclude(**{name: ""}).exclude(**{name: ERASED}).update(**{name: ERASED})
    return total


def buyer_redact(*, buyer: User, old_email: str) -> Redaction:
    """Redact the buyer's text everywhere and delete their files' rows; return what changed.

    Runs in the caller's transaction; the files themselves are the caller's
    to delete after commit (``Redaction.files``).
    """
    done = Redaction()
    tickets = Ticket.objects.filter(buyer=buyer)
    done.tickets = _text(tickets, "subject", "description")
    done.other += tickets.exclude(details={}).update(details={})
    messages = Message.objects.filter(ticket__buyer=buyer)
    done.messages = _text(messages, "body")
    done.other += messages.filter(kind=MessageKind.BUYER).exclude(data={}).update(data={})
    done.other += _text(Rating.objects.filter(ticket__buyer=buyer), "comment")
    # A rating's comment is also the reason of its event; a buyer's own steps may quote them.
    done.other += _text(
        TicketEvent.objects.filter(ticket__buyer=buyer).filter(
            Q(kind=EventKind.RATED) | Q(actor=buyer)
        ),
        "reason",
    )

    attachments = Attachment.objects.filter(ticket__buyer=buyer)
    evidence = Evidence.objects.filter(Q(dispute__buyer=buyer) | Q(claim__buyer=buyer))
    for row in [*attachments, *evidence]:
        done.files.append((row.file.storage, row.file.name))  # type: ignore[attr-defined]
    attachments.delete()
    evidence.delete()

    disputes = Dispute.objects.filter(buyer=buyer)
    claims = WarrantyClaim.objects.filter(buyer=buyer)
    done.other += _text(disputes, "description", "seller_statement", "decision_note")
    done.other += _text(claims, "defect", "seller_statement", "decision_note")
    done.other += _text(DisputeEvent.objects.filter(dispute__buyer=buyer), "note")
    done.other += _text(ClaimEvent.objects.filter(claim__buyer=buyer), "note")

    done.other += _notifications_redact(buyer)
    done.other += _webhooks_redact(buyer)
    mail = _inbound_mail(buyer, email=old_email)
    done.other += mail.exclude(sender="erased").update(sender="erased")
    done.other += _text(mail, "subject")
    done.other += _text(AssistantQuestion.objects.filter(visitor=_visitor(buyer)), "question")
    # Answers kept for retried API requests may quote the buyer; they are a cache.
    done.other += IdempotencyRecord.objects.filter(owner=f"user:{buyer.pk}").delete()[0]
    return done


def _webhooks_redact(buyer: User) -> int:
    """Drop the data webhook deliveries kept about the buyer's tickets and cases.

    A delivery keeps its envelope (id, type, time) for the log; its data
    becomes ``{"erased": true}``. One not built yet is built from the
    redacted rows when it is sent.
    """
    from webhooks.models import Delivery

    ticket_events = TicketEvent.objects.filter(ticket__buyer=buyer).values_list("pk", flat=True)
    dispute_events = DisputeEvent.objects.filter(dispute__buyer=buyer).values_list("pk", flat=True)
    claim_events = ClaimEvent.objects.filter(claim__buyer=buyer).values_list("pk", flat=True)
    about = (
        Q(source__builder="ticket_event", source__event_id__in=list(ticket_events))
        | Q(
            source__builder="case_event",
            source__case="dispute",
            source__event_id__in=list(dispute_events),
        )
        | Q(
            source__builder="case_event",
            source__case="warranty_claim",
            source__event_id__in=list(claim_events),
        )
    )
    changed = 0
    for delivery in Delivery.objects.filter(about, payload__isnull=False).only("pk", "payload"):
        payload = dict(delivery.payload or {})
        if payload.get("data") != {"erased": True}:
            payload["data"] = {"erased": True}
            Delivery.objects.filter(pk=delivery.pk).update(payload=payload)
            changed += 1
    return changed


def _notifications_redact(buyer: User) -> int:
    """Drop the case text mails keep; mails not yet sent to the buyer are not sent."""
    changed = Notification.objects.filter(
        recipient=buyer, state__in=[NotificationState.PENDING, NotificationState.SENDING]
    ).update(state=NotificationState.FAILED, last_error="The recipient's data was erased.")
    about = Notification.objects.filter(
        Q(recipient=buyer)
        | Q(ticket__buyer=buyer)
        | Q(dispute_event__dispute__buyer=buyer)
        | Q(claim_event__claim__buyer=buyer)
    ).exclude(data={})
    for notification in about.only("pk", "data"):
        data = dict(notification.data)
        for key in CASE_TEXT_KEYS:
            if data.get(key) and data[key] != ERASED:
                data[key] = ERASED
        if data != notification.data:
            Notification.objects.filter(pk=notification.pk).update(data=data)
            changed += 1
    return changed
