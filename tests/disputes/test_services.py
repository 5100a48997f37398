"""Every rule of disputes and warranty claims, through the services, with ``now`` passed in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from disputes import services
from disputes.models import Dispute, DisputeReason, Remedy, WantedOutcome
from disputes.status import ClaimStatus, DisputeStatus, StepNotAllowed
from tests.disputes.conftest import NOW, Market, delivered_order
from tickets import services as ticket_services
from tickets import tasks
from tickets.models import EventKind, Presence, Ticket
from tickets.services._common import TaskSend
from tickets.status import Status


def open_dispute(market: Market, **changes: object) -> Dispute:
    values: dict[str, object] = {
        "buyer": market.buyer,
        "order_number": market.order.number,
        "reason": DisputeReason.NOT_AS_DESCRIBED,
        "wanted_outcome": WantedOutcome.FULL_REFUND,
        "description": "The kettle is 1 litre, not 1.7.",
        "now": NOW,
    }
    values.update(changes)
    return services.dispute_open(**values)  # type: ignore[arg-type]


def test_opening_waits_for_the_seller_with_a_deadline(market: Market, settings) -> None:
    settings.DESK_DISPUTE_SELLER_DAYS = 5
    dispute = open_dispute(market)
    assert dispute.status == DisputeStatus.AWAITING_SELLER
    assert dispute.seller_deadline_at == NOW + timedelta(days=5)
    assert dispute.wanted_amount == Decimal("50.00")
    assert list(dispute.events.values_list("kind", flat=True)) == ["opened"]


def test_a_second_open_dispute_on_the_order_is_refused_by_the_service_and_the_database(
    market: Market,
) -> None:
    first = open_dispute(market)
    with pytest.raises(services.DisputeAlreadyOpen):
        open_dispute(market)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dispute.objects.create(
            order=market.order,
            buyer=market.buyer,
            reason=first.reason,
            wanted_outcome=first.wanted_outcome,
            wanted_amount=Decimal("1"),
            description="x",
            opened_at=NOW,
            updated_at=NOW,
        )
    services.dispute_buyer_cancel(dispute_id=first.pk, buyer=market.buyer, now=NOW)
    assert open_dispute(market).status == DisputeStatus.AWAITING_SELLER


def test_a_buyer_cannot_open_a_dispute_on_someone_elses_order(market: Market) -> None:
    with pytest.raises(services.CaseNotFound):
        open_dispute(market, buyer=market.stranger)


def test_not_after_the_protection_window(market: Market, settings) -> None:
    settings.DESK_DISPUTE_WINDOW_DAYS = 30
    delivered = market.order.delivered_at
    assert delivered is not None
    open_dispute(market, now=delivered + timedelta(days=30))  # last moment in
    services.dispute_buyer_cancel(dispute_id=Dispute.objects.get().pk, buyer=market.buyer, now=NOW)
    with pytest.raises(services.OutsideWindow, match="ended on"):
        open_dispute(market, now=delivered + timedelta(days=30, seconds=1))


def test_not_before_the_order_is_paid(market: Market) -> None:
    from orders.services import ItemSpec, order_upsert

    unpaid = order_upsert(
        number="MP-5002",
        buyer=market.buyer,
        shop=market.shop,
        status="cancelled",
        currency="EUR",
        now=NOW,
        items=[ItemSpec("Mug", 1, Decimal("9.00"))],
    )
    with pytest.raises(services.OutsideWindow):
        open_dispute(market, order_number=unpaid.number)


def test_a_partial_refund_above_the_total_is_refused(market: Market) -> None:
    with pytest.raises(services.InvalidCase) as raised:
        open_dispute(
            market, wanted_outcome=WantedOutcome.PARTIAL_REFUND, partial_amount=Decimal("50.01")
        )
    assert "partial_amount" in raised.value.details
    dispute = open_dispute(
        market, wanted_outcome=WantedOutcome.PARTIAL_REFUND, partial_amount=Decimal("20")
    )
    assert dispute.wanted_amount == Decimal("20.00")


def test_counter_offer_accepted_resolves_with_the_offer(market: Market) -> None:
    dispute = open_dispute(market)
    with pytest.raises(services.CaseNotFound):
        services.dispute_seller_counter(
            dispute_id=dispute.pk,
            seller=market.other_seller,
            amount=Decimal("10"),
            statement="",
            now=NOW,
        )
    with pytest.raises(services.InvalidCase):
        services.dispute_seller_counter(
            dispute_id=dispute.pk,
            seller=market.seller,
            amount=Decimal("99"),
            statement="",
            now=NOW,
        )
    services.dispute_seller_counter(
        dispute_id=dispute.pk,
        seller=market.seller,
        amount=Decimal("15"),
        statement="It is the 1 litre model as listed.",
        now=NOW,
    )
    resolved = services.dispute_buyer_accept_counter(
        dispute_id=dispute.pk, buyer=market.buyer, now=NOW
    )
    assert (resolved.status, resolved.refund_amount) == (DisputeStatus.RESOLVED, Decimal("15.00"))


def test_escalation_opens_a_routed_ticket_and_the_agent_decides(market: Market) -> None:
    dispute = open_dispute(market)
    services.dispute_seller_reject(
        dispute_id=dispute.pk, seller=market.seller, statement="As described.", now=NOW
    )
    escalated = services.dispute_buyer_escalate(dispute_id=dispute.pk, buyer=market.buyer, now=NOW)
    assert escalated.ticket is not None
    assert escalated.ticket.topic == market.desk.dispute
    assert escalated.ticket.order_number == market.order.number
    assert escalated.ticket.status == Status.NEW  # routing follows after commit
    with pytest.raises(services.InvalidCase):
        services.dispute_decide(
            dispute_id=dispute.pk,
            agent=market.desk.agent,
            refund_amount=Decimal("60"),
            return_required=False,
            return_cost_bearer="",
            note="Too much.",
            now=NOW,
        )
    decided = services.dispute_decide(
        dispute_id=dispute.pk,
        agent=market.desk.agent,
        refund_amount=Decimal("25"),
        return_required=True,
        return_cost_bearer="seller",
        note="Half back, seller pays return.",
        now=NOW,
    )
    assert decided.status == DisputeStatus.RESOLVED
    assert (decided.refund_amount, decided.return_cost_bearer) == (Decimal("25.00"), "seller")


def escalated_to_an_agent(market: Market) -> tuple[Dispute, Ticket]:
    """Open a dispute, have the seller refuse and the buyer escalate; route its ticket to the agent."""
    dispute = open_dispute(market)
    services.dispute_seller_reject(
        dispute_id=dispute.pk, seller=market.seller, statement="As described.", now=NOW
    )
    escalated = services.dispute_buyer_escalate(dispute_id=dispute.pk, buyer=market.buyer, now=NOW)
    assert escalated.ticket is not None
    ticket_services.agent_set_presence(agent=market.desk.agent, presence=Presence.ONLINE, now=NOW)
    ticket_services.ticket_route(ticket_id=escalated.ticket.pk, now=NOW)
    return dispute, escalated.ticket


def test_the_decision_solves_the_escalation_ticket_and_frees_the_agent(market: Market) -> None:
    dispute, escalated = escalated_to_an_agent(market)
    ticket = Ticket.objects.get(pk=escalated.pk)
    assert (ticket.status, ticket.assignee) == (Status.ASSIGNED, market.desk.agent)

    services.dispute_decide(
        dispute_id=dispute.pk,
        agent=market.desk.agent,
        refund_amount=Decimal("25"),
        return_required=False,
        return_cost_bearer="",
        note="Half back.",
        now=NOW,
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.SOLVED
    assert not Ticket.objects.filter(assignee=market.desk.agent, status=Status.ASSIGNED).exists()


def test_withdrawing_an_escalated_dispute_solves_its_ticket_and_frees_the_agent(
    market: Market,
) -> None:
    dispute, escalated = escalated_to_an_agent(market)

    services.dispute_buyer_cancel(dispute_id=dispute.pk, buyer=market.buyer, now=NOW)

    ticket = Ticket.objects.get(pk=escalated.pk)
    assert ticket.status == Status.SOLVED
    solved = ticket.events.get(kind=EventKind.STATUS, to_value=Status.SOLVED)
    assert (solved.actor, solved.reason) == (
        market.buyer,
        "The buyer withdrew the case the ticket was escalated for.",
    )
    assert not Ticket.objects.filter(assignee=market.desk.agent, status=Status.ASSIGNED).exists()


def test_withdrawing_an_escalated_claim_before_routing_closes_its_ticket_unrouted(
    market: Market, settings
) -> None:
    settings.DESK_WARRANTY_SELLER_DAYS = 5
    claim = _claim(market)
    services.warranty_deadlines_run(now=NOW + timedelta(days=9))
    claim.refresh_from_db()  # type: ignore[attr-defined]
    assert claim.ticket is not None  # type: ignore[attr-defined]
    assert claim.ticket.status == Status.NEW  # type: ignore[attr-defined]

    services.warranty_claim_cancel(claim_id=claim.pk, buyer=market.buyer, now=NOW)  # type: ignore[attr-defined]

    claim.refresh_from_db()  # type: ignore[attr-defined]
    assert claim.status == ClaimStatus.CANCELLED  # type: ignore[attr-defined]
    ticket = Ticket.objects.get(pk=claim.ticket_id)  # type: ignore[attr-defined]
    assert (ticket.status, ticket.closed_at) == (Status.CLOSED, NOW)
    closed = ticket.events.get(kind=EventKind.STATUS)
    assert (closed.from_value, closed.to_value, closed.actor) == ("new", "closed", market.buyer)
    assert closed.reason == "The buyer withdrew the case the ticket was escalated for."
    # The routing message still on its way finds nothing to route: no agent gets it.
    assert ticket_services.ticket_route(ticket_id=ticket.pk, now=NOW) == "already-routed"
    ticket.refresh_from_db()
    assert (ticket.status, ticket.queue_id, ticket.assignee_id) == (Status.CLOSED, None, None)
    assert not ticket.events.filter(kind=EventKind.QUEUE).exists()


def test_only_the_decision_solves_an_undecided_cases_ticket_not_the_agent(
    market: Market,
) -> None:
    """Solved on its own, the ticket would leave the case waiting for a decision."""
    dispute, escalated = escalated_to_an_agent(market)
    with pytest.raises(ticket_services.TicketOfACase):
        ticket_services.ticket_set_status_by_agent(
            ticket_id=escalated.pk, agent=market.desk.agent, status=Status.SOLVED, now=NOW
        )
    # Waiting on the buyer is still the agent's call.
    ticket_services.ticket_set_status_by_agent(
        ticket_id=escalated.pk, agent=market.desk.agent, status=Status.PENDING, now=NOW
    )
    assert Ticket.objects.get(pk=escalated.pk).status == Status.PENDING

    services.dispute_decide(
        dispute_id=dispute.pk,
        agent=market.desk.agent,
        refund_amount=Decimal("20"),
        return_required=False,
        return_cost_bearer="",
        note="A partial refund for the scratch.",
        now=NOW,
    )
    assert Ticket.objects.get(pk=escalated.pk).status == Status.SOLVED


def test_cancelling_after_resolution_is_refused(market: Market) -> None:
    dispute = open_dispute(market)
    services.dispute_seller_accept(dispute_id=dispute.pk, seller=market.seller, now=NOW)
    with pytest.raises(StepNotAllowed):
        services.dispute_buyer_cancel(dispute_id=dispute.pk, buyer=market.buyer, now=NOW)


def test_missed_deadlines_are_acted_on_once_even_when_run_twice_and_after_an_outage(
    market: Market, settings
) -> None:
    settings.DESK_DISPUTE_SELLER_DAYS = 5
    settings.DESK_DISPUTE_SELLER_SILENCE = "escalate"
    first = open_dispute(market)
    second_order = delivered_order(
        market.shop, market.buyer, "MP-5003", delivered=NOW - timedelta(days=1)
    )
    second = open_dispute(market, order_number=second_order.number, now=NOW + timedelta(days=1))
    assert services.dispute_deadlines_run(now=NOW + timedelta(days=4)) == 0
    # The worker was down for a week: both deadlines passed meanwhile.
    back = NOW + timedelta(days=12)
    assert services.dispute_deadlines_run(now=back) == 2
    assert services.dispute_deadlines_run(now=back) == 0
    for dispute in (first, second):
        dispute.refresh_from_db()
        assert dispute.status == DisputeStatus.ESCALATED
        assert dispute.ticket is not None
        assert dispute.events.filter(kind="deadline_escalated").count() == 1


def test_silence_can_resolve_for_the_buyer(market: Market, settings) -> None:
    settings.DESK_DISPUTE_SELLER_SILENCE = "buyer"
    dispute = open_dispute(market)
    assert services.dispute_deadlines_run(now=NOW + timedelta(days=30)) == 1
    dispute.refresh_from_db()
    assert (dispute.status, dispute.refund_amount) == (DisputeStatus.RESOLVED, Decimal("50.00"))


def test_warranty_period_last_day_in_first_day_out_in_the_buyers_time_zone(market: Market) -> None:
    # Delivered 17 Nov 2026 12:00 UTC, 24 months: the last day is 16 Nov 2028.
    kettle = market.order.items.get(title="Electric kettle")
    last_day_evening = datetime(2028, 11, 16, 20, 0, tzinfo=UTC)  # 23:00 in Moscow, still the 16th
    claim = services.warranty_claim_open(
        buyer=market.buyer,
        item_id=kettle.pk,
        defect="It stopped heating.",
        remedy=Remedy.REPAIR,
        now=last_day_evening,
        time_zone="Europe/Moscow",
    )
    assert claim.seller_deadline_at is not None
    claim.delete()
    first_day_out = datetime(2028, 11, 16, 21, 30, tzinfo=UTC)  # 00:30 on the 17th in Moscow
    with pytest.raises(services.OutsideWarranty) as raised:
        services.warranty_claim_open(
            buyer=market.buyer,
            item_id=kettle.pk,
            defect="It stopped heating.",
            remedy=Remedy.REPAIR,
            now=first_day_out,
            time_zone="Europe/Moscow",
        )
    assert "16 Nov 2028" in raised.value.message
    assert raised.value.details == {"last_day": "2028-11-16"}
    # The same moment is still the 16th in UTC.
    services.warranty_claim_open(
        buyer=market.buyer,
        item_id=kettle.pk,
        defect="It stopped heating.",
        remedy=Remedy.REPAIR,
        now=first_day_out,
        time_zone="UTC",
    )


def test_items_without_warranty_cannot_be_claimed(market: Market) -> None:
    descaler = market.order.items.get(title="Descaler")
    with pytest.raises(services.OutsideWarranty):
        services.warranty_claim_open(
            buyer=market.buyer, item_id=descaler.pk, defect="x", remedy=Remedy.REFUND, now=NOW
        )


def _claim(market: Market) -> object:
    kettle = market.order.items.get(title="Electric kettle")
    return services.warranty_claim_open(
        buyer=market.buyer,
        item_id=kettle.pk,
        defect="It stopped heating after a month.",
        remedy=Remedy.REPLACEMENT,
        now=NOW,
    )


def test_a_refused_claim_goes_to_the_desk_and_an_agent_decides(market: Market) -> None:
    claim = _claim(market)
    with pytest.raises(services.CaseNotFound):
        services.warranty_claim_seller_refuse(
            claim_id=claim.pk,
            seller=market.other_seller,
            statement="No.",
            now=NOW,  # type: ignore[attr-defined]
        )
    refused = services.warranty_claim_seller_refuse(
        claim_id=claim.pk,
        seller=market.seller,
        statement="Misuse: limescale.",
        now=NOW,  # type: ignore[attr-defined]
    )
    assert refused.status == ClaimStatus.ESCALATED
    assert refused.ticket is not None and refused.ticket.topic == market.desk.warranty
    assert refused.ticket.details["product"] == "Electric kettle"
    decided = services.warranty_claim_decide(
        claim_id=claim.pk,
        agent=market.desk.agent,
        remedy=Remedy.REPAIR,  # type: ignore[attr-defined]
        note="Repair under warranty; limescale is not misuse.",
        now=NOW,
    )
    assert (decided.status, decided.decided_remedy) == (ClaimStatus.RESOLVED, Remedy.REPAIR)


def test_escalation_tickets_are_routed_without_the_assistants_reply(
    market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    """The desk opened them for the buyer: an FAQ answer accepted would close them undecided."""
    dispute = open_dispute(market)
    services.dispute_seller_reject(
        dispute_id=dispute.pk, seller=market.seller, statement="As described.", now=NOW
    )
    claim = _claim(market)
    with django_capture_on_commit_callbacks() as callbacks:
        escalated = services.dispute_buyer_escalate(
            dispute_id=dispute.pk, buyer=market.buyer, now=NOW
        )
        refused = services.warranty_claim_seller_refuse(
            claim_id=claim.pk,  # type: ignore[attr-defined]
            seller=market.seller,
            statement="Misuse: limescale.",
            now=NOW,
        )
    sends = [(c.task, c.kwargs) for c in callbacks if isinstance(c, TaskSend)]
    assert (tasks.route_ticket, {"ticket_id": escalated.ticket_id}) in sends
    assert (tasks.route_ticket, {"ticket_id": refused.ticket_id}) in sends
    assert [kwargs for task, kwargs in sends if task is tasks.assistant_reply] == []


def test_only_the_case_ends_its_ticket_not_the_buyers_word_on_it(market: Market) -> None:
    """ "My problem is solved" (or an FAQ answer accepted) on a case's ticket would
    leave the case with the support team and no agent asked to decide it."""
    dispute = open_dispute(market)
    services.dispute_seller_reject(
        dispute_id=dispute.pk, seller=market.seller, statement="As described.", now=NOW
    )
    escalated = services.dispute_buyer_escalate(dispute_id=dispute.pk, buyer=market.buyer, now=NOW)
    ticket_services.ticket_route(ticket_id=escalated.ticket_id, now=NOW)
    with pytest.raises(ticket_services.TicketOfACase):
        ticket_services.ticket_solve_by_buyer(
            ticket_id=escalated.ticket_id, buyer=market.buyer, now=NOW
        )
    assert Ticket.objects.get(pk=escalated.ticket_id).status == Status.QUEUED
    assert Dispute.objects.get(pk=dispute.pk).status == DisputeStatus.ESCALATED
    # Withdrawn on the case's page, the case ends its ticket.
    services.dispute_buyer_cancel(dispute_id=dispute.pk, buyer=market.buyer, now=NOW)
    assert Ticket.objects.get(pk=escalated.ticket_id).status == Status.SOLVED


def test_a_silent_seller_escalates_the_claim_once(market: Market, settings) -> None:
    settings.DESK_WARRANTY_SELLER_DAYS = 5
    claim = _claim(market)
    assert services.warranty_deadlines_run(now=NOW + timedelta(days=4)) == 0
    assert services.warranty_deadlines_run(now=NOW + timedelta(days=9)) == 1
    assert services.warranty_deadlines_run(now=NOW + timedelta(days=9)) == 0
    claim.refresh_from_db()  # type: ignore[attr-defined]
    assert claim.status == ClaimStatus.ESCALATED  # type: ignore[attr-defined]


def test_a_second_open_claim_on_the_item_is_refused(market: Market) -> None:
    _claim(market)
    with pytest.raises(services.DisputeAlreadyOpen):
        _claim(market)


def test_each_party_steps_only_in_its_turn(market: Market) -> None:
    dispute = open_dispute(market)
    # No offer yet: nothing to accept; the seller has not answered: nothing to escalate.
    with pytest.raises(StepNotAllowed):
        services.dispute_buyer_accept_counter(dispute_id=dispute.pk, buyer=market.buyer, now=NOW)
    with pytest.raises(StepNotAllowed):
        services.dispute_buyer_escalate(dispute_id=dispute.pk, buyer=market.buyer, now=NOW)
    with pytest.raises(StepNotAllowed):
        services.dispute_decide(
            dispute_id=dispute.pk,
            agent=market.desk.agent,
            refund_amount=Decimal("5"),
            return_required=False,
            return_cost_bearer="",
            note="Early.",
            now=NOW,
        )
    services.dispute_seller_counter(
        dispute_id=dispute.pk, seller=market.seller, amount=Decimal("10"), statement="", now=NOW
    )
    with pytest.raises(StepNotAllowed):
        services.dispute_seller_accept(dispute_id=dispute.pk, seller=market.seller, now=NOW)
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.COUNTER_OFFERED
