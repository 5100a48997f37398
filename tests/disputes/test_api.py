"""Disputes and warranty claims through the API: scoped reads, opening, every lifecycle step."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from disputes import services
from disputes.models import Dispute, DisputeReason, Remedy, WantedOutcome, WarrantyClaim
from disputes.status import ClaimStatus, DisputeStatus
from orders.models import Order
from tests.disputes.conftest import Market, delivered_order
from tests.factories import SupervisorFactory, api_key_with
from tickets import services as ticket_services

DISPUTES = "/api/v1/disputes/"
CLAIMS = "/api/v1/warranty-claims/"


def key(*scopes: str, seller: User | None = None) -> APIClient:
    _api_key, raw = api_key_with(*scopes, seller=seller)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def session(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def order(market: Market) -> Order:
    """A delivered order of the buyer from lena's shop, recent enough to dispute today."""
    return delivered_order(
        market.shop, market.buyer, "MP-7001", delivered=timezone.now() - timedelta(days=3)
    )


def open_dispute(market: Market, order: Order) -> Dispute:
    return services.dispute_open(
        buyer=market.buyer,
        order_number=order.number,
        reason=DisputeReason.DAMAGED,
        wanted_outcome=WantedOutcome.FULL_REFUND,
        description="The kettle arrived dented.",
        now=timezone.now(),
    )


def open_claim(market: Market, order: Order) -> WarrantyClaim:
    kettle = order.items.get(title="Electric kettle")
    return services.warranty_claim_open(
        buyer=market.buyer,
        item_id=kettle.pk,
        defect="It stopped heating.",
        remedy=Remedy.REPAIR,
        now=timezone.now(),
    )


def route_escalation(case: Dispute | WarrantyClaim) -> None:
    """Route the case's escalation ticket as the routing task does: an agent of its queue decides."""
    case.refresh_from_db()
    assert case.ticket_id is not None
    ticket_services.ticket_route(ticket_id=case.ticket_id, now=timezone.now())


def post(client: APIClient, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url, data or {}, format="json")


def ids(client: APIClient, url: str, **params: str) -> set[int]:
    response = client.get(url, params)
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


# --- Reading ---------------------------------------------------------------------


def test_each_caller_sees_only_the_disputes_they_may(market: Market, order: Order) -> None:
    dispute = open_dispute(market, order)
    lena, marco = market.seller, market.other_seller
    mine = {dispute.pk}
    assert ids(session(market.buyer), DISPUTES) == mine
    assert ids(session(lena), DISPUTES) == mine
    assert ids(key("seller", seller=lena), DISPUTES) == mine
    assert ids(session(market.desk.agent), DISPUTES) == mine
    assert ids(key("disputes:read"), DISPUTES) == mine
    assert ids(session(marco), DISPUTES) == set()
    assert ids(key("seller", seller=marco), DISPUTES) == set()
    assert ids(session(market.stranger), DISPUTES) == set()

    detail = f"{DISPUTES}{dispute.pk}/"
    for outsider in (session(marco), key("seller", seller=marco), session(market.stranger)):
        response = outsider.get(detail)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    shown = session(lena).get(detail).json()
    assert (shown["reference"], shown["order"], shown["seller"]) == (
        dispute.reference,
        "MP-7001",
        "lena",
    )
    assert shown["events"][0]["kind"] == "opened" and shown["events"][0]["by"] == "buyer"
    assert shown["evidence"] == []
    assert key("tickets:read").get(DISPUTES).json()["error"]["code"] == "missing_scope"


def test_lists_filter_by_status_order_and_update(market: Market, order: Order) -> None:
    dispute = open_dispute(market, order)
    reader = key("disputes:read")
    assert ids(reader, DISPUTES, status="awaiting_seller,escalated") == {dispute.pk}
    assert ids(reader, DISPUTES, status="resolved") == set()
    assert ids(reader, DISPUTES, order="MP-7001") == {dispute.pk}
    assert ids(reader, DISPUTES, order="MP-5001") == set()
    later = (timezone.now() + timedelta(minutes=1)).isoformat()
    assert ids(reader, DISPUTES, updated_since=later) == set()
    assert reader.get(DISPUTES, {"updated_since": "soon"}).status_code == 400
    claim = open_claim(market, order)
    assert ids(key("seller", seller=market.seller), CLAIMS, order="MP-7001") == {claim.pk}
    assert ids(session(market.other_seller), CLAIMS) == set()


