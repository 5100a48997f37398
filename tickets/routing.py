"""The routing decision: which queue serves a ticket, and which agent takes it.

Pure: facts in, a decision out, with the reason in words an agent can read.
No ORM and no clock; ``tickets.services.routing`` gathers the facts, passes
``now`` and applies the decision under locks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tickets.hours import Calendar, is_open, next_opening


@dataclass(frozen=True)
class QueueFacts:
    id: int
    name: str
    topic_ids: frozenset[int]
    language: str
    calendar: Calendar | None
    fallback_id: int | None = None
    sort_order: int = 100


@dataclass(frozen=True)
class AgentFacts:
    id: int
    queue_ids: frozenset[int]
    languages: frozenset[str]
    capacity: int
    active: int
    online: bool
    last_assigned_at: datetime | None = None


@dataclass(frozen=True)
class QueueDecision:
    queue_id: int | None
    reason: str
    fallback: bool = False


@dataclass(frozen=True)
class RoutingDecision:
    queue_id: int | None
    agent_id: int | None
    reason: str
    fallback: bool = False


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _opening_words(queue: QueueFacts, now: datetime) -> str:
    opening = next_opening(queue.calendar, now)
    if opening is None or queue.calendar is None:
        return f"{queue.name} is closed"
    local = opening.astimezone(queue.calendar.time_zone)
    return f"{queue.name} is closed until {local:%a %H:%M} {queue.calendar.time_zone.key}"


def choose_queue(
    *,
    topic_id: int,
    language: str,
    queues: Sequence[QueueFacts],
    now: datetime,
    default_language: str = "en",
) -> QueueDecision:
    """Pick the queue for a ticket on ``topic_id`` in ``language`` at ``now``.

    The queues for the topic and language come first (in sort order); when
    they are all closed, their fallback chain is followed to the first open
    queue. With no queue in the ticket's language, the default language's
    queues serve it. When everything is closed the ticket waits in its own
    queue: closed is not the same as missing.
    """
    by_id = {queue.id: queue for queue in queues}
    ordered = sorted(queues, key=lambda q: (q.sort_order, q.id))
    for_topic = [q for q in ordered if topic_id in q.topic_ids]
    own = [q for q in for_topic if q.language == language]
    prefix = ""
    if not own:
        own = [q for q in for_topic if q.language == default_language]
        prefix = f"no queue answers this topic in {language}; "
        if not own:
            own = for_topic
        if not own:
            catch_all = [q for q in ordered if not q.topic_ids]
            if not catch_all:
                return QueueDecision(None, "No queue serves this topic.")
            own = catch_all
            prefix = "no queue serves this topic; "
    for queue in own:
        if is_open(queue.calendar, now):
            return QueueDecision(
                queue.id, _sentence(f"{prefix}{queue.name} is open."), fallback=bool(prefix)
            )
    first = own[0]
    seen = {first.id}
    current = first
    while current.fallback_id is not None and current.fallback_id not in seen:
        fallback = by_id.get(current.fallback_id)
        if fallback is None:
            break
        seen.add(fallback.id)
        # A fallback names a queue, and through it a language: a queue for
        # several topics falls back to the fallback language's queue for the
        # ticket's topic when the named queue does not serve it.
        serving = (
            [fallback]
            if topic_id in fallback.topic_ids or not fallback.topic_ids
            else [q for q in for_topic if q.language == fallback.language]
        )
        for candidate in serving:
            if is_open(candidate.calendar, now):
                return QueueDecision(
                    candidate.id,
                    _sentence(
                        f"{prefix}{_opening_words(first, now)}; fallback to {candidate.name}."
                    ),
                    fallback=True,
                )
        current = fallback
    return QueueDecision(
        first.id,
        _sentence(f"{prefix}{_opening_words(first, now)}; the ticket waits for it."),
        fallback=bool(prefix),
    )


def agent_order_key(agent: AgentFacts) -> tuple[int, float, int]:
    """Sort key: least loaded, then longest since their last ticket, then id."""
    idle_since = agent.last_assigned_at.timestamp() if agent.last_assigned_at else float("-inf")
    return (agent.active, idle_since, agent.id)


def eligible_agents(
    *, queue_id: int, language: str, agents: Sequence[AgentFacts]
) -> list[AgentFacts]:
    """Return the agents who may take a ticket of ``queue_id`` now, best first.

    Eligible: online, a member of the queue, speaking the queue's language,
    under capacity.
    """
    fit = [
        agent
        for agent in agents
        if agent.online
        and queue_id in agent.queue_ids
        and language in agent.languages
        and agent.active < agent.capacity
    ]
    return sorted(fit, key=agent_order_key)


def route(
    *,
    topic_id: int,
    language: str,
    queues: Sequence[QueueFacts],
    agents: Sequence[AgentFacts],
    now: datetime,
    default_language: str = "en",
) -> RoutingDecision:
    """Decide the queue and, if one is free, the agent for a new ticket."""
    queue_decision = choose_queue(
        topic_id=topic_id,
        language=language,
        queues=queues,
        now=now,
        default_language=default_language,
    )
    if queue_decision.queue_id is None:
        return RoutingDecision(None, None, queue_decision.reason)
    queue = next(q for q in queues if q.id == queue_decision.queue_id)
    candidates = (
        eligible_agents(queue_id=queue.id, language=queue.language, agents=agents)
        if is_open(queue.calendar, now)
        else []
    )
    agent_id = candidates[0].id if candidates else None
    return RoutingDecision(queue.id, agent_id, queue_decision.reason, queue_decision.fallback)
