"""Errors and checks shared by the dispute and warranty-claim services."""

from __future__ import annotations

from contextlib import suppress
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from disputes.models import ClaimEvent, Dispute, DisputeEvent, WarrantyClaim
from faq.models import Topic
from support_desk.errors import DomainError
from tickets.models import NotificationKind
from tickets.services._common import case_notification_queue
from tickets.services.conversation import ticket_set_status_by_agent, ticket_withdraw_by_buyer
from tickets.status import Status, TransitionNotAllowed
from webhooks.payloads import CaseEventPayload
from webhooks.services import webhook_emit

# Days read as on the case pages and forms: "23 Sep 2026", in the reader's language.
DAY_FORMAT = "j M Y"


def day_text(day: date) -> str:
    return date_format(day, DAY_FORMAT)


class CaseNotFound(DomainError):
    code = "not_found"
    status = 404


class InvalidCase(DomainError):
    code = "invalid_case"


class SellerDeadlinePassed(InvalidCase):
    code = "seller_deadline_passed"
    status = 409


def seller_deadline_check(case: Dispute | WarrantyClaim, *, now: datetime) -> None:
    """Refuse a seller's answer or evidence once their deadline has passed.

    Checked at request time, so the outcome never depends on whether the
    deadline task (beat and a worker) has acted yet. Raises SellerDeadlinePassed.
    """
    deadline = case.seller_deadline_at
    if case.status == "awaiting_seller" and deadline is not None and now >= deadline:
        raise SellerDeadlinePassed(
            _("The seller's time to answer ended at %(deadline)s UTC.")
            % {"deadline": f"{deadline:%Y-%m-%d %H:%M}"},
            details={"seller_deadline_at": deadline.isoformat()},
        )


class DisputeAlreadyOpen(DomainError):
    code = "dispute_already_open"
    status = 409


class OutsideWindow(DomainError):
    code = "outside_protection_window"


class OutsideWarranty(DomainError):
    code = "outside_warranty"


def _money(amount: Decimal | None, *, field: str, most: Decimal) -> Decimal:
    if amount is None or not amount.is_finite() or amount <= 0:
        raise InvalidCase(_("Give an amount above zero."), details={field: _("Above zero.")})
    if amount > most:
        raise InvalidCase(
            _("A refund cannot be more than the order total (%(total)s).") % {"total": most},
            details={field: _("At most %(total)s.") % {"total": most}},
        )
    return amount.quantize(Decimal("0.01"))


def _text(value: str, *, field: str, most: int = 5000) -> str:
    value = value.strip()
    if not value:
        raise InvalidCase(_("Tell us what happened."), details={field: _("Required.")})
    if len(value) > most:
        raise InvalidCase(
            _("Too long."), details={field: _("At most %(n)d characters.") % {"n": most}}
        )
    return value


def escalation_topic(slug: str) -> Topic:
    """Return the help-centre topic an escalation ticket is filed under (else the first topic)."""
    topic = Topic.objects.filter(slug=slug).first() or Topic.objects.order_by("sort_order").first()
    if topic is None:
        raise InvalidCase(_("The desk has no topics to escalate to."))
    return topic


# What a mail about a step says of the case: its state right after that step,
# kept with the mail, so a mail sent late still tells that step's state.
SNAPSHOT_FIELDS = (
    "status",
    "seller_deadline_at",
    "seller_statement",
    "counter_amount",
    "refund_amount",
    "return_required",
    "return_cost_bearer",
    "decided_remedy",
    "decision_note",
    "resolved_at",
)


def case_snapshot(case: Dispute | WarrantyClaim) -> dict[str, str | None]:
    """Return the case's changing fields as text (``Field.value_to_string``), None for null."""
    snapshot: dict[str, str | None] = {}
    for name in SNAPSHOT_FIELDS:
        try:
            field = case._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        assert isinstance(field, models.Field)
        value = getattr(case, name)
        snapshot[name] = None if value is None else field.value_to_string(case)
    return snapshot


def case_announce(
    case: Dispute | WarrantyClaim,
    event: DisputeEvent | ClaimEvent,
    *,
    now: datetime,
    kind: NotificationKind = NotificationKind.CASE_UPDATE,
    to_buyer: bool = True,
) -> None:
    """Owe the buyer and the shop's seller a mail about one step of their case.

    Both hear of every step, their own included: the mail is the record of
    what the case stands at and what comes next. Call it once the step's
    changes are on ``case``: each mail keeps the case as it is now.
    """
    order = case.order if isinstance(case, Dispute) else case.item.order
    recipients = [order.shop.seller] if order.shop.seller is not None else []
    if to_buyer:
        recipients.insert(0, case.buyer)
    data = case_snapshot(case)
    for recipient in recipients:
        case_notification_queue(event=event, kind=kind, recipient=recipient, now=now, data=data)
    webhook = CaseEventPayload.of(event, seller_id=order.shop.seller_id)
    webhook_emit(event_type=webhook.event_type, build_payload=webhook, now=now)


def case_save(
    case: Dispute | WarrantyClaim, event: DisputeEvent | ClaimEvent, *, now: datetime
) -> None:
    """Save a locked case after a step and owe both parties the mail about it."""
    case.save()
    case_announce(case, event, now=now)


def escalation_ticket_solve(case: Dispute | WarrantyClaim, *, agent: User, now: datetime) -> None:
    """Mark the ticket a decided case was escalated on solved, unless it already moved on.

    The decision is the answer: the buyer is told the ticket is solved and may
    rate the help, and the agent's capacity is freed for the next ticket.
    """
    if case.ticket_id is None:
        return
    # Closed already, or never reached an agent's hands: nothing to solve.
    with suppress(TransitionNotAllowed):
        ticket_set_status_by_agent(
            ticket_id=case.ticket_id, agent=agent, status=Status.SOLVED, now=now
        )


def escalation_ticket_withdraw(
    case: Dispute | WarrantyClaim, *, buyer: User, now: datetime
) -> None:
    """End the ticket a withdrawn case was escalated on: nothing is left for an agent to decide.

    Solved as the buyer's own word, so no mail tells them of it and the agent's
    slot frees; a ticket routing has not queued yet closes, so no agent
    receives it; one closed already is left as it is.
    """
    if case.ticket_id is None:
        return
    ticket_withdraw_by_buyer(
        ticket_id=case.ticket_id,
        buyer=buyer,
        now=now,
        reason=_("The buyer withdrew the case the ticket was escalated for."),
    )
