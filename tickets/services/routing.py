"""Applying routing decisions: queues, agents, take-next, presence, reassignment.

The decisions come from the pure ``tickets.routing``; these services gather
the facts, lock what they change and write the history. Lock order: a ticket
before an agent; an agent's own waiting-line picks use SKIP LOCKED, so two
agents never wait on each other or get the same ticket.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.models import User
from support_desk import celery as desk_celery
from support_desk import prepared
from support_desk.bulk import rows_update
from tickets import config_cache, routing, sla, tasks
from tickets.hours import Calendar
from tickets.models import (
    AgentProfile,
    BusinessHours,
    EventKind,
    Message,
    Notification,
    NotificationKind,
    Presence,
    Priority,
    Queue,
    SlaTarget,
    Ticket,
    TicketEvent,
)
from tickets.routing import AgentFacts, QueueFacts
from tickets.selectors import queue_positions
from tickets.services._common import (
    AgentAtCapacity,
    AgentNotFound,
    AgentNotInQueue,
    InvalidTicket,
    TicketNotFound,
    event_build,
    event_write,
    events_emit,
    lock_ticket,
    notification_build,
    notifications_save,
    send_after_commit,
    send_now,
    status_write,
    system_message_build,
    system_message_write,
)
from tickets.status import ACTIVE_STATUSES, Status

# A ticket still `new` this long after it was saved lost its routing message.
UNROUTED_GRACE = timedelta(seconds=15)


def queue_facts() -> list[QueueFacts]:
    """Return every active queue as routing facts (kept until the configuration changes)."""
    return config_cache.cached("queue_facts", _queue_facts_read)


def _queue_facts_read() -> list[QueueFacts]:
    queues = (
        Queue.objects.filter(is_active=True)
        .select_related("hours")
        .prefetch_related("topics", "hours__holidays")
    )
    return [
        QueueFacts(
            id=queue.pk,
            name=queue.name,
            topic_ids=frozenset(topic.pk for topic in queue.topics.all()),
            language=queue.language,
            calendar=queue.hours.calendar() if queue.hours else None,
            fallback_id=queue.fallback_id,
            sort_order=queue.sort_order,
        )
        for queue in queues
    ]


def _queue_calendar(queue: Queue) -> Calendar | None:
    """Return the calendar of ``queue``'s business hours (kept until the configuration changes)."""
    hours_id = queue.hours_id
    if hours_id is None:
        return None

    def read() -> Calendar | None:
        hours = BusinessHours.objects.filter(pk=hours_id).first()
        return hours.calendar() if hours else None

    return config_cache.cached(f"calendar:{hours_id}", read)


def _active_count_subquery() -> Coalesce:
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


def _joined_text(name: str) -> Callable[[], str]:
    return lambda: _("%(name)s joined the conversation.") % {"name": name}


def _position_text(position: int) -> Callable[[], str]:
    return lambda: _("You are number %(n)d in the queue.") % {"n": position}


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
        system_message_write(ticket=ticket, now=now, text=_joined_text(name))
    else:
        system_message_write(
            ticket=ticket,
            now=now,
            text=lambda: _("%(name)s took over your request.") % {"name": name},
        )
    mail = _assignment_mail(ticket=ticket, profile=profile, assigned=assigned, now=now)
    if mail is not None:
        notifications_save([mail])
    ticket.save(update_fields=fields)
    profile.last_assigned_at = now
    profile.save(update_fields=["last_assigned_at"])


