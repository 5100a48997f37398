"""Moving tickets between queues, changing priority, and the history over the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from faq import services as faq_services
from faq.search import faq_search_refresh
from tests.tickets.conftest import Desk, open_ticket
from tests.tickets.test_api import URL, error, key_client, routed, session_client
from tickets import services
from tickets.models import EventKind, Priority, Ticket, TicketEvent
from tickets.services.assistant import ticket_assistant_reply
from tickets.status import Status


def taken(desk: Desk) -> Ticket:
    ticket = routed(desk)
    services.ticket_take_next(agent=desk.agent, now=timezone.now())
    ticket.refresh_from_db()
    return ticket


def transfer(client: Any, ticket: Ticket, **body: Any) -> Any:
    return client.post(f"{URL}{ticket.pk}/transfer/", body, format="json")


def test_agent_moves_their_ticket_to_a_queue_they_do_not_work(desk: Desk) -> None:
    ticket = taken(desk)
    response = transfer(
        session_client(desk.agent),
        ticket,
        queue="ru-payment-refund",
        reason="The buyer writes in Russian.",
    )
    # Out of sam's queues now, but he is told where it went.
    assert response.status_code == 200, response.json()
    assert response.json()["queue"] == "ru-payment-refund"
    assert response.json()["status"] == Status.QUEUED
    ticket.refresh_from_db()
    assert ticket.assignee is None
    moved = TicketEvent.objects.get(ticket=ticket, kind=EventKind.QUEUE, actor=desk.agent)
    assert moved.reason == "The buyer writes in Russian."
    assert session_client(desk.agent).get(f"{URL}{ticket.pk}/").status_code == 404


def test_a_key_moves_a_ticket_as_itself_or_as_a_named_agent(desk: Desk) -> None:
    ticket = routed(desk)
    response = transfer(
        key_client("tickets:write"), ticket, queue="en-refund", reason="It is about a refund."
    )
    assert response.status_code == 200
    assert TicketEvent.objects.get(ticket=ticket, to_value="Refund (English)").actor is None

    refused = transfer(
        key_client("tickets:write"), ticket, queue="en-payment", reason="Back.", agent="sam"
    )
    assert refused.status_code == 403 and error(refused)["code"] == "missing_scope"
    named = transfer(
        key_client("tickets:write", "agents:write"),
        ticket,
        queue="en-payment",
        reason="Back.",
        agent="sam",
    )
    assert named.status_code == 200
    assert (
        TicketEvent.objects.get(ticket=ticket, to_value="Payment (English)", reason="Back.").actor
        == desk.agent
    )


def test_moving_needs_a_known_queue_and_a_reason(desk: Desk) -> None:
    ticket = routed(desk)
    client = session_client(desk.agent)
    unknown = transfer(client, ticket, queue="nowhere", reason="Why not.")
    assert unknown.status_code == 400 and error(unknown)["code"] == "unknown_queue"
    no_reason = transfer(client, ticket, queue="en-refund", reason="")
    assert no_reason.status_code == 400
    assert error(no_reason)["code"] == "validation_error"
    assert "reason" in error(no_reason)["details"]
    ticket.refresh_from_db()
    assert ticket.queue == desk.en_payment


def test_a_closed_ticket_does_not_move(desk: Desk) -> None:
    ticket = taken(desk)
    services.ticket_set_status_by_agent(
        ticket_id=ticket.pk, agent=desk.agent, status=Status.SOLVED, now=timezone.now()
    )
    response = transfer(session_client(desk.agent), ticket, queue="en-refund", reason="Refund.")
    assert response.status_code == 400
    assert error(response)["code"] == "invalid_ticket"


def test_buyers_do_not_move_tickets_and_agents_see_only_their_queues(desk: Desk) -> None:
    ticket = routed(desk)
    buyer = transfer(session_client(desk.buyer), ticket, queue="en-refund", reason="Please.")
    assert buyer.status_code == 403 and error(buyer)["code"] == "role_not_allowed"
    russian = routed(desk, topic=desk.refund)
    services.ticket_move_to_queue(
        ticket_id=russian.pk,
        queue=desk.ru_payment_refund,
        actor=None,
        now=timezone.now(),
        reason="Russian.",
    )
    hidden = transfer(session_client(desk.agent), russian, queue="en-refund", reason="Mine.")
    assert hidden.status_code == 404 and error(hidden)["code"] == "ticket_not_found"


def test_priority_changes_and_is_recorded(desk: Desk) -> None:
    ticket = routed(desk)
    response = session_client(desk.agent).post(
        f"{URL}{ticket.pk}/priority/",
        {"priority": "urgent", "reason": "Large amount."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["priority"] == "urgent"
    ticket.refresh_from_db()
    assert ticket.priority == Priority.URGENT
    event = TicketEvent.objects.get(ticket=ticket, kind=EventKind.PRIORITY)
    assert (event.actor, event.reason) == (desk.agent, "Large amount.")
    bad = session_client(desk.agent).post(
        f"{URL}{ticket.pk}/priority/", {"priority": "asap"}, format="json"
    )
    assert bad.status_code == 400 and "priority" in error(bad)["details"]


def test_the_history_lists_every_change_oldest_first(desk: Desk) -> None:
    ticket = taken(desk)
    services.ticket_set_priority(
        ticket_id=ticket.pk, priority=Priority.HIGH, actor=desk.agent, now=timezone.now()
    )
    response = session_client(desk.agent).get(f"{URL}{ticket.pk}/events/")
    assert response.status_code == 200, response.json()
    events = response.json()["results"]
    kinds = [event["kind"] for event in events]
    assert kinds[0] == "opened" and kinds[-1] == "priority"
    assert {"queue", "assignee", "status"} <= set(kinds)
    assignment = next(event for event in events if event["kind"] == "assignee")
    assert assignment["to_value"] == "sam" and assignment["actor"] == "sam"


@pytest.mark.parametrize(
    ("scopes", "status"), [(("tickets:read",), 403), (("tickets:read", "agents:read"), 200)]
)
def test_keys_read_the_history_with_agent_scope(
    desk: Desk, scopes: tuple[str, ...], status: int
) -> None:
    ticket = routed(desk)
    response = key_client(*scopes).get(f"{URL}{ticket.pk}/events/")
    assert response.status_code == status
    if status == 403:
        assert error(response)["code"] == "missing_scope"


def test_buyers_do_not_read_the_history(desk: Desk) -> None:
    ticket = routed(desk)
    response = session_client(desk.buyer).get(f"{URL}{ticket.pk}/events/")
    assert response.status_code == 403
    assert error(response)["code"] == "role_not_allowed"


# --- The assistant's answer solved it ------------------------------------------


def assisted(desk: Desk) -> tuple[Ticket, int]:
    """A queued ticket on which the assistant offered an answer; return it and the entry id."""
    entry = faq_services.faq_entry_upsert(
        topic=desk.refund,
        slug="refund-not-arrived",
        texts={"en": ("My refund has not arrived", "Refunds take up to 10 business days.")},
    )
    faq_search_refresh()
    now = timezone.now()
    ticket = open_ticket(desk, now=now, topic=desk.refund, subject="My refund has not arrived")
    services.ticket_route(ticket_id=ticket.pk, now=now)
    assert ticket_assistant_reply(ticket_id=ticket.pk, now=now) is not None
    return ticket, entry.pk


def test_the_ticket_lists_the_answers_the_assistant_offered(desk: Desk) -> None:
    ticket, entry_id = assisted(desk)
    messages = session_client(desk.buyer).get(f"{URL}{ticket.pk}/").json()["messages"]
    offered = next(message for message in messages if message["kind"] == "assistant")
    assert [answer["entry"] for answer in offered["answers"]] == [entry_id]
    assert all(message["answers"] == [] for message in messages if message is not offered)


def test_the_buyer_closes_the_ticket_with_an_offered_answer(desk: Desk) -> None:
    ticket, entry_id = assisted(desk)
    response = session_client(desk.buyer).post(
        f"{URL}{ticket.pk}/assistant-answer/", {"entry": entry_id}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == Status.CLOSED


def test_a_key_closes_it_for_the_buyer_but_only_with_an_offered_answer(desk: Desk) -> None:
    ticket, entry_id = assisted(desk)
    client = key_client("tickets:write")
    other = client.post(
        f"{URL}{ticket.pk}/assistant-answer/", {"entry": desk.payment_failed.pk}, format="json"
    )
    assert other.status_code == 404 and error(other)["code"] == "ticket_not_found"
    response = client.post(
        f"{URL}{ticket.pk}/assistant-answer/", {"entry": entry_id}, format="json"
    )
    assert response.json()["status"] == Status.CLOSED
    again = client.post(f"{URL}{ticket.pk}/assistant-answer/", {"entry": entry_id}, format="json")
    assert again.status_code == 400 and error(again)["code"] == "invalid_ticket"


def test_agents_and_other_buyers_do_not_close_it(desk: Desk) -> None:
    ticket, entry_id = assisted(desk)
    url = f"{URL}{ticket.pk}/assistant-answer/"
    agent = session_client(desk.agent).post(url, {"entry": entry_id}, format="json")
    assert agent.status_code == 403 and error(agent)["code"] == "role_not_allowed"
    other = session_client(desk.other_buyer).post(url, {"entry": entry_id}, format="json")
    assert other.status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Status.QUEUED
