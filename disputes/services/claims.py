"""Warranty claims: opening within the period, the seller's answer, the desk's decision."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from disputes.models import (
    ClaimEvent,
    Remedy,
    WarrantyClaim,
)
from disputes.services._common import (
    CaseNotFound,
    DisputeAlreadyOpen,
    InvalidCase,
    OutsideWarranty,
    _text,
    case_announce,
    case_save,
    day_text,
    escalation_ticket_solve,
    escalation_ticket_withdraw,
    escalation_topic,
    seller_deadline_check,
)
from disputes.status import (
    ClaimStatus,
    claim_assert_can_move,
)
from orders.models import OrderItem, warranty_last_day
from support_desk import security_log
from tickets.models import Channel, Ticket
from tickets.services.opening import TicketRequest, ticket_open

# --- Warranty claims ------------------------------------------------------------


def _claim_step(
    claim: WarrantyClaim,
    *,
    to: ClaimStatus,
    kind: str,
    actor: User | None,
    now: datetime,
    note: str = "",
) -> ClaimEvent:
    """Move a locked claim along its graph and write the event (callers ``case_save``)."""
    current = claim.status
    claim_assert_can_move(current, to)
    claim.status = to
    claim.updated_at = now
    if to == ClaimStatus.RESOLVED:
        claim.resolved_at = now
    event = ClaimEvent.objects.create(
        claim=claim,
        kind=kind,
        actor=actor,
        from_status=current,
        to_status=to,
        note=note[:500],
        created_at=now,
    )
    return event


def warranty_claim_open(
    *, buyer: User, item_id: int, defect: str, remedy: str, now: datetime, time_zone: str = ""
) -> WarrantyClaim:
    """Open a warranty claim on an item of the buyer's delivered order, within its warranty.

    The period is counted in months from the delivery day in the buyer's time
    zone; outside it the claim is refused at once, naming the last day.
    """
    item = (
        OrderItem.objects.select_related("order__shop__seller")
        .filter(pk=item_id, order__buyer=buyer)
        .first()
    )
    if item is None:
        security_log.log_if_someone_elses(OrderItem.objects.filter(pk=item_id), what="item")
        raise CaseNotFound(_("You have no such item."))
    if remedy not in Remedy.values:
        raise InvalidCase(_("Choose a remedy."), details={"remedy": _("Unknown remedy.")})
    if item.warranty_months == 0 or item.order.delivered_at is None:
        raise OutsideWarranty(_("This item has no warranty running."))
    zone = time_zone or settings.TIME_ZONE
    last_day = warranty_last_day(
        delivered_at=item.order.delivered_at, months=item.warranty_months, time_zone=zone
    )
    from zoneinfo import ZoneInfo

    today = now.astimezone(ZoneInfo(zone)).date()
    if today > last_day:
        raise OutsideWarranty(
            _("The warranty on this item ended on %(date)s.") % {"date": day_text(last_day)},
            details={"last_day": last_day.isoformat()},
        )
    defect = _text(defect, field="defect")
    try:
        with transaction.atomic():
            claim = WarrantyClaim.objects.create(
                item=item,
                buyer=buyer,
                defect=defect,
                remedy=remedy,
                seller_deadline_at=now + timedelta(days=settings.DESK_WARRANTY_SELLER_DAYS),
                opened_at=now,
                updated_at=now,
            )
            event = ClaimEvent.objects.create(
                claim=claim,
                kind="opened",
                actor=buyer,
                to_status=ClaimStatus.AWAITING_SELLER,
                created_at=now,
            )
            case_announce(claim, event, now=now)
    except IntegrityError as error:
        raise DisputeAlreadyOpen(_("This item already has an open warranty claim.")) from error
    return claim


def _lock_claim(claim_id: int) -> WarrantyClaim:
    claim = (
        WarrantyClaim.objects.select_for_update(of=("self",))
        .select_related("item__order__shop__seller", "buyer")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None:
        raise CaseNotFound(_("No such warranty claim."))
    return claim


def _claim_ticket(claim: WarrantyClaim, *, now: datetime) -> Ticket:
    topic = escalation_topic("warranty")
    order = claim.item.order
    request = TicketRequest(
        subject=_("Warranty claim %(reference)s: %(item)s")
        % {"reference": claim, "item": claim.item.title},
        description=claim.defect,
        language=claim.buyer.preferred_language or settings.LANGUAGE_CODE,
        channel=Channel.WEB,
        order_number=order.number,
        product=claim.item.title[:200],
        purchase_date=(order.paid_at or order.created_at).date(),
    )
    return ticket_open(buyer=claim.buyer, topic=topic, request=request, now=now, assistant=False)


@transaction.atomic
def warranty_claim_seller_accept(
    *, claim_id: int, seller: User, now: datetime, statement: str = ""
) -> WarrantyClaim:
    """The seller agrees to the remedy the buyer asked for."""
    claim = _lock_claim(claim_id)
    if claim.item.order.shop.seller_id != seller.pk:
        security_log.log_not_yours(what="claim")
        raise CaseNotFound(_("No such warranty claim."))
    seller_deadline_check(claim, now=now)
    event = _claim_step(
        claim,
        to=ClaimStatus.ACCEPTED,
        kind="seller_accepted",
        actor=seller,
        now=now,
        note=statement,
    )
    claim.seller_statement = statement.strip()[:5000]
    claim.decided_remedy = claim.remedy
    case_save(claim, event, now=now)
    return claim


@transaction.atomic
def warranty_claim_seller_refuse(
    *, claim_id: int, seller: User, statement: str, now: datetime
) -> WarrantyClaim:
    """The seller refuses, saying why: the claim goes to the desk as a ticket."""
    claim = _lock_claim(claim_id)
    if claim.item.order.shop.seller_id != seller.pk:
        security_log.log_not_yours(what="claim")
        raise CaseNotFound(_("No such warranty claim."))
    seller_deadline_check(claim, now=now)
    statement = _text(statement, field="statement")
    event = _claim_step(
        claim,
        to=ClaimStatus.ESCALATED,
        kind="seller_refused",
        actor=seller,
        now=now,
        note=statement,
    )
    claim.seller_statement = statement
    claim.ticket = _claim_ticket(claim, now=now)
    case_save(claim, event, now=now)
    return claim


@transaction.atomic
def warranty_claim_decide(
    *, claim_id: int, agent: User, remedy: str, note: str, now: datetime
) -> WarrantyClaim:
    """An agent decides an escalated claim: the remedy the seller owes, or none (empty)."""
    if not agent.is_agent:
        raise CaseNotFound(_("No such warranty claim."))
    claim = _lock_claim(claim_id)
    if remedy and remedy not in Remedy.values:
        raise InvalidCase(_("Choose a remedy."), details={"remedy": _("Unknown remedy.")})
    note = _text(note, field="note")
    event = _claim_step(
        claim, to=ClaimStatus.RESOLVED, kind="decided", actor=agent, now=now, note=note
    )
    claim.decided_remedy = remedy
    claim.decided_by = agent
    claim.decision_note = note
    case_save(claim, event, now=now)
    escalation_ticket_solve(claim, agent=agent, now=now)
    return claim


@transaction.atomic
def warranty_claim_cancel(*, claim_id: int, buyer: User, now: datetime) -> WarrantyClaim:
    """The buyer withdraws a claim that is not decided yet."""
    claim = _lock_claim(claim_id)
    if claim.buyer_id != buyer.pk:
        security_log.log_not_yours(what="claim")
        raise CaseNotFound(_("No such warranty claim."))
    event = _claim_step(claim, to=ClaimStatus.CANCELLED, kind="cancelled", actor=buyer, now=now)
    case_save(claim, event, now=now)
    escalation_ticket_withdraw(claim, buyer=buyer, now=now)
    return claim


def warranty_deadlines_run(*, now: datetime, batch: int = 200) -> int:
    """Escalate, once, every claim the seller left unanswered past the deadline."""
    acted = 0
    for _round in range(batch):
        with transaction.atomic():
            claim = (
                WarrantyClaim.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("item__order__shop__seller", "buyer")
                .filter(status=ClaimStatus.AWAITING_SELLER, seller_deadline_at__lt=now)
                .order_by("seller_deadline_at", "id")
                .first()
            )
            if claim is None:
                break
            event = _claim_step(
                claim,
                to=ClaimStatus.ESCALATED,
                kind="deadline_escalated",
                actor=None,
                now=now,
                note=_("The seller did not answer by the deadline."),
            )
            claim.ticket = _claim_ticket(claim, now=now)
            case_save(claim, event, now=now)
            acted += 1
    return acted
