"""Every read of tickets, scoped by who asks: a buyer sees only their own tickets."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from accounts import selectors as account_selectors
from accounts.models import DISPLAY_NAME_FIELDS, User
from orders.models import Order
from support_desk import prepared, security_log
from tickets.hours import is_open, next_opening
from tickets.models import (
    BUYER_VISIBLE_KINDS,
    AgentProfile,
    Message,
    Presence,
    Queue,
    Ticket,
    TicketEvent,
)
from tickets.services._common import TicketNotFound
from tickets.status import OPEN_STATUSES, Status

# Until a queue has history, a ticket is assumed to take this long to handle.
DEFAULT_HANDLING = timedelta(minutes=15)
# Handling time is the mean over this many recent tickets of the queue.
HANDLING_SAMPLE = 50


def ahead_in_line() -> Subquery:
    """Count the queued tickets before OuterRef's ticket in its queue (priority, then arrival)."""
    ahead = (
        Ticket.objects.filter(status=Status.QUEUED, queue=OuterRef("queue"))
        .filter(
            Q(priority__gt=OuterRef("priority"))
            | Q(priority=OuterRef("priority"), queued_at__lt=OuterRef("queued_at"))
            | Q(
                priority=OuterRef("priority"),
                queued_at=OuterRef("queued_at"),
                created_at__lt=OuterRef("created_at"),
            )
            | Q(
                priority=OuterRef("priority"),
                queued_at=OuterRef("queued_at"),
                created_at=OuterRef("created_at"),
                id__lt=OuterRef("id"),
            )
        )
        .order_by()
        .values("queue")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Subquery(ahead, output_field=IntegerField())


def queue_positions(ticket_ids: list[int]) -> dict[int, int]:
    """Return the place in its queue's waiting line (1 = next) of each queued ticket, in one query.

    A routing batch that queues 50 tickets tells each buyer their place: one
    count as a subquery of each ticket, not a query per ticket.
    """
    if not ticket_ids:
        return {}
    rows = Ticket.objects.filter(pk__in=ticket_ids).values_list(
        "pk", Coalesce(ahead_in_line(), Value(0))
    )
    return {pk: ahead + 1 for pk, ahead in rows}


def _with_position(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    # Counted for waiting tickets only: a buyer's list is mostly closed ones.
    return tickets.annotate(
        ahead=Case(
            When(status=Status.QUEUED, then=Coalesce(ahead_in_line(), Value(0))),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def ticket_list_for_buyer(*, buyer: User) -> QuerySet[Ticket]:
    """Return the buyer's tickets, newest first, each with ``ahead`` (tickets before it in line)."""
    return _with_position(
        Ticket.objects.filter(buyer=buyer)
        .select_related("topic", "queue")
        .order_by("-created_at", "-id")
    )


def ticket_get_for_buyer(*, buyer: User, ticket_id: int) -> Ticket:
    """Return one of the buyer's own tickets; raise TicketNotFound for anyone else's."""
    ticket = (
        _with_position(Ticket.objects.filter(buyer=buyer, pk=ticket_id))
        # The case a ticket escalates, if any (Ticket.escalates_an_open_case): joined, not read apart.
        .select_related(
            "topic", "queue__hours", "assignee", "faq_entry", "dispute", "warranty_claim"
        )
        .first()
    )
    if ticket is None:
        security_log.log_if_someone_elses(Ticket.objects.filter(pk=ticket_id), what="ticket")
        raise TicketNotFound("No such ticket.")
    return ticket


def agent_queue_ids(*, agent: User) -> list[int]:
    """Return the ids of the agent's queues, in no particular order.

    Read from the membership table alone, not joined to the queues: every
    workspace page asks, and the callers only put the ids in an IN list.
    """
    membership = AgentProfile.queues.through.objects
    return list(
        membership.filter(agentprofile__user_id=agent.pk).values_list("queue_id", flat=True)
    )


@dataclass(frozen=True)
class _Sight:
    """The tickets an agent may open besides none: their queues' and their own."""

    queue_ids: list[int]
    # None for someone who is not an agent: no tickets of their own, nothing at all.
    agent_id: int | None


def _agent_sight(agent: User, queue_ids: list[int] | None = None) -> _Sight | None:
    """Return what ``agent`` may open, None for every ticket (supervisors).

    The one place the rule is kept; the ORM's condition (``_visible_to_agent``)
    and the SLA watch's written-out statement are both drawn from it.
    """
    if agent.is_supervisor:
        return None
    if not agent.is_agent:
        return _Sight(queue_ids=[], agent_id=None)
    if queue_ids is None:
        queue_ids = agent_queue_ids(agent=agent)
    return _Sight(queue_ids=queue_ids, agent_id=agent.pk)


def _visible_to_agent(agent: User, queue_ids: list[int] | None = None) -> Q | None:
    """Return the condition of the tickets an agent may open, None for all (supervisors).

    The queue ids are a literal list rather than a join through the membership
    table, so PostgreSQL can combine the queue and assignee indexes instead of
    scanning every ticket.
    """
    sight = _agent_sight(agent, queue_ids)
    if sight is None:
        return None
    if sight.agent_id is None:
        return Q(pk__in=[])
    return Q(queue_id__in=sight.queue_ids) | Q(assignee_id=sight.agent_id)


def tickets_visible_to_agent(
    *, agent: User, queue_ids: list[int] | None = None
) -> QuerySet[Ticket]:
    """Return the tickets an agent may open: their queues' and their own; supervisors see all.

    ``queue_ids`` are the agent's queues when the caller has already read them.
    """
    condition = _visible_to_agent(agent, queue_ids)
    return Ticket.objects.all() if condition is None else Ticket.objects.filter(condition)


def agent_may_open(*, agent: User) -> Q:
    """Return the condition "the agent may open this ticket" for a query that reads few tickets.

    Membership is checked per ticket (a semi-join on the queue), so a lookup by
    id stays one query; lists use ``tickets_visible_to_agent`` instead.
    """
    if agent.is_supervisor:
        return Q()
    if not agent.is_agent:
        return Q(pk__in=[])
    membership = AgentProfile.queues.through.objects.filter(
        agentprofile__user=agent, queue_id=OuterRef("queue_id")
    )
    return Q(assignee=agent) | Q(Exists(membership))


def ticket_may_open(*, agent: User, ticket_id: int) -> bool:
    """Return whether the agent may open the ticket ``ticket_id``."""
    return Ticket.objects.filter(agent_may_open(agent=agent), pk=ticket_id).exists()


def ticket_get_for_agent(*, agent: User, ticket_id: int) -> Ticket:
    """Return a ticket the agent may work; raise TicketNotFound otherwise.

    The buyer's place in line is not counted: no page of the workspace shows
    it (building and planning that subquery was ~3 ms of a ticket page). The
    order is read apart (``ticket_order``), by the page that shows it: with
    the order, its shop and the answer joined too, PostgreSQL spent ~3 ms
    more choosing an order for eight joins than reading one row through them.
    """
    ticket = (
        Ticket.objects.filter(agent_may_open(agent=agent), pk=ticket_id)
        .select_related("topic", "queue__hours", "assignee", "buyer")
        .first()
    )
    if ticket is None:
        security_log.log_if_someone_elses(Ticket.objects.filter(pk=ticket_id), what="ticket")
        raise TicketNotFound("No such ticket.")
    return ticket


def ticket_order(*, ticket: Ticket) -> Order | None:
    """Return the order the ticket is about, with its shop, or None."""
    if ticket.order_id is None:
        return None
    return Order.objects.select_related("shop").filter(pk=ticket.order_id).first()


def ticket_thread(*, ticket: Ticket, for_agent: bool) -> QuerySet[Message]:
    """Return the ticket's messages in order; internal notes only for agents."""
    messages = (
        Message.objects.filter(ticket=ticket)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
    return messages if for_agent else messages.filter(kind__in=BUYER_VISIBLE_KINDS)


def ticket_history(*, ticket: Ticket) -> QuerySet[TicketEvent]:
    """Return the ticket's events in order (agents only: reasons are internal)."""
    return (
        TicketEvent.objects.filter(ticket=ticket)
        .select_related("actor")
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class WaitEstimate:
    position: int
    minutes: int
    queue_open: bool
    opens_at: datetime | None
    fallback_open: bool


def ticket_wait_estimate(*, ticket: Ticket, now: datetime) -> WaitEstimate | None:
    """Return the ticket's place in line and expected wait, or None when it is not waiting.

    The wait is the mean handling time of the queue's recent tickets times
    the place in line, shared among the queue's online agents.
    """
    if ticket.status != Status.QUEUED or ticket.queue is None:
        return None
    ahead: int | None = getattr(ticket, "ahead", None)
    if ahead is None:
        ahead = int(getattr(_with_position(Ticket.objects.filter(pk=ticket.pk)).get(), "ahead", 0))
    position = ahead + 1
    recent = list(
        Ticket.objects.filter(
            queue=ticket.queue, assigned_at__isnull=False, solved_at__isnull=False
        )
        .order_by("-solved_at")
        .values_list("assigned_at", "solved_at")[:HANDLING_SAMPLE]
    )
    handling = (
        sum(
            ((solved - assigned) for assigned, solved in recent if solved and assigned), timedelta()
        )
        / len(recent)
        if recent
        else DEFAULT_HANDLING
    )
    online = AgentProfile.objects.filter(queues=ticket.queue, presence=Presence.ONLINE).count()
    minutes = math.ceil(position / max(online, 1)) * handling.total_seconds() / 60
    calendar = ticket.queue.hours.calendar() if ticket.queue.hours else None
    open_now = is_open(calendar, now)
    fallback_open = False
    if not open_now and ticket.queue.fallback_id:
        fallback = Queue.objects.select_related("hours").get(pk=ticket.queue.fallback_id)
        fallback_open = is_open(fallback.hours.calendar() if fallback.hours else None, now)
    return WaitEstimate(
        position=position,
        minutes=max(1, round(minutes)),
        queue_open=open_now,
        opens_at=None if open_now else next_opening(calendar, now),
        fallback_open=fallback_open,
    )


def agent_ticket_list(*, agent: User) -> QuerySet[Ticket]:
    """Return the agent's own open tickets, the most urgent first, with their buyers' names.

    Only what the workspace's rows show is read (the SLA fields, subject,
    priority, the buyer's name); the rest loads when asked for.
    """
    return (
        Ticket.objects.filter(assignee=agent, status__in=[Status.ASSIGNED, Status.PENDING])
        .select_related("buyer")
        .only(
            *SLA_FIELDS, "subject", "priority", *(f"buyer__{name}" for name in DISPLAY_NAME_FIELDS)
        )
        .order_by("-priority", F("resolution_due_at").asc(nulls_last=True), "id")
    )


@dataclass(frozen=True)
class QueueSummary:
    queue: Queue
    waiting: int
    oldest_queued_at: datetime | None
    agents_online: int
    is_member: bool


def _queue_summaries_sql(*, queue_count: int | None) -> str:
    """Return every active queue (or the ``queue_count`` given by id) with its counts, as one statement.

    Written out rather than built by the ORM: building the three correlated
    subqueries took ~2 ms of CPU on every workspace page, running them
    ~0.1 ms. Only the models' table and column names and the code's
    constants are put into the text; the queue ids are parameters.
    """
    queue, ticket = Queue._meta.db_table, Ticket._meta.db_table
    profile = AgentProfile._meta.db_table
    membership = AgentProfile.queues.through._meta.db_table
    columns = ", ".join(f"q.{field.column}" for field in Queue._meta.concrete_fields)
    queued = prepared.code_literal(Status.QUEUED)
    online = prepared.code_literal(Presence.ONLINE)
    only = "" if queue_count is None else f" AND q.id IN ({', '.join(['%s'] * queue_count)})"
    return (
        f"SELECT {columns}, "  # noqa: S608  # nosec B608  # names from the models' meta, constants
        f"(SELECT COUNT(*) FROM {ticket} t WHERE t.queue_id = q.id AND t.status = {queued}) "
        f"AS waiting, "
        f"(SELECT MIN(t.queued_at) FROM {ticket} t WHERE t.queue_id = q.id AND t.status = {queued}) "
        f"AS oldest, "
        f"(SELECT COUNT(*) FROM {membership} m JOIN {profile} p ON p.id = m.agentprofile_id "
        f"WHERE m.queue_id = q.id AND p.presence = {online}) AS online "
        f"FROM {queue} q WHERE q.is_active{only} ORDER BY q.sort_order, q.name, q.id"
    )


def queue_summaries(
    *, agent: User | None = None, queue_ids: list[int] | None = None
) -> list[QueueSummary]:
    """Return every active queue with its waiting count, oldest wait and agents online.

    With ``agent``, only their queues (all of them for a supervisor);
    ``queue_ids`` are those queues when the caller has already read them.
    """
    if agent is not None and queue_ids is None:
        queue_ids = agent_queue_ids(agent=agent)
    member_ids = set(queue_ids or ())
    only_members = agent is not None and not agent.is_supervisor
    if only_members and not member_ids:
        return []
    ids = sorted(member_ids) if only_members else []
    rows = Queue.objects.raw(
        _queue_summaries_sql(queue_count=len(ids) if only_members else None), ids
    )
    summaries = []
    for row in rows:
        # The statement's own columns, set on each queue by raw().
        waiting, oldest, online = row.waiting, row.oldest, row.online  # type: ignore[attr-defined]
        summaries.append(
            QueueSummary(
                queue=row,
                waiting=waiting,
                oldest_queued_at=prepared.as_datetime(oldest) if oldest else None,
                agents_online=online,
                is_member=row.pk in member_ids,
            )
        )
    return summaries


# What a ticket's SLA state is drawn from (tickets.views.agent.sla_due) and its live version.
SLA_FIELDS = (
    "status",
    "updated_at",
    "first_responded_at",
    "first_response_due_at",
    "resolution_due_at",
)


# What the SLA watch reads of each ticket besides its SLA fields.
_WATCH_FIELDS = ("id", *SLA_FIELDS, "subject", "priority", "queue", "assignee")


def _sla_watch_sql(*, visible: str) -> str:
    """Return the watch's statement: due-soon or late open tickets, counted, with the queue's name.

    Written out rather than built by the ORM, like ``_queue_summaries_sql``:
    building the filtered, windowed, joined query cost more CPU than
    PostgreSQL takes to run it. ``visible`` is the agent's condition with its
    placeholders; only the models' table and column names and the code's
    constants are put into the text.
    """
    ticket, queue = Ticket._meta.db_table, Queue._meta.db_table
    column = {field.name: field.column for field in Ticket._meta.concrete_fields}
    columns = ", ".join(f"t.{column[name]}" for name in _WATCH_FIELDS)
    queued, assigned = prepared.code_literal(Status.QUEUED), prepared.code_literal(Status.ASSIGNED)
    return (
        f"SELECT {columns}, COUNT(*) OVER () AS watch_total, q.name AS queue_name "  # noqa: S608  # nosec B608  # names from the models' meta, constants
        f"FROM {ticket} t LEFT JOIN {queue} q ON q.id = t.queue_id "
        f"WHERE {visible}((t.first_responded_at IS NULL AND t.first_response_due_at < %s) "
        f"OR t.resolution_due_at < %s) AND t.status IN ({queued}, {assigned}) "
        f"ORDER BY t.first_response_due_at ASC NULLS LAST, t.id LIMIT %s"
    )


def agent_sla_watch(
    *,
    agent: User,
    now: datetime,
    shown: int,
    within: timedelta = timedelta(hours=1),
    queue_ids: list[int] | None = None,
) -> list[Ticket]:
    """Return the first ``shown`` open tickets of the agent's queues or their own due within ``within`` or late.

    The most urgent first response comes first. Each ticket carries
    ``watch_total``, how many tickets the whole watch holds, so the page
    counts the rest in the same query. Only what the watch shows is read:
    the ticket's SLA fields, subject, queue name and assignee.
    """
    sight = _agent_sight(agent, queue_ids)
    visible, params = "", []
    if sight is not None:
        if sight.agent_id is None:
            return []
        # A literal list, as in _visible_to_agent, so PostgreSQL combines the two indexes.
        ids = sight.queue_ids
        in_queues = f"t.queue_id IN ({', '.join(['%s'] * len(ids))}) OR " if ids else ""
        visible = f"({in_queues}t.assignee_id = %s) AND "
        params = [*ids, sight.agent_id]
    horizon = connection.ops.adapt_datetimefield_value(now + within)
    tickets = list(
        Ticket.objects.raw(_sla_watch_sql(visible=visible), [*params, horizon, horizon, shown])
    )
    queue_field = Ticket.queue.field
    for ticket in tickets:
        # The statement's own column, set on each ticket by raw().
        name = ticket.queue_name  # type: ignore[attr-defined]
        queue_field.set_cached_value(
            ticket,
            None
            if ticket.queue_id is None
            else Queue.from_db(connection.alias, ["id", "name"], (ticket.queue_id, name)),
        )
    # Looked up for the tickets shown only: joined, PostgreSQL hashes every user first.
    account_selectors.attach_people(tickets, relations=("assignee",), columns=DISPLAY_NAME_FIELDS)
    return tickets


def buyer_other_tickets(*, ticket: Ticket, limit: int = 10) -> QuerySet[Ticket]:
    """Return the buyer's other tickets, newest first (for the agent's side panel)."""
    return (
        Ticket.objects.filter(buyer_id=ticket.buyer_id)
        .exclude(pk=ticket.pk)
        .select_related("topic")
        .order_by("-created_at")[:limit]
    )


def agent_profile_get(*, agent: User) -> AgentProfile | None:
    """Return the agent's profile (presence, capacity), None when they have none.

    Its queues are not read with it: ``agent_queue_ids`` gives their ids for
    less than loading the queues whole.
    """
    try:
        return AgentProfile.objects.get(user_id=agent.pk)
    except AgentProfile.DoesNotExist:
        return None


def open_ticket_count(*, buyer: User) -> int:
    return Ticket.objects.filter(buyer=buyer, status__in=OPEN_STATUSES).count()
