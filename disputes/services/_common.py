"""Errors and checks shared by the dispute and warranty-claim services."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from accounts.models import User
from disputes.models import ClaimEvent, DisputeEvent
from faq.models import Topic
from support_desk.errors import DomainError
from tickets.models import NotificationKind
from tickets.services._common import case_notification_queue


class CaseNotFound(DomainError):
    code = "not_found"
    status = 404


class InvalidCase(DomainError):
    code = "invalid_case"


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


def parties_notify(
    event: DisputeEvent | ClaimEvent,
    *,
    buyer: User,
    seller: User | None,
    now: datetime,
    kind: NotificationKind = NotificationKind.CASE_UPDATE,
    to_buyer: bool = True,
) -> None:
    """Owe the buyer and the shop's seller a mail about one step of their case.

    Both hear of every step, their own included: the mail is the record of
    what the case stands at and what comes next.
    """
    recipients = [seller] if seller is not None else []
    if to_buyer:
        recipients.insert(0, buyer)
    for recipient in recipients:
        case_notification_queue(event=event, kind=kind, recipient=recipient, now=now)
