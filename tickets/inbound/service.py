"""Turn a received mail into a buyer message on the ticket it answers, once.

Every mail is recorded as an ``InboundMail`` row, unique per Message-ID: a
second delivery of the same mail fails the insert and changes nothing. The
ticket is found only through a signed reply address or token, and the
sender must be the ticket's buyer.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.urls import reverse

from support_desk.errors import DomainError
from tickets.attachments import (
    CheckedFile,
    InvalidAttachment,
    attachment_check,
    attachment_limits,
)
from tickets.inbound.addresses import (
    ReplyClaim,
    claim_from_address,
    claim_is_signed_for,
    claims_from_text,
)
from tickets.inbound.parsing import InboundMessage
from tickets.inbound.quotes import reply_strip
from tickets.models import InboundMail, Message, Ticket
from tickets.services.attachments import message_attach
from tickets.services.conversation import BODY_MAX, ticket_reply_by_buyer
from tickets.status import Status

logger = logging.getLogger("tickets.inbound")

_TOKEN = re.compile(r"\[#SD-\d+-[0-9a-f]{16}\]", re.IGNORECASE)


class Outcome(StrEnum):
    ADDED = "added"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"
    CLOSED = "closed"
    IGNORED = "ignored"


@dataclass(frozen=True)
class InboundResult:
    """What became of one mail: ``outcome`` and a stable ``code`` saying why."""

    outcome: Outcome
    code: str
    reason: str = ""
    ticket: Ticket | None = None
    message: Message | None = None


def inbound_mail_receive(*, mail: InboundMessage, now: datetime) -> InboundResult:
    """Record ``mail`` once and add the buyer's reply to the ticket it answers.

    Runs in one transaction: the ``InboundMail`` row (unique per Message-ID)
    and the buyer's message commit together, so a mail is never half taken.
    A Message-ID seen before returns outcome "duplicate" and changes nothing.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = InboundMail.objects.create(
                    mail_id=mail.mail_id,
                    sender=mail.sender[:300],
                    subject=mail.subject[:300],
                    outcome="received",
                    received_at=now,
                )
        except IntegrityError:
            earlier = InboundMail.objects.select_related("ticket").get(mail_id=mail.mail_id)
            return InboundResult(
                outcome=Outcome.DUPLICATE,
                code="duplicate",
                reason="This Message-ID was received before.",
                ticket=earlier.ticket,
            )
        result = _take(mail=mail, now=now)
        record.outcome = result.outcome
        record.reason = result.reason[:300]
        record.ticket = result.ticket
        record.added_message = result.message
        record.save(update_fields=["outcome", "reason", "ticket", "added_message"])
        if result.outcome == Outcome.CLOSED and result.ticket is not None:
            ticket = result.ticket
            transaction.on_commit(lambda: _tell_reply_not_added(ticket=ticket, to=mail.sender))
    level = logging.INFO if result.outcome == Outcome.ADDED else logging.WARNING
    logger.log(
        level,
        "Inbound mail %s from %s: %s (%s) %s",
        mail.mail_id,
        mail.sender,
        result.outcome,
        result.code,
        result.reason,
    )
    return result


def _rejected(code: str, reason: str, ticket: Ticket | None = None) -> InboundResult:
    return InboundResult(outcome=Outcome.REJECTED, code=code, reason=reason, ticket=ticket)


def _claims(mail: InboundMessage) -> list[ReplyClaim]:
    found = [claim_from_address(address) for address in mail.recipients]
    claims = [claim for claim in found if claim is not None] + claims_from_text(mail.text)
    return list(dict.fromkeys(claims))


def _ticket_for(claims: list[ReplyClaim]) -> Ticket | None:
    """Return the first claimed ticket whose claim the desk signed for that ticket's buyer."""
    tickets = Ticket.objects.select_related("buyer").in_bulk({c.ticket_id for c in claims})
    for claim in claims:
        ticket = tickets.get(claim.ticket_id)
        if ticket is not None and claim_is_signed_for(claim, email=ticket.buyer.email):
            return ticket
    return None


