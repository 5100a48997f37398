"""Mail about tickets, sent from the outbox exactly once per event and recipient.

``tickets.services`` writes a ``Notification`` row in the same transaction
as the event it is about; ``notification_send`` claims the row with a
conditional update, renders the mail in the reader's language, sends it and
marks it sent. A failure hands the row back, and the task retries.

Mails are rendered from ``templates/emails/<kind>.txt`` and ``.html``; rows
about a dispute or warranty claim are rendered by ``disputes.mail``. A
buyer's mail has the same subject and a ``References`` header per ticket, so
mail clients thread them, and a Reply-To of a signed reply address, so a
reply comes back to the ticket (``tickets.inbound``).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tickets import tasks
from tickets.inbound.addresses import reply_address, reply_token
from tickets.models import Notification, NotificationKind, NotificationState, Ticket

# A claim older than this belongs to a worker that died while sending.
CLAIM_TIMEOUT = timedelta(minutes=10)
# The sweeper re-sends rows owed for longer than this.
RESEND_AFTER = timedelta(minutes=5)
# After this many attempts a row is given up and shown as failed in the admin.
MAX_ATTEMPTS = 12
# Mails to agents and supervisors; the rest go to the buyer and may be answered.
STAFF_KINDS = (NotificationKind.TICKET_ASSIGNED, NotificationKind.SLA_BREACHED)


def site_url(path: str) -> str:
    return f"{settings.DESK_BASE_URL.rstrip('/')}{path}"


def _mail_domain() -> str:
    return settings.DESK_REPLY_ADDRESS.rpartition("@")[2] or "support-desk.invalid"


def thread_id(ticket: Ticket) -> str:
    """Return the Message-ID every mail about ``ticket`` refers to, so clients thread them."""
    return f"<ticket-{ticket.pk}@{_mail_domain()}>"


def _language(notification: Notification, ticket: Ticket) -> str:
    recipient = notification.recipient
    if notification.kind in STAFF_KINDS:
        return recipient.preferred_language or settings.LANGUAGE_CODE
    return ticket.language


def mail_render(*, template: str, context: dict[str, Any], language: str) -> tuple[str, str]:
    """Render ``emails/<template>.txt`` and ``.html`` in ``language``; return (text, html)."""
    with translation.override(language):
        context = {"site_name": settings.DESK_SITE_NAME, "language": language, **context}
        rendered = render_to_string(f"emails/{template}.txt", context)
        markup = render_to_string(f"emails/{template}.html", context)
    # Trailing spaces go, except in "-- ", the line mail clients know a signature by.
    lines = [line if line == "-- " else line.rstrip() for line in rendered.strip().splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text) + "\n", markup


def _context(notification: Notification, ticket: Ticket) -> dict[str, Any]:
    recipient = notification.recipient
    buyer_url = site_url(reverse("requests:detail", args=[ticket.pk]))
    message = notification.message
    author = message.author if message is not None else None
    context: dict[str, Any] = {
        "kind": notification.kind,
        "name": recipient.display_name,
        "ticket": ticket,
        "reference": ticket.reference,
        "subject": ticket.subject,
        "status": ticket.get_status_display(),
        "queue": ticket.queue.name if ticket.queue is not None else "",
        "buyer_url": buyer_url,
        "rate_url": f"{buyer_url}#rate",
        "agent_url": site_url(reverse("agent:ticket", args=[ticket.pk])),
        "reply": message.body if message is not None else "",
        "agent_name": author.display_name if author is not None else "",
        "token": "",
    }
    if notification.kind not in STAFF_KINDS:
        context["token"] = reply_token(ticket=ticket, email=recipient.email)
    return context


def _subject(notification: Notification, ticket: Ticket) -> str:
    values = {"reference": ticket.reference, "subject": ticket.subject}
    if notification.kind == NotificationKind.TICKET_ASSIGNED:
        subject = _("Assigned to you: %(reference)s %(subject)s") % values
    elif notification.kind == NotificationKind.SLA_BREACHED:
        subject = _("SLA breached: %(reference)s %(subject)s") % values
    else:
        # One subject per ticket: mail clients (Gmail) thread only mails with the same subject.
        subject = f"[{ticket.reference}] {ticket.subject}"
    return " ".join(subject.split())[:200]


def notification_render(notification: Notification) -> EmailMultiAlternatives:
    """Build the mail for one outbox row (text and HTML), in its reader's language."""
    ticket = notification.ticket
    if ticket is None:
        from disputes.mail import case_mail

        return case_mail(notification, mail_domain=_mail_domain())
    recipient = notification.recipient
    language = _language(notification, ticket)
    with translation.override(language):
        subject = _subject(notification, ticket)
        context = _context(notification, ticket)
    text, markup = mail_render(template=notification.kind, context=context, language=language)
    root = thread_id(ticket)
    if notification.kind == NotificationKind.TICKET_RECEIVED:
        headers = {"Message-ID": root}
    else:
        headers = {
            "Message-ID": f"<ticket-{ticket.pk}.mail-{notification.pk}@{_mail_domain()}>",
            "In-Reply-To": root,
            "References": root,
        }
    # RFC 3834: out-of-office responders do not answer automatic mail.
    headers |= {"Auto-Submitted": "auto-generated", "Content-Language": language}
    reply_to = []
    if notification.kind not in STAFF_KINDS:
        reply_to = [reply_address(ticket_id=ticket.pk, email=recipient.email)]
    mail = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        reply_to=reply_to,
        headers=headers,
    )
    mail.attach_alternative(markup, "text/html")
    return mail


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
    notification = Notification.objects.select_related(
        "ticket__queue",
        "recipient",
        "message__author",
        "dispute_event__dispute__order",
        "claim_event__claim__item__order",
    ).get(pk=notification_id)
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