def _assignment_mail(
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


def _lock_free_agents(queue_ids: set[int]) -> tuple[dict[int, AgentProfile], list[AgentFacts]]:
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


def _least_loaded_reason(queue: Queue) -> str:
    return _("Least loaded online agent of %(queue)s.") % {"queue": queue.name}


def _assign_free_agent(*, ticket: Ticket, now: datetime) -> User | None:
    """Give a locked, queued ticket to the best free agent of its queue, if any."""
    queue = ticket.queue
    if queue is None:
        return None
    locked, agents = _lock_free_agents({queue.pk})
    best = routing.eligible_agents(queue_id=queue.pk, language=queue.language, agents=agents)
    if not best:
        return None
    profile = locked[best[0].id]
    _give(ticket=ticket, profile=profile, now=now, reason=_least_loaded_reason(queue))
    return profile.user


def _sla_targets(queue: Queue) -> list[sla.SlaTargetFacts]:
    policy_id = queue.sla_policy_id
    if policy_id is None:
        return []

    def read() -> list[sla.SlaTargetFacts]:
        return [
            sla.SlaTargetFacts(
                t.topic_id, t.priority, t.first_response_minutes, t.resolution_minutes
            )
            for t in SlaTarget.objects.filter(policy_id=policy_id)
        ]

    return config_cache.cached(f"sla:{policy_id}", read)


def sla_due_apply(*, ticket: Ticket, queue: Queue) -> list[str]:
    """Set the ticket's SLA due times for its topic and priority in ``queue``'s hours."""
    target = sla.target_for(_sla_targets(queue), topic_id=ticket.topic_id, priority=ticket.priority)
    due = sla.due_times(
        _queue_calendar(queue),
        start=ticket.created_at,
        target=target,
        responded=ticket.first_responded_at is not None,
    )
    ticket.first_response_due_at = due.first_response_due_at
    ticket.resolution_due_at = due.resolution_due_at
    return ["first_response_due_at", "resolution_due_at"]


# A worker behind its backlog routes the saved tickets waiting behind the one
# its message names together, in one transaction: their own messages then find
# them routed. One decision's statements serve the whole batch.
ROUTE_BATCH = 50


def ticket_route(*, ticket_id: int, now: datetime, batch: int = 1) -> str:
    """Route a saved ticket: pick its queue (recording why) and a free agent.

    With ``batch`` > 1, other saved tickets still waiting for routing (oldest
    first, up to ``batch`` in all, skipping any another transaction holds)
    are routed with it, in the order they were opened. Idempotent: a ticket
    that is no longer ``new`` is left alone, so a second delivery of the same
    message changes nothing. Locks the tickets, then the candidate agents.
    Returns the named ticket's outcome for the task result.
    """
    status = _status_of(ticket_id)
    if status is None:
        raise TicketNotFound("No such ticket.")
    if status != Status.NEW:
        # No ticket goes back to new: routed for good, without a lock.
        return "already-routed"
    with transaction.atomic():
        ticket = lock_ticket(ticket_id)
        tickets = [ticket] if ticket.status == Status.NEW else []
        if batch > 1:
            tickets += (
                Ticket.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(status=Status.NEW)
                .exclude(pk=ticket_id)
                .order_by("created_at", "id")[: batch - len(tickets)]
            )
        if not tickets:
            return "already-routed"
        with config_cache.one_version():
            routed = _route_batch(sorted(tickets, key=lambda t: (t.created_at, t.pk)), now=now)
    return routed.get(ticket_id, "already-routed")


def _status_of(ticket_id: int) -> str | None:
    """Return a ticket's status, or None: the first statement of every routing message.

    Most messages of a busy worker find their ticket routed by an earlier
    batch, so this one statement is prepared once per connection.
    """
    table = connection.ops.quote_name(Ticket._meta.db_table)
    row = prepared.fetch_one(f"SELECT status FROM {table} WHERE id = %s", [ticket_id])  # noqa: S608  # nosec B608  # the model's table
    return None if row is None else str(row[0])


def _route_batch(tickets: list[Ticket], *, now: datetime) -> dict[int, str]:
    """Queue locked ``new`` tickets and give each to a free agent if one is; return outcomes."""
    facts = queue_facts()
    decisions = {
        ticket.pk: routing.choose_queue(
            topic_id=ticket.topic_id,
            language=ticket.language,
            queues=facts,
            now=now,
            default_language=settings.LANGUAGE_CODE,
        )
        for ticket in tickets
    }
    outcomes = {t.pk: "no-queue" for t in tickets if decisions[t.pk].queue_id is None}
    tickets = [t for t in tickets if t.pk not in outcomes]
    if not tickets:
        return outcomes
    queues = Queue.objects.in_bulk({decisions[t.pk].queue_id for t in tickets})
    events: list[TicketEvent] = []
    fields = {"queue", "routing_reason"}
    for ticket in tickets:
        decision = decisions[ticket.pk]
        queue = queues[decision.queue_id]
        ticket.queue = queue
        ticket.routing_reason = decision.reason[:300]
        fields.update(
            status_write(
                ticket=ticket, to=Status.QUEUED, now=now, reason=decision.reason, events=events
            )
        )
        events.append(
            event_build(
                ticket=ticket,
                kind=EventKind.QUEUE,
                now=now,
                to_value=queue.name,
                reason=decision.reason,
            )
        )
        fields.update(sla_due_apply(ticket=ticket, queue=queue))
    given = _assign_batch(tickets, now=now, events=events)
    fields.update(["status", "assignee", "assigned_at", "updated_at"] if given else [])
    TicketEvent.objects.bulk_create(events)
    events_emit(events, now=now)
    rows_update(tickets, sorted(fields))
    messages: list[Message] = []
    mails: list[Notification] = []
    positions = queue_positions([ticket.pk for ticket in tickets if ticket.pk not in given])
    for ticket in tickets:
        if ticket.pk in given:
            profile, assigned = given[ticket.pk]
            name = profile.user.display_name
            messages.append(
                system_message_build(
                    ticket=ticket,
                    now=now,
                    text=_joined_text(name),
                )
            )
            mail = _assignment_mail(ticket=ticket, profile=profile, assigned=assigned, now=now)
            if mail is not None:
                mails.append(mail)
            outcomes[ticket.pk] = "assigned"
        else:
            position = positions[ticket.pk]
            messages.append(
                system_message_build(
                    ticket=ticket,
                    now=now,
                    text=_position_text(position),
                )
            )
            outcomes[ticket.pk] = "queued"
    Message.objects.bulk_create(messages)
    notifications_save(mails)
    return outcomes


def _assign_batch(
    tickets: list[Ticket], *, now: datetime, events: list[TicketEvent]
) -> dict[int, tuple[AgentProfile, TicketEvent]]:
    """Give queued, locked tickets (in order) to their queues' best free agents, if any.

    Each ticket given raises its agent's load for the next. Returns each
    given ticket's agent and its assignment event (appended to ``events``).
    """
    locked, facts = _lock_free_agents({ticket.queue_id for ticket in tickets if ticket.queue_id})
    agents = {agent.id: agent for agent in facts}
    given: dict[int, tuple[AgentProfile, TicketEvent]] = {}
    for ticket in tickets:
        queue = ticket.queue
        best = (
            routing.eligible_agents(
                queue_id=queue.pk, language=queue.language, agents=list(agents.values())
            )
            if queue is not None
            else []
        )
        if queue is None or not best:
            continue
        profile = locked[best[0].id]
        reason = _least_loaded_reason(queue)
        status_write(
            ticket=ticket,
            to=Status.ASSIGNED,
            now=now,
            reason=reason,
            assignee=profile.user,
            events=events,
        )
        assigned = event_build(
            ticket=ticket,
            kind=EventKind.ASSIGNEE,
            now=now,
            to_value=profile.user.get_username(),
            reason=reason,
        )
        events.append(assigned)
        given[ticket.pk] = (profile, assigned)
        agents[profile.user_id] = replace(best[0], active=best[0].active + 1, last_assigned_at=now)
        profile.last_assigned_at = now
    profiles = {profile.pk: profile for profile, _event in given.values()}
    if profiles:
        rows_update(list(profiles.values()), ["last_assigned_at"])
    return given


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


def _free_slot_after_commit(user_id: int | None) -> None:
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
        _free_slot_after_commit(previous)
    return ticket


def ticket_move_to_queue(
    *, ticket_id: int, queue: Queue, actor: User | None, now: datetime, reason: str
) -> Ticket:
    """Move an open ticket to another queue, unassigned, and offer it to that queue's agents."""
    if not reason.strip():
        raise InvalidTicket(_("Say why the ticket moves."))
    with transaction.atomic():
        ticket = lock_ticket(ticket_id)
        if not queue.is_active:
            raise InvalidTicket(_("That queue is not active."))
        if ticket.status not in (Status.QUEUED, Status.ASSIGNED, Status.PENDING):
            raise InvalidTicket(_("Only open tickets in a queue can move."))
        if ticket.queue_id == queue.pk:
            return ticket
        previous_agent = ticket.assignee_id if ticket.status == Status.ASSIGNED else None
        event_write(
            ticket=ticket,
            kind=EventKind.QUEUE,
            now=now,
            actor=actor,
            from_value=ticket.queue,
            to_value=queue.name,
            reason=reason,
        )
        ticket.queue = Queue.objects.select_related("hours").get(pk=queue.pk)
        ticket.routing_reason = reason[:300]
        fields = ["queue", "routing_reason", "updated_at"]
        ticket.updated_at = now
        if ticket.status != Status.QUEUED:
            fields += status_write(
                ticket=ticket, to=Status.QUEUED, now=now, actor=actor, reason=reason
            )
        ticket.save(update_fields=sorted(set(fields)))
        queue_name = queue.name
        system_message_write(
            ticket=ticket,
            now=now,
            text=lambda: (
                _("Your request moved to %(queue)s. Why: %(reason)s")
                % {"queue": queue_name, "reason": reason.strip()}
            ),
        )
        _assign_free_agent(ticket=ticket, now=now)
        _free_slot_after_commit(previous_agent)
    return ticket


def ticket_set_priority(
    *, ticket_id: int, priority: int, actor: User | None, now: datetime, reason: str = ""
) -> Ticket:
    """Change a ticket's priority and recount its SLA due times for the new priority."""
    priority = Priority(priority)
    with transaction.atomic():
        ticket = lock_ticket(ticket_id)
        if ticket.priority == priority:
            return ticket
        event_write(
            ticket=ticket,
            kind=EventKind.PRIORITY,
            now=now,
            actor=actor,
            from_value=Priority(ticket.priority).label,
            to_value=priority.label,
            reason=reason,
        )
        ticket.priority = priority
        ticket.updated_at = now
        fields = ["priority", "updated_at"]
        if ticket.queue is not None and ticket.is_open and ticket.pending_since is None:
            fields += sla_due_apply(ticket=ticket, queue=ticket.queue)
        ticket.save(update_fields=fields)
    return ticket


def routing_sweep(*, now: datetime, batch: int = 500) -> int:
    """Re-send routing for tickets saved but not routed; fill free online agents.

    A ticket saved while the broker was down, or whose message was lost,
    is still ``new``: it is sent again here. While routing messages still
    wait in the broker, such a ticket is most likely waiting behind them:
    sending it again would only double the work of a desk that is behind, so
    that round only fills free agents. Returns how many were sent or assigned.
    """
    if desk_celery.broker_queue_length(settings.CELERY_TASK_ROUTES["routing.*"]["queue"]):
        batch = 0
    stale = list(
        Ticket.objects.filter(status=Status.NEW, created_at__lt=now - UNROUTED_GRACE)
        .order_by("created_at")
        .values_list("id", flat=True)[:batch]
    )
    done = sum(1 for ticket_id in stale if send_now(tasks.route_ticket, ticket_id=ticket_id))
    free_agents = (
        AgentProfile.objects.filter(presence=Presence.ONLINE, user__is_active=True)
        .annotate(active=_active_count_subquery())
        .filter(active__lt=F("capacity"))
        .filter(Q(queues__tickets__status=Status.QUEUED))
        .values_list("user_id", flat=True)
        .distinct()
    )
    for agent_id in list(free_agents):
        done += len(agent_fill(agent_id=agent_id, now=now))
    return done
