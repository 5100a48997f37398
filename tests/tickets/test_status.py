"""The status graph: every allowed edge, every forbidden one."""

from __future__ import annotations

import itertools

import pytest

from tickets.status import (
    TRANSITIONS,
    Status,
    TransitionNotAllowed,
    assert_can_transition,
    can_transition,
    reopen_target,
)

ALLOWED = {
    ("new", "queued"),
    ("new", "closed"),
    ("queued", "assigned"),
    ("queued", "solved"),
    ("assigned", "queued"),
    ("assigned", "pending"),
    ("assigned", "solved"),
    ("pending", "assigned"),
    ("pending", "queued"),
    ("pending", "solved"),
    ("pending", "closed"),
    ("solved", "assigned"),
    ("solved", "queued"),
    ("solved", "closed"),
}
EVERY_PAIR = list(itertools.product(Status.values, repeat=2))


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_allowed_edge(current: str, target: str) -> None:
    assert can_transition(current, target)
    assert_can_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"), [pair for pair in EVERY_PAIR if pair not in ALLOWED]
)
def test_forbidden_edge(current: str, target: str) -> None:
    assert not can_transition(current, target)
    with pytest.raises(TransitionNotAllowed) as raised:
        assert_can_transition(current, target)
    assert raised.value.code == "transition_not_allowed"
    assert raised.value.details == {"from": current, "to": target}


def test_the_table_is_the_documented_graph() -> None:
    table = {(current, target) for current, targets in TRANSITIONS.items() for target in targets}
    assert table == ALLOWED


def test_closed_is_terminal() -> None:
    assert not TRANSITIONS[Status.CLOSED]


def test_a_buyer_reply_goes_back_to_the_agent_or_else_the_queue() -> None:
    assert reopen_target(has_assignee=True) == Status.ASSIGNED
    assert reopen_target(has_assignee=False) == Status.QUEUED
