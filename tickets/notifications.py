"""Mail about tickets: one function per event, rendered in the reader's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from tickets.models import Ticket


def _site_url(path: str) -> str:
    return f"{settings.DESK_BASE_URL.rstrip('/')}{path}"


def sla_breach_send(*, ticket_id: int) -> int:
    """Tell every active supervisor with an email address that a ticket breached its SLA."""
    ticket = Ticket.objects.select_related("queue", "topic").filter(pk=ticket_id).first()
    if ticket is None:
        return 0
    sent = 0
    for supervisor in User.objects.filter(role=Role.SUPERVISOR, is_active=True).exclude(email=""):
        with translation.override(supervisor.preferred_language or settings.LANGUAGE_CODE):
            subject = _("SLA breached: %(reference)s %(subject)s") % {
                "reference": ticket.reference,
                "subject": ticket.subject[:80],
            }
            body = _(
                "Ticket %(reference)s in queue %(queue)s breached its SLA and was escalated.\n\n%(url)s"
            ) % {
                "reference": ticket.reference,
                "queue": ticket.queue or "-",
                "url": _site_url(f"/agent/tickets/{ticket.pk}/"),
            }
        sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [supervisor.email])
    return sent


def pending_reminder_send(*, ticket_id: int) -> int:
    """Remind the buyer that the agent is waiting for their reply."""
    ticket = Ticket.objects.select_related("buyer").filter(pk=ticket_id).first()
    if ticket is None or not ticket.buyer.email:
        return 0
    with translation.override(ticket.language):
        subject = _("We are waiting for your reply: %(reference)s") % {
            "reference": ticket.reference
        }
        body = _(
            'Hello %(name)s,\n\nour agent asked you something about "%(subject)s" and is waiting '
            "for your reply. If we do not hear from you, the ticket closes in a few days.\n\n%(url)s"
        ) % {
            "name": ticket.buyer.display_name,
            "subject": ticket.subject,
            "url": _site_url(f"/help/requests/{ticket.pk}/"),
        }
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [ticket.buyer.email])
