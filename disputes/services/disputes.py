"""Disputes: opening, each party's step, the agent's decision, the seller deadline."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from disputes.models import (
    CostBearer,
    Dispute,
    DisputeEvent,
    DisputeReason,
    WantedOutcome,
)
from disputes.services._common import (
    CaseNotFound,
    DisputeAlreadyOpen,
    InvalidCase,
    OutsideWindow,
    _money,
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
    DisputeStatus,
    StepNotAllowed,
    dispute_assert_can_move,
)
from orders.models import Order
from support_desk import security_log
from tickets.models import Channel, Ticket
from tickets.services.opening import TicketRequest, ticket_open

# --- Disputes -------------------------------------------------------------------


def _dispute_step(
    dispute: Dispute,
    *,
    to: DisputeStatus,
    kind: str,
    actor: User | None,
    now: datetime,
    note: str = "",
    only_from: tuple[DisputeStatus, ...] = (),
) -> DisputeEvent:
    """Move a locked dispute along its graph and write the event (callers ``case_save``).

    ``only_from`` narrows the graph for one party's step: the graph lets a
    dispute resolve from several statuses, but the buyer accepts only an
    offer that was made and an agent decides only what was escalated.
    """
    current = dispute.status
    if only_from and current not in only_from:
        raise StepNotAllowed(
            _("This step is not possible while the dispute is %(status)s.")
            % {"status": DisputeStatus(current).label},
            details={"from": str(current), "to": str(to)},
        )
    dispute_assert_can_move(current, to)
    dispute.status = to
    dispute.updated_at = now
    if to == DisputeStatus.RESOLVED:
        dispute.resolved_at = now
    event = DisputeEvent.objects.create(
        dispute=dispute,
        kind=kind,
        actor=actor,
        from_status=current,
        to_status=to,
        note=note[:500],
        created_at=now,
    )
    return event


def _lock_dispute(dispute_id: int) -> Dispute:
    dispute = (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("order__shop__seller", "buyer")
        .filter(pk=dispute_id)
        .first()
    )
    if dispute is None:
        raise CaseNotFound(_("No such dispute."))
    return dispute


def dispute_window_check(order: Order, *, now: datetime) -> None:
    """Raise OutsideWindow unless a dispute may be opened on ``order`` now.

    Once the order is paid, until DESK_DISPUTE_WINDOW_DAYS after delivery
    (open-ended while it is not delivered).
    """
    if not order.is_paid:
        raise OutsideWindow(_("A dispute can be opened once the order is paid."))
    if order.delivered_at is not None:
        closes = order.delivered_at + timedelta(days=settings.DESK_DISPUTE_WINDOW_DAYS)
        if now > closes:
            raise OutsideWindow(
                _("Buyer protection for this order ended on %(date)s.")
                % {"date": day_text(timezone.localdate(closes))}
            )


def dispute_open(
    *,
    buyer: User,
    order_number: str,
    reason: str,
    wanted_outcome: str,
    description: str,
    now: datetime,
    partial_amount: Decimal | None = None,
) -> Dispute:
    """Open a dispute on the buyer's own paid order, inside its protection window.

    Raises CaseNotFound (not their order), InvalidCase, OutsideWindow,
    DisputeAlreadyOpen (also when a concurrent request won: the database refuses).
    """
    order = (
        Order.objects.select_related("shop__seller")
        .filter(number=order_number.strip(), buyer=buyer)
        .first()
    )
    if order is None:
        security_log.log_if_someone_elses(
            Order.objects.filter(number=order_number.strip()), what="order"
        )
        raise CaseNotFound(_("You have no order with that number."))
    if reason not in DisputeReason.values:
        raise InvalidCase(_("Choose a reason."), details={"reason": _("Unknown reason.")})
    if wanted_outcome not in WantedOutcome.values:
        raise InvalidCase(_("Choose what you want."), details={"wanted_outcome": _("Unknown.")})
    dispute_window_check(order, now=now)
    if wanted_outcome == WantedOutcome.PARTIAL_REFUND:
        amount = _money(partial_amount, field="partial_amount", most=order.total)
    else:
        amount = order.total
    description = _text(description, field="description")
    try:
        with transaction.atomic():
            dispute = Dispute.objects.create(
                order=order,
                buyer=buyer,
                reason=reason,
                wanted_outcome=wanted_outcome,
                wanted_amount=amount,
                description=description,
                seller_deadline_at=now + timedelta(days=settings.DESK_DISPUTE_SELLER_DAYS),
                opened_at=now,
                updated_at=now,
            )
            event = DisputeEvent.objects.create(
                dispute=dispute,
                kind="opened",
                actor=buyer,
                to_status=DisputeStatus.AWAITING_SELLER,
                created_at=now,
            )
            case_announce(dispute, event, now=now)
    except IntegrityError as error:
        raise DisputeAlreadyOpen(_("This order already has an open dispute.")) from error
    return dispute


def _as_seller(dispute: Dispute, seller: User) -> None:
    if dispute.order.shop.seller_id != seller.pk:
        security_log.log_not_yours(what="dispute")
        raise CaseNotFound(_("No such dispute."))


def _as_buyer(dispute: Dispute, buyer: User) -> None:
    if dispute.buyer_id != buyer.pk:
        security_log.log_not_yours(what="dispute")
        raise CaseNotFound(_("No such dispute."))


@transaction.atomic
def dispute_seller_accept(
    *, dispute_id: int, seller: User, now: datetime, statement: str = ""
) -> Dispute:
    """The seller gives the buyer what they asked: resolved for the buyer."""
    dispute = _lock_dispute(dispute_id)
    _as_seller(dispute, seller)
    seller_deadline_check(dispute, now=now)
    event = _dispute_step(
        dispute,
        to=DisputeStatus.RESOLVED,
        kind="seller_accepted",
        only_from=(DisputeStatus.AWAITING_SELLER,),
        actor=seller,
        now=now,
        note=statement,
    )
    dispute.seller_statement = statement.strip()[:5000]
    dispute.refund_amount = dispute.wanted_amount
    dispute.return_required = dispute.wanted_outcome == WantedOutcome.RETURN_AND_REFUND
    case_save(dispute, event, now=now)
    return dispute


@transaction.atomic
def dispute_seller_reject(
    *, dispute_id: int, seller: User, statement: str, now: datetime
) -> Dispute:
    """The seller refuses, saying why; the buyer may escalate."""
    dispute = _lock_dispute(dispute_id)
    _as_seller(dispute, seller)
    seller_deadline_check(dispute, now=now)
    statement = _text(statement, field="statement")
    event = _dispute_step(
        dispute,
        to=DisputeStatus.SELLER_REJECTED,
        kind="seller_rejected",
        actor=seller,
        now=now,
        note=statement,
    )
    dispute.seller_statement = statement
    case_save(dispute, event, now=now)
    return dispute


@transaction.atomic
def dispute_seller_counter(
    *, dispute_id: int, seller: User, amount: Decimal, statement: str, now: datetime
) -> Dispute:
    """The seller offers a partial refund (at most the order total)."""
    dispute = _lock_dispute(dispute_id)
    _as_seller(dispute, seller)
    seller_deadline_check(dispute, now=now)
    amount = _money(amount, field="amount", most=dispute.order.total)
    event = _dispute_step(
        dispute,
        to=DisputeStatus.COUNTER_OFFERED,
        kind="seller_counter_offered",
        actor=seller,
        now=now,
        note=f"{amount} {dispute.order.currency}",
    )
    dispute.counter_amount = amount
    dispute.seller_statement = statement.strip()[:5000]
    case_save(dispute, event, now=now)
    return dispute


@transaction.atomic
def dispute_buyer_accept_counter(*, dispute_id: int, buyer: User, now: datetime) -> Dispute:
    """The buyer takes the seller's partial refund: resolved."""
    dispute = _lock_dispute(dispute_id)
    _as_buyer(dispute, buyer)
    event = _dispute_step(
        dispute,
        to=DisputeStatus.RESOLVED,
        kind="buyer_accepted_offer",
        actor=buyer,
        now=now,
        only_from=(DisputeStatus.COUNTER_OFFERED,),
    )
    dispute.refund_amount = dispute.counter_amount
    dispute.return_required = False
    case_save(dispute, event, now=now)
    return dispute


