"""Events enter the outbox with the change they tell of, and tell the state it left."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from api import services as api_services
from disputes import services as case_services
from disputes.models import DisputeReason, Remedy, WantedOutcome
from orders.models import Order
from orders.services import shop_upsert
from tests.disputes.conftest import NOW, Market, delivered_order
from tests.factories import api_key_with
from tests.tickets.conftest import Desk, open_ticket
from tests.tickets.fixtures.samples import png, upload
from tests.webhooks.conftest import build_payloads, deliveries_of, subscribe
from tickets import services as ticket_services
from tickets.models import Presence, Priority
from tickets.services.rating import ticket_rate
from tickets.status import Status
from webhooks.events import CLAIM_STEPS, DISPUTE_STEPS, EVENT_TYPES, TICKET_EVENT_TYPES
from webhooks.models import Delivery
from webhooks.services import InvalidEvents

pytestmark = pytest.mark.usefixtures("allow_private")
URL = "http://127.0.0.1:9/hooks"


def _key_client(*scopes: str) -> APIClient:
    _key, raw = api_key_with(*scopes)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def _payloads(subscription: Any) -> dict[str, dict[str, Any]]:
    return {d.event_type: d.payload for d in deliveries_of(subscription)}


# --- Tickets ---------------------------------------------------------------------


def test_a_ticket_created_through_the_api_is_told_as_the_api_shows_it(
    desk: Desk, django_capture_on_commit_callbacks: Any
) -> None:
    api_key, raw = api_key_with("tickets:read", "webhooks:read")
    hears, _secret = subscribe(URL, ["ticket.created"], api_key=api_key)
    deaf, _secret = subscribe(URL, ["ticket.status_changed"])
    integrator = _key_client("tickets:write")

    with django_capture_on_commit_callbacks() as callbacks:
        response = integrator.post(
            "/api/v1/tickets/",
            {
                "topic": "payment",
                "subject": "Charged twice",
                "description": "My card was charged twice at checkout.",
                "order_number": "MP-1001",
                "transaction_id": "TX-42",
                "amount": "59.90",
                "buyer": "anna",
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        [delivery] = deliveries_of(hears)
        assert delivery.payload is None  # built once the ticket has committed
    build_payloads(callbacks)

    assert deliveries_of(deaf) == []
    delivery.refresh_from_db()
    payload = delivery.payload
    assert payload is not None
    assert set(payload) == {"id", "type", "created_at", "data"}
    assert (payload["id"], payload["type"]) == (str(delivery.event_id), "ticket.created")
    data = payload["data"]
    assert data["event"] == {
        "kind": "opened",
        "from": "",
        "to": "api",
        "by": "buyer",
        "reason": "",
        "created_at": data["event"]["created_at"],
    }
    # The ticket as the subscribing key reads it from the API.
    subscriber = APIClient()
    subscriber.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    shown = subscriber.get(f"/api/v1/tickets/{response.json()['id']}/").json()
    assert data["ticket"] == {field: shown[field] for field in data["ticket"]}
    assert data["ticket"]["reference"] == response.json()["reference"]


def test_events_written_before_the_ticket_is_saved_tell_the_committed_ticket(
    desk: Desk, django_capture_on_commit_callbacks: Any
) -> None:
    """Routing writes the status and assignee events before it saves the ticket."""
    subscription, _secret = subscribe(
        URL, ["ticket.assigned", "ticket.status_changed"], "tickets:read", "agents:read"
    )
    ticket_services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=NOW)
    ticket = open_ticket(desk, now=NOW)

    with django_capture_on_commit_callbacks() as callbacks:
        ticket_services.ticket_route(ticket_id=ticket.pk, now=NOW)
    build_payloads(callbacks)

    ticket.refresh_from_db()
    assert ticket.status == Status.ASSIGNED
    deliveries = deliveries_of(subscription)
    told = [(d.event_type, d.payload["data"]["event"]["to"]) for d in deliveries]  # type: ignore[index]
    assert told == [
        ("ticket.status_changed", "queued"),
        ("ticket.status_changed", "assigned"),
        ("ticket.assigned", desk.agent.username),
    ]
    for delivery in deliveries:
        shown = delivery.payload["data"]["ticket"]  # type: ignore[index]
        assert (shown["status"], shown["queue"]) == ("assigned", ticket.queue.slug)  # type: ignore[union-attr]
        assert shown["assignee"] == desk.agent.username
        assert shown["updated_at"] is not None


def test_keys_without_agent_scope_see_no_agent_in_the_payload(
    desk: Desk, django_capture_on_commit_callbacks: Any
) -> None:
    subscription, _secret = subscribe(URL, ["ticket.assigned"], "tickets:read")
    ticket_services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=NOW)
    ticket = open_ticket(desk, now=NOW)
    with django_capture_on_commit_callbacks() as callbacks:
        ticket_services.ticket_route(ticket_id=ticket.pk, now=NOW)
    build_payloads(callbacks)

    data = _payloads(subscription)["ticket.assigned"]["data"]
    assert data["ticket"]["assignee"] is None
    assert (data["event"]["from"], data["event"]["to"], data["event"]["by"]) == (None, None, "desk")
    assert desk.agent.username not in str(data)


def test_a_reply_carries_the_message_and_a_rating_the_rating(
    desk: Desk, django_capture_on_commit_callbacks: Any
) -> None:
    subscription, _secret = subscribe(URL, ["ticket.*"], "tickets:read", "agents:read")
    ticket_services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=NOW)
    ticket = open_ticket(desk, now=NOW)
    ticket_services.ticket_route(ticket_id=ticket.pk, now=NOW)
    with django_capture_on_commit_callbacks() as callbacks:
        ticket_services.ticket_reply_by_agent(
            ticket_id=ticket.pk,
            agent=desk.agent,
            body="Refunded the second charge.",
            now=NOW,
            then_status=Status.SOLVED,
        )
        ticket_rate(ticket_id=ticket.pk, buyer=desk.buyer, score=5, comment="Quick!", now=NOW)
    build_payloads(callbacks)

    payloads = _payloads(subscription)
    replied = payloads["ticket.replied"]["data"]
    assert replied["message"]["body"] == "Refunded the second charge."
    assert replied["message"]["kind"] == "agent"
    assert replied["ticket"]["status"] == "solved"
    rated = payloads["ticket.rated"]["data"]
    assert (rated["ticket"]["rating"]["score"], rated["event"]["by"]) == (5, "buyer")
    assert set(payloads) == {
        "ticket.created",
        "ticket.status_changed",
        "ticket.assigned",
        "ticket.replied",
        "ticket.rated",
    }


def test_only_the_five_ticket_events_are_told(desk: Desk) -> None:
    subscription, _secret = subscribe(URL, ["ticket.*"])
    ticket = open_ticket(desk, now=NOW)
    ticket_services.ticket_route(ticket_id=ticket.pk, now=NOW)  # a queue change too
    ticket_services.ticket_set_priority(
        ticket_id=ticket.pk, priority=Priority.HIGH, actor=desk.agent, now=NOW
    )
    assert [d.event_type for d in deliveries_of(subscription)] == [
        "ticket.created",
        "ticket.status_changed",
    ]
    assert set(TICKET_EVENT_TYPES.values()) <= set(EVENT_TYPES)


def test_a_change_rolled_back_owes_no_event(
    desk: Desk, django_capture_on_commit_callbacks: Any
) -> None:
    subscribe(URL, ["ticket.created"])
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        open_ticket(desk, now=NOW)
        raise RuntimeError("the request failed after the ticket was written")
    assert not Delivery.objects.exists()
    assert callbacks == []


def test_paused_subscriptions_and_revoked_keys_are_owed_nothing(desk: Desk) -> None:
    paused, _secret = subscribe(URL, ["ticket.created"])
    paused.active = False
    paused.save(update_fields=["active"])
    revoked, _secret = subscribe(URL, ["ticket.created"])
    api_services.api_key_revoke(api_key=revoked.api_key, now=NOW)
    listening, _secret = subscribe(URL, ["ticket.created"])

    open_ticket(desk, now=NOW)

    assert [len(deliveries_of(s)) for s in (paused, revoked, listening)] == [0, 0, 1]


def test_one_event_has_one_id_across_subscriptions(desk: Desk) -> None:
    first, _secret = subscribe(URL, ["ticket.created"])
    second, _secret = subscribe(URL, ["ticket.*"])
    open_ticket(desk, now=NOW)
    [a], [b] = deliveries_of(first), deliveries_of(second)
    assert a.event_id == b.event_id and a.uuid != b.uuid


# --- Disputes and warranty claims -----------------------------------------------------


def _order(market: Market, number: str, *, delivered: Any = None) -> Order:
    return delivered_order(
        market.shop, market.buyer, number, delivered=delivered or NOW - timedelta(days=3)
    )


def _dispute(market: Market, order: Order, *, now: Any = NOW) -> Any:
    return case_services.dispute_open(
        buyer=market.buyer,
        order_number=order.number,
        reason=DisputeReason.DAMAGED,
        wanted_outcome=WantedOutcome.FULL_REFUND,
        description="The kettle arrived dented.",
        now=now,
    )


def _claim(market: Market, order: Order) -> Any:
    return case_services.warranty_claim_open(
        buyer=market.buyer,
        item_id=order.items.get(title="Electric kettle").pk,
        defect="It stopped heating.",
        remedy=Remedy.REPAIR,
        now=NOW,
    )


def test_every_dispute_and_warranty_claim_step_is_told(market: Market, settings: Any) -> None:
    settings.DESK_DISPUTE_SELLER_DAYS = settings.DESK_WARRANTY_SELLER_DAYS = 5
    settings.DESK_CASE_REMIND_HOURS = 24
    settings.DESK_CASE_CLOSE_AFTER_DAYS = 14
    settings.DESK_DISPUTE_SELLER_SILENCE = "escalate"
    subscription, _secret = subscribe(URL, ["dispute.*", "warranty_claim.*"])
    seller, buyer, agent = market.seller, market.buyer, market.desk.agent
    orders = [_order(market, f"MP-80{n}") for n in range(5)]

    accepted = _dispute(market, orders[0])
    case_services.evidence_add(
        person=buyer, files=[upload("dent.png", png(), "image/png")], now=NOW,
        dispute_id=accepted.pk,
    )  # fmt: skip
    case_services.dispute_seller_accept(dispute_id=accepted.pk, seller=seller, now=NOW)
    decided = _dispute(market, orders[1])
    case_services.dispute_seller_reject(
        dispute_id=decided.pk, seller=seller, statement="As described.", now=NOW
    )
    case_services.dispute_buyer_escalate(dispute_id=decided.pk, buyer=buyer, now=NOW)
    case_services.dispute_decide(
        dispute_id=decided.pk, agent=agent, refund_amount=Decimal("20"), return_required=False,
        return_cost_bearer="", note="Part back.", now=NOW,
    )  # fmt: skip
    offered = _dispute(market, orders[2])
    case_services.dispute_seller_counter(
        dispute_id=offered.pk, seller=seller, amount=Decimal("15"), statement="", now=NOW
    )
    case_services.dispute_buyer_accept_counter(dispute_id=offered.pk, buyer=buyer, now=NOW)
    cancelled = _dispute(market, orders[3])
    case_services.dispute_buyer_cancel(dispute_id=cancelled.pk, buyer=buyer, now=NOW)
    _dispute(market, orders[4])  # the seller stays silent

    claim_accepted = _claim(market, orders[0])
    case_services.evidence_add(
        person=seller, files=[upload("receipt.png", png(), "image/png")], now=NOW,
        claim_id=claim_accepted.pk,
    )  # fmt: skip
    case_services.warranty_claim_seller_accept(claim_id=claim_accepted.pk, seller=seller, now=NOW)
    claim_decided = _claim(market, orders[1])
    case_services.warranty_claim_seller_refuse(
        claim_id=claim_decided.pk, seller=seller, statement="Misuse.", now=NOW
    )
    case_services.warranty_claim_decide(
        claim_id=claim_decided.pk, agent=agent, remedy=Remedy.REPAIR, note="Repair.", now=NOW
    )
    claim_cancelled = _claim(market, orders[2])
    case_services.warranty_claim_cancel(claim_id=claim_cancelled.pk, buyer=buyer, now=NOW)
    _claim(market, orders[3])  # the seller stays silent

    case_services.case_reminders_run(now=NOW + timedelta(days=4, hours=1))
    case_services.dispute_deadlines_run(now=NOW + timedelta(days=6))
    case_services.warranty_deadlines_run(now=NOW + timedelta(days=6))
    settings.DESK_DISPUTE_SELLER_SILENCE = "buyer"
    late = _order(market, "MP-8090", delivered=NOW + timedelta(days=5))
    _dispute(market, late, now=NOW + timedelta(days=6))
    case_services.dispute_deadlines_run(now=NOW + timedelta(days=12))
    case_services.cases_close_run(now=NOW + timedelta(days=40))

    told = {d.event_type for d in deliveries_of(subscription)}
    assert told == {f"dispute.{step}" for step in DISPUTE_STEPS} | {
        f"warranty_claim.{step}" for step in CLAIM_STEPS
    }


def test_a_case_step_tells_the_case_as_the_api_shows_it(
    market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    subscription, _secret = subscribe(URL, ["dispute.seller_counter_offered"])
    dispute = _dispute(market, market.order)
    with django_capture_on_commit_callbacks() as callbacks:
        case_services.dispute_seller_counter(
            dispute_id=dispute.pk,
            seller=market.seller,
            amount=Decimal("15"),
            statement="It is the 1 litre model.",
            now=NOW,
        )
    build_payloads(callbacks)

    [delivery] = deliveries_of(subscription)
    data = delivery.payload["data"]  # type: ignore[index]
    assert data["dispute"]["reference"] == dispute.reference
    assert data["dispute"]["status"] == "counter_offered"
    assert data["dispute"]["counter_amount"] == "15.00"
    assert data["dispute"]["seller"] == "lena"
    assert data["event"] == {
        "kind": "seller_counter_offered",
        "by": "seller",
        "from_status": "awaiting_seller",
        "to_status": "counter_offered",
        "note": "15.00 EUR",
        "created_at": "2026-11-20T12:00:00Z",
    }


def test_a_sellers_key_hears_only_of_its_own_shops_cases_and_of_no_tickets(
    market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    lenas_key, _raw = api_key_with("seller", "webhooks:write", seller=market.seller)
    lenas, _secret = subscribe(URL, ["dispute.*"], api_key=lenas_key)
    with pytest.raises(InvalidEvents, match=re.escape("ticket.created")):
        subscribe(URL, ["ticket.created"], api_key=lenas_key)
    marcos_shop = shop_upsert(slug="marcos-shop", name="Marco's", seller=market.other_seller)
    marcos_order = delivered_order(
        marcos_shop, market.buyer, "MP-9001", delivered=NOW - timedelta(days=2)
    )

    _dispute(market, marcos_order)
    with django_capture_on_commit_callbacks() as callbacks:
        own = _dispute(market, market.order)
    build_payloads(callbacks)

    [delivery] = deliveries_of(lenas)
    assert delivery.payload["data"]["dispute"]["id"] == own.pk  # type: ignore[index]


def test_keys_subscribe_only_to_events_their_scopes_cover(db: None) -> None:
    tickets_only, _raw = api_key_with("tickets:read")
    with pytest.raises(InvalidEvents, match=re.escape("dispute.opened")):
        subscribe(URL, ["ticket.created", "dispute.opened"], api_key=tickets_only)
    with pytest.raises(InvalidEvents, match=re.escape("Unknown events: ticket.deleted")):
        subscribe(URL, ["ticket.deleted"], api_key=tickets_only)
    subscription, secret = subscribe(URL, ["ticket.*", "ticket.created"], api_key=tickets_only)
    assert subscription.events == ["ticket.*", "ticket.created"]
    assert secret.startswith("whsec_") and len(secret) > 40
