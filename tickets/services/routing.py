"""Applying routing decisions: a saved ticket's queue, its SLA times and its first agent.

The decisions come from the pure ``tickets.routing``; these services gather
the facts, lock what they change and write the history. Lock order: the
tickets, then the candidate agents (``tickets.services.assignment``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
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
    Presence,
    Priority,
    Queue,
    SlaTarget,
    Ticket,
    TicketEvent,
)
from tickets.routing import QueueFacts
from tickets.selectors import queue_positions
from tickets.services._common import (
    InvalidTicket,
    TicketNotFound,
    event_build,
    event_write,
    events_emit,
    lock_ticket,
    notifications_save,
    send_now,
    status_write,
    system_message_build,
    system_message_write,
)
from tickets.services.assignment import (
    active_count_subquery,
    agent_fill,
    assign_free_agent,
    assignment_mail,
    free_slot_after_commit,
    joined_text,
    least_loaded_reason,
    lock_free_agents,
)
from tickets.status import Status

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


def _position_text(position: int) -> Callable[[], str]:
    return lambda: _("You are number %(n)d in the queue.") % {"n": position}


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
    are routed with it, in the order they were opened. When the ticket itself
    is held by another transaction (most often another worker's batch that
    is routing it), this worker first routes the next waiting tickets, then
    waits for the ticket: several workers behind a backlog route batches
    side by side instead of queueing on each other's locks. Idempotent: a
    ticket that is no longer ``new`` is left alone, so a second delivery of
    the same message changes nothing. Locks the tickets, then the candidate
    agents. Returns the named ticket's outcome for the task result.
    """
    status = _status_of(ticket_id)
    if status is None:
        raise TicketNotFound("No such ticket.")
    if status != Status.NEW:
        # No ticket goes back to new: routed for good, without a lock.
        return "already-routed"
    if batch > 1:
        outcome = _route_with_waiting(ticket_id, now=now, batch=batch, wait=False)
        if outcome is not None:
            return outcome
    return _route_with_waiting(ticket_id, now=now, batch=batch, wait=True) or "already-routed"


def _route_with_waiting(ticket_id: int, *, now: datetime, batch: int, wait: bool) -> str | None:
    """Route the ticket and up to ``batch`` - 1 other waiting ones in one transaction.

    Without ``wait``, a ticket another transaction holds is not waited for:
    the others are routed and None is returned.
    """
    with transaction.atomic():
        if wait:
            ticket: Ticket | None = lock_ticket(ticket_id)
        else:
            ticket = (
                Ticket.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("queue__hours", "topic")
                .filter(pk=ticket_id)
                .first()
            )
        tickets = [ticket] if ticket is not None and ticket.status == Status.NEW else []
        if batch > 1:
            tickets += (
                Ticket.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(status=Status.NEW)
                .exclude(pk=ticket_id)
                .order_by("created_at", "id")[: batch - len(tickets)]
            )
        routed: dict[int, str] = {}
        if tickets:
            with config_cache.one_version():
                routed = _route_batch(sorted(tickets, key=lambda t: (t.created_at, t.pk)), now=now)
    if ticket is None:
        return None
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
                    text=joined_text(name),
                )
            )
            mail = assignment_mail(ticket=ticket, profile=profile, assigned=assigned, now=now)
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
    locked, facts = lock_free_agents({ticket.queue_id for ticket in tickets if ticket.queue_id})
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
        reason = least_loaded_reason(queue)
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
        assign_free_agent(ticket=ticket, now=now)
        free_slot_after_commit(previous_agent)
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
        .annotate(active=active_count_subquery())
        .filter(active__lt=F("capacity"))
        .filter(Q(queues__tickets__status=Status.QUEUED))
        .values_list("user_id", flat=True)
        .distinct()
    )
    for agent_id in list(free_agents):
        done += len(agent_fill(agent_id=agent_id, now=now))
    return done