def _escalation_ticket(dispute: Dispute, *, now: datetime) -> Ticket:
    topic = escalation_topic("dispute")
    request = TicketRequest(
        subject=_("Dispute %(reference)s on order %(order)s")
        % {"reference": dispute.reference, "order": dispute.order.number},
        description=dispute.description,
        language=dispute.buyer.preferred_language or settings.LANGUAGE_CODE,
        channel=Channel.WEB,
        order_number=dispute.order.number,
    )
    return ticket_open(buyer=dispute.buyer, topic=topic, request=request, now=now, assistant=False)


def _escalate(
    dispute: Dispute,
    *,
    actor: User | None,
    now: datetime,
    note: str,
    only_from: tuple[DisputeStatus, ...],
    kind: str = "escalated",
) -> DisputeEvent:
    event = _dispute_step(
        dispute,
        to=DisputeStatus.ESCALATED,
        kind=kind,
        actor=actor,
        now=now,
        note=note,
        only_from=only_from,
    )
    dispute.ticket = _escalation_ticket(dispute, now=now)
    return event


@transaction.atomic
def dispute_buyer_escalate(
    *, dispute_id: int, buyer: User, now: datetime, note: str = ""
) -> Dispute:
    """The buyer asks the desk to decide: a ticket in the disputes queue."""
    dispute = _lock_dispute(dispute_id)
    _as_buyer(dispute, buyer)
    # The buyer escalates once the seller has answered; silence escalates by itself.
    event = _escalate(
        dispute,
        actor=buyer,
        now=now,
        note=note,
        only_from=(DisputeStatus.SELLER_REJECTED, DisputeStatus.COUNTER_OFFERED),
    )
    case_save(dispute, event, now=now)
    return dispute


