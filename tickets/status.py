"""The ticket status graph: which status may follow which, and nothing else.

    new -> queued -> assigned -> pending -> solved -> closed

plus the way back: a buyer's reply reopens a pending or solved ticket (to
its agent, else to the queue), and an agent may hand a ticket back to the
queue or solve it from any open status. A ticket whose case the buyer
withdrew before routing queued it closes at once (new -> closed), so no
agent ever receives it.

This module is pure: no ORM, no clock. ``tickets.services`` is the only
writer of a ticket's status and calls :func:`assert_can_transition` first.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from support_desk.errors import DomainError


class Status(models.TextChoices):
    NEW = "new", _("New")
    QUEUED = "queued", _("In the queue")
    ASSIGNED = "assigned", _("With an agent")
    PENDING = "pending", _("Waiting for your reply")
    SOLVED = "solved", _("Solved")
    CLOSED = "closed", _("Closed")


TRANSITIONS: dict[str, frozenset[str]] = {
    # Routing puts a saved ticket into an agent queue; one opened for a case
    # the buyer withdrew before that closes without reaching an agent.
    Status.NEW: frozenset({Status.QUEUED, Status.CLOSED}),
    # An agent takes it (or routing assigns it); an agent may solve it unassigned.
    Status.QUEUED: frozenset({Status.ASSIGNED, Status.SOLVED}),
    # Back to the queue (reassigned, agent gone), waiting on the buyer, or solved.
    Status.ASSIGNED: frozenset({Status.QUEUED, Status.PENDING, Status.SOLVED}),
    # The buyer replied (back to the agent or the queue), solved, or closed
    # after the reminder went unanswered.
    Status.PENDING: frozenset({Status.ASSIGNED, Status.QUEUED, Status.SOLVED, Status.CLOSED}),
    # The buyer replied (reopened), or it closed by itself after a while.
    Status.SOLVED: frozenset({Status.ASSIGNED, Status.QUEUED, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}

# Statuses in which the desk still owes the buyer something.
OPEN_STATUSES = frozenset({Status.NEW, Status.QUEUED, Status.ASSIGNED, Status.PENDING})
# Statuses that take one of an agent's capacity slots.
ACTIVE_STATUSES = frozenset({Status.ASSIGNED})
# Statuses an agent may choose on the ticket page (the rest follow from actions).
AGENT_CHOOSABLE = (Status.PENDING, Status.SOLVED)


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"
    status = 409


def can_transition(current: str, target: str) -> bool:
    """Return whether a ticket in ``current`` may move to ``target``."""
    return target in TRANSITIONS.get(current, frozenset())


def assert_can_transition(current: str, target: str) -> None:
    """Raise TransitionNotAllowed unless ``current`` -> ``target`` is an edge of the graph."""
    if not can_transition(current, target):
        # str() first: the repr of a Status member is "Status.SOLVED", not "'solved'".
        current, target = str(current), str(target)
        raise TransitionNotAllowed(
            f"A ticket cannot go from {current!r} to {target!r}.",
            details={"from": current, "to": target},
        )


def reopen_target(*, has_assignee: bool) -> Status:
    """Return where a buyer's reply sends a pending or solved ticket."""
    return Status.ASSIGNED if has_assignee else Status.QUEUED
