"""Giving tickets to agents: capacity, take-next, presence, reassignment.

An agent's capacity holds because their profile is locked before their load
is counted. Lock order: a ticket before an agent; an agent's own
waiting-line picks use SKIP LOCKED, so two agents never wait on each other
or get the same ticket.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.models import User
from tickets import routing, tasks
from tickets.models import (
    AgentProfile,
    EventKind,
    Notification,
    NotificationKind,
    Presence,
    Queue,
    Ticket,
    TicketEvent,
)
from tickets.routing import AgentFacts
from tickets.services._common import (
    AgentAtCapacity,
    AgentNotFound,
    AgentNotInQueue,
    InvalidTicket,
    event_write,
    lock_ticket,
    notification_build,
    notifications_save,
    send_after_commit,
    status_write,
    system_message_write,
)
from tickets.status import ACTIVE_STATUSES, Status


def active_count_subquery() -> Coalesce:
    counts = (
        Ticket.objects.filter(assignee=OuterRef("user_id"), status__in=ACTIVE_STATUSES)
        .order_by()
        .values("assignee")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def active_count(*, agent_id: int) -> int:
    """Return how many tickets take a capacity slot of the agent now."""
    return Ticket.objects.filter(assignee_id=agent_id, status__in=ACTIVE_STATUSES).count()


def _lock_profile(agent_id: int) -> AgentProfile:
    profile = (
        AgentProfile.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(user_id=agent_id)
        .first()
    )
    if profile is None:
        raise AgentNotFound("No such agent.")
    return profile


def joined_text(name: str) -> Callable[[], str]:
    return lambda: _("%(name)s joined the conversation.") % {"name": name}


def _give(
    *, ticket: Ticket, profile: AgentProfile, now: datetime, reason: str, actor: User | None = None
) -> None:
    """Assign a locked ticket to a locked agent and write the history."""
    previous = ticket.assignee
    if ticket.status == Status.ASSIGNED or ticket.status == Status.PENDING:
        ticket.assignee = profile.user
        ticket.assigned_at = now
        ticket.updated_at = now
        fields = ["assignee", "assigned_at", "updated_at"]
    else:
        fields = status_write(
            ticket=ticket,
            to=Status.ASSIGNED,
            now=now,
            actor=actor,
            reason=reason,
            assignee=profile.user,
        )
    assigned = event_write(
        ticket=ticket,
        kind=EventKind.ASSIGNEE,
        now=now,
        actor=actor,
        from_value=previous.get_username() if previous else "",
        to_value=profile.user.get_username(),
        reason=reason,
    )
    name = profile.user.display_name
    if previous is None:
        system_message_write(ticket=ticket, now=now, text=joined_text(name))
    else:
        system_message_write(
            ticket=ticket,
            now=now,
            text=lambda: _("%(name)s took over your request.") % {"name": name},
        )
    mail = assignment_mail(ticket=ticket, profile=profile, assigned=assigned, now=now)
    if mail is not None:
        notifications_save([mail])
    ticket.save(update_fields=fields)
    profile.last_assigned_at = now
    profile.save(update_fields=["last_assigned_at"])


def assignment_mail(
    *, ticket: Ticket, profile: AgentProfile, assigned: TicketEvent, now: datetime
) -> Notification | None:
    """Return the mail an agent who asked for one is owed for a ticket given to them."""
    if not profile.notify_on_assignment:
        return None
    return notification_build(
        ticket=ticket,
        event=assigned,
        kind=NotificationKind.TICKET_ASSIGNED,
        recipient=profile.user,
        now=now,
    )


def lock_free_agents(queue_ids: set[int]) -> tuple[dict[int, AgentProfile], list[AgentFacts]]:
    """Lock the online agents of ``queue_ids`` and return them with their load, counted under the locks.

    All at once, in id order: two routings locking agents one by one in
    their own preference order would deadlock each other. The facts know
    only the agents' memberships among ``queue_ids``.
    """
    candidate_ids = list(
        AgentProfile.objects.filter(
            queues__in=queue_ids, presence=Presence.ONLINE, user__is_active=True
        )
        .order_by()
        .values_list("user_id", flat=True)
        .distinct()
    )
    if not candidate_ids:
        return {}, []
    locked = {
        profile.user_id: profile
        for profile in AgentProfile.objects.select_for_update(of=("self",))
        .select_related("user")
        .prefetch_related(
            Prefetch("queues", queryset=Queue.objects.filter(pk__in=queue_ids).only("id"))
        )
        .filter(user_id__in=candidate_ids)
        .order_by("user_id")
    }
    # Counted under the locks: another routing may have filled the last slot.
    load = dict(
        Ticket.objects.filter(assignee_id__in=locked, status__in=ACTIVE_STATUSES)
        .order_by()
        .values_list("assignee_id")
        .annotate(n=Count("id"))
    )
    facts = [
        AgentFacts(
            id=profile.user_id,
            queue_ids=frozenset(queue.pk for queue in profile.queues.all()),
            languages=frozenset(profile.languages or ()),
            capacity=profile.capacity,
            active=load.get(profile.user_id, 0),
            online=profile.presence == Presence.ONLINE and profile.user.is_active,
            last_assigned_at=profile.last_assigned_at,
        )
        for profile in locked.values()
    ]
    return locked, facts


def least_loaded_reason(queue: Queue) -> str:
    return _("Least loaded online agent of %(queue)s.") % {"queue": queue.name}


def assign_free_agent(*, ticket: Ticket, now: datetime) -> User | None:
    """Give a locked, queued ticket to the best free agent of its queue, if any."""
    queue = ticket.queue
    if queue is None:
        return None
    locked, agents = lock_free_agents({queue.pk})
    best = routing.eligible_agents(queue_id=queue.pk, language=queue.language, agents=agents)
    if not best:
        return None
    profile = locked[best[0].id]
    _give(ticket=ticket, profile=profile, now=now, reason=least_loaded_reason(queue))
    return profile.user


def _waiting_line(profile: AgentProfile) -> QuerySet[Ticket]:
    """Return the tickets waiting in the agent's active queues of their languages."""
    queue_ids = Queue.objects.filter(
        agents=profile, is_active=True, language__in=profile.languages or []
    ).values("id")
    return Ticket.objects.filter(status=Status.QUEUED, queue__in=queue_ids)