@transaction.atomic
def dispute_buyer_cancel(*, dispute_id: int, buyer: User, now: datetime) -> Dispute:
    """The buyer withdraws a dispute that is not resolved yet."""
    dispute = _lock_dispute(dispute_id)
    _as_buyer(dispute, buyer)
    event = _dispute_step(
        dispute, to=DisputeStatus.CANCELLED, kind="cancelled", actor=buyer, now=now
    )
    case_save(dispute, event, now=now)
    escalation_ticket_withdraw(dispute, buyer=buyer, now=now)
    return dispute


@transaction.atomic
def dispute_decide(
    *,
    dispute_id: int,
    agent: User,
    refund_amount: Decimal,
    return_required: bool,
    return_cost_bearer: str,
    note: str,
    now: datetime,
) -> Dispute:
    """An agent decides an escalated dispute: the refund (≤ order total), the return and who pays it."""
    if not agent.is_agent:
        raise CaseNotFound(_("No such dispute."))
    dispute = _lock_dispute(dispute_id)
    if refund_amount != 0:
        refund_amount = _money(refund_amount, field="refund_amount", most=dispute.order.total)
    if return_required and return_cost_bearer not in CostBearer.values:
        raise InvalidCase(
            _("Say who pays the return."), details={"return_cost_bearer": _("Required.")}
        )
    note = _text(note, field="note")
    event = _dispute_step(
        dispute,
        to=DisputeStatus.RESOLVED,
        kind="decided",
        actor=agent,
        now=now,
        note=note,
        only_from=(DisputeStatus.ESCALATED,),
    )
    dispute.refund_amount = refund_amount
    dispute.return_required = return_required
    dispute.return_cost_bearer = return_cost_bearer if return_required else ""
    dispute.decided_by = agent
    dispute.decision_note = note
    case_save(dispute, event, now=now)
    escalation_ticket_solve(dispute, agent=agent, now=now)
    return dispute


def dispute_deadlines_run(*, now: datetime, batch: int = 200) -> int:
    """Act once on every dispute whose seller deadline passed; safe to run twice, catches up.

    Each overdue dispute is locked (SKIP LOCKED) and re-checked, so two runs
    never act on the same one; a run after downtime finds everything missed.
    """
    acted = 0
    for _round in range(batch):
        with transaction.atomic():
            dispute = (
                Dispute.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("order__shop__seller", "buyer")
                .filter(status=DisputeStatus.AWAITING_SELLER, seller_deadline_at__lt=now)
                .order_by("seller_deadline_at", "id")
                .first()
            )
            if dispute is None:
                break
            note = _("The seller did not answer by the deadline.")
            if settings.DESK_DISPUTE_SELLER_SILENCE == "buyer":
                event = _dispute_step(
                    dispute,
                    to=DisputeStatus.RESOLVED,
                    kind="deadline_resolved",
                    actor=None,
                    now=now,
                    note=note,
                )
                dispute.refund_amount = dispute.wanted_amount
                dispute.return_required = dispute.wanted_outcome == WantedOutcome.RETURN_AND_REFUND
            else:
                event = _escalate(
                    dispute,
                    actor=None,
                    now=now,
                    note=note,
                    only_from=(DisputeStatus.AWAITING_SELLER,),
                    kind="deadline_escalated",
                )
            case_save(dispute, event, now=now)
            acted += 1
    return acted
