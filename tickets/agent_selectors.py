"""Reads of agents and queues for supervisors' and integrators' tools: who works where, how loaded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, IntegerField, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import Role, User
from support_desk.errors import DomainError
from tickets.hours import is_open, next_opening
from tickets.models import AgentProfile, Presence, Queue, Ticket
from tickets.services import AgentNotFound
from tickets.status import ACTIVE_STATUSES, Status


class QueueNotFound(DomainError):
    code = "queue_not_found"
    status = 404


def _active_tickets() -> Coalesce:
    """Count the tickets taking a capacity slot of OuterRef's agent."""
    counts = (
        Ticket.objects.filter(assignee=OuterRef("pk"), status__in=ACTIVE_STATUSES)
        .order_by()
        .values("assignee")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def agent_list(*, queue_slug: str | None = None, presence: str | None = None) -> QuerySet[User]:
    """Return the active agents and supervisors with their profile, queues and load.

    Each has ``active_tickets``; one without a profile (never set up) counts
    as offline. Unordered: the caller pages it.
    """
    agents = (
        User.objects.filter(is_active=True, role__in=(Role.AGENT, Role.SUPERVISOR))
        .select_related("agent_profile")
        .prefetch_related(
            Prefetch("agent_profile__queues", queryset=Queue.objects.order_by("sort_order", "name"))
        )
        .annotate(active_tickets=_active_tickets())
    )
    if queue_slug:
        agents = agents.filter(agent_profile__queues__slug=queue_slug)
    if presence == Presence.OFFLINE:
        agents = agents.filter(
            Q(agent_profile__isnull=True) | Q(agent_profile__presence=Presence.OFFLINE)
        )
    elif presence:
        agents = agents.filter(agent_profile__presence=presence)
    return agents


def agent_get(*, username: str) -> User:
    """Return one active agent or supervisor as ``agent_list`` does; raise AgentNotFound."""
    agent = agent_list().filter(username=username).first()
    if agent is None:
        raise AgentNotFound(f"No agent {username}.")
    return agent


def agent_profile_of(agent: User) -> AgentProfile | None:
    """Return the agent's loaded profile, or None when they were never set up."""
    try:
        return agent.agent_profile
    except AgentProfile.DoesNotExist:
        return None


@dataclass(frozen=True)
class AgentView:
    """An agent as tools see them: set-up, presence and load (offline when never set up)."""

    user: User
    configured: bool
    presence: str
    presence_changed_at: datetime | None
    capacity: int | None
    active_tickets: int
    languages: list[str]
    queues: list[str]
    last_assigned_at: datetime | None

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def name(self) -> str:
        return self.user.display_name

    @property
    def role(self) -> str:
        return self.user.role


def agent_view(agent: User) -> AgentView:
    """Return an agent read through ``agent_list`` (or ``agent_get``) as tools see them."""
    profile = agent_profile_of(agent)
    active = int(getattr(agent, "active_tickets", 0))
    if profile is None:
        return AgentView(agent, False, Presence.OFFLINE, None, None, active, [], [], None)
    return AgentView(
        user=agent,
        configured=True,
        presence=profile.presence,
        presence_changed_at=profile.presence_changed_at,
        capacity=profile.capacity,
        active_tickets=active,
        languages=list(profile.languages or []),
        queues=[queue.slug for queue in profile.queues.all()],
        last_assigned_at=profile.last_assigned_at,
    )


def queues_by_slug(*, slugs: list[str]) -> dict[str, Queue]:
    """Return the queues among ``slugs``, keyed by slug."""
    return {queue.slug: queue for queue in Queue.objects.filter(slug__in=slugs)}


@dataclass(frozen=True)
class QueueDetail:
    """One queue as supervisors see it: configuration, live counts and its agents."""

    queue: Queue
    waiting: int
    oldest_queued_at: datetime | None
    agents_online: int
    open_now: bool
    opens_at: datetime | None
    agents: list[AgentView]


def queue_detail(*, slug: str, now: datetime) -> QueueDetail:
    """Return the queue ``slug`` (active or not) with its counts, hours and agents.

    Raises QueueNotFound.
    """
    queue = (
        Queue.objects.filter(slug=slug)
        .select_related("hours", "fallback", "escalation_queue", "sla_policy")
        .prefetch_related("topics", "hours__holidays")
        .first()
    )
    if queue is None:
        raise QueueNotFound(f"No queue {slug}.")
    waiting = Ticket.objects.filter(status=Status.QUEUED, queue=queue).aggregate(
        n=Count("id"), oldest=Min("queued_at")
    )
    agents = [agent_view(agent) for agent in agent_list(queue_slug=slug).order_by("username")]
    calendar = queue.hours.calendar() if queue.hours else None
    open_now = is_open(calendar, now)
    return QueueDetail(
        queue=queue,
        waiting=waiting["n"],
        oldest_queued_at=waiting["oldest"],
        agents_online=sum(1 for agent in agents if agent.presence == Presence.ONLINE),
        open_now=open_now,
        opens_at=None if open_now else next_opening(calendar, now),
        agents=agents,
    )
