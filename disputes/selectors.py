"""Reads of disputes and warranty claims, scoped by who asks.

A seller sees the cases on their own shops' orders, a buyer their own; any
other case is "not found" (CaseNotFound), never "forbidden".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from accounts.models import User
from disputes.models import ClaimEvent, Dispute, DisputeEvent, Evidence, WarrantyClaim
from disputes.services import CaseNotFound
from disputes.services._common import OutsideWindow
from disputes.status import (
    OPEN_CLAIM_STATUSES,
    OPEN_DISPUTE_STATUSES,
    ClaimStatus,
    DisputeStatus,
)
from orders.models import Order, OrderItem, OrderStatus
from support_desk import security_log
from tickets.models import Ticket

# How many finished cases the seller centre lists under the open ones.
FINISHED_SHOWN = 20


def _disputes() -> QuerySet[Dispute]:
    return Dispute.objects.select_related("order__shop", "buyer", "ticket")


def _claims() -> QuerySet[WarrantyClaim]:
    return WarrantyClaim.objects.select_related("item__order__shop", "buyer", "ticket")


def _with_case_details(
    queryset: QuerySet, event_model: type[DisputeEvent] | type[ClaimEvent]
) -> QuerySet:
    return queryset.prefetch_related(
        Prefetch("events", queryset=event_model.objects.select_related("actor")),
        Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by")),
    )


# --- Seller ---------------------------------------------------------------------


def _awaiting_seller_first(queryset: QuerySet, awaiting: str) -> QuerySet:
    """Order cases awaiting the seller by deadline, nearest first, then the rest newest first.

    A case the seller has answered keeps its old deadline, which no longer
    binds anyone: it must not sort the case among those still to answer.
    """
    waiting = Q(status=awaiting)
    return queryset.annotate(
        awaits_seller=Case(
            When(waiting, then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
        answer_by=Case(When(waiting, then=F("seller_deadline_at")), default=None),
    ).order_by("awaits_seller", F("answer_by").asc(nulls_last=True), "-updated_at", "-id")


def dispute_list_for_seller(*, seller: User, open_only: bool) -> QuerySet[Dispute]:
    """Return disputes on the seller's shops' orders.

    Open ones: those awaiting the seller by deadline, nearest first, then the
    others by their last change, newest first. Finished ones: newest first.
    """
    disputes = _disputes().filter(order__shop__seller=seller)
    if open_only:
        return _awaiting_seller_first(
            disputes.filter(status__in=OPEN_DISPUTE_STATUSES), DisputeStatus.AWAITING_SELLER
        )
    return disputes.exclude(status__in=OPEN_DISPUTE_STATUSES).order_by("-updated_at", "-id")


def claim_list_for_seller(*, seller: User, open_only: bool) -> QuerySet[WarrantyClaim]:
    """Return warranty claims on the seller's shops' items, ordered as dispute_list_for_seller."""
    claims = _claims().filter(item__order__shop__seller=seller)
    if open_only:
        return _awaiting_seller_first(
            claims.filter(status__in=OPEN_CLAIM_STATUSES), ClaimStatus.AWAITING_SELLER
        )
    return claims.exclude(status__in=OPEN_CLAIM_STATUSES).order_by("-updated_at", "-id")


def dispute_get_for_seller(*, seller: User, dispute_id: int) -> Dispute:
    """Return a dispute on one of the seller's shops with its events and evidence.

    Raises CaseNotFound for any other dispute.
    """
    dispute = (
        _with_case_details(_disputes(), DisputeEvent)
        .filter(pk=dispute_id, order__shop__seller=seller)
        .first()
    )
    if dispute is None:
        security_log.log_if_someone_elses(Dispute.objects.filter(pk=dispute_id), what="dispute")
        raise CaseNotFound(_("No such dispute."))
    return dispute


def claim_get_for_seller(*, seller: User, claim_id: int) -> WarrantyClaim:
    """Return a warranty claim on one of the seller's shops; raises CaseNotFound otherwise."""
    claim = (
        _with_case_details(_claims(), ClaimEvent)
        .filter(pk=claim_id, item__order__shop__seller=seller)
        .first()
    )
    if claim is None:
        security_log.log_if_someone_elses(WarrantyClaim.objects.filter(pk=claim_id), what="claim")
        raise CaseNotFound(_("No such warranty claim."))
    return claim


# --- Buyer ----------------------------------------------------------------------


def dispute_list_for_buyer(*, buyer: User) -> QuerySet[Dispute]:
    """Return the buyer's disputes, newest first."""
    return _disputes().filter(buyer=buyer).order_by("-opened_at", "-id")


def claim_list_for_buyer(*, buyer: User) -> QuerySet[WarrantyClaim]:
    """Return the buyer's warranty claims, newest first."""
    return _claims().filter(buyer=buyer).order_by("-opened_at", "-id")


def dispute_get_for_buyer(*, buyer: User, dispute_id: int) -> Dispute:
    """Return the buyer's own dispute with its events and evidence; raises CaseNotFound."""
    dispute = (
        _with_case_details(_disputes(), DisputeEvent).filter(pk=dispute_id, buyer=buyer).first()
    )
    if dispute is None:
        security_log.log_if_someone_elses(Dispute.objects.filter(pk=dispute_id), what="dispute")
        raise CaseNotFound(_("No such dispute."))
    return dispute


