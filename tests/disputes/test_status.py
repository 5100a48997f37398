"""The dispute and warranty-claim graphs: every allowed edge, every forbidden one."""

from __future__ import annotations

import itertools

import pytest

from disputes.status import (
    CLAIM_TRANSITIONS,
    DISPUTE_TRANSITIONS,
    ClaimStatus,
    DisputeStatus,
    StepNotAllowed,
    claim_assert_can_move,
    claim_can_move,
    dispute_assert_can_move,
    dispute_can_move,
)

DISPUTE_EDGES = {
    ("awaiting_seller", "resolved"),
    ("awaiting_seller", "seller_rejected"),
    ("awaiting_seller", "counter_offered"),
    ("awaiting_seller", "escalated"),
    ("awaiting_seller", "cancelled"),
    ("seller_rejected", "escalated"),
    ("seller_rejected", "cancelled"),
    ("counter_offered", "resolved"),
    ("counter_offered", "escalated"),
    ("counter_offered", "cancelled"),
    ("escalated", "resolved"),
    ("escalated", "cancelled"),
    ("resolved", "closed"),
}
CLAIM_EDGES = {
    ("awaiting_seller", "accepted"),
    ("awaiting_seller", "escalated"),
    ("awaiting_seller", "cancelled"),
    ("accepted", "closed"),
    ("escalated", "resolved"),
    ("escalated", "cancelled"),
    ("resolved", "closed"),
}


def test_the_tables_are_the_documented_graphs() -> None:
    assert {(a, b) for a, bs in DISPUTE_TRANSITIONS.items() for b in bs} == DISPUTE_EDGES
    assert {(a, b) for a, bs in CLAIM_TRANSITIONS.items() for b in bs} == CLAIM_EDGES


@pytest.mark.parametrize(
    ("current", "target"), list(itertools.product(DisputeStatus.values, repeat=2))
)
def test_every_dispute_edge(current: str, target: str) -> None:
    allowed = (current, target) in DISPUTE_EDGES
    assert dispute_can_move(current, target) is allowed
    if allowed:
        dispute_assert_can_move(current, target)
    else:
        with pytest.raises(StepNotAllowed) as raised:
            dispute_assert_can_move(current, target)
        assert raised.value.details == {"from": current, "to": target}


@pytest.mark.parametrize(
    ("current", "target"), list(itertools.product(ClaimStatus.values, repeat=2))
)
def test_every_claim_edge(current: str, target: str) -> None:
    allowed = (current, target) in CLAIM_EDGES
    assert claim_can_move(current, target) is allowed
    if allowed:
        claim_assert_can_move(current, target)
    else:
        with pytest.raises(StepNotAllowed):
            claim_assert_can_move(current, target)


def test_cancelling_after_resolution_is_refused() -> None:
    with pytest.raises(StepNotAllowed):
        dispute_assert_can_move(DisputeStatus.RESOLVED, DisputeStatus.CANCELLED)
