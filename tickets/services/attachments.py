"""Files on messages: checked before anything is written, stored in the message's transaction.

The ``*_with_files`` services wrap the conversation and opening services:
every file is checked first (a bad one refuses the whole message, and
nothing is saved), then the message and its files are written in one
transaction. Files of an internal note are internal too: only agents
can download them (see :func:`tickets.attachments.attachment_get_on_ticket`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import User
from faq.models import FaqEntry, Topic
from tickets.attachments import CheckedFile, attachments_check
from tickets.models import Attachment, Message, MessageKind, Ticket
from tickets.services.conversation import ticket_reply_by_agent, ticket_reply_by_buyer
from tickets.services.opening import TicketRequest, ticket_open
from tickets.status import Status


def message_attach(
    *,
    message: Message,
    files: Sequence[CheckedFile],
    uploaded_by: User | None,
    now: datetime,
) -> list[Attachment]:
    """Store checked files on ``message`` under random names in the attachments storage.

    Call inside the transaction that wrote the message. A file written to
    storage whose transaction then rolls back stays on disk unreferenced; it
    is never served, as nothing points at it.
    """
    attachments: list[Attachment] = []
    for index, checked in enumerate(files):
        attachment = Attachment(
            ticket_id=message.ticket_id,
            message=message,
            name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=uploaded_by,
            # Files are listed by time, then id, and ids are random: a microsecond
            # apart, the files of one upload keep the order they were sent in.
            created_at=now + timedelta(microseconds=index),
        )
        # The storage path comes from Attachment.file's upload_to, never from the name.
        attachment.file.save(checked.name, ContentFile(checked.data), save=False)
        attachment.save()
        attachments.append(attachment)
    return attachments


def ticket_reply_by_buyer_with_files(
    *, ticket_id: int, buyer: User, body: str, files: Sequence[File], now: datetime
) -> Message:
    """Add the buyer's message with files (see ticket_reply_by_buyer).

    Raises InvalidAttachment before anything is written, and what
    ticket_reply_by_buyer raises.
    """
    checked = attachments_check(files=files)
    with transaction.atomic():
        message = ticket_reply_by_buyer(ticket_id=ticket_id, buyer=buyer, body=body, now=now)
        message_attach(message=message, files=checked, uploaded_by=buyer, now=now)
    return message


def ticket_reply_by_agent_with_files(
    *,
    ticket_id: int,
    agent: User,
    body: str,
    files: Sequence[File],
    now: datetime,
    internal: bool = False,
    then_status: Status | None = None,
) -> Message:
    """Add an agent's reply or internal note with files (see ticket_reply_by_agent).

    Raises InvalidAttachment before anything is written, and what
    ticket_reply_by_agent raises.
    """
    checked = attachments_check(files=files)
    with transaction.atomic():
        message = ticket_reply_by_agent(
            ticket_id=ticket_id,
            agent=agent,
            body=body,
            now=now,
            internal=internal,
            then_status=then_status,
        )
        message_attach(message=message, files=checked, uploaded_by=agent, now=now)
    return message


def ticket_open_with_files(
    *,
    buyer: User,
    topic: Topic,
    request: TicketRequest,
    files: Sequence[File],
    now: datetime,
    faq_entry: FaqEntry | None = None,
    visitor: str = "",
) -> Ticket:
    """Open a ticket (see ticket_open) with files on its first buyer message.

    Raises InvalidAttachment before anything is written, and what
    ticket_open raises.
    """
    checked = attachments_check(files=files)
    with transaction.atomic():
        ticket = ticket_open(
            buyer=buyer,
            topic=topic,
            request=request,
            now=now,
            faq_entry=faq_entry,
            visitor=visitor,
        )
        if checked:
            first = (
                Message.objects.filter(ticket=ticket, kind=MessageKind.BUYER)
                .order_by("created_at", "id")
                .first()
            )
            assert first is not None  # ticket_open writes the buyer's description as one
            message_attach(message=first, files=checked, uploaded_by=buyer, now=now)
    return ticket
