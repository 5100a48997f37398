"""Messages of a ticket and the status changes people make by hand."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from tickets import tasks
from tickets.models import EventKind, Message, MessageKind, NotificationKind, Ticket
from tickets.services._common import (
    InvalidTicket,
    TicketClosed,
    TicketNotFound,
    TicketOfACase,
    event_write,
    lock_ticket,
    notification_queue,
    send_after_commit,
    status_write,
)
from tickets.status import AGENT_CHOOSABLE, Status, reopen_target

BODY_MAX = 10000


def _check_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise InvalidTicket(_("Write a message first."), details={"body": _("Empty message.")})
    if len(body) > BODY_MAX:
        raise InvalidTicket(
            _("At most %(n)d characters.") % {"n": BODY_MAX}, details={"body": _("Too long.")}
        )
    return body


def _lock_own(ticket_id: int, buyer: User) -> Ticket:
    ticket = lock_ticket(ticket_id)
    if ticket.buyer_id != buyer.pk:
        # Not theirs: the same answer as a ticket that does not exist.
        raise TicketNotFound("No such ticket.")
    return ticket


def ticket_reply_by_buyer(*, ticket_id: int, buyer: User, body: str, now: datetime) -> Message:
    """Add the buyer's message; a pending or solved ticket reopens.

    Raises TicketNotFound (not the buyer's), TicketClosed, InvalidTicket.
    """
    body = _check_body(body)
    with transaction.atomic():
        ticket = _lock_own(ticket_id, buyer)
        if not ticket.can_buyer_reply():
            raise TicketClosed(_("This ticket is closed; open a new one from the help centre."))
        message = Message.objects.create(
            ticket=ticket, kind=MessageKind.BUYER, author=buyer, body=body, created_at=now
        )
        ticket.updated_at = now
        fields = ["updated_at"]
        if ticket.status in (Status.PENDING, Status.SOLVED):
            target = reopen_target(has_assignee=ticket.assignee_id is not None)
            fields += status_write(
                ticket=ticket, to=target, now=now, actor=buyer, reason=_("The buyer replied.")
            )
        ticket.save(update_fields=sorted(set(fields)))
        if ticket.status == Status.QUEUED:
            send_after_commit(tasks.sweep)
    return message


def ticket_reply_by_agent(
    *,
    ticket_id: int,
    agent: User,
    body: str,
    now: datetime,
    internal: bool = False,
    then_status: Status | None = None,
) -> Message:
    """Add an agent's public reply or internal note, and optionally change the status.

    A public reply is the first response if none came before. Internal notes
    are never shown to the buyer. Raises TicketNotFound, TicketClosed,
    InvalidTicket, TransitionNotAllowed.
    """
    body = _check_body(body)
    if not agent.is_agent:
        raise TicketNotFound("No such ticket.")
    with transaction.atomic():
        ticket = lock_ticket(ticket_id)
        if ticket.status == Status.CLOSED and not internal:
            raise TicketClosed(_("This ticket is closed."))
        message = Message.objects.create(
            ticket=ticket,
            kind=MessageKind.NOTE if internal else MessageKind.AGENT,
            author=agent,
            body=body,
            created_at=now,
        )
        ticket.updated_at = now
        fields = ["updated_at"]
        if not internal:
            if ticket.first_responded_at is None:
                ticket.first_responded_at = now
                fields.append("first_responded_at")
            replied = event_write(
                ticket=ticket, kind=EventKind.REPLIED, now=now, actor=agent, to_value=message.pk
            )
            notification_queue(
                ticket=ticket,
                event=replied,
                kind=NotificationKind.AGENT_REPLIED,
                recipient=ticket.buyer,
                now=now,
                message=message,
            )
        if then_status is not None and then_status != ticket.status:
            fields += _agent_status(ticket, then_status, agent, now)
        ticket.save(update_fields=sorted(set(fields)))
    return message


def _agent_status(ticket: Ticket, to: Status, agent: User, now: datetime) -> list[str]:
    if to not in AGENT_CHOOSABLE:
        raise InvalidTicket(_("Choose pending or solved."))
    if to == Status.SOLVED and ticket.escalates_an_open_case():
        raise TicketOfACase.for_agent()
    freed = ticket.assignee_id if ticket.status == Status.ASSIGNED else None
    fields = status_write(
        ticket=ticket,
        to=to,
        now=now,
        actor=agent,
        reason=_("Set by %(agent)s.") % {"agent": agent.get_username()},
    )
    if freed is not None:
        send_after_commit(tasks.fill_agent, agent_id=freed)
    return fields


def ticket_set_status_by_agent(
    *, ticket_id: int, agent: User, status: Status | str, now: datetime
) -> Ticket:
    """Set a ticket pending (waiting on the buyer) or solved, by an agent."""
    if not agent.is_agent:
        raise TicketNotFound("No such ticket.")
    with transaction.atomic():
        ticket = lock_ticket(ticket_id)
        if ticket.status == status:
            return ticket
        fields = _agent_status(ticket, Status(status), agent, now)
        ticket.save(update_fields=fields)
    return ticket


def ticket_solve_by_buyer(
    *, ticket_id: int, buyer: User, now: datetime, reason: str = ""
) -> Ticket:
    """Mark the buyer's own ticket solved ("my problem is solved", or ``reason``).

    Raises TicketOfACase for the ticket of a dispute or warranty claim: the
    case's decision or its withdrawal ends it, else the case would wait for a
    decision no agent is asked for any more.
    """
    with transaction.atomic():
        ticket = _lock_own(ticket_id, buyer)
        if ticket.status != Status.SOLVED and ticket.escalates_an_open_case():
            raise TicketOfACase.for_buyer()
        return _solve_own(ticket, buyer=buyer, now=now, reason=reason)


def _solve_own(ticket: Ticket, *, buyer: User, now: datetime, reason: str) -> Ticket:
    """Mark the buyer's locked ticket solved as their own word."""
    if ticket.status == Status.SOLVED:
        return ticket
    if not ticket.can_buyer_mark_solved() or ticket.status == Status.NEW:
        raise TicketClosed(_("This ticket can no longer be marked solved."))
    freed = ticket.assignee_id if ticket.status == Status.ASSIGNED else None
    fields = status_write(
        ticket=ticket,
        to=Status.SOLVED,
        now=now,
        actor=buyer,
        reason=reason or _("The buyer said the problem is solved."),
    )
    ticket.save(update_fields=fields)
    if freed is not None:
        send_after_commit(tasks.fill_agent, agent_id=freed)
    return ticket


def ticket_withdraw_by_buyer(*, ticket_id: int, buyer: User, now: datetime, reason: str) -> Ticket:
    """End the buyer's ticket: what it was opened for (a case) was withdrawn.

    An open ticket is marked solved as the buyer's own word, so no mail tells
    them of it and its agent's slot frees. One routing has not queued yet is
    closed, so no agent ever receives it (routing leaves tickets that are no
    longer new alone). A solved or closed ticket stays as it is.
    """
    with transaction.atomic():
        ticket = _lock_own(ticket_id, buyer)
        if ticket.status == Status.NEW:
            fields = status_write(
                ticket=ticket, to=Status.CLOSED, now=now, actor=buyer, reason=reason
            )
            ticket.save(update_fields=fields)
            return ticket
        if not ticket.can_buyer_mark_solved():
            return ticket
        return _solve_own(ticket, buyer=buyer, now=now, reason=reason)
