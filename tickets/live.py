"""What changed on a ticket page since it was drawn, and who else is looking at it.

Open pages ask every few seconds whether anything they show has changed. The
answer must be cheap: a page holds a *version* made only of what it shows
(the ticket's ``updated_at``, which every service bumps, the newest message
id and, while waiting, the place in line), and the check compares it with
the same values read in one indexed, prepared query. Nothing is written per
check but the agent's "viewing" heartbeat (every other check), which lives
in the cache with a short lifetime.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext as _

from accounts.models import User
from support_desk import prepared, security_log
from tickets import selectors
from tickets.forms.agent import STATUS_LABELS
from tickets.models import (
    BUYER_VISIBLE_KINDS,
    AgentProfile,
    EventKind,
    Message,
    MessageKind,
    Ticket,
    TicketEvent,
)
from tickets.services._common import TicketNotFound
from tickets.status import Status

# How often an open page asks (the templates' hx-trigger says the same).
POLL_SECONDS = 3
# An agent counts as viewing a ticket this long after their page last asked.
VIEWER_SECONDS = 12
# A heartbeat younger than this is not written again: with checks every
# POLL_SECONDS every other check writes it, and to the others it never looks
# older than this plus one POLL_SECONDS, well inside VIEWER_SECONDS.
_HEARTBEAT_REFRESH_SECONDS = 2 * POLL_SECONDS - 1
# The cache keeps heartbeats a little longer than they count, for clock skew.
_VIEWER_CACHE_SECONDS = 60
_VIEWER_INDEX_SECONDS = 60 * 60
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def digest(*parts: Any) -> str:
    """Return a short stable fingerprint of ``parts`` (their ``repr``)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def _newest_id(messages: Iterable[Any]) -> int:
    return max((message.pk for message in messages), default=0)


# --- The buyer's ticket page ---------------------------------------------


def buyer_version(
    *, updated_at: datetime, newest_message_id: int | None, status: str, ahead: int
) -> str:
    """Return the version of what the buyer's page shows of a ticket.

    The place in line counts only while the ticket waits: it changes when a
    ticket ahead is taken, which does not touch this ticket's row.
    """
    position = ahead + 1 if status == Status.QUEUED else None
    return digest(_micros(updated_at), newest_message_id or 0, status, position)


def buyer_version_of_page(*, ticket: Ticket, thread: Iterable[Any]) -> str:
    """Return the version of a drawn buyer page from its ticket and thread items."""
    return buyer_version(
        updated_at=ticket.updated_at,
        newest_message_id=_newest_id(item.message for item in thread),
        status=ticket.status,
        ahead=int(getattr(ticket, "ahead", 0) or 0),
    )


def _buyer_check_sql() -> str:
    """Return the buyer's check as one statement: the ticket, its newest message, its place.

    Written out rather than built by the ORM: building the same query with
    subqueries costs ~4 ms of CPU per check, running it ~0.1 ms. Prepared
    once per connection (``support_desk.prepared``): planning it took
    longer than running it. The place in line counts as
    ``selectors.ahead_in_line`` does (priority, then arrival, then id);
    tests compare the two.
    """
    ticket, message = Ticket._meta.db_table, Message._meta.db_table
    kinds = ", ".join(prepared.code_literal(kind) for kind in BUYER_VISIBLE_KINDS)
    queued = prepared.code_literal(Status.QUEUED)
    # Only the models' own table names and the code's constants are put into
    # the text; the ticket and the buyer are parameters. With only those two,
    # PostgreSQL keeps one plan for the prepared statement instead of
    # planning it again for each set of values.
    return (
        f"SELECT t.updated_at, t.status, "  # noqa: S608  # nosec B608  # names from the models' meta, constants
        f"(SELECT MAX(m.id) FROM {message} m WHERE m.ticket_id = t.id AND m.kind IN ({kinds})), "
        f"CASE WHEN t.status = {queued} THEN (SELECT COUNT(*) FROM {ticket} a "
        f"WHERE a.status = {queued} AND a.queue_id = t.queue_id AND (a.priority > t.priority "
        f"OR (a.priority = t.priority AND (a.queued_at < t.queued_at "
        f"OR (a.queued_at = t.queued_at AND (a.created_at < t.created_at "
        f"OR (a.created_at = t.created_at AND a.id < t.id))))))) ELSE 0 END "
        f"FROM {ticket} t WHERE t.id = %s AND t.buyer_id = %s"
    )


