"""Demo disputes and warranty claims in every status, on the demo orders.

Every step goes through ``disputes.services`` at a moment relative to
``now``: the open dispute's seller deadline is two days away, escalations
happened hours ago and opened their tickets. Idempotent: a case is made only
when its order has none. Escalated cases belong to ``buyer`` (English), so
``buyer2``'s Russian tickets are the ticket demo's alone; their tickets are
routed, taken by ``agent`` and answered at once, so none waits in a queue or
is overdue when the desk starts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from accounts.models import User
from disputes import services
from disputes.models import (
    Dispute,
    DisputeReason,
    Remedy,
    WantedOutcome,
    WarrantyClaim,
)
from orders.models import Order
from support_desk.errors import DomainError
from tickets import services as ticket_services
from tickets.models import Ticket
from tickets.status import Status

logger = logging.getLogger(__name__)

Story = Callable[["Demo", Order], None]


class Demo:
    """The clock and the people the stories need."""

    def __init__(self, *, now: datetime, people: dict[str, User]) -> None:
        self.now = now
        self.people = people

    def ago(self, **delta: float) -> datetime:
        return self.now - timedelta(**delta)

    @property
    def seller_days(self) -> int:
        return int(settings.DESK_DISPUTE_SELLER_DAYS)

    def answer_at(self, opened: datetime) -> datetime:
        """When the seller answers: well before their deadline, never after now."""
        return min(opened + timedelta(hours=20), self.now)

    def dispute(
        self,
        order: Order,
        *,
        at: datetime,
        reason: DisputeReason,
        description: str,
        outcome: WantedOutcome = WantedOutcome.FULL_REFUND,
        partial: str | None = None,
    ) -> Dispute:
        return services.dispute_open(
            buyer=order.buyer,
            order_number=order.number,
            reason=reason,
            wanted_outcome=outcome,
            description=description,
            partial_amount=Decimal(partial) if partial else None,
            now=at,
        )

    def desk_takes(self, ticket_id: int | None, *, at: datetime) -> None:
        """The escalation ticket is routed, an agent has it and answers within minutes."""
        assert ticket_id is not None
        agent = self.people["agent"]
        ticket_services.ticket_route(ticket_id=ticket_id, now=at + timedelta(minutes=1))
        ticket = Ticket.objects.get(pk=ticket_id)
        if ticket.assignee_id != agent.pk:
            ticket_services.ticket_assign(
                ticket_id=ticket_id,
                agent=agent,
                actor=agent,
                now=at + timedelta(minutes=2),
                reason="Took the case from the queue.",
            )
        ticket_services.ticket_reply_by_agent(
            ticket_id=ticket_id,
            agent=agent,
            body="We have the case, both statements and the evidence; we will decide soon.",
            now=at + timedelta(minutes=10),
        )

    def desk_tells(self, ticket_id: int | None, *, body: str, at: datetime) -> None:
        """The agent tells the buyer the decision and marks the ticket solved."""
        assert ticket_id is not None
        ticket_services.ticket_reply_by_agent(
            ticket_id=ticket_id,
            agent=self.people["agent"],
            body=body,
            now=at,
            then_status=Status.SOLVED,
        )

    def claim(self, order: Order, *, at: datetime, defect: str, remedy: Remedy) -> WarrantyClaim:
        item = order.items.filter(warranty_months__gt=0).order_by("id").first()
        assert item is not None, order.number
        return services.warranty_claim_open(
            buyer=order.buyer, item_id=item.pk, defect=defect, remedy=remedy, now=at
        )


def awaiting_seller(demo: Demo, order: Order) -> None:
    # Opened so that the seller has two days left.
    demo.dispute(
        order,
        at=demo.ago(days=max(demo.seller_days - 2, 0)),
        reason=DisputeReason.NOT_AS_DESCRIBED,
        outcome=WantedOutcome.PARTIAL_REFUND,
        partial="15.00",
        description="The page said 1.7 litres; this kettle holds 1 litre. "
        "I keep it if part of the price comes back.",
    )


def seller_rejected(demo: Demo, order: Order) -> None:
    opened = demo.ago(days=5)
    dispute = demo.dispute(
        order,
        at=opened,
        reason=DisputeReason.DAMAGED,
        description="The apron arrived with a torn pocket.",
    )
    services.dispute_seller_reject(
        dispute_id=dispute.pk,
        seller=order.shop.seller,
        statement="It left us intact; the photo shows wear from use, not transport.",
        now=demo.answer_at(opened),
    )


def counter_offered(demo: Demo, order: Order) -> None:
    opened = demo.ago(days=4)
    dispute = demo.dispute(
        order,
        at=opened,
        reason=DisputeReason.NOT_AS_DESCRIBED,
        description="Колонка заметно тише, чем обещано в описании.",
    )
    services.dispute_seller_counter(
        dispute_id=dispute.pk,
        seller=order.shop.seller,
        amount=Decimal("20.00"),
        statement="We can refund 20 EUR and you keep the speaker.",
        now=demo.answer_at(opened),
    )


def escalated(demo: Demo, order: Order) -> None:
    opened = demo.ago(days=5)
    dispute = demo.dispute(
        order,
        at=opened,
        reason=DisputeReason.WRONG_ITEM,
        description="I ordered the black tracker and got a pink one of an older model.",
    )
    services.dispute_seller_reject(
        dispute_id=dispute.pk,
        seller=order.shop.seller,
        statement="Our records show the black one was packed.",
        now=demo.answer_at(opened),
    )
    dispute = services.dispute_buyer_escalate(
        dispute_id=dispute.pk,
        buyer=order.buyer,
        note="The box label says pink; photos attached to my ticket.",
        now=demo.ago(hours=2),
    )
    demo.desk_takes(dispute.ticket_id, at=demo.ago(hours=2))


def resolved_by_seller(demo: Demo, order: Order) -> None:
    opened = demo.ago(days=6)
    dispute = demo.dispute(
        order,
        at=opened,
        reason=DisputeReason.DAMAGED,
        outcome=WantedOutcome.RETURN_AND_REFUND,
        description="Чайник пришёл с трещиной на крышке.",
    )
    services.dispute_seller_accept(
        dispute_id=dispute.pk,
        seller=order.shop.seller,
        statement="Sorry about that: send it back with the prepaid label, we refund in full.",
        now=demo.answer_at(opened),
    )


def cancelled(demo: Demo, order: Order) -> None:
    opened = demo.ago(days=3)
    dispute = demo.dispute(
        order,
        at=opened,
        reason=DisputeReason.NOT_RECEIVED,
        description="Tracking has not moved for ten days.",
    )
    services.dispute_buyer_cancel(dispute_id=dispute.pk, buyer=order.buyer, now=demo.ago(days=1))


def decided_by_agent(demo: Demo, order: Order) -> None:
    opened = demo.ago(days=8)
    dispute = demo.dispute(
        order,
        at=opened,
        reason=DisputeReason.DAMAGED,
        description="Two of the six plates arrived broken.",
    )
    services.dispute_seller_counter(
        dispute_id=dispute.pk,
        seller=order.shop.seller,
        amount=Decimal("10.00"),
        statement="We refund one plate.",
        now=demo.answer_at(opened),
    )
    dispute = services.dispute_buyer_escalate(
        dispute_id=dispute.pk, buyer=order.buyer, now=demo.ago(hours=3)
    )
    demo.desk_takes(dispute.ticket_id, at=demo.ago(hours=3))
    services.dispute_decide(
        dispute_id=dispute.pk,
        agent=demo.people["agent"],
        refund_amount=Decimal("21.33"),
        return_required=False,
        return_cost_bearer="",
        note="The photos show two broken plates: a third of the set is refunded, no return.",
        now=demo.ago(hours=1),
    )
    demo.desk_tells(
        dispute.ticket_id,
        body="We decided: 21.33 EUR comes back to you for the two broken plates; keep the set.",
        at=demo.ago(minutes=55),
    )


def claim_awaiting(demo: Demo, order: Order) -> None:
    demo.claim(
        order,
        at=demo.ago(hours=20),
        defect="The bowl wobbles and the motor smells hot after two minutes.",
        remedy=Remedy.REPAIR,
    )


def claim_accepted(demo: Demo, order: Order) -> None:
    opened = demo.ago(days=6)
    claim = demo.claim(
        order,
        at=opened,
        defect="Левый наушник перестал работать.",
        remedy=Remedy.REPLACEMENT,
    )
    services.warranty_claim_seller_accept(
        claim_id=claim.pk,
        seller=order.shop.seller,
        statement="A new pair is on its way.",
        now=demo.answer_at(opened),
    )


def claim_escalated(demo: Demo, order: Order) -> None:
    claim = demo.claim(
        order,
        at=demo.ago(days=1),
        defect="The vacuum no longer charges on its dock.",
        remedy=Remedy.REPLACEMENT,
    )
    claim = services.warranty_claim_seller_refuse(
        claim_id=claim.pk,
        seller=order.shop.seller,
        statement="The dock contacts are dirty; cleaning them is not a warranty case.",
        now=demo.ago(hours=2),
    )
    demo.desk_takes(claim.ticket_id, at=demo.ago(hours=2))


def claim_resolved(demo: Demo, order: Order) -> None:
    claim = demo.claim(
        order,
        at=demo.ago(days=2),
        defect="The grinder stops after a few seconds.",
        remedy=Remedy.REFUND,
    )
    claim = services.warranty_claim_seller_refuse(
        claim_id=claim.pk,
        seller=order.shop.seller,
        statement="Grinding too fine trips the safety switch; that is how it is made.",
        now=demo.ago(hours=3),
    )
    demo.desk_takes(claim.ticket_id, at=demo.ago(hours=3))
    services.warranty_claim_decide(
        claim_id=claim.pk,
        agent=demo.people["agent"],
        remedy=Remedy.REPAIR,
        note="It also stops on coarse settings: the seller repairs it.",
        now=demo.ago(hours=1),
    )
    demo.desk_tells(
        claim.ticket_id,
        body="We decided: the seller repairs the grinder at their cost; they will write to you.",
        at=demo.ago(minutes=55),
    )


# (order number, story, is a dispute): each order carries at most one demo case.
STORIES: tuple[tuple[str, Story, bool], ...] = (
    ("DEMO-1003", awaiting_seller, True),
    ("DEMO-1006", seller_rejected, True),
    ("DEMO-1007", counter_offered, True),
    ("DEMO-1008", escalated, True),
    ("DEMO-1009", resolved_by_seller, True),
    ("DEMO-1010", cancelled, True),
    ("DEMO-1015", decided_by_agent, True),
    ("DEMO-1011", claim_awaiting, False),
    ("DEMO-1012", claim_accepted, False),
    ("DEMO-1013", claim_escalated, False),
    ("DEMO-1014", claim_resolved, False),
)


def load(*, now: datetime) -> None:
    """Create the demo disputes and warranty claims whose orders have none yet."""
    people = {u.username: u for u in User.objects.filter(username="agent")}
    if "agent" not in people:
        return
    demo = Demo(now=now, people=people)
    orders = {
        order.number: order
        for order in Order.objects.select_related("buyer", "shop__seller").filter(
            number__in=[number for number, _story, _d in STORIES]
        )
    }
    with_dispute = set(
        Dispute.objects.filter(order__number__in=orders).values_list("order__number", flat=True)
    )
    with_claim = set(
        WarrantyClaim.objects.filter(item__order__number__in=orders).values_list(
            "item__order__number", flat=True
        )
    )
    for number, story, is_dispute in STORIES:
        if number not in orders or number in (with_dispute if is_dispute else with_claim):
            continue
        try:
            with transaction.atomic():
                story(demo, orders[number])
        except DomainError as error:
            # Settings (a short protection window, say) can rule a story out: skip it.
            logger.warning("Demo case on %s skipped: %s", number, error.message)
