"""OpenAPI documentation of the disputes and warranty-claims API."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse

from api.pagination import SYNC_LIST as SYNC
from api.serializers import ErrorSerializer
from orders.api.schema import PAGE_PARAMS

__all__ = ["PAGE_PARAMS"]

WHO_SEES = (
    "Integrator keys see every case; a key with scope `seller` bound to a seller sees that "
    "seller's shops' cases. Signed-in buyers see their own cases, sellers their shops', "
    "agents and supervisors all. A case the caller may not see answers 404 `not_found`, as "
    "one that does not exist."
)
LIST_DISPUTES = (
    "Disputes the caller may see, as " + SYNC + " "
    "Filters: `status` (comma-separated), `order` (number), `updated_since`.\n\n"
    "**Access:** scope `disputes:read`, or `seller` (bound). " + WHO_SEES
)
LIST_CLAIMS = LIST_DISPUTES.replace("Disputes", "Warranty claims")
DETAIL = (
    "One case with its timeline (`events`: each step, by which party, from and to which "
    "status) and the metadata of its evidence files.\n\n**Access:** as for the list. " + WHO_SEES
)
CREATE_DISPUTE = (
    "Open a dispute on a paid order, inside its protection window (configurable days after "
    "delivery): `reason`, `wanted_outcome`, `partial_amount` for a partial refund (at most "
    "the order total), `description`. The seller then has a deadline to answer. One open "
    "dispute per order. 201 with the dispute.\n\n"
    "**Access:** scope `disputes:write`, on behalf of the order's buyer (or `buyer`); a "
    "signed-in buyer on their own order. An order that is not the buyer's answers 404."
)
CREATE_CLAIM = (
    "Open a warranty claim on an item with a warranty, within its period (months from the "
    "delivery day): `item` (the order item's `id`), `defect`, `remedy`. Outside the period it "
    "is refused at once (`outside_warranty`, with the last day). 201 with the claim.\n\n"
    "**Access:** scope `disputes:write`, on behalf of the order's buyer (or `buyer`); a "
    "signed-in buyer on their own item."
)

SELLER_STEP = (
    "\n\n**Access:** the seller's step. Scope `disputes:write` (acting as the case's seller), "
    "or `seller` (a key bound to the seller); a signed-in seller on their shops' cases."
)
BUYER_STEP = (
    "\n\n**Access:** the buyer's step. Scope `disputes:write` (acting as the case's buyer); a "
    "signed-in buyer on their own cases."
)
AGENT_STEP = (
    "\n\n**Access:** the desk's step. Scope `disputes:write` plus `agents:write`, naming the "
    "deciding `agent`; a signed-in agent or supervisor."
)

DISPUTE_STEPS = {
    "accept": "The seller gives the buyer what they asked: `resolved`, the refund is the amount "
    "asked. From `awaiting_seller`.",
    "reject": "The seller refuses, saying why in `statement` (required): `seller_rejected`; the "
    "buyer may escalate. From `awaiting_seller`.",
    "counter_offer": "The seller offers a partial refund `amount` (at most the order total): "
    "`counter_offered`. From `awaiting_seller`.",
    "accept_offer": "The buyer takes the seller's partial refund: `resolved`. From "
    "`counter_offered`.",
    "escalate": "The buyer asks the desk to decide: `escalated`, and a ticket on the dispute "
    "topic is opened and routed. From `seller_rejected` or `counter_offered`.",
    "cancel": "The buyer withdraws the dispute: `cancelled`. From any status before `resolved`.",
    "decide": "An agent decides an escalated dispute: `refund_amount` (0 to the order total), "
    "`return_required` and `return_cost_bearer`, and a `note` for both parties: `resolved`. "
    "From `escalated`.",
}
CLAIM_STEPS = {
    "accept": "The seller agrees to the remedy asked: `accepted`. From `awaiting_seller`.",
    "refuse": "The seller refuses, saying why in `statement` (required): `escalated`, and a "
    "ticket on the warranty topic is opened and routed. From `awaiting_seller`.",
    "cancel": "The buyer withdraws the claim: `cancelled`. From `awaiting_seller` or `escalated`.",
    "decide": "An agent decides an escalated claim: the `remedy` the seller owes (empty for "
    "none) and a `note`: `resolved`.",
}

_ERRORS = {
    401: "No credentials (`not_authenticated`), or an unknown or revoked key (`invalid_api_key`).",
    403: "The key lacks a scope (`missing_scope`), or the person's role may not take this step "
    "(`role_not_allowed`).",
    404: "No such case, or not one the caller may see (`not_found`).",
    409: "`step_not_allowed` (`details`: `from`, `to`): the case's status does not allow this "
    "step.",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ErrorSerializer, description=_ERRORS[code]) for code in codes}


STEP_ERRORS = {
    400: OpenApiResponse(
        ErrorSerializer,
        description="`invalid_case`: a field is missing or wrong (an amount above the order "
        "total, an empty statement or note); `details` maps each field to one message. "
        "`unknown_agent`: no active agent with the `agent` username.",
    ),
    **errors(401, 403, 404, 409),
}
CREATE_DISPUTE_ERRORS = {
    400: OpenApiResponse(
        ErrorSerializer,
        description="`invalid_case` (`details` per field), `outside_protection_window` (not "
        "paid yet, or the window closed: the message says when), `unknown_buyer`.",
    ),
    **errors(401, 403),
    404: OpenApiResponse(ErrorSerializer, description="`not_found`: not the buyer's order."),
    409: OpenApiResponse(
        ErrorSerializer, description="`dispute_already_open`: the order has an open dispute."
    ),
}
CREATE_CLAIM_ERRORS = {
    400: OpenApiResponse(
        ErrorSerializer,
        description="`invalid_case` (`details` per field), `outside_warranty` (no warranty, "
        "or it ended: `details.last_day`), `unknown_buyer`.",
    ),
    **errors(401, 403),
    404: OpenApiResponse(ErrorSerializer, description="`not_found`: not the buyer's item."),
    409: OpenApiResponse(
        ErrorSerializer, description="`dispute_already_open`: the item has an open claim."
    ),
}
LIST_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="A bad filter (`validation_error`)."),
    **errors(401, 403),
}

_DISPUTE = {
    "id": 42,
    "reference": "DS-000042",
    "order": "MP-1001",
    "shop": "kitchen-shop",
    "seller": "lena",
    "buyer": "anna",
    "status": "counter_offered",
    "reason": "not_as_described",
    "wanted_outcome": "full_refund",
    "wanted_amount": "50.00",
    "currency": "EUR",
    "description": "The kettle holds 1 litre, not 1.7 as the page said.",
    "seller_deadline_at": "2026-11-25T12:00:00Z",
    "seller_statement": "We can refund part of the price.",
    "counter_amount": "15.00",
    "ticket": None,
    "refund_amount": None,
    "return_required": None,
    "return_cost_bearer": "",
    "decision_note": "",
    "opened_at": "2026-11-20T12:00:00Z",
    "resolved_at": None,
    "updated_at": "2026-11-21T09:00:00Z",
}
_EVENTS = [
    {
        "kind": "opened",
        "by": "buyer",
        "from_status": "",
        "to_status": "awaiting_seller",
        "note": "",
        "created_at": "2026-11-20T12:00:00Z",
    },
    {
        "kind": "seller_counter_offered",
        "by": "seller",
        "from_status": "awaiting_seller",
        "to_status": "counter_offered",
        "note": "15.00 EUR",
        "created_at": "2026-11-21T09:00:00Z",
    },
]
_EVIDENCE = [
    {
        "id": 7,
        "name": "kettle.jpg",
        "content_type": "image/jpeg",
        "size": 184320,
        "by": "buyer",
        "created_at": "2026-11-20T12:00:00Z",
    }
]
DISPUTE_EXAMPLE = OpenApiExample(
    "A dispute", response_only=True, value={**_DISPUTE, "events": _EVENTS, "evidence": _EVIDENCE}
)
DISPUTE_PAGE_EXAMPLE = OpenApiExample(
    "A page of disputes",
    response_only=True,
    value={"next": None, "previous": None, "results": [_DISPUTE]},
)
DISPUTE_CREATE_EXAMPLE = OpenApiExample(
    "A partial refund asked",
    request_only=True,
    value={
        "order": "MP-1001",
        "reason": "not_as_described",
        "wanted_outcome": "partial_refund",
        "partial_amount": "20.00",
        "description": "The kettle holds 1 litre, not 1.7 as the page said.",
        "buyer": "anna",
    },
)
_CLAIM = {
    "id": 5,
    "reference": "WC-000005",
    "order": "MP-1001",
    "item": 11,
    "item_title": "Electric kettle",
    "shop": "kitchen-shop",
    "seller": "lena",
    "buyer": "anna",
    "status": "awaiting_seller",
    "defect": "It stopped heating after three months.",
    "remedy": "repair",
    "seller_deadline_at": "2026-11-25T12:00:00Z",
    "seller_statement": "",
    "ticket": None,
    "decided_remedy": "",
    "decision_note": "",
    "opened_at": "2026-11-20T12:00:00Z",
    "resolved_at": None,
    "updated_at": "2026-11-20T12:00:00Z",
}
CLAIM_EXAMPLE = OpenApiExample(
    "A warranty claim",
    response_only=True,
    value={**_CLAIM, "events": _EVENTS[:1], "evidence": []},
)
CLAIM_PAGE_EXAMPLE = OpenApiExample(
    "A page of warranty claims",
    response_only=True,
    value={"next": None, "previous": None, "results": [_CLAIM]},
)
CLAIM_CREATE_EXAMPLE = OpenApiExample(
    "A repair asked",
    request_only=True,
    value={"item": 11, "defect": "It stopped heating after three months.", "remedy": "repair"},
)
STEP_NOT_ALLOWED_EXAMPLE = OpenApiExample(
    "A step the status does not allow",
    response_only=True,
    status_codes=["409"],
    value={
        "error": {
            "code": "step_not_allowed",
            "message": "A dispute cannot go from 'resolved' to 'seller_rejected'.",
            "details": {"from": "resolved", "to": "seller_rejected"},
        }
    },
)
REFUND_TOO_HIGH_EXAMPLE = OpenApiExample(
    "A refund above the order total",
    response_only=True,
    status_codes=["400"],
    value={
        "error": {
            "code": "invalid_case",
            "message": "A refund cannot be more than the order total (50.00).",
            "details": {"refund_amount": "At most 50.00."},
        }
    },
)