def _checked_files(mail: InboundMessage) -> tuple[list[CheckedFile], str]:
    """Check a mail's files as the pages do; keep the good ones, name the refused ones.

    A mail cannot show a form error, so one bad file does not cost the buyer
    their message or their other files; the refusals go into the mail's log.
    """
    kept: list[CheckedFile] = []
    refused: list[str] = []
    for index, file in enumerate(mail.files[: attachment_limits().max_files]):
        try:
            kept.append(
                attachment_check(
                    file=ContentFile(file.content, name=file.name or "file"), index=index
                )
            )
        except InvalidAttachment as error:
            refused.extend(problem.text for problem in error.problems)
    extra = mail.files[attachment_limits().max_files :]
    if extra:
        refused.append(f"{len(extra)} more files than a message may carry")
    return kept, (f" Attachments not added: {'; '.join(refused)}." if refused else "")


def _take(*, mail: InboundMessage, now: datetime) -> InboundResult:
    if mail.automatic:
        return InboundResult(
            outcome=Outcome.IGNORED,
            code="automatic_reply",
            reason="Sent automatically (auto-reply, bounce or list); not added.",
        )
    claims = _claims(mail)
    if not claims:
        return _rejected(
            "no_reply_address", "No signed reply address or token: not a reply to the desk's mail."
        )
    ticket = _ticket_for(claims)
    if ticket is None:
        return _rejected("forged_address", "The reply address or token is not one the desk signed.")
    buyer = ticket.buyer
    if not buyer.email or mail.sender.lower() != buyer.email.strip().lower():
        return _rejected(
            "stranger",
            f"Sent from {mail.sender}, which is not the address of {ticket.reference}'s buyer.",
            ticket,
        )
    if ticket.status == Status.CLOSED:
        return InboundResult(
            outcome=Outcome.CLOSED,
            code="ticket_closed",
            reason=f"{ticket.reference} is closed; the buyer was told to open a new request.",
            ticket=ticket,
        )
    body = _TOKEN.sub("", reply_strip(mail.text)).strip()
    kept, dropped = _checked_files(mail)
    if not body:
        return _rejected(
            "empty", f"Nothing written above the quoted mail.{dropped}".strip(), ticket
        )
    if len(body) > BODY_MAX:
        body = body[: BODY_MAX - 1] + "…"
    try:
        with transaction.atomic():
            message = ticket_reply_by_buyer(ticket_id=ticket.pk, buyer=buyer, body=body, now=now)
            message_attach(message=message, files=kept, uploaded_by=buyer, now=now)
    except DomainError as error:
        if error.code == "ticket_closed":
            return InboundResult(
                outcome=Outcome.CLOSED, code=error.code, reason=error.message, ticket=ticket
            )
        return _rejected(error.code, error.message, ticket)
    message.data = {**message.data, "via": "email"}
    message.save(update_fields=["data"])
    return InboundResult(
        outcome=Outcome.ADDED,
        code="added",
        reason=f"Added to {ticket.reference}.{dropped}",
        ticket=ticket,
        message=message,
    )


def _tell_reply_not_added(*, ticket: Ticket, to: str) -> None:
    """Tell the buyer their reply to a closed request was not added (best effort)."""
    from tickets.notifications import mail_render, site_url, thread_id

    text, markup = mail_render(
        template="reply_closed",
        context={
            "name": ticket.buyer.display_name,
            "reference": ticket.reference,
            "subject": ticket.subject,
            "help_url": site_url(reverse("help:home")),
        },
        language=ticket.language,
    )
    mail = EmailMultiAlternatives(
        subject=f"[{ticket.reference}] {ticket.subject}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            "Auto-Submitted": "auto-replied",
            "In-Reply-To": thread_id(ticket),
            "References": thread_id(ticket),
            "Content-Language": ticket.language,
        },
    )
    mail.attach_alternative(markup, "text/html")
    try:
        mail.send()
    except Exception:
        logger.warning("Could not tell %s that %s is closed.", to, ticket.reference, exc_info=True)