# --- Opening ---------------------------------------------------------------------


def test_a_buyer_opens_a_dispute_on_their_own_order_only(market: Market, order: Order) -> None:
    data = {
        "order": "MP-7001",
        "reason": "not_as_described",
        "wanted_outcome": "partial_refund",
        "partial_amount": "20.00",
        "description": "The kettle is 1 litre, not 1.7.",
    }
    stranger = post(session(market.stranger), DISPUTES, data)
    assert stranger.status_code == 404
    assert not Dispute.objects.exists()

    too_much = post(session(market.buyer), DISPUTES, {**data, "partial_amount": "50.01"})
    assert too_much.json()["error"]["code"] == "invalid_case"
    assert set(too_much.json()["error"]["details"]) == {"partial_amount"}

    created = post(session(market.buyer), DISPUTES, data)
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "awaiting_seller"
    assert created.json()["wanted_amount"] == "20.00"
    again = post(session(market.buyer), DISPUTES, data)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "dispute_already_open")
    seller = post(session(market.seller), DISPUTES, data)
    assert seller.json()["error"]["code"] == "role_not_allowed"


def test_a_key_opens_a_case_for_the_orders_buyer(market: Market, order: Order) -> None:
    writer = key("disputes:write")
    data = {"order": "MP-7001", "reason": "damaged", "wanted_outcome": "full_refund"}
    created = post(writer, DISPUTES, {**data, "description": "Dented."})
    assert created.status_code == 201
    assert created.json()["buyer"] == market.buyer.username
    other = post(writer, DISPUTES, {**data, "description": "x", "buyer": "stranger"})
    assert (other.status_code, other.json()["error"]["code"]) == (404, "not_found")
    assert (
        post(writer, DISPUTES, {**data, "order": "NOPE-1", "description": "x"}).status_code == 404
    )

    kettle = order.items.get(title="Electric kettle")
    claim = post(writer, CLAIMS, {"item": kettle.pk, "defect": "No heat.", "remedy": "repair"})
    assert claim.status_code == 201
    assert (claim.json()["item_title"], claim.json()["seller"]) == ("Electric kettle", "lena")
    descaler = order.items.get(title="Descaler")
    refused = post(writer, CLAIMS, {"item": descaler.pk, "defect": "x", "remedy": "refund"})
    assert refused.json()["error"]["code"] == "outside_warranty"
    assert key("seller", seller=market.seller).post(DISPUTES, data).status_code == 403


# --- Dispute steps ---------------------------------------------------------------


def test_the_seller_accepts(market: Market, order: Order) -> None:
    dispute = open_dispute(market, order)
    url = f"{DISPUTES}{dispute.pk}/accept/"
    assert post(session(market.other_seller), url).status_code == 404
    assert post(session(market.buyer), url).json()["error"]["code"] == "role_not_allowed"
    answer = post(session(market.seller), url, {"statement": "Sorry about that."})
    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["refund_amount"]) == ("resolved", "50.00")
    again = post(session(market.seller), url)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "step_not_allowed")
    assert again.json()["error"]["details"] == {"from": "resolved", "to": "resolved"}


