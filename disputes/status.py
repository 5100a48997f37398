"""The status graphs of disputes and warranty claims: pure tables, no ORM, no clock.

Disputes::

    awaiting_seller -> resolved            (the seller accepts, or misses the deadline
                                            where the desk resolves for the buyer)
    awaiting_seller -> seller_rejected     (the buyer may escalate)
    awaiting_seller -> counter_offered     (a partial refund; the buyer accepts or escalates)
    awaiting_seller -> escalated           (the deadline passed, where the desk escalates)
    seller_rejected | counter_offered -> escalated
    counter_offered -> resolved            (the buyer accepts the counter-offer)
    escalated -> resolved                  (an agent decides)
    resolved -> closed
    any unresolved -> cancelled            (the buyer withdraws)

Warranty claims::

    awaiting_seller -> accepted | escalated (refused, or silent past the deadline)
    escalated -> resolved (an agent decides); accepted | resolved -> closed
    awaiting_seller | escalated -> cancelled
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from support_desk.errors import DomainError


class DisputeStatus(models.TextChoices):
    AWAITING_SELLER = "awaiting_seller", _("Waiting for the seller")
    SELLER_REJECTED = "seller_rejected", _("Rejected by the seller")
    COUNTER_OFFERED = "counter_offered", _("Seller offers a partial refund")
    ESCALATED = "escalated", _("With the support team")
    RESOLVED = "resolved", _("Resolved")
    CANCELLED = "cancelled", _("Withdrawn")
    CLOSED = "closed", _("Closed")


DISPUTE_TRANSITIONS: dict[str, frozenset[str]] = {
    DisputeStatus.AWAITING_SELLER: frozenset(
        {
            DisputeStatus.RESOLVED,
            DisputeStatus.SELLER_REJECTED,
            DisputeStatus.COUNTER_OFFERED,
            DisputeStatus.ESCALATED,
            DisputeStatus.CANCELLED,
        }
    ),
    DisputeStatus.SELLER_REJECTED: frozenset({DisputeStatus.ESCALATED, DisputeStatus.CANCELLED}),
    DisputeStatus.COUNTER_OFFERED: frozenset(
        {DisputeStatus.RESOLVED, DisputeStatus.ESCALATED, DisputeStatus.CANCELLED}
    ),
    DisputeStatus.ESCALATED: frozenset({DisputeStatus.RESOLVED, DisputeStatus.CANCELLED}),
    DisputeStatus.RESOLVED: frozenset({DisputeStatus.CLOSED}),
    DisputeStatus.CANCELLED: frozenset(),
    DisputeStatus.CLOSED: frozenset(),
}

# A buyer may open another dispute on the order only when none of these holds.
OPEN_DISPUTE_STATUSES = frozenset(
    {
        DisputeStatus.AWAITING_SELLER,
        DisputeStatus.SELLER_REJECTED,
        DisputeStatus.COUNTER_OFFERED,
        DisputeStatus.ESCALATED,
    }
)


class ClaimStatus(models.TextChoices):
    AWAITING_SELLER = "awaiting_seller", _("Waiting for the seller")
    ACCEPTED = "accepted", _("Accepted by the seller")
    ESCALATED = "escalated", _("With the support team")
    RESOLVED = "resolved", _("Resolved")
    CANCELLED = "cancelled", _("Withdrawn")
    CLOSED = "closed", _("Closed")


CLAIM_TRANSITIONS: dict[str, frozenset[str]] = {
    ClaimStatus.AWAITING_SELLER: frozenset(
        {ClaimStatus.ACCEPTED, ClaimStatus.ESCALATED, ClaimStatus.CANCELLED}
    ),
    ClaimStatus.ACCEPTED: frozenset({ClaimStatus.CLOSED}),
    ClaimStatus.ESCALATED: frozenset({ClaimStatus.RESOLVED, ClaimStatus.CANCELLED}),
    ClaimStatus.RESOLVED: frozenset({ClaimStatus.CLOSED}),
    ClaimStatus.CANCELLED: frozenset(),
    ClaimStatus.CLOSED: frozenset(),
}

OPEN_CLAIM_STATUSES = frozenset({ClaimStatus.AWAITING_SELLER, ClaimStatus.ESCALATED})


class StepNotAllowed(DomainError):
    code = "step_not_allowed"
    status = 409


def _check(table: dict[str, frozenset[str]], current: str, target: str, what: str) -> None:
    if target not in table.get(current, frozenset()):
        raise StepNotAllowed(
            f"A {what} cannot go from {str(current)!r} to {str(target)!r}.",
            details={"from": str(current), "to": str(target)},
        )


def dispute_can_move(current: str, target: str) -> bool:
    return target in DISPUTE_TRANSITIONS.get(current, frozenset())


def dispute_assert_can_move(current: str, target: str) -> None:
    """Raise StepNotAllowed unless a dispute may go from ``current`` to ``target``."""
    _check(DISPUTE_TRANSITIONS, current, target, "dispute")


def claim_can_move(current: str, target: str) -> bool:
    return target in CLAIM_TRANSITIONS.get(current, frozenset())


def claim_assert_can_move(current: str, target: str) -> None:
    """Raise StepNotAllowed unless a warranty claim may go from ``current`` to ``target``."""
    _check(CLAIM_TRANSITIONS, current, target, "warranty claim")