def _next_waiting(profile: AgentProfile) -> Ticket | None:
    """Lock and return the first waiting ticket the agent may take, skipping locked ones."""
    return (
        _waiting_line(profile)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("queue__hours")
        .order_by("-priority", "queued_at", "created_at", "id")
        .first()
    )


# A waiting ticket that another transaction holds for a moment (its routing,
# the assistant's reply, another agent taking it) is skipped, never waited on;
# "nothing waits" is said only once no waiting ticket is held any more.
TAKE_NEXT_ATTEMPTS = 10
TAKE_NEXT_RETRY_SECONDS = 0.1


def ticket_take_next(*, agent: User, now: datetime) -> Ticket | None:
    """Give the agent the first ticket waiting in their queues; None when none waits.

    Locks the agent (so their capacity holds), then the ticket with SKIP
    LOCKED (so two agents never get the same one). When every waiting ticket
    is held by another transaction, tries again for up to a second. Raises
    AgentNotFound, AgentAtCapacity.
    """
    for _attempt in range(TAKE_NEXT_ATTEMPTS):
        with transaction.atomic():
            profile = _lock_profile(agent.pk)
            if active_count(agent_id=agent.pk) >= profile.capacity:
                raise AgentAtCapacity(
                    _("You already have %(n)d tickets, your capacity.") % {"n": profile.capacity}
                )
            ticket = _next_waiting(profile)
            if ticket is not None:
                _give(
                    ticket=ticket,
                    profile=profile,
                    now=now,
                    actor=agent,
                    reason=_("The agent took the next waiting ticket."),
                )
                return ticket
            held = _waiting_line(profile).exists()
        if not held:
            return None
        time.sleep(TAKE_NEXT_RETRY_SECONDS)
    return None


def agent_fill(*, agent_id: int, now: datetime, limit: int = 50) -> list[int]:
    """Give an online agent waiting tickets until their capacity is reached; return the ids.

    One transaction per ticket, so a long fill never holds many locks.
    """
    given: list[int] = []
    for _attempt in range(limit):
        with transaction.atomic():
            profile = _lock_profile(agent_id)
            if profile.presence != Presence.ONLINE:
                break
            if active_count(agent_id=agent_id) >= profile.capacity:
                break
            ticket = _next_waiting(profile)
            if ticket is None:
                break
            _give(
                ticket=ticket,
                profile=profile,
                now=now,
                reason=_("An agent of the queue became free."),
            )
            given.append(ticket.pk)
    return given


def agent_profile_ensure(*, agent: User) -> AgentProfile:
    """Return the agent's profile, creating one (English, capacity 5, offline) if missing."""
    if not agent.is_agent:
        raise AgentNotFound("Only agents and supervisors work tickets.")
    profile, _created = AgentProfile.objects.get_or_create(
        user=agent, defaults={"languages": [settings.LANGUAGE_CODE]}
    )
    return profile


def agent_set_presence(*, agent: User, presence: Presence | str, now: datetime) -> AgentProfile:
    """Set the agent online, away or offline; going online pulls waiting tickets at once."""
    presence = Presence(presence)
    with transaction.atomic():
        agent_profile_ensure(agent=agent)
        profile = _lock_profile(agent.pk)
        if profile.presence != presence:
            profile.presence = presence
            profile.presence_changed_at = now
            profile.save(update_fields=["presence", "presence_changed_at"])
    if presence == Presence.ONLINE:
        # Fill in the request: the agent sees their tickets on the next page.
        agent_fill(agent_id=agent.pk, now=now)
    return profile


def free_slot_after_commit(user_id: int | None) -> None:
    if user_id is not None:
        send_after_commit(tasks.fill_agent, agent_id=user_id)


def ticket_assign(
    *, ticket_id: int, agent: User, actor: User, now: datetime, reason: str = ""
) -> Ticket:
    """Give a ticket to a named agent of its queue (reassignment by an agent or supervisor).

    Raises AgentNotFound, AgentNotInQueue, AgentAtCapacity,
    TransitionNotAllowed (new, solved and closed tickets are not reassigned).
    """
    with transaction.atomic():
        ticket = lock_ticket(ticket_id)
        if ticket.status not in (Status.QUEUED, Status.ASSIGNED, Status.PENDING):
            raise InvalidTicket(_("Only open tickets in a queue can be assigned."))
        if ticket.assignee_id == agent.pk:
            return ticket
        profile = _lock_profile(agent.pk)
        if ticket.queue_id is None or not profile.queues.filter(pk=ticket.queue_id).exists():
            raise AgentNotInQueue(
                _("%(agent)s does not work the %(queue)s queue.")
                % {"agent": agent.get_username(), "queue": ticket.queue}
            )
        if active_count(agent_id=agent.pk) >= profile.capacity:
            raise AgentAtCapacity(_("%(agent)s is at capacity.") % {"agent": agent.get_username()})
        previous = ticket.assignee_id if ticket.status == Status.ASSIGNED else None
        _give(
            ticket=ticket,
            profile=profile,
            now=now,
            actor=actor,
            reason=reason or _("Reassigned by %(actor)s.") % {"actor": actor.get_username()},
        )
        free_slot_after_commit(previous)
    return ticket
