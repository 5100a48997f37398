"""The tickets API's actions: replies and notes, status changes, take-next, assignment, queues."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from tests.factories import BuyerFactory
from tests.tickets.conftest import Desk
from tests.tickets.test_api import URL, error, key_client, routed, session_client
from tickets import services
from tickets.models import Message, Presence, Ticket
from tickets.status import Status


def messages_url(ticket: Ticket) -> str:
    return f"{URL}{ticket.pk}/messages/"


def status_url(ticket: Ticket) -> str:
    return f"{URL}{ticket.pk}/status/"


def taken(desk: Desk) -> Ticket:
    """A ticket with sam."""
    ticket = routed(desk)
    services.ticket_take_next(agent=desk.agent, now=timezone.now())
    ticket.refresh_from_db()
    assert ticket.assignee == desk.agent
    return ticket


# --- Messages ----------------------------------------------------------------


def test_buyer_replies_on_their_own_ticket_and_a_pending_one_reopens(desk: Desk) -> None:
    ticket = taken(desk)
    services.ticket_set_status_by_agent(
        ticket_id=ticket.pk, agent=desk.agent, status=Status.PENDING, now=timezone.now()
    )
    response = session_client(desk.buyer).post(
        messages_url(ticket), {"body": "Here is the receipt."}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == "buyer" and response.json()["author"] == "anna"
    ticket.refresh_from_db()
    assert ticket.status == Status.ASSIGNED


def test_buyer_cannot_reply_on_another_buyers_ticket(desk: Desk) -> None:
    theirs = routed(desk, buyer=desk.other_buyer)
    response = session_client(desk.buyer).post(
        messages_url(theirs), {"body": "Hello"}, format="json"
    )
    assert response.status_code == 404
    assert error(response)["code"] == "ticket_not_found"
    assert not Message.objects.filter(body="Hello").exists()


def test_buyer_cannot_write_an_internal_note(desk: Desk) -> None:
    ticket = routed(desk)
    client = session_client(desk.buyer)
    response = client.post(messages_url(ticket), {"body": "x", "internal": True}, format="json")
    assert response.status_code == 403
    assert error(response)["code"] == "role_not_allowed"
    named = client.post(messages_url(ticket), {"body": "x", "agent": "sam"}, format="json")
    assert error(named)["code"] == "invalid_ticket"
    assert set(error(named)["details"]) == {"agent"}
    assert ticket.messages.exclude(kind="system").count() == 1


def test_key_replies_for_the_buyer_without_an_agent(desk: Desk) -> None:
    ticket = routed(desk)
    client = key_client("tickets:write")
    response = client.post(messages_url(ticket), {"body": "Any news?"}, format="json")
    assert response.status_code == 201
    assert ticket.messages.last().author == desk.buyer  # type: ignore[union-attr]
    note = client.post(messages_url(ticket), {"body": "x", "internal": True}, format="json")
    assert note.status_code == 400
    assert error(note)["code"] == "invalid_ticket"
    assert set(error(note)["details"]) == {"agent"}


def test_key_writes_a_note_as_an_agent_only_with_agents_write(desk: Desk) -> None:
    ticket = routed(desk)
    body = {"body": "Fraud team informed.", "internal": True, "agent": "sam"}
    refused = key_client("tickets:write").post(messages_url(ticket), body, format="json")
    assert refused.status_code == 403
    assert error(refused)["code"] == "missing_scope"
    assert "agents:write" in error(refused)["message"]
    client = key_client("tickets:write", "agents:write")
    response = client.post(messages_url(ticket), body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == "note" and response.json()["internal"] is True
    assert response.json()["author"] == "sam"
    unknown = client.post(messages_url(ticket), {**body, "agent": "anna"}, format="json")
    assert error(unknown)["code"] == "unknown_agent"
    # The buyer never sees it.
    thread = session_client(desk.buyer).get(f"{URL}{ticket.pk}/").json()["messages"]
    assert [m["kind"] for m in thread if m["kind"] != "system"] == ["buyer"]


def test_agent_replies_and_sets_pending_in_one_call(desk: Desk) -> None:
    ticket = taken(desk)
    response = session_client(desk.agent).post(
        messages_url(ticket),
        {"body": "Please send the receipt.", "then_status": "pending"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    ticket.refresh_from_db()
    assert ticket.status == Status.PENDING
    assert ticket.first_responded_at is not None


@pytest.mark.parametrize("body", [{"body": "   "}, {"body": "x" * 10001}, {}])
def test_empty_or_long_messages_are_refused_with_the_field(
    desk: Desk, body: dict[str, Any]
) -> None:
    ticket = routed(desk)
    response = session_client(desk.buyer).post(messages_url(ticket), body, format="json")
    assert response.status_code == 400
    assert error(response)["code"] == "invalid_ticket"
    assert set(error(response)["details"]) == {"body"}


def test_replies_on_a_closed_ticket_answer_409(desk: Desk) -> None:
    ticket = taken(desk)
    now = timezone.now()
    services.ticket_set_status_by_agent(
        ticket_id=ticket.pk, agent=desk.agent, status=Status.SOLVED, now=now
    )
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.CLOSED, closed_at=now)
    response = session_client(desk.buyer).post(messages_url(ticket), {"body": "Hi"}, format="json")
    assert response.status_code == 409
    assert error(response)["code"] == "ticket_closed"


# --- Status ------------------------------------------------------------------


def test_agent_sets_pending_then_solved_and_a_bad_move_is_409(desk: Desk) -> None:
    ticket = taken(desk)
    client = session_client(desk.agent)
    pending = client.post(status_url(ticket), {"status": "pending"}, format="json")
    assert pending.status_code == 200, pending.json()
    assert pending.json()["status"] == "pending"
    solved = client.post(status_url(ticket), {"status": "solved"}, format="json")
    assert solved.json()["status"] == "solved"
    back = client.post(status_url(ticket), {"status": "pending"}, format="json")
    assert back.status_code == 409
    assert error(back) == {
        "code": "transition_not_allowed",
        "message": "A ticket cannot go from 'solved' to 'pending'.",
        "details": {"from": "solved", "to": "pending"},
    }


def test_key_changes_status_as_an_agent(desk: Desk) -> None:
    ticket = taken(desk)
    body = {"status": "pending", "agent": "sam"}
    client = key_client("tickets:write", "agents:write")
    response = client.post(status_url(ticket), body, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "pending"
    assert response.json()["assignee"] == "sam"
    alone = key_client("tickets:write").post(status_url(ticket), body, format="json")
    assert error(alone)["code"] == "missing_scope"
    no_agent = client.post(status_url(ticket), {"status": "pending"}, format="json")
    assert error(no_agent)["code"] == "invalid_ticket"


def test_buyer_marks_their_ticket_solved_but_cannot_set_pending(desk: Desk) -> None:
    ticket = taken(desk)
    client = session_client(desk.buyer)
    refused = client.post(status_url(ticket), {"status": "pending"}, format="json")
    assert refused.status_code == 403
    assert error(refused)["code"] == "role_not_allowed"
    solved = client.post(status_url(ticket), {"status": "solved"}, format="json")
    assert solved.status_code == 200
    assert solved.json()["status"] == "solved"
    theirs = routed(desk, buyer=desk.other_buyer)
    assert client.post(status_url(theirs), {"status": "solved"}, format="json").status_code == 404


def test_status_refuses_statuses_people_do_not_choose(desk: Desk) -> None:
    ticket = taken(desk)
    response = session_client(desk.agent).post(
        status_url(ticket), {"status": "closed"}, format="json"
    )
    assert response.status_code == 400
    assert error(response)["code"] == "validation_error"
    assert "status" in error(response)["details"]


# --- Take next and assign ------------------------------------------------------


def test_agent_takes_the_next_ticket_then_nothing_waits(desk: Desk) -> None:
    ticket = routed(desk)
    client = session_client(desk.agent)
    response = client.post(f"{URL}take-next/")
    assert response.status_code == 200, response.json()
    assert response.json()["id"] == ticket.pk
    assert response.json()["assignee"] == "sam"
    empty = client.post(f"{URL}take-next/")
    assert empty.status_code == 204
    assert empty.content == b""


def test_key_takes_next_for_a_named_agent_within_capacity(desk: Desk) -> None:
    for _ in range(4):
        routed(desk)
    client = key_client("agents:write")
    for _ in range(3):  # sam's capacity
        response = client.post(f"{URL}take-next/", {"agent": "sam"}, format="json")
        assert response.status_code == 200
    full = client.post(f"{URL}take-next/", {"agent": "sam"}, format="json")
    assert full.status_code == 409
    assert error(full)["code"] == "agent_at_capacity"
    assert error(client.post(f"{URL}take-next/", {}, format="json"))["code"] == "invalid_ticket"
    assert Ticket.objects.filter(assignee=desk.agent).count() == 3


def test_take_next_is_for_agents_only(desk: Desk) -> None:
    buyer = session_client(desk.buyer).post(f"{URL}take-next/")
    assert buyer.status_code == 403
    assert error(buyer)["code"] == "role_not_allowed"
    key = key_client("tickets:write").post(f"{URL}take-next/", {"agent": "sam"}, format="json")
    assert error(key)["code"] == "missing_scope"


def test_assign_to_an_agent_of_the_queue(desk: Desk) -> None:
    ticket = routed(desk)
    client = key_client("agents:write")
    url = f"{URL}{ticket.pk}/assign/"
    response = client.post(url, {"agent": "sam", "assignee": "olga"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["assignee"] == "olga"
    assert response.json()["status"] == "assigned"
    refund = routed(desk, topic=desk.refund)
    outside = client.post(
        f"{URL}{refund.pk}/assign/", {"agent": "sam", "assignee": "olga"}, format="json"
    )
    assert outside.status_code == 409
    assert error(outside)["code"] == "agent_not_in_queue"
    unknown = client.post(url, {"agent": "sam", "assignee": "nobody"}, format="json")
    assert error(unknown)["code"] == "unknown_agent"
    assert set(error(unknown)["details"]) == {"assignee"}


def test_signed_in_agent_assigns_to_themselves_by_default(desk: Desk) -> None:
    ticket = routed(desk)
    response = session_client(desk.agent_ru).post(f"{URL}{ticket.pk}/assign/")
    assert response.status_code == 200
    assert response.json()["assignee"] == "olga"
    refund = routed(desk, topic=desk.refund)
    assert session_client(desk.agent_ru).post(f"{URL}{refund.pk}/assign/").status_code == 404


# --- Queues --------------------------------------------------------------------


def test_queues_list_live_counts(desk: Desk) -> None:
    first = routed(desk)
    routed(desk)
    routed(desk, topic=desk.refund)
    services.agent_set_presence(agent=desk.agent_ru, presence=Presence.AWAY, now=timezone.now())
    response = key_client("agents:read").get("/api/v1/queues/")
    assert response.status_code == 200, response.json()
    queues = {q["slug"]: q for q in response.json()["results"]}
    assert set(queues) == {
        "ru-payment-refund",
        "en-payment",
        "en-refund",
        "en-dispute",
        "en-warranty",
    }
    payment = queues["en-payment"]
    assert payment["waiting"] == 2
    assert payment["topics"] == ["payment"]
    assert payment["open_now"] is True
    assert payment["oldest_queued_at"].startswith(first.queued_at.isoformat()[:19])
    assert queues["en-refund"]["waiting"] == 1
    assert queues["en-dispute"]["waiting"] == 0
    assert queues["en-dispute"]["oldest_queued_at"] is None
    assert queues["ru-payment-refund"]["fallback"] == "en-payment"
    assert sorted(queues["ru-payment-refund"]["topics"]) == ["payment", "refund"]
    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=timezone.now())
    after = {
        q["slug"]: q for q in session_client(desk.agent).get("/api/v1/queues/").json()["results"]
    }
    assert after["en-payment"]["agents_online"] == 1
    assert after["en-payment"]["waiting"] == 0  # sam took both on going online
    assert after["en-refund"]["waiting"] == 0


def test_queues_are_for_agent_scope_only(desk: Desk) -> None:
    assert error(key_client("tickets:read").get("/api/v1/queues/"))["code"] == "missing_scope"
    buyer = session_client(BuyerFactory()).get("/api/v1/queues/")
    assert buyer.status_code == 403
    assert error(buyer)["code"] == "role_not_allowed"