def test_a_seller_key_rejects_with_a_statement(market: Market, order: Order) -> None:
    dispute = open_dispute(market, order)
    url = f"{DISPUTES}{dispute.pk}/reject/"
    assert post(key("seller", seller=market.other_seller), url).status_code == 404
    lena = key("seller", seller=market.seller)
    empty = post(lena, url, {"statement": " "})
    assert (empty.status_code, empty.json()["error"]["details"]) == (
        400,
        {"statement": "Required."},
    )
    answer = post(lena, url, {"statement": "It left us intact."})
    assert answer.json()["status"] == "seller_rejected"
    assert answer.json()["events"][-1] | {"created_at": None} == {
        "kind": "seller_rejected",
        "by": "seller",
        "from_status": "awaiting_seller",
        "to_status": "seller_rejected",
        "note": "It left us intact.",
        "created_at": None,
    }
    assert post(lena, url, {"statement": "Again."}).status_code == 409
    assert post(lena, f"{DISPUTES}{dispute.pk}/cancel/").status_code == 403


def test_counter_offer_then_the_buyer_accepts_it(market: Market, order: Order) -> None:
    dispute = open_dispute(market, order)
    offer = f"{DISPUTES}{dispute.pk}/counter-offer/"
    too_much = post(session(market.seller), offer, {"amount": "50.01"})
    assert too_much.json()["error"]["details"] == {"amount": "At most 50.00."}
    answer = post(session(market.seller), offer, {"amount": "15.00", "statement": "Part back?"})
    assert (answer.json()["status"], answer.json()["counter_amount"]) == (
        "counter_offered",
        "15.00",
    )

    accept = f"{DISPUTES}{dispute.pk}/accept-offer/"
    assert post(session(market.stranger), accept).status_code == 404
    assert post(session(market.seller), accept).status_code == 403
    taken = post(session(market.buyer), accept)
    assert (taken.json()["status"], taken.json()["refund_amount"]) == ("resolved", "15.00")
    assert post(session(market.buyer), accept).status_code == 409


def test_the_buyer_escalates_and_an_agent_decides(market: Market, order: Order) -> None:
    dispute = open_dispute(market, order)
    escalate = f"{DISPUTES}{dispute.pk}/escalate/"
    assert post(session(market.buyer), escalate).status_code == 409  # the seller has not answered
    services.dispute_seller_reject(
        dispute_id=dispute.pk, seller=market.seller, statement="No.", now=timezone.now()
    )
    assert post(session(market.stranger), escalate).status_code == 404
    escalated = post(session(market.buyer), escalate, {"note": "Please look at the photos."})
    assert escalated.json()["status"] == "escalated"
    assert escalated.json()["ticket"] == Dispute.objects.get().ticket.reference  # type: ignore[union-attr]
    route_escalation(dispute)

    decide = f"{DISPUTES}{dispute.pk}/decide/"
    decision = {"refund_amount": "50.01", "return_required": False, "note": "Dented: refund."}
    assert post(session(market.seller), decide, decision).status_code == 403
    # An agent outside the disputes queue cannot open the ticket, so cannot decide it either.
    assert post(session(market.desk.agent_ru), decide, decision).status_code == 404
    too_much = post(session(market.desk.agent), decide, decision)
    assert too_much.status_code == 400
    assert too_much.json()["error"]["code"] == "invalid_case"
    assert too_much.json()["error"]["details"] == {"refund_amount": "At most 50.00."}
    no_bearer = post(
        session(market.desk.agent),
        decide,
        {**decision, "refund_amount": "30", "return_required": True},
    )
    assert set(no_bearer.json()["error"]["details"]) == {"return_cost_bearer"}
    assert Dispute.objects.get().status == DisputeStatus.ESCALATED

    decided = post(
        session(SupervisorFactory()),
        decide,
        {
            **decision,
            "refund_amount": "30.00",
            "return_required": True,
            "return_cost_bearer": "seller",
        },
    )
    assert decided.status_code == 200, decided.json()
    body = decided.json()
    assert (body["status"], body["refund_amount"], body["return_cost_bearer"]) == (
        "resolved",
        "30.00",
        "seller",
    )
    assert body["events"][-1]["by"] == "agent"
    again = {**decision, "refund_amount": "10.00"}
    assert post(session(market.desk.agent), decide, again).status_code == 409
    assert post(session(market.buyer), escalate).json()["error"]["code"] == "step_not_allowed"