def buyer_version_now(*, buyer: User, ticket_id: int) -> str:
    """Return the current version of the buyer's ticket page, in one query.

    Raises TicketNotFound when the ticket is not the buyer's.
    """
    row = prepared.fetch_one(_buyer_check_sql(), [ticket_id, buyer.pk])
    if row is None:
        security_log.log_if_someone_elses(Ticket.objects.filter(pk=ticket_id), what="ticket")
        raise TicketNotFound("No such ticket.")
    updated_at, status, newest_message, ahead = row
    return buyer_version(
        updated_at=prepared.as_datetime(updated_at),
        newest_message_id=newest_message,
        status=status,
        ahead=ahead or 0,
    )


# --- The agent's ticket page -----------------------------------------------


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


@dataclass(frozen=True)
class TicketVersion:
    """The state of a ticket an agent's page was drawn from: newest message and last change."""

    newest_message_id: int
    updated_at: datetime

    def __str__(self) -> str:
        return f"{self.newest_message_id}-{_micros(self.updated_at)}"

    @classmethod
    def parse(cls, text: str) -> TicketVersion | None:
        """Return the version written by ``str()``, or None for anything else."""
        message, _sep, micros = (text or "").strip().partition("-")
        if not (message.isdigit() and micros.isdigit()) or len(text) > 40:
            return None
        return cls(int(message), _EPOCH + int(micros) * _MICROSECOND)

    @classmethod
    def of_page(cls, *, ticket: Ticket, thread: Iterable[Message]) -> TicketVersion:
        return cls(_newest_id(thread), ticket.updated_at)


def _agent_check_sql(agent: User) -> str | None:
    """Return the agent's check as one statement: the ticket's SLA fields and newest message.

    Written out for the reason ``_buyer_check_sql`` is. Access is
    ``selectors.agent_may_open``'s: any ticket for a supervisor, else the
    agent's own or one of their queues'. None for people who may open none.
    """
    if not (agent.is_supervisor or agent.is_agent):
        return None
    ticket, message = Ticket._meta.db_table, Message._meta.db_table
    profile = AgentProfile._meta.db_table
    membership = AgentProfile.queues.through._meta.db_table
    columns = ", ".join(f"t.{name}" for name in selectors.SLA_FIELDS)
    access = (
        ""
        if agent.is_supervisor
        else f" AND (t.assignee_id = %s OR EXISTS (SELECT 1 FROM {membership} q "  # noqa: S608  # nosec B608  # names from the models' meta
        f"JOIN {profile} p ON p.id = q.agentprofile_id "
        f"WHERE p.user_id = %s AND q.queue_id = t.queue_id))"
    )
    # Only the models' own table and column names are put into the text; values are parameters.
    return (
        f"SELECT {columns}, "  # noqa: S608  # nosec B608  # names from the models' meta
        f"(SELECT MAX(m.id) FROM {message} m WHERE m.ticket_id = t.id) "
        f"FROM {ticket} t WHERE t.id = %s{access}"
    )


def agent_ticket_now(*, agent: User, ticket_id: int) -> tuple[Ticket, TicketVersion]:
    """Return the ticket's SLA fields and its current version for an agent, in one query.

    Raises TicketNotFound when the agent may not open the ticket.
    """
    sql = _agent_check_sql(agent)
    row = None
    if sql is not None:
        params = [ticket_id] if agent.is_supervisor else [ticket_id, agent.pk, agent.pk]
        row = prepared.fetch_one(sql, params)
    if row is None:
        security_log.log_if_someone_elses(Ticket.objects.filter(pk=ticket_id), what="ticket")
        raise TicketNotFound("No such ticket.")
    *values, newest_message = row
    state = dict(zip(selectors.SLA_FIELDS, values, strict=True))
    for name, value in state.items():
        if name != "status" and value is not None:
            state[name] = prepared.as_datetime(value)
    ticket = Ticket(pk=ticket_id, **state)
    return ticket, TicketVersion(newest_message or 0, ticket.updated_at)


@dataclass(frozen=True)
class AgentPage:
    """The live state of an agent's ticket page: its version, the others viewing it."""

    version: TicketVersion
    viewers: list[str]
    sla_state: str

    @property
    def key(self) -> str:
        """Return the fingerprint of what changes on the page without changing the ticket."""
        return digest(self.viewers, self.sla_state)


@dataclass(frozen=True)
class Change:
    """Something that happened on a ticket after an agent's page was drawn."""

    at: datetime
    who: str
    what: str
    excerpt: str = ""


EXCERPT_CHARS = 160


