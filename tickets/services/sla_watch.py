"""The SLA watch on beat: escalate breaches, remind pending buyers, close what waited."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import Role, User
from tickets import sla
from tickets.models import EventKind, NotificationKind, Priority, Queue, Ticket
from tickets.services._common import (
    event_write,
    lock_ticket,
    notification_queue,
    status_write,
)
from tickets.services.assignment import assign_free_agent
from tickets.status import Status


def _breached(now: datetime) -> Q:
    return Q(escalated_at__isnull=True, status__in=[Status.QUEUED, Status.ASSIGNED]) & (
        Q(first_responded_at__isnull=True, first_response_due_at__lt=now)
        | Q(resolution_due_at__lt=now)
    )


def ticket_escalate(*, ticket_id: int, now: datetime) -> bool:
    """Escalate a ticket that breached its SLA, once: priority up, event, supervisors told.

    A ticket waiting in a queue with an escalation queue moves there. Returns
    False when the ticket was already escalated or no longer breaches.
    """
    with transaction.atomic():
        ticket = lock_ticket(ticket_id)
        if not Ticket.objects.filter(_breached(now), pk=ticket.pk).exists():
            return False
        which = (
            _("first response")
            if ticket.first_responded_at is None
            and ticket.first_response_due_at is not None
            and ticket.first_response_due_at < now
            else _("resolution")
        )
        due = (
            ticket.first_response_due_at
            if which == _("first response")
            else ticket.resolution_due_at
        )
        reason = _("The %(which)s target passed at %(due)s UTC.") % {
            "which": which,
            "due": f"{due:%Y-%m-%d %H:%M}" if due else "?",
        }
        breach = event_write(
            ticket=ticket, kind=EventKind.SLA_BREACHED, now=now, to_value=which, reason=reason
        )
        ticket.escalated_at = now
        ticket.updated_at = now
        fields = ["escalated_at", "updated_at"]
        raised = sla.raised_priority(ticket.priority, highest=max(Priority.values))
        if raised != ticket.priority:
            event_write(
                ticket=ticket,
                kind=EventKind.PRIORITY,
                now=now,
                from_value=Priority(ticket.priority).label,
                to_value=Priority(raised).label,
                reason=reason,
            )
            ticket.priority = raised
            fields.append("priority")
        target_queue = ticket.queue.escalation_queue if ticket.queue else None
        if ticket.status == Status.QUEUED and target_queue is not None and target_queue.is_active:
            event_write(
                ticket=ticket,
                kind=EventKind.QUEUE,
                now=now,
                from_value=ticket.queue,
                to_value=target_queue.name,
                reason=reason,
            )
            ticket.queue = Queue.objects.select_related("hours").get(pk=target_queue.pk)
            fields.append("queue")
        ticket.save(update_fields=fields)
        if ticket.status == Status.QUEUED:
            assign_free_agent(ticket=ticket, now=now)
        for supervisor in User.objects.filter(role=Role.SUPERVISOR, is_active=True):
            notification_queue(
                ticket=ticket,
                event=breach,
                kind=NotificationKind.SLA_BREACHED,
                recipient=supervisor,
                now=now,
            )
    return True


def _close(ticket_id: int, *, now: datetime, expect: Status, reason: str) -> bool:
    with transaction.atomic():
        ticket = lock_ticket(ticket_id)
        if ticket.status != expect:
            return False
        ticket.save(
            update_fields=status_write(ticket=ticket, to=Status.CLOSED, now=now, reason=reason)
        )
    return True


def ticket_remind_pending(*, ticket_id: int, now: datetime) -> bool:
    """Remind the buyer once that the agent waits for them; False if already reminded."""
    with transaction.atomic():
        claimed = Ticket.objects.filter(
            pk=ticket_id, status=Status.PENDING, reminded_at__isnull=True
        ).update(reminded_at=now, updated_at=now)
        if not claimed:
            return False
        ticket = Ticket.objects.get(pk=ticket_id)
        reminded = event_write(
            ticket=ticket,
            kind=EventKind.REMINDED,
            now=now,
            reason=_("No reply from the buyer yet."),
        )
        notification_queue(
            ticket=ticket,
            event=reminded,
            kind=NotificationKind.PENDING_REMINDER,
            recipient=ticket.buyer,
            now=now,
        )
    return True


def sla_sweep(*, now: datetime, batch: int = 500) -> dict[str, int]:
    """Run the SLA watch once; return how many tickets each step changed."""
    solved_close = timedelta(hours=settings.DESK_SOLVED_CLOSE_AFTER_HOURS)
    remind_after = timedelta(hours=settings.DESK_PENDING_REMIND_AFTER_HOURS)
    pending_close = timedelta(hours=settings.DESK_PENDING_CLOSE_AFTER_HOURS)
    counts = {"escalated": 0, "closed_solved": 0, "reminded": 0, "closed_pending": 0}
    for ticket_id in Ticket.objects.filter(_breached(now)).values_list("id", flat=True)[:batch]:
        counts["escalated"] += ticket_escalate(ticket_id=ticket_id, now=now)
    solved = Ticket.objects.filter(status=Status.SOLVED, solved_at__lt=now - solved_close)
    for ticket_id in solved.values_list("id", flat=True)[:batch]:
        counts["closed_solved"] += _close(
            ticket_id, now=now, expect=Status.SOLVED, reason=_("Solved and quiet for a while.")
        )
    quiet = Ticket.objects.filter(
        status=Status.PENDING, reminded_at__isnull=True, pending_since__lt=now - remind_after
    )
    for ticket_id in quiet.values_list("id", flat=True)[:batch]:
        counts["reminded"] += ticket_remind_pending(ticket_id=ticket_id, now=now)
    unanswered = Ticket.objects.filter(status=Status.PENDING, reminded_at__lt=now - pending_close)
    for ticket_id in unanswered.values_list("id", flat=True)[:batch]:
        counts["closed_pending"] += _close(
            ticket_id,
            now=now,
            expect=Status.PENDING,
            reason=_("The buyer did not answer the reminder."),
        )
    return counts