def test_a_key_decides_only_naming_an_agent_with_agents_write(market: Market, order: Order) -> None:
    dispute = open_dispute(market, order)
    now = timezone.now()
    services.dispute_seller_reject(
        dispute_id=dispute.pk, seller=market.seller, statement="No.", now=now
    )
    services.dispute_buyer_escalate(dispute_id=dispute.pk, buyer=market.buyer, now=now)
    route_escalation(dispute)
    decide = f"{DISPUTES}{dispute.pk}/decide/"
    decision = {"refund_amount": "0", "return_required": False, "note": "Not supported."}
    assert post(key("disputes:write"), decide, decision).json()["error"]["code"] == "missing_scope"
    both = key("disputes:write", "agents:write")
    assert set(post(both, decide, decision).json()["error"]["details"]) == {"agent"}
    unknown = post(both, decide, {**decision, "agent": "nobody"})
    assert unknown.json()["error"]["code"] == "unknown_agent"
    decided = post(both, decide, {**decision, "agent": market.desk.agent.username})
    assert (decided.json()["status"], decided.json()["refund_amount"]) == ("resolved", "0.00")


def test_the_buyer_cancels_through_a_key(market: Market, order: Order) -> None:
    dispute = open_dispute(market, order)
    cancel = f"{DISPUTES}{dispute.pk}/cancel/"
    assert post(key("disputes:read"), cancel).json()["error"]["code"] == "missing_scope"
    cancelled = post(key("disputes:write"), cancel)
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["events"][-1]["by"] == "buyer"
    assert post(session(market.buyer), cancel).status_code == 409
    assert post(session(market.stranger), f"{DISPUTES}999999/cancel/").status_code == 404


# --- Warranty-claim steps ------------------------------------------------------------


def test_the_seller_accepts_a_claim(market: Market, order: Order) -> None:
    claim = open_claim(market, order)
    url = f"{CLAIMS}{claim.pk}/accept/"
    assert post(key("seller", seller=market.other_seller), url).status_code == 404
    answer = post(key("seller", seller=market.seller), url, {"statement": "We repair it."})
    assert (answer.json()["status"], answer.json()["decided_remedy"]) == ("accepted", "repair")
    assert post(session(market.seller), url).status_code == 409


def test_a_refused_claim_goes_to_the_desk_which_decides(market: Market, order: Order) -> None:
    claim = open_claim(market, order)
    refuse = f"{CLAIMS}{claim.pk}/refuse/"
    assert post(session(market.other_seller), refuse, {"statement": "No."}).status_code == 404
    assert post(session(market.seller), refuse, {}).json()["error"]["code"] == "invalid_case"
    refused = post(session(market.seller), refuse, {"statement": "Misuse."})
    assert refused.json()["status"] == "escalated"
    assert refused.json()["ticket"] is not None
    assert post(session(market.seller), refuse, {"statement": "Again."}).status_code == 409
    route_escalation(claim)

    decide = f"{CLAIMS}{claim.pk}/decide/"
    assert post(session(market.stranger), decide, {"remedy": "", "note": "x"}).status_code == 403
    bad = post(session(market.desk.agent), decide, {"remedy": "money", "note": "x"})
    assert set(bad.json()["error"]["details"]) == {"remedy"}
    decided = post(session(market.desk.agent), decide, {"remedy": "replacement", "note": "Faulty."})
    assert (decided.json()["status"], decided.json()["decided_remedy"]) == (
        "resolved",
        "replacement",
    )
    assert post(session(market.desk.agent), decide, {"remedy": "", "note": "x"}).status_code == 409


def test_the_buyer_cancels_a_claim(market: Market, order: Order) -> None:
    claim = open_claim(market, order)
    cancel = f"{CLAIMS}{claim.pk}/cancel/"
    assert post(session(market.stranger), cancel).status_code == 404
    assert post(session(market.seller), cancel).status_code == 403
    assert post(session(market.buyer), cancel).json()["status"] == "cancelled"
    assert post(session(market.buyer), cancel).status_code == 409
    assert WarrantyClaim.objects.get().status == ClaimStatus.CANCELLED
