"""The agent sees the whole case on the escalation ticket and decides it there."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from disputes import services
from disputes.models import DisputeReason, Remedy, WantedOutcome, WarrantyClaim
from disputes.status import DisputeStatus
from tests.disputes.conftest import Market, delivered_order
from tickets import services as ticket_services


def escalated(market: Market):  # type: ignore[no-untyped-def]
    now = timezone.now()
    order = delivered_order(market.shop, market.buyer, "MP-7001", delivered=now)
    dispute = services.dispute_open(
        buyer=market.buyer,
        order_number=order.number,
        reason=DisputeReason.DAMAGED,
        wanted_outcome=WantedOutcome.FULL_REFUND,
        description="The lid arrived cracked.",
        now=now,
    )
    services.dispute_seller_reject(
        dispute_id=dispute.pk, seller=market.seller, statement="It left us intact.", now=now
    )
    dispute = services.dispute_buyer_escalate(dispute_id=dispute.pk, buyer=market.buyer, now=now)
    ticket_services.ticket_route(ticket_id=dispute.ticket_id, now=now)
    return dispute


def test_the_escalation_ticket_shows_the_case_and_the_agent_decides(
    client: Client, market: Market
) -> None:
    dispute = escalated(market)
    client.force_login(market.desk.agent)
    url = f"/agent/tickets/{dispute.ticket_id}/"
    html = client.get(url).content.decode()
    for text in (
        "MP-7001",
        "The lid arrived cracked.",
        "It left us intact.",
        "50.00 EUR",
        "Decide",
    ):
        assert text in html, text

    too_much = client.post(
        f"{url}case/decide/",
        {
            "decide-refund_amount": "80",
            "decide-note": "All of it and more.",
            "decide-return_cost_bearer": "",
        },
    )
    assert too_much.status_code == 400
    assert "cannot be more than the order total" in too_much.content.decode()
    assert "All of it and more." in too_much.content.decode()

    done = client.post(
        f"{url}case/decide/",
        {
            "decide-refund_amount": "50",
            "decide-return_required": "on",
            "decide-return_cost_bearer": "seller",
            "decide-note": "Cracked in transit; full refund, the seller collects it.",
        },
    )
    assert done.status_code == 302
    dispute.refresh_from_db()
    assert (dispute.status, dispute.refund_amount) == (DisputeStatus.RESOLVED, Decimal("50.00"))
    assert dispute.decided_by == market.desk.agent
    assert "Decided" in client.get(url).content.decode()


def test_an_agent_outside_the_disputes_queue_cannot_see_or_decide(
    client: Client, market: Market
) -> None:
    dispute = escalated(market)
    client.force_login(market.desk.agent_ru)
    assert client.get(f"/agent/tickets/{dispute.ticket_id}/").status_code == 404
    response = client.post(
        f"/agent/tickets/{dispute.ticket_id}/case/decide/",
        {"decide-refund_amount": "1", "decide-note": "x"},
    )
    assert response.status_code == 404
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.ESCALATED


def escalated_claim(market: Market, number: str, remedy: Remedy) -> WarrantyClaim:
    """A warranty claim on a new order's kettle that its seller refused: routed to the desk."""
    now = timezone.now()
    order = delivered_order(market.shop, market.buyer, number, delivered=now)
    claim = services.warranty_claim_open(
        buyer=market.buyer,
        item_id=order.items.get(title="Electric kettle").pk,
        defect="It no longer heats.",
        remedy=remedy,
        now=now,
    )
    claim = services.warranty_claim_seller_refuse(
        claim_id=claim.pk, seller=market.seller, statement="Limescale, not a defect.", now=now
    )
    ticket_services.ticket_route(ticket_id=claim.ticket_id, now=now)
    return claim


def test_a_decided_warranty_claim_shows_the_agent_what_the_seller_owes(
    client: Client, market: Market
) -> None:
    claim = escalated_claim(market, "MP-7002", Remedy.REPLACEMENT)
    client.force_login(market.desk.agent)
    url = f"/agent/tickets/{claim.ticket_id}/"
    assert 'data-testid="case-decided"' not in client.get(url).content.decode()

    done = client.post(
        f"{url}case/decide/",
        {"decide-remedy": "repair", "decide-note": "The element failed: a repair is owed."},
    )
    assert done.status_code == 302
    html = client.get(url).content.decode()
    assert 'data-testid="case-decided"' in html
    decided = html[html.index('data-testid="case-decided"') :]
    assert "<dt>The seller owes</dt><dd>Repair</dd>" in decided
    assert "The element failed: a repair is owed." in decided
    assert 'data-testid="case-decide"' not in html


def test_a_warranty_claim_refused_by_the_desk_says_the_seller_owes_nothing(
    client: Client, market: Market
) -> None:
    now = timezone.now()
    claim = escalated_claim(market, "MP-7003", Remedy.REFUND)
    services.warranty_claim_decide(
        claim_id=claim.pk, agent=market.desk.agent, remedy="", note="Limescale.", now=now
    )
    client.force_login(market.desk.agent)
    html = client.get(f"/agent/tickets/{claim.ticket_id}/").content.decode()
    assert "<dt>The seller owes</dt><dd>Nothing: the claim is refused</dd>" in html


def status_section(html: str) -> str:
    """Return the agent page's status form (the reply form has its own "then" choice)."""
    start = html.index('id="status-title"')
    return html[start : html.index("</section>", start)]


def reply_then_choice(html: str) -> str:
    """Return the reply form's "Then" list."""
    start = html.index('name="reply-then_status"')
    return html[start : html.index("</select>", start)]


@pytest.mark.parametrize("form", [status_section, reply_then_choice], ids=["status", "reply"])
def test_the_agent_forms_offer_solved_only_once_the_case_is_decided(
    client: Client, market: Market, form: Callable[[str], str]
) -> None:
    """Until then the decision is what solves the ticket: "solved" would come back refused."""
    dispute = escalated(market)
    client.force_login(market.desk.agent)
    url = f"/agent/tickets/{dispute.ticket_id}/"
    page = client.get(url).content.decode()
    assert '<option value="pending"' in form(page)
    assert '<option value="solved"' not in form(page)
    assert 'data-testid="status-case-hint"' in status_section(page)

    services.dispute_decide(
        dispute_id=dispute.pk,
        agent=market.desk.agent,
        refund_amount=Decimal("10"),
        return_required=False,
        return_cost_bearer="",
        note="Ten back for the lid.",
        now=timezone.now(),
    )
    page = client.get(url).content.decode()
    assert '<option value="solved"' in form(page)
    assert 'data-testid="status-case-hint"' not in status_section(page)