def ticket_changes_since(*, ticket: Ticket, version: str, agent: User) -> list[Change]:
    """Return what others did on the ticket after ``version``: messages and status changes.

    An empty or unreadable version (a client that sends none) reports nothing,
    and so do the agent's own actions.
    """
    loaded = TicketVersion.parse(version)
    if loaded is None:
        return []
    changes: list[Change] = []
    messages = (
        Message.objects.filter(ticket=ticket, id__gt=loaded.newest_message_id)
        .exclude(kind=MessageKind.SYSTEM)
        .exclude(author=agent)
        .select_related("author")
        .order_by("created_at", "id")
    )
    for message in messages:
        who = message.author.display_name if message.author else message.get_kind_display()
        what = _("added an internal note") if message.is_internal else _("wrote")
        excerpt = (
            message.body
            if len(message.body) <= EXCERPT_CHARS
            else message.body[:EXCERPT_CHARS] + "…"
        )
        changes.append(Change(message.created_at, who, what, excerpt))
    events = (
        TicketEvent.objects.filter(
            ticket=ticket,
            created_at__gt=loaded.updated_at,
            kind__in=[EventKind.STATUS, EventKind.ASSIGNEE, EventKind.QUEUE],
        )
        .exclude(actor=agent)
        .select_related("actor")
        .order_by("created_at", "id")
    )
    for event in events:
        who = event.actor.display_name if event.actor else _("Support Desk")
        changes.append(Change(event.created_at, who, _event_text(event)))
    return sorted(changes, key=lambda change: change.at)


def _event_text(event: TicketEvent) -> str:
    if event.kind == EventKind.STATUS:
        label = (
            STATUS_LABELS.get(Status(event.to_value)) if event.to_value in Status.values else None
        )
        return _("set the status to %(status)s") % {"status": label or event.to_value}
    if event.kind == EventKind.ASSIGNEE:
        return _("gave the ticket to %(agent)s") % {"agent": event.to_value}
    return _("moved the ticket to %(queue)s") % {"queue": event.to_value}


# --- Who is viewing --------------------------------------------------------


def _index_key(ticket_id: int) -> str:
    return f"live:viewers:{ticket_id}"


def _viewer_key(ticket_id: int, user_id: int) -> str:
    return f"live:viewer:{ticket_id}:{user_id}"


def viewers_touch(*, ticket_id: int, agent: User, now: datetime) -> list[str]:
    """Note that ``agent`` views the ticket now; return the names of the others viewing it.

    One cache key per viewer (so two agents never overwrite each other's
    heartbeat) and one index of who has been there; the index is rewritten
    only when someone new arrives, the heartbeat only when it is getting old.
    A lost index write heals on the next check. An agent alone on a ticket
    costs one cache read per check and a write every other check.
    """
    seen_at = now.timestamp()
    own_key, index_key = _viewer_key(ticket_id, agent.pk), _index_key(ticket_id)
    mine = cache.get_many([index_key, own_key])
    own = mine.get(own_key)
    if (
        own is None
        or own[0] != agent.display_name
        or not 0 <= seen_at - own[1] < _HEARTBEAT_REFRESH_SECONDS
    ):
        cache.set(own_key, (agent.display_name, seen_at), timeout=_VIEWER_CACHE_SECONDS)
    ids: list[int] = mine.get(index_key) or []
    others = [user_id for user_id in ids if user_id != agent.pk]
    found = (
        cache.get_many([_viewer_key(ticket_id, user_id) for user_id in others]) if others else {}
    )
    names: dict[int, str] = {}
    for user_id in others:
        heartbeat = found.get(_viewer_key(ticket_id, user_id))
        if heartbeat is not None and seen_at - heartbeat[1] < VIEWER_SECONDS:
            names[user_id] = heartbeat[0]
    if agent.pk not in ids or len(found) < len(others):
        # Someone new, or heartbeats gone from the cache: keep the index short.
        alive = [user_id for user_id in others if _viewer_key(ticket_id, user_id) in found]
        cache.set(_index_key(ticket_id), [*alive, agent.pk], timeout=_VIEWER_INDEX_SECONDS)
    return sorted(names.values(), key=str.casefold)


def agent_page(
    *, agent: User, ticket: Ticket, thread: Iterable[Message], sla_state: str, now: datetime
) -> AgentPage:
    """Return the live state of the ticket page being drawn for ``agent`` (and note the viewer)."""
    return AgentPage(
        version=TicketVersion.of_page(ticket=ticket, thread=thread),
        viewers=viewers_touch(ticket_id=ticket.pk, agent=agent, now=now),
        sla_state=sla_state,
    )
