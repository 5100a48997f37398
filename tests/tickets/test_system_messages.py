"""System messages tell the buyer, in their language, what happens to their ticket."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.tickets.conftest import Desk, open_ticket
from tickets import selectors, services
from tickets.models import MessageKind, Presence
from tickets.status import Status

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def system_texts(ticket) -> list[str]:  # type: ignore[no-untyped-def]
    return list(ticket.messages.filter(kind=MessageKind.SYSTEM).values_list("body", flat=True))


def test_the_life_of_a_ticket_in_system_messages(desk: Desk) -> None:
    desk.agent.first_name, desk.agent.last_name = "Sam", "Taylor"
    desk.agent.save()
    ahead = open_ticket(desk, now=NOW, buyer=desk.other_buyer)
    services.ticket_route(ticket_id=ahead.pk, now=NOW)
    ticket = open_ticket(desk, now=NOW + timedelta(minutes=1))
    services.ticket_route(ticket_id=ticket.pk, now=NOW + timedelta(minutes=1))
    services.agent_set_presence(
        agent=desk.agent, presence=Presence.ONLINE, now=NOW + timedelta(seconds=90)
    )
    services.ticket_move_to_queue(
        ticket_id=ticket.pk,
        queue=desk.en_refund,
        actor=desk.agent,
        reason="This is about a refund.",
        now=NOW + timedelta(minutes=2),
    )
    services.ticket_set_status_by_agent(
        ticket_id=ticket.pk,
        agent=desk.agent,
        status=Status.SOLVED,
        now=NOW + timedelta(minutes=3),
    )
    services.ticket_reply_by_buyer(
        ticket_id=ticket.pk,
        buyer=desk.buyer,
        body="Still not here.",
        now=NOW + timedelta(minutes=4),
    )
    assert system_texts(ticket) == [
        f"We received your request {ticket.reference}.",
        "You are number 2 in the queue.",
        "Sam joined the conversation.",
        "Your request moved to Refund (English). Why: This is about a refund.",
        "Sam joined the conversation.",
        "This request is marked solved.",
        "The request is open again.",
    ]
    thread = selectors.ticket_thread(ticket=ticket, for_agent=False)
    assert "Taylor" not in " ".join(message.body for message in thread)


def test_system_messages_speak_the_ticket_language(desk: Desk) -> None:
    ticket = open_ticket(desk, now=NOW, language="ru")
    ticket.refresh_from_db()
    assert system_texts(ticket) == [f"Мы получили ваше обращение {ticket.reference}."]
