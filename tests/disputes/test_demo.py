"""The demo marketplace: orders in every status, disputes and claims in every state, loaded once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from disputes.models import ClaimEvent, Dispute, DisputeEvent, WarrantyClaim
from disputes.status import ClaimStatus, DisputeStatus
from orders.models import Order, OrderItem, OrderStatus, Shop
from support_desk.demo import demo_load
from tickets.status import Status

pytestmark = pytest.mark.django_db


def snapshot() -> list[object]:
    return [
        list(model.objects.order_by("pk").values())
        for model in (
            Shop,
            Order,
            OrderItem,
            Dispute,
            DisputeEvent,
            WarrantyClaim,
            ClaimEvent,
        )
    ]


def test_load_demo_twice_changes_nothing() -> None:
    call_command("load_demo", stdout=StringIO())
    first = snapshot()
    assert len(first[3]) == 7 and len(first[5]) == 4  # disputes, claims
    call_command("load_demo", stdout=StringIO())
    assert snapshot() == first
    demo_load(now=timezone.now() + timedelta(days=1))
    assert snapshot() == first


@pytest.mark.parametrize(
    "now",
    [datetime(2026, 11, 20, 12, 0, tzinfo=UTC), datetime(2027, 3, 1, 0, 30, tzinfo=UTC)],
    ids=lambda m: m.isoformat(),
)
def test_every_order_dispute_and_claim_status_is_present(now: datetime, settings) -> None:
    settings.DESK_DISPUTE_SELLER_DAYS = 5
    demo_load(now=now)

    assert set(Shop.objects.values_list("seller__username", flat=True)) == {"seller", "seller2"}
    assert set(Order.objects.values_list("status", flat=True)) == set(OrderStatus.values)
    assert set(Order.objects.values_list("buyer__username", flat=True)) == {"buyer", "buyer2"}
    assert OrderItem.objects.filter(warranty_months__gt=0).exists()
    # Every status a service can reach; `closed` has no step yet.
    dispute_statuses = set(Dispute.objects.values_list("status", flat=True))
    assert dispute_statuses == set(DisputeStatus.values) - {DisputeStatus.CLOSED}
    claim_statuses = set(WarrantyClaim.objects.values_list("status", flat=True))
    assert claim_statuses >= {
        ClaimStatus.AWAITING_SELLER,
        ClaimStatus.ACCEPTED,
        ClaimStatus.ESCALATED,
        ClaimStatus.RESOLVED,
    }

    waiting = Dispute.objects.get(status=DisputeStatus.AWAITING_SELLER)
    assert waiting.seller_deadline_at == now + timedelta(days=2)
    for escalated in Dispute.objects.filter(status=DisputeStatus.ESCALATED):
        assert escalated.ticket is not None
        assert escalated.ticket.topic.slug == "dispute"
    for claim in WarrantyClaim.objects.filter(status=ClaimStatus.ESCALATED):
        assert claim.ticket is not None and claim.ticket.topic.slug == "warranty"
    # The desk has every escalation in hand: taken by an agent, or answered and solved.
    tickets = [
        case.ticket
        for model in (Dispute, WarrantyClaim)
        for case in model.objects.filter(ticket__isnull=False).select_related("ticket__assignee")
    ]
    assert len(tickets) == 4
    assert {(t.status, t.assignee.username) for t in tickets} == {  # type: ignore[union-attr]
        (Status.ASSIGNED, "agent"),
        (Status.SOLVED, "agent"),
    }
    # Nothing in the history happens after the moment the demo was loaded,
    # and no seller deadline is already overdue for the beat task to act on.
    assert not DisputeEvent.objects.filter(created_at__gt=now).exists()
    assert not ClaimEvent.objects.filter(created_at__gt=now).exists()
    assert not Order.objects.filter(updated_at__gt=now).exists()
    assert not Dispute.objects.filter(
        status=DisputeStatus.AWAITING_SELLER, seller_deadline_at__lt=now
    ).exists()
    assert not WarrantyClaim.objects.filter(
        status=ClaimStatus.AWAITING_SELLER, seller_deadline_at__lt=now
    ).exists()
