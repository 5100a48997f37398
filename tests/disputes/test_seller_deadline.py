"""A seller's deadline holds at request time, whether or not the deadline task has run.

Found by the chaos group (tests/chaos/test_deadlines.py): with beat and the
workers down past a deadline, the seller could still answer or add
evidence, and the case's outcome depended on which came first.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from disputes import services
from disputes.models import Dispute, DisputeReason, WantedOutcome, WarrantyClaim
from disputes.status import ClaimStatus, DisputeStatus
from tests.disputes.conftest import NOW, Market
from tests.factories import api_key_with
from tests.tickets.fixtures.samples import png, upload

DAYS = timedelta(days=30)  # well past any seller deadline


def _dispute(market: Market) -> Dispute:
    return services.dispute_open(
        buyer=market.buyer,
        order_number=market.order.number,
        reason=DisputeReason.DAMAGED,
        wanted_outcome=WantedOutcome.FULL_REFUND,
        description="The lid arrived cracked.",
        now=NOW,
    )


def _claim(market: Market) -> WarrantyClaim:
    kettle = market.order.items.get(title="Electric kettle")
    return services.warranty_claim_open(
        buyer=market.buyer,
        item_id=kettle.pk,
        defect="It stopped heating.",
        remedy="repair",
        now=NOW,
    )


def test_the_seller_answers_a_dispute_before_the_deadline(market: Market) -> None:
    dispute = _dispute(market)
    assert dispute.seller_deadline_at is not None
    just_before = dispute.seller_deadline_at - timedelta(seconds=1)
    services.dispute_seller_reject(
        dispute_id=dispute.pk, seller=market.seller, statement="It was fine.", now=just_before
    )
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.SELLER_REJECTED


@pytest.mark.parametrize("step", ["accept", "reject", "counter"])
def test_the_seller_cannot_answer_a_dispute_after_the_deadline(market: Market, step: str) -> None:
    dispute = _dispute(market)
    late = NOW + DAYS
    calls = {
        "accept": lambda: services.dispute_seller_accept(
            dispute_id=dispute.pk, seller=market.seller, now=late
        ),
        "reject": lambda: services.dispute_seller_reject(
            dispute_id=dispute.pk, seller=market.seller, statement="No.", now=late
        ),
        "counter": lambda: services.dispute_seller_counter(
            dispute_id=dispute.pk, seller=market.seller, amount=1, statement="Half?", now=late
        ),
    }
    with pytest.raises(services.SellerDeadlinePassed):
        calls[step]()
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.AWAITING_SELLER
    # The deadline task still acts on it, once.
    assert services.dispute_deadlines_run(now=late) == 1
    assert services.dispute_deadlines_run(now=late) == 0


def test_the_seller_cannot_answer_a_warranty_claim_after_the_deadline(market: Market) -> None:
    claim = _claim(market)
    with pytest.raises(services.SellerDeadlinePassed):
        services.warranty_claim_seller_refuse(
            claim_id=claim.pk, seller=market.seller, statement="Misuse.", now=NOW + DAYS
        )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.AWAITING_SELLER


def test_seller_evidence_after_the_deadline_is_refused_but_the_buyer_may_add_more(
    market: Market,
) -> None:
    dispute = _dispute(market)
    late = NOW + DAYS
    with pytest.raises(services.SellerDeadlinePassed):
        services.evidence_add(
            person=market.seller,
            files=[upload("late.png", png(), "image/png")],
            now=late,
            dispute_id=dispute.pk,
        )
    added = services.evidence_add(
        person=market.buyer,
        files=[upload("lid.png", png(), "image/png")],
        now=late,
        dispute_id=dispute.pk,
    )
    assert [evidence.name for evidence in added] == ["lid.png"]


def test_the_api_refuses_late_seller_evidence_with_a_stable_code(market: Market) -> None:
    dispute = _dispute(market)
    Dispute.objects.filter(pk=dispute.pk).update(seller_deadline_at=NOW - DAYS)
    _key, raw = api_key_with("seller", seller=market.seller)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    answer = client.post(
        f"/api/v1/disputes/{dispute.pk}/evidence/",
        {"files": [upload("late.png", png(), "image/png")]},
        format="multipart",
    )
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "seller_deadline_passed"
    answer = client.post(
        f"/api/v1/disputes/{dispute.pk}/reject/", {"statement": "No."}, format="json"
    )
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "seller_deadline_passed"