def claim_get_for_buyer(*, buyer: User, claim_id: int) -> WarrantyClaim:
    """Return the buyer's own warranty claim with its events and evidence; raises CaseNotFound."""
    claim = _with_case_details(_claims(), ClaimEvent).filter(pk=claim_id, buyer=buyer).first()
    if claim is None:
        security_log.log_if_someone_elses(WarrantyClaim.objects.filter(pk=claim_id), what="claim")
        raise CaseNotFound(_("No such warranty claim."))
    return claim


def orders_disputable_for_buyer(*, buyer: User) -> QuerySet[Order]:
    """Return the buyer's paid orders (the ones a dispute may be opened on), newest first."""
    return (
        Order.objects.select_related("shop")
        .filter(buyer=buyer, paid_at__isnull=False)
        .exclude(status=OrderStatus.CANCELLED)
        .order_by("-created_at", "-id")
    )


def dispute_window_open(order: Order, *, now: datetime) -> bool:
    """Say whether a dispute may be opened on ``order`` now, by the rule ``dispute_open`` keeps."""
    from disputes.services.disputes import dispute_window_check

    try:
        dispute_window_check(order, now=now)
    except OutsideWindow:
        return False
    return True


@dataclass(frozen=True)
class TicketOrder:
    """The buyer's order a request is about, and the case to follow on it, if any."""

    order: Order
    # The case the request escalates, else the order's open dispute.
    case: Dispute | WarrantyClaim | None
    can_open_dispute: bool

    @property
    def case_is_dispute(self) -> bool:
        return isinstance(self.case, Dispute)


def ticket_order_for_buyer(
    *, buyer: User, ticket_id: int, order_id: int, now: datetime
) -> TicketOrder | None:
    """Return the buyer's order a ticket is linked to, with where a dispute on it stands.

    None when the order is not the buyer's. Three queries at most.
    """
    order = Order.objects.select_related("shop").filter(pk=order_id, buyer=buyer).first()
    if order is None:
        return None
    disputes = list(
        Dispute.objects.filter(order=order, buyer=buyer).filter(
            Q(status__in=OPEN_DISPUTE_STATUSES) | Q(ticket_id=ticket_id)
        )
    )
    case: Dispute | WarrantyClaim | None = next(
        (d for d in disputes if d.ticket_id == ticket_id), None
    ) or next((d for d in disputes if d.status in OPEN_DISPUTE_STATUSES), None)
    if case is None:
        case = WarrantyClaim.objects.filter(ticket_id=ticket_id, buyer=buyer).first()
    open_dispute = any(d.status in OPEN_DISPUTE_STATUSES for d in disputes)
    return TicketOrder(
        order=order,
        case=case,
        can_open_dispute=not open_dispute and dispute_window_open(order, now=now),
    )


def items_with_warranty_for_buyer(*, buyer: User) -> QuerySet[OrderItem]:
    """Return the items with a warranty on the buyer's delivered orders, newest order first."""
    return (
        OrderItem.objects.select_related("order__shop")
        .filter(order__buyer=buyer, order__delivered_at__isnull=False, warranty_months__gt=0)
        .order_by("-order__delivered_at", "id")
    )


# --- Evidence -------------------------------------------------------------------


def evidence_get_for_viewer(*, viewer: User, evidence_id: int) -> Evidence:
    """Return a piece of evidence its case's buyer, the case's seller or an agent may see.

    Raises CaseNotFound for everyone else, as for a file that does not exist.
    """
    evidence = Evidence.objects.filter(pk=evidence_id)
    if not viewer.is_agent:
        evidence = evidence.filter(
            Q(dispute__buyer=viewer)
            | Q(dispute__order__shop__seller=viewer)
            | Q(claim__buyer=viewer)
            | Q(claim__item__order__shop__seller=viewer)
        )
    found = evidence.first()
    if found is None:
        security_log.log_if_someone_elses(Evidence.objects.filter(pk=evidence_id), what="evidence")
        raise CaseNotFound(_("No such file."))
    return found


# --- Agent ----------------------------------------------------------------------


def case_for_ticket(*, ticket_id: int) -> Dispute | WarrantyClaim | None:
    """Return the dispute or warranty claim a ticket escalates, with what the agent reads.

    Most tickets escalate no case. One narrow query says which case, if any,
    the ticket has; only then is the case read with its order, events and
    evidence. Building those two reads for every ticket page cost ~8 ms of
    CPU on the benchmark machine, a tenth of the agent's ticket page.
    """
    found = Ticket.objects.filter(pk=ticket_id).values_list("dispute", "warranty_claim").first()
    dispute_id, claim_id = found if found is not None else (None, None)
    if dispute_id is not None:
        return (
            _with_case_details(_disputes(), DisputeEvent)
            .prefetch_related("order__items")
            .filter(pk=dispute_id)
            .first()
        )
    if claim_id is not None:
        return _with_case_details(_claims(), ClaimEvent).filter(pk=claim_id).first()
    return None
