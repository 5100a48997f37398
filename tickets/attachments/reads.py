"""Read attachments back, for those who may see them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from support_desk import security_log
from tickets.attachments.errors import AttachmentNotFound
from tickets.models import BUYER_VISIBLE_KINDS, Attachment, Ticket


def attachment_get_on_ticket(*, ticket: Ticket, attachment_id: int, internal: bool) -> Attachment:
    """Return an attachment of ``ticket``; files of internal notes only with ``internal``.

    The caller has already checked the viewer may see the ticket. Raises
    AttachmentNotFound.
    """
    attachments = Attachment.objects.filter(ticket=ticket, pk=attachment_id)
    if not internal:
        attachments = attachments.filter(message__kind__in=BUYER_VISIBLE_KINDS)
    attachment = attachments.first()
    if attachment is None:
        security_log.log_if_someone_elses(
            Attachment.objects.filter(pk=attachment_id), what="attachment"
        )
        raise AttachmentNotFound(_("No such file."))
    return attachment
