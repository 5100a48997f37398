"""The assistant's first reply on a new ticket, and closing the ticket when it helps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from faq import event_buffer
from faq import services as faq_services
from faq import tasks as faq_tasks
from faq.models import FaqEvent, FaqEventKind
from faq.search import faq_search_refresh
from tests.tickets.conftest import Desk, open_ticket
from tickets import services
from tickets.models import MessageKind
from tickets.services.assistant import ticket_accept_assistant_answer, ticket_assistant_reply
from tickets.status import Status

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def refund_answer(desk: Desk) -> Any:
    entry = faq_services.faq_entry_upsert(
        topic=desk.refund,
        slug="refund-not-arrived",
        texts={
            "en": (
                "My refund has not arrived",
                "Refunds reach your card within 10 business days after the seller accepts the return.",
            )
        },
    )
    faq_search_refresh()
    return entry


def test_a_matching_ticket_gets_the_assistant_answers_first(desk: Desk, refund_answer: Any) -> None:
    ticket = open_ticket(desk, now=NOW, topic=desk.refund, subject="My refund has not arrived")
    message = ticket_assistant_reply(ticket_id=ticket.pk, now=NOW)
    assert message is not None and message.kind == MessageKind.ASSISTANT
    assert "automatic reply" in message.body
    assert message.data["answers"][0] == {
        "entry": refund_answer.pk,
        "question": "My refund has not arrived",
        "url": "/help/refund/refund-not-arrived/",
    }
    # Once per ticket, whatever the task deliveries.
    assert ticket_assistant_reply(ticket_id=ticket.pk, now=NOW) is None
    assert ticket.messages.filter(kind=MessageKind.ASSISTANT).count() == 1


def test_a_ticket_matching_nothing_gets_no_assistant_reply(desk: Desk, refund_answer: Any) -> None:
    ticket = open_ticket(desk, now=NOW, subject="Zebra quantum lighthouse")
    assert ticket_assistant_reply(ticket_id=ticket.pk, now=NOW) is None
    assert not ticket.messages.filter(kind=MessageKind.ASSISTANT).exists()


def test_accepting_the_answer_closes_the_ticket_as_deflected(
    desk: Desk,
    refund_answer: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # Embedded mode sends the funnel event through the broker; store it directly here.
    monkeypatch.setattr(
        faq_tasks.record_faq_event, "delay", lambda **kw: faq_tasks.record_faq_event.run(**kw)
    )
    ticket = open_ticket(desk, now=NOW, topic=desk.refund, subject="My refund has not arrived")
    services.ticket_route(ticket_id=ticket.pk, now=NOW)
    ticket_assistant_reply(ticket_id=ticket.pk, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_accept_assistant_answer(
            ticket_id=ticket.pk, buyer=desk.buyer, entry_id=refund_answer.pk, visitor="v1", now=NOW
        )
    if event_buffer.enabled():  # full mode: what beat's flush does every few seconds
        faq_services.faq_events_flush()
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    assert ticket.events.filter(reason="The assistant's answer solved it.").count() == 2
    deflections = FaqEvent.objects.filter(kind=FaqEventKind.DEFLECTED, entry=refund_answer)
    assert deflections.count() == 1


def test_only_the_buyer_and_only_an_offered_answer_can_close_it(
    desk: Desk, refund_answer: Any
) -> None:
    ticket = open_ticket(desk, now=NOW, topic=desk.refund, subject="My refund has not arrived")
    services.ticket_route(ticket_id=ticket.pk, now=NOW)
    ticket_assistant_reply(ticket_id=ticket.pk, now=NOW)
    with pytest.raises(services.TicketNotFound):
        ticket_accept_assistant_answer(
            ticket_id=ticket.pk,
            buyer=desk.other_buyer,
            entry_id=refund_answer.pk,
            visitor="v",
            now=NOW,
        )
    with pytest.raises(services.TicketNotFound):
        ticket_accept_assistant_answer(
            ticket_id=ticket.pk,
            buyer=desk.buyer,
            entry_id=desk.payment_failed.pk,
            visitor="v",
            now=NOW,
        )
    ticket.refresh_from_db()
    assert ticket.status == Status.QUEUED


def test_no_automatic_reply_once_an_agent_answered_or_long_after_opening(
    desk: Desk, refund_answer: Any
) -> None:
    answered = open_ticket(desk, now=NOW, topic=desk.refund, subject="My refund has not arrived")
    services.ticket_route(ticket_id=answered.pk, now=NOW)
    services.ticket_reply_by_agent(
        ticket_id=answered.pk, agent=desk.agent, body="Looking into it.", now=NOW
    )
    assert ticket_assistant_reply(ticket_id=answered.pk, now=NOW) is None
    late = open_ticket(desk, now=NOW, topic=desk.refund, subject="My refund has not arrived")
    assert ticket_assistant_reply(ticket_id=late.pk, now=NOW + timedelta(hours=2)) is None
