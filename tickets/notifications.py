"""Mail about tickets, sent from the outbox exactly once per event and recipient.

``tickets.services`` writes a ``Notification`` row in the same transaction
as the event it is about; ``notification_send`` claims the row with a
conditional update, renders the mail in the reader's language, sends it and
marks it sent. A failure hands the row back, and the task retries.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext as _

from tickets import tasks
from tickets.models import Notification, NotificationKind, NotificationState

# A claim older than this belongs to a worker that died while sending.
CLAIM_TIMEOUT = timedelta(minutes=10)
# The sweeper re-sends rows owed for longer than this.
RESEND_AFTER = timedelta(minutes=5)
# After this many attempts a row is given up and shown as failed in the admin.
MAX_ATTEMPTS = 12


def site_url(path: str) -> str:
    return f"{settings.DESK_BASE_URL.rstrip('/')}{path}"


def _language(notification: Notification) -> str:
    recipient = notification.recipient
    if notification.kind in (NotificationKind.TICKET_ASSIGNED, NotificationKind.SLA_BREACHED):
        return recipient.preferred_language or settings.LANGUAGE_CODE
    return notification.ticket.language


def notification_render(notification: Notification) -> EmailMultiAlternatives:
    """Build the mail for one outbox row, in its reader's language."""
    ticket = notification.ticket
    recipient = notification.recipient
    with translation.override(_language(notification)):
        values = {
            "name": recipient.display_name,
            "reference": ticket.reference,
            "subject": ticket.subject,
            "buyer_url": site_url(f"/help/requests/{ticket.pk}/"),
            "agent_url": site_url(f"/agent/tickets/{ticket.pk}/"),
        }
        kind = notification.kind
        if kind == NotificationKind.TICKET_RECEIVED:
            subject = _("We received your request %(reference)s") % values
            body = (
                _(
                    'Hello %(name)s,\n\nwe received your request "%(subject)s" (%(reference)s). '
                    "You can follow it here:\n%(buyer_url)s\n\nReply to this mail to add to it."
                )
                % values
            )
        elif kind == NotificationKind.AGENT_REPLIED:
            reply = notification.message.body if notification.message else ""
            subject = _("New reply on %(reference)s: %(subject)s") % values
            body = _("Hello %(name)s,\n\nour agent replied:\n\n%(reply)s\n\n%(buyer_url)s") % {
                **values,
                "reply": reply,
            }
        elif kind == NotificationKind.TICKET_SOLVED:
            subject = _("Your request %(reference)s is solved") % values
            body = (
                _(
                    'Hello %(name)s,\n\nwe marked "%(subject)s" as solved. How did we do? '
                    "Rate the help here:\n%(buyer_url)s#rate\n\nIf it is not solved, reply to this mail."
                )
                % values
            )
        elif kind == NotificationKind.PENDING_REMINDER:
            subject = _("We are waiting for your reply: %(reference)s") % values
            body = (
                _(
                    'Hello %(name)s,\n\nour agent asked you something about "%(subject)s" and is '
                    "waiting for your reply. If we do not hear from you, the request closes in a few "
                    "days.\n\n%(buyer_url)s"
                )
                % values
            )
        elif kind == NotificationKind.TICKET_ASSIGNED:
            subject = _("Assigned to you: %(reference)s %(subject)s") % values
            body = _('%(reference)s "%(subject)s" is now yours.\n\n%(agent_url)s') % values
        else:
            subject = _("SLA breached: %(reference)s %(subject)s") % values
            body = (
                _("Ticket %(reference)s breached its SLA and was escalated.\n\n%(agent_url)s")
                % values
            )
    return EmailMultiAlternatives(
        subject=subject.replace("\n", " ")[:200],
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )


def notification_send(*, notification_id: int, now: datetime) -> str:
    """Send one owed mail unless it was sent already; raise the mail error to be retried.

    Claims the row (pending, or claimed by a worker that died) with a
    conditional update, so two deliveries of the same task never both send.
    """
    claimable = Q(state=NotificationState.PENDING) | Q(
        state=NotificationState.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    )
    claimed = Notification.objects.filter(claimable, pk=notification_id).update(
        state=NotificationState.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return "not-owed"
    notification = Notification.objects.select_related("ticket", "recipient", "message").get(
        pk=notification_id
    )
    try:
        notification_render(notification).send()
    except Exception as error:
        state = (
            NotificationState.FAILED
            if notification.attempts >= MAX_ATTEMPTS
            else NotificationState.PENDING
        )
        Notification.objects.filter(pk=notification_id).update(
            state=state, claimed_at=None, last_error=f"{type(error).__name__}: {error}"[:300]
        )
        raise
    Notification.objects.filter(pk=notification_id).update(
        state=NotificationState.SENT, sent_at=now, last_error=""
    )
    return "sent"


def notifications_sweep(*, now: datetime, batch: int = 200) -> int:
    """Send again what is still owed a while after it was written; return how many were sent."""
    owed = Notification.objects.filter(
        Q(state=NotificationState.PENDING, created_at__lt=now - RESEND_AFTER)
        | Q(state=NotificationState.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
    ).values_list("id", flat=True)[:batch]
    from tickets.services._common import send_now

    return sum(
        1
        for notification_id in owed
        if send_now(tasks.send_notification, notification_id=notification_id)
    )
