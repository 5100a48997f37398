"""Pieces every ticket service shares: errors, the status writer, events, enqueueing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from support_desk.errors import DomainError
from tickets import sla, tasks
from tickets.models import (
    EventKind,
    Message,
    MessageKind,
    Notification,
    NotificationKind,
    Ticket,
    TicketEvent,
)
from tickets.status import Status, assert_can_transition
from webhooks.events import TICKET_EVENT_TYPES
from webhooks.payloads import TicketEventPayload
from webhooks.services import webhook_emit, webhook_subscriptions

logger = logging.getLogger("tickets")


class TicketNotFound(DomainError):
    code = "ticket_not_found"
    status = 404


class TicketClosed(DomainError):
    code = "ticket_closed"
    status = 409


class TicketOfACase(DomainError):
    """Someone tried to solve the ticket of an undecided dispute or warranty claim: the case ends it."""

    code = "ticket_of_a_case"
    status = 409

    @classmethod
    def for_agent(cls) -> TicketOfACase:
        return cls(_("Decide the case beside the conversation: the decision solves this request."))

    @classmethod
    def for_buyer(cls) -> TicketOfACase:
        return cls(
            _(
                "The support team closes this request with their decision on your case. "
                "If you no longer need it, withdraw the case on its page."
            )
        )


class InvalidTicket(DomainError):
    code = "invalid_ticket"


class AgentNotFound(DomainError):
    code = "agent_not_found"
    status = 404


class AgentAtCapacity(DomainError):
    code = "agent_at_capacity"
    status = 409


class AgentNotInQueue(DomainError):
    code = "agent_not_in_queue"
    status = 409


def event_write(
    *,
    ticket: Ticket,
    kind: EventKind,
    now: datetime,
    actor: User | None = None,
    from_value: Any = "",
    to_value: Any = "",
    reason: str = "",
) -> TicketEvent:
    """Write one history row; callers are inside the change's transaction."""
    event = event_build(
        ticket=ticket,
        kind=kind,
        now=now,
        actor=actor,
        from_value=from_value,
        to_value=to_value,
        reason=reason,
    )
    event.save(force_insert=True)
    events_emit([event], now=now)
    return event


def event_build(
    *,
    ticket: Ticket,
    kind: EventKind,
    now: datetime,
    actor: User | None = None,
    from_value: Any = "",
    to_value: Any = "",
    reason: str = "",
) -> TicketEvent:
    """Return one history row, not saved yet (``event_write`` saves one, batches save many)."""
    return TicketEvent(
        ticket=ticket,
        kind=kind,
        actor=actor,
        from_value=str(from_value or "")[:80],
        to_value=str(to_value or "")[:80],
        reason=reason[:300],
        created_at=now,
    )


def events_emit(events: list[TicketEvent], *, now: datetime) -> None:
    """Owe the webhooks of saved history rows, reading the subscriptions once."""
    told = [event for event in events if event.kind in TICKET_EVENT_TYPES]
    if not told:
        return
    subscriptions = webhook_subscriptions()
    for event in told:  # the payload is built after commit: callers save the ticket later
        webhook_emit(
            event_type=TICKET_EVENT_TYPES[event.kind],
            build_payload=TicketEventPayload(event.pk),
            now=now,
            subscriptions=subscriptions,
        )


