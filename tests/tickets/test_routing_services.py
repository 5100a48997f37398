"""Routing applied to the database: queues, agents, capacity, take-next, presence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.tickets.conftest import Desk, moscow, open_ticket
from tickets import services, tasks
from tickets.models import EventKind, Presence, Ticket
from tickets.status import Status

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def test_opening_saves_the_ticket_and_sends_routing_after_commit(
    desk: Desk, django_capture_on_commit_callbacks, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[dict] = []
    monkeypatch.setattr(tasks.route_ticket, "apply_async", lambda **kw: sent.append(kw["kwargs"]))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ticket = open_ticket(desk, now=NOW)
    assert ticket.status == Status.NEW
    assert ticket.reference == f"SD-{ticket.pk:06d}"
    assert sent == [{"ticket_id": ticket.pk}]
    assert len(callbacks) >= 1
    assert list(ticket.messages.values_list("kind", "body")) == [
        ("buyer", "It happened at checkout yesterday."),
        ("system", f"We received your request {ticket.reference}."),
    ]


def test_opening_succeeds_when_the_broker_refuses(
    desk: Desk, django_capture_on_commit_callbacks, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(**kwargs: object) -> None:
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.route_ticket, "apply_async", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(desk, now=NOW)
    assert Ticket.objects.get(pk=ticket.pk).status == Status.NEW


def test_route_queues_and_assigns_the_least_loaded_online_agent(desk: Desk) -> None:
    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=NOW)
    ticket = open_ticket(desk, now=NOW)
    assert services.ticket_route(ticket_id=ticket.pk, now=NOW) == "assigned"
    ticket.refresh_from_db()
    assert ticket.status == Status.ASSIGNED
    assert ticket.queue == desk.en_payment
    assert ticket.assignee == desk.agent
    assert ticket.first_response_due_at == NOW + timedelta(hours=2)
    kinds = list(ticket.events.values_list("kind", "to_value"))
    assert kinds == [
        (EventKind.OPENED, "web"),
        (EventKind.STATUS, "queued"),
        (EventKind.QUEUE, "Payment (English)"),
        (EventKind.STATUS, "assigned"),
        (EventKind.ASSIGNEE, "sam"),
    ]


def test_route_twice_routes_once(desk: Desk) -> None:
    ticket = open_ticket(desk, now=NOW)
    assert services.ticket_route(ticket_id=ticket.pk, now=NOW) == "queued"
    assert services.ticket_route(ticket_id=ticket.pk, now=NOW) == "already-routed"
    assert ticket.events.filter(kind=EventKind.QUEUE).count() == 1


def test_russian_ticket_before_six_moscow_falls_back_to_english(desk: Desk) -> None:
    early = moscow(2026, 11, 20, 5, 59)
    ticket = open_ticket(desk, now=early, language="ru", topic=desk.refund)
    services.ticket_route(ticket_id=ticket.pk, now=early)
    ticket.refresh_from_db()
    assert ticket.queue == desk.en_refund
    assert "fallback" in ticket.routing_reason
    assert "06:00" in ticket.routing_reason


def test_russian_ticket_at_six_moscow_goes_to_the_russian_queue(desk: Desk) -> None:
    six = moscow(2026, 11, 20, 6, 0)
    ticket = open_ticket(desk, now=six, language="ru")
    services.ticket_route(ticket_id=ticket.pk, now=six)
    ticket.refresh_from_db()
    assert ticket.queue == desk.ru_payment_refund


def test_waiting_tickets_go_to_an_agent_who_comes_online_up_to_capacity(desk: Desk) -> None:
    tickets = [open_ticket(desk, now=NOW + timedelta(minutes=i)) for i in range(5)]
    for ticket in tickets:
        services.ticket_route(ticket_id=ticket.pk, now=NOW + timedelta(minutes=10))
    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=NOW)
    mine = Ticket.objects.filter(assignee=desk.agent, status=Status.ASSIGNED)
    assert set(mine.values_list("pk", flat=True)) == {t.pk for t in tickets[:3]}
    assert Ticket.objects.filter(status=Status.QUEUED).count() == 2


def test_take_next_gives_the_highest_priority_then_oldest(desk: Desk) -> None:
    first = open_ticket(desk, now=NOW)
    second = open_ticket(desk, now=NOW + timedelta(minutes=1))
    for ticket in (first, second):
        services.ticket_route(ticket_id=ticket.pk, now=NOW + timedelta(minutes=2))
    services.ticket_set_priority(ticket_id=second.pk, priority=3, actor=None, now=NOW)
    taken = services.ticket_take_next(agent=desk.agent, now=NOW)
    assert taken is not None and taken.pk == second.pk


def test_take_next_refuses_beyond_capacity(desk: Desk) -> None:
    for i in range(4):
        ticket = open_ticket(desk, now=NOW + timedelta(seconds=i))
        services.ticket_route(ticket_id=ticket.pk, now=NOW)
    for _ in range(3):
        assert services.ticket_take_next(agent=desk.agent, now=NOW) is not None
    with pytest.raises(services.AgentAtCapacity):
        services.ticket_take_next(agent=desk.agent, now=NOW)


def test_buyer_reply_reopens_a_pending_ticket_to_its_agent(desk: Desk) -> None:
    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=NOW)
    ticket = open_ticket(desk, now=NOW)
    services.ticket_route(ticket_id=ticket.pk, now=NOW)
    services.ticket_reply_by_agent(
        ticket_id=ticket.pk,
        agent=desk.agent,
        body="Which card?",
        now=NOW,
        then_status=Status.PENDING,
    )
    services.ticket_reply_by_buyer(ticket_id=ticket.pk, buyer=desk.buyer, body="Visa", now=NOW)
    ticket.refresh_from_db()
    assert ticket.status == Status.ASSIGNED
    assert ticket.assignee == desk.agent
    assert ticket.first_responded_at == NOW


def test_another_buyer_cannot_reply(desk: Desk) -> None:
    ticket = open_ticket(desk, now=NOW)
    with pytest.raises(services.TicketNotFound):
        services.ticket_reply_by_buyer(
            ticket_id=ticket.pk, buyer=desk.other_buyer, body="hi", now=NOW
        )
