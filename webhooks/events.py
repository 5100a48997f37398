"""The catalogue of webhook events, and which keys may hear each: pure, no database.

An event's type is ``<family>.<step>``. A subscription lists the types it
wants, or a whole family as ``<family>.*``. Ticket events go to integrator
keys with ``tickets:read``; dispute and warranty-claim events to integrator
keys with ``disputes:read``, and to a key bound to a seller (scope
``seller``) for that seller's shops' cases only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from api.models import ApiKey

# Ticket history kinds (tickets.models.EventKind) that are webhook events; the
# rest (queue moves, priority, SLA, reminders) are the desk's own business.
TICKET_EVENT_TYPES = {
    "opened": "ticket.created",
    "assignee": "ticket.assigned",
    "replied": "ticket.replied",
    "status": "ticket.status_changed",
    "rated": "ticket.rated",
}

# Every step a dispute or warranty claim takes (the ``kind`` of its events).
DISPUTE_STEPS = (
    "opened",
    "seller_accepted",
    "seller_rejected",
    "seller_counter_offered",
    "buyer_accepted_offer",
    "escalated",
    "deadline_escalated",
    "deadline_resolved",
    "cancelled",
    "decided",
    "seller_reminded",
    "evidence_added",
    "closed",
)
CLAIM_STEPS = (
    "opened",
    "seller_accepted",
    "seller_refused",
    "deadline_escalated",
    "cancelled",
    "decided",
    "seller_reminded",
    "evidence_added",
    "closed",
)

EVENT_TYPES: tuple[str, ...] = (
    *TICKET_EVENT_TYPES.values(),
    *(f"dispute.{step}" for step in DISPUTE_STEPS),
    *(f"warranty_claim.{step}" for step in CLAIM_STEPS),
)
FAMILIES = ("ticket", "dispute", "warranty_claim")
WILDCARDS = tuple(f"{family}.*" for family in FAMILIES)
# What a subscription may list: each event type, or a family's wildcard.
CHOICES: tuple[str, ...] = (*EVENT_TYPES, *WILDCARDS)

_FAMILY_SCOPE = {
    "ticket": "tickets:read",
    "dispute": "disputes:read",
    "warranty_claim": "disputes:read",
}


def family_of(event_type: str) -> str:
    """Return the family of an event type or wildcard: ``dispute.opened`` → ``dispute``."""
    return event_type.partition(".")[0]


def event_wanted(event_type: str, *, wanted: list[str]) -> bool:
    """Return True when a subscription listing ``wanted`` gets ``event_type``."""
    return event_type in wanted or f"{family_of(event_type)}.*" in wanted


def key_may_hear(api_key: ApiKey, event_type: str) -> bool:
    """Return True when ``api_key``'s scopes let it hear of events of this type's family.

    For a seller-bound key this says only that it may hear of cases at all:
    which cases is the payload's business (its own shops').
    """
    family = family_of(event_type)
    if family not in _FAMILY_SCOPE:
        return False
    if api_key.seller_id is not None:
        return api_key.acts_as_seller and family != "ticket"
    return api_key.has_scopes([_FAMILY_SCOPE[family]])
