"""Which disputes and warranty claims a caller sees, and whom a step acts as.

A case another party owns answers 404 (``not_found``), as one that does not
exist. Integrator keys see every case and take a step as the case's own
buyer or seller; a seller-bound key acts as its seller.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from api.permissions import MissingScope, RoleNotAllowed
from disputes.models import ClaimEvent, Dispute, DisputeEvent, Evidence, WarrantyClaim
from disputes.services import CaseNotFound, InvalidCase
from orders.api.access import MarketCaller
from support_desk import security_log
from tickets.api import access as people


def visible_disputes(caller: MarketCaller) -> QuerySet[Dispute]:
    """Return the disputes the caller may read, with what the output shows."""
    disputes = Dispute.objects.select_related("order__shop__seller", "buyer", "ticket")
    seller = caller.seller
    if seller is not None:
        return disputes.filter(order__shop__seller=seller)
    if caller.is_integrator or caller.agent is not None:
        return disputes
    if caller.buyer is not None:
        return disputes.filter(buyer=caller.buyer)
    return disputes.none()


def visible_claims(caller: MarketCaller) -> QuerySet[WarrantyClaim]:
    """Return the warranty claims the caller may read, with what the output shows."""
    claims = WarrantyClaim.objects.select_related("item__order__shop__seller", "buyer", "ticket")
    seller = caller.seller
    if seller is not None:
        return claims.filter(item__order__shop__seller=seller)
    if caller.is_integrator or caller.agent is not None:
        return claims
    if caller.buyer is not None:
        return claims.filter(buyer=caller.buyer)
    return claims.none()


def _details(
    queryset: QuerySet[Any], event_model: type[DisputeEvent] | type[ClaimEvent]
) -> QuerySet[Any]:
    return queryset.prefetch_related(
        Prefetch("events", queryset=event_model.objects.select_related("actor")),
        Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by")),
    )


def dispute_visible(caller: MarketCaller, dispute_id: int) -> Dispute:
    """Return one dispute the caller may read, with events and evidence; raise CaseNotFound."""
    dispute = _details(visible_disputes(caller), DisputeEvent).filter(pk=dispute_id).first()
    if dispute is None:
        security_log.log_if_someone_elses(Dispute.objects.filter(pk=dispute_id), what="dispute")
        raise CaseNotFound(_("No such dispute."))
    return dispute


def claim_visible(caller: MarketCaller, claim_id: int) -> WarrantyClaim:
    """Return one warranty claim the caller may read, with events and evidence."""
    claim = _details(visible_claims(caller), ClaimEvent).filter(pk=claim_id).first()
    if claim is None:
        security_log.log_if_someone_elses(WarrantyClaim.objects.filter(pk=claim_id), what="claim")
        raise CaseNotFound(_("No such warranty claim."))
    return claim


# --- Whom a step acts as ---------------------------------------------------------


def acting_seller(caller: MarketCaller, *, case_seller: User) -> User:
    """Return the seller a seller's step acts as (the case is visible to the caller)."""
    if caller.seller is not None:
        return caller.seller
    if caller.is_integrator:
        return case_seller
    raise RoleNotAllowed()


def acting_buyer(caller: MarketCaller, *, case_buyer: User) -> User:
    """Return the buyer a buyer's step acts as (the case is visible to the caller)."""
    if caller.buyer is not None:
        return caller.buyer
    if caller.is_integrator:
        return case_buyer
    raise RoleNotAllowed()


def acting_agent(caller: MarketCaller, *, username: str) -> User:
    """Return the agent who decides: the signed-in one, or the one an integrator key names."""
    if caller.is_integrator:
        if not caller.has_scope("agents:write"):
            raise MissingScope(
                _("This API key lacks the scope(s): %(scope)s (%(why)s).")
                % {"scope": "agents:write", "why": _("deciding as an agent")}
            )
        if not username:
            raise InvalidCase(
                _("Name the agent the key acts for."),
                details={"agent": _("Required for API keys.")},
            )
        return people.agent_named(username)
    if username:
        raise InvalidCase(
            _("Signed-in people act as themselves."),
            details={"agent": _("Only API keys name an agent.")},
        )
    if caller.agent is None:
        raise RoleNotAllowed()
    return caller.agent


def new_case_buyer(caller: MarketCaller, *, named: str, owner: User | None) -> User:
    """Return the buyer a new case is for: the signed-in buyer, or the one a key names.

    A key that names no buyer opens the case for the owner of the order
    (``owner``, None when no such order exists: the service then answers 404).
    """
    if caller.buyer is not None:
        if named:
            raise InvalidCase(
                _("Signed-in buyers open their own cases."),
                details={"buyer": _("Only API keys name the buyer.")},
            )
        return caller.buyer
    if not caller.is_integrator:
        raise RoleNotAllowed()
    if named:
        return people.buyer_named(named)
    if owner is None:
        raise CaseNotFound(_("No such order."))
    return owner
