"""Reads of disputes and warranty claims, scoped by who asks.

A seller sees the cases on their own shops' orders, a buyer their own; any
other case is "not found" (CaseNotFound), never "forbidden".
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from disputes.models import ClaimEvent, Dispute, DisputeEvent, Evidence, WarrantyClaim
from disputes.services import CaseNotFound
from disputes.status import OPEN_CLAIM_STATUSES, OPEN_DISPUTE_STATUSES
from orders.models import Order, OrderItem, OrderStatus

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


def dispute_list_for_seller(*, seller: User, open_only: bool) -> QuerySet[Dispute]:
    """Return disputes on the seller's shops' orders: open ones by deadline, else newest first."""
    disputes = _disputes().filter(order__shop__seller=seller)
    if open_only:
        return disputes.filter(status__in=OPEN_DISPUTE_STATUSES).order_by(
            "seller_deadline_at", "id"
        )
    return disputes.exclude(status__in=OPEN_DISPUTE_STATUSES).order_by("-updated_at", "-id")


def claim_list_for_seller(*, seller: User, open_only: bool) -> QuerySet[WarrantyClaim]:
    """Return warranty claims on the seller's shops' items, like dispute_list_for_seller."""
    claims = _claims().filter(item__order__shop__seller=seller)
    if open_only:
        return claims.filter(status__in=OPEN_CLAIM_STATUSES).order_by("seller_deadline_at", "id")
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
        raise CaseNotFound(_("No such dispute."))
    return dispute


def claim_get_for_buyer(*, buyer: User, claim_id: int) -> WarrantyClaim:
    """Return the buyer's own warranty claim with its events and evidence; raises CaseNotFound."""
    claim = _with_case_details(_claims(), ClaimEvent).filter(pk=claim_id, buyer=buyer).first()
    if claim is None:
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
        raise CaseNotFound(_("No such file."))
    return found


# --- Agent ----------------------------------------------------------------------


def case_for_ticket(*, ticket_id: int) -> Dispute | WarrantyClaim | None:
    """Return the dispute or warranty claim a ticket escalates, with what the agent reads."""
    dispute = (
        _with_case_details(_disputes(), DisputeEvent)
        .prefetch_related("order__items")
        .filter(ticket_id=ticket_id)
        .first()
    )
    if dispute is not None:
        return dispute
    return _with_case_details(_claims(), ClaimEvent).filter(ticket_id=ticket_id).first()
