"""The assistant's first reply on a new ticket, and the buyer accepting it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from faq import selectors as faq_selectors
from faq import services as faq_services
from faq.models import FaqEntry, FaqEventKind
from tickets.models import Message, MessageKind
from tickets.services._common import (
    InvalidTicket,
    TicketNotFound,
    TicketOfACase,
    lock_ticket,
    status_write,
)
from tickets.status import Status

# The automatic reply is posted only this soon after the ticket was opened.
ASSISTANT_LATEST = timedelta(hours=1)
# Tickets a buyer can still close by accepting the assistant's answer.
_ACCEPTABLE = (Status.NEW, Status.QUEUED, Status.ASSIGNED, Status.PENDING)


def ticket_assistant_reply(*, ticket_id: int, now: datetime) -> Message | None:
    """Post the assistant's best matching answers as an automatic first reply, once.

    Says nothing when no answer matches well (the assistant's own confidence
    threshold) or when only the answer the buyer came from matches. Idempotent:
    a ticket gets at most one assistant message.
    """
    with transaction.atomic():
        ticket = lock_ticket(ticket_id)
        # Only while the buyer is still waiting for a person: a message that
        # arrives late (a worker was down) after an agent answered would be noise.
        if (
            ticket.status not in _ACCEPTABLE
            or ticket.first_responded_at is not None
            or now - ticket.created_at > ASSISTANT_LATEST
            or ticket.messages.filter(kind=MessageKind.ASSISTANT).exists()
        ):
            return None
        # The subject says the problem in a few words, as a search does; a long
        # description would dilute it.
        reply = faq_services.assistant_ask(
            question=ticket.subject,
            language=ticket.language,
            visitor=f"ticket-{ticket.pk}",
            now=now,
        )
        entry_ids = [hit.entry_id for hit in reply.hits if hit.entry_id != ticket.faq_entry_id]
        if not entry_ids:
            return None
        views = faq_selectors.entry_views_by_id(ids=entry_ids, language=ticket.language)
        answers = [
            {
                "entry": entry_id,
                "question": views[entry_id].question,
                "url": f"/help/{views[entry_id].topic_slug}/{views[entry_id].entry.slug}/",
            }
            for entry_id in entry_ids
            if entry_id in views
        ]
        if not answers:
            return None
        with translation.override(ticket.language):
            intro = _(
                "An automatic reply while you wait: these answers may solve your problem. "
                "If one does, tell us and we will close the request; if not, an agent will help."
            )
        return Message.objects.create(
            ticket=ticket,
            kind=MessageKind.ASSISTANT,
            body=intro,
            data={"answers": answers},
            created_at=now,
        )


def ticket_accept_assistant_answer(
    *, ticket_id: int, buyer: User, entry_id: int, visitor: str, now: datetime
) -> None:
    """Close the buyer's ticket as deflected: the assistant's answer ``entry_id`` solved it.

    The funnel counts a deflection for that answer. Raises TicketNotFound (not
    the buyer's, or no such offered answer), InvalidTicket (no longer open).
    """
    with transaction.atomic():
        ticket = lock_ticket(ticket_id)
        if ticket.buyer_id != buyer.pk:
            raise TicketNotFound("No such ticket.")
        offered = any(
            answer.get("entry") == entry_id
            for message in ticket.messages.filter(kind=MessageKind.ASSISTANT)
            for answer in message.data.get("answers", [])
        )
        entry = FaqEntry.objects.filter(pk=entry_id).first()
        if not offered or entry is None:
            raise TicketNotFound("The assistant did not offer that answer on this ticket.")
        if ticket.status not in _ACCEPTABLE or ticket.status == Status.NEW:
            raise InvalidTicket(_("This request can no longer be closed this way."))
        if ticket.escalates_an_open_case():
            raise TicketOfACase.for_buyer()
        reason = _("The assistant's answer solved it.")
        fields = status_write(ticket=ticket, to=Status.SOLVED, now=now, actor=buyer, reason=reason)
        ticket.save(update_fields=fields)
        fields = status_write(ticket=ticket, to=Status.CLOSED, now=now, actor=buyer, reason=reason)
        ticket.save(update_fields=fields)
        faq_services.faq_event_record(
            kind=FaqEventKind.DEFLECTED,
            entry=entry,
            language=ticket.language,
            visitor=visitor or f"ticket-{ticket.pk}",
            now=now,
            channel=ticket.channel,
        )