def status_write(
    *,
    ticket: Ticket,
    to: Status,
    now: datetime,
    actor: User | None = None,
    reason: str = "",
    assignee: User | None = None,
    events: list[TicketEvent] | None = None,
) -> list[str]:
    """Move a locked ticket to ``to``, set what follows from it, and write the event.

    The one place a ticket's status changes. Preconditions: inside a
    transaction, ``ticket`` locked (``select_for_update``). Returns the
    changed field names; the caller saves them (with any of its own).
    With ``events``, the event is appended there unsaved for the caller to
    save with others (routing's batches); only for changes the buyer is not
    told of in the thread or by mail. Raises TransitionNotAllowed for an edge
    the graph does not have.
    """
    current = Status(ticket.status)
    assert_can_transition(current, to)
    if events is not None and _tells_buyer(current, to):
        raise ValueError(f"{current} -> {to} tells the buyer; its event is written at once.")
    changed = {"status", "updated_at"}
    if current == Status.PENDING and ticket.pending_since is not None:
        calendar = queue_calendar(ticket)
        ticket.first_response_due_at = sla.resume_due(
            calendar,
            due=ticket.first_response_due_at,
            paused_at=ticket.pending_since,
            resumed_at=now,
        )
        ticket.resolution_due_at = sla.resume_due(
            calendar, due=ticket.resolution_due_at, paused_at=ticket.pending_since, resumed_at=now
        )
        ticket.pending_since = None
        ticket.reminded_at = None
        changed |= {"first_response_due_at", "resolution_due_at", "pending_since", "reminded_at"}
    if current == Status.SOLVED:
        ticket.solved_at = None
        changed.add("solved_at")
    if to == Status.QUEUED:
        ticket.assignee = None
        ticket.queued_at = now
        changed |= {"assignee", "queued_at"}
    elif to == Status.ASSIGNED:
        if assignee is not None:
            ticket.assignee = assignee
            ticket.assigned_at = now
            changed |= {"assignee", "assigned_at"}
        if ticket.assignee_id is None:
            raise InvalidTicket("An assigned ticket needs an agent.")
    elif to == Status.PENDING:
        ticket.pending_since = now
        ticket.reminded_at = None
        changed |= {"pending_since", "reminded_at"}
    elif to == Status.SOLVED:
        ticket.solved_at = now
        changed.add("solved_at")
    elif to == Status.CLOSED:
        ticket.closed_at = now
        changed.add("closed_at")
    ticket.status = to
    ticket.updated_at = now
    event = event_build(
        ticket=ticket,
        kind=EventKind.STATUS,
        now=now,
        actor=actor,
        from_value=current,
        to_value=to,
        reason=reason,
    )
    if events is not None:
        events.append(event)
        return sorted(changed)
    event.save(force_insert=True)
    events_emit([event], now=now)
    _tell_buyer_about_status(
        ticket=ticket, current=current, to=to, event=event, actor=actor, now=now
    )
    return sorted(changed)


def _tells_buyer(current: Status, to: Status) -> bool:
    """Whether a change writes to the buyer (``_tell_buyer_about_status``)."""
    return to in (Status.SOLVED, Status.CLOSED) or (
        current == Status.SOLVED and to in (Status.ASSIGNED, Status.QUEUED)
    )


def _tell_buyer_about_status(
    *,
    ticket: Ticket,
    current: Status,
    to: Status,
    event: TicketEvent,
    actor: User | None,
    now: datetime,
) -> None:
    """Write the thread's system message for a status change, and the solved mail."""
    if to == Status.SOLVED:
        system_message_write(
            ticket=ticket, now=now, text=lambda: _("This request is marked solved.")
        )
        if actor is None or actor.pk != ticket.buyer_id:
            notification_queue(
                ticket=ticket,
                event=event,
                kind=NotificationKind.TICKET_SOLVED,
                recipient=ticket.buyer,
                now=now,
            )
    elif to == Status.CLOSED:
        system_message_write(ticket=ticket, now=now, text=lambda: _("This request is closed."))
    elif current == Status.SOLVED and to in (Status.ASSIGNED, Status.QUEUED):
        system_message_write(ticket=ticket, now=now, text=lambda: _("The request is open again."))


def queue_calendar(ticket: Ticket) -> Any:
    """Return the business-hours calendar of the ticket's queue (None: around the clock)."""
    queue = ticket.queue
    if queue is None or queue.hours is None:
        return None
    return queue.hours.calendar()


def lock_ticket(ticket_id: int) -> Ticket:
    """Return the ticket locked for this transaction; raise TicketNotFound."""
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("queue__hours", "topic")
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None:
        raise TicketNotFound("No such ticket.")
    return ticket


class TaskSend:
    """A task to send once the transaction commits; tests can read ``task`` and ``kwargs``."""

    def __init__(self, task: Any, kwargs: dict[str, Any]) -> None:
        self.task = task
        self.kwargs = kwargs
        # Django's robust on_commit names the failed callback by its __qualname__.
        self.__qualname__ = f"send {task.name}"

    def __call__(self) -> None:
        send_now(self.task, **self.kwargs)


def send_after_commit(task: Any, **kwargs: Any) -> None:
    """Send ``task`` once the transaction commits; a broker outage is logged, not raised.

    The database row is the truth: sweepers on beat find whatever a lost
    message should have done.
    """
    transaction.on_commit(TaskSend(task, kwargs), robust=True)


def send_now(task: Any, **kwargs: Any) -> bool:
    """Send ``task`` at once without retrying; return False if the broker refused it.

    Nobody waits for these tasks' results: not asking for one spares a
    subscription to the result store per message, which with Redis down
    would hold the request for seconds.
    """
    try:
        task.apply_async(kwargs=kwargs, retry=False, ignore_result=True)
    except Exception:
        logger.warning(
            "Could not send %s%r; the sweeper will retry.", task.name, kwargs, exc_info=True
        )
        return False
    return True


Callback = Callable[[], None]


def system_message_write(*, ticket: Ticket, now: datetime, text: Callable[[], str]) -> Message:
    """Add a system message to the thread, worded in the ticket's language.

    ``text`` is called with the ticket's language active, so its gettext
    calls translate for the buyer rather than for whoever acted.
    """
    message = system_message_build(ticket=ticket, now=now, text=text)
    message.save(force_insert=True)
    return message


def system_message_build(*, ticket: Ticket, now: datetime, text: Callable[[], str]) -> Message:
    """Return a system message worded in the ticket's language, not saved yet."""
    with translation.override(ticket.language):
        body = str(text())
    return Message(ticket=ticket, kind=MessageKind.SYSTEM, body=body, created_at=now)


def notification_queue(
    *,
    ticket: Ticket,
    event: TicketEvent,
    kind: NotificationKind,
    recipient: User,
    now: datetime,
    message: Message | None = None,
) -> Notification | None:
    """Owe one mail for a ticket's ``event``: write the outbox row now, send it after commit.

    ``event`` is one the caller has just written. At most one row per event,
    kind and recipient (a unique constraint), so a mail is never owed twice.
    People without an address get none.
    """
    notification = notification_build(
        ticket=ticket, event=event, kind=kind, recipient=recipient, now=now, message=message
    )
    if notification is not None:
        notifications_save([notification])
    return notification


def case_notification_queue(
    *,
    event: Any,
    kind: NotificationKind,
    recipient: User,
    now: datetime,
    data: dict[str, Any] | None = None,
) -> Notification | None:
    """Owe one mail for a step of a dispute or warranty claim (a ``DisputeEvent`` or ``ClaimEvent``).

    ``data`` keeps the case as it stood after the step, for the mail to tell.
    """
    link = "claim_event" if hasattr(event, "claim_id") else "dispute_event"
    return _owe(
        {link: event},
        kind=kind,
        recipient=recipient,
        defaults={"created_at": now, "data": data or {}},
    )


def _owe(
    link: dict[str, Any], *, kind: NotificationKind, recipient: User, defaults: dict[str, Any]
) -> Notification | None:
    if not recipient.email or not recipient.is_active:
        return None
    # Every caller owes mails for an event it has just written in this
    # transaction, so there is no row to look for first; the unique
    # constraint still refuses a second mail for the same event.
    notification = Notification(**link, kind=kind, recipient=recipient, **defaults)
    notifications_save([notification])
    return notification


def notification_build(
    *,
    ticket: Ticket,
    event: TicketEvent,
    kind: NotificationKind,
    recipient: User,
    now: datetime,
    message: Message | None = None,
) -> Notification | None:
    """Return the owed mail for a ticket's ``event``, not saved yet (None: nobody to mail)."""
    if not recipient.email or not recipient.is_active:
        return None
    return Notification(
        event=event, ticket=ticket, message=message, kind=kind, recipient=recipient, created_at=now
    )


def notifications_save(notifications: list[Notification]) -> None:
    """Write owed mails in one statement; each is sent once the transaction commits."""
    if len(notifications) == 1:
        notifications[0].save(force_insert=True)
    elif notifications:
        Notification.objects.bulk_create(notifications)
    for notification in notifications:
        send_after_commit(tasks.send_notification, notification_id=notification.pk)
