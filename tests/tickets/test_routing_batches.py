"""Routing a backlog in batches: the same decisions, history and mails as one by one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.tickets.conftest import Desk, open_ticket
from tickets import services, tasks
from tickets.models import (
    AgentProfile,
    EventKind,
    MessageKind,
    Notification,
    NotificationKind,
    Presence,
    Ticket,
)
from tickets.services.routing import ROUTE_BATCH
from tickets.status import Status

OPENED = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
NOW = OPENED + timedelta(minutes=1)


def _backlog(desk: Desk, n: int) -> list[Ticket]:
    """Open ``n`` payment tickets a second apart; none routed yet."""
    return [open_ticket(desk, now=OPENED + timedelta(seconds=i)) for i in range(n)]


def _history(ticket: Ticket) -> list[tuple[str, str, str]]:
    return list(ticket.events.order_by("id").values_list("kind", "from_value", "to_value"))


def test_a_batch_routes_the_waiting_tickets_in_the_order_they_were_opened(desk: Desk) -> None:
    AgentProfile.objects.filter(user=desk.agent).update(notify_on_assignment=True)
    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=OPENED)
    first, *rest = _backlog(desk, 5)
    outcome = services.ticket_route(ticket_id=rest[1].pk, now=NOW, batch=ROUTE_BATCH)
    assert outcome == "assigned"
    tickets = [Ticket.objects.get(pk=t.pk) for t in [first, *rest]]
    # Only sam is online (capacity 3): the three oldest go to him, the two newest wait.
    assert [t.status for t in tickets] == [Status.ASSIGNED] * 3 + [Status.QUEUED] * 2
    assert {t.assignee for t in tickets[:3]} == {desk.agent}
    assert all(t.queue == desk.en_payment and t.queued_at == NOW for t in tickets)
    waiting = [
        list(t.messages.filter(kind=MessageKind.SYSTEM).values_list("body", flat=True))[-1]
        for t in tickets[3:]
    ]
    assert waiting == ["You are number 1 in the queue.", "You are number 2 in the queue."]
    for ticket in tickets[:3]:
        assert _history(ticket) == [
            (EventKind.OPENED, "", "web"),
            (EventKind.STATUS, "new", "queued"),
            (EventKind.QUEUE, "", "Payment (English)"),
            (EventKind.STATUS, "queued", "assigned"),
            (EventKind.ASSIGNEE, "", "sam"),
        ]
        joined = f"{desk.agent.display_name} joined the conversation."
        assert ticket.messages.filter(kind=MessageKind.SYSTEM, body=joined).count() == 1
        assert ticket.first_response_due_at == ticket.created_at + timedelta(hours=2)
    mails = Notification.objects.filter(kind=NotificationKind.TICKET_ASSIGNED)
    assert sorted(mails.values_list("ticket_id", flat=True)) == sorted(t.pk for t in tickets[:3])
    assert all(
        m.event.kind == EventKind.ASSIGNEE and m.event.ticket_id == m.ticket_id for m in mails
    )


def test_the_messages_of_tickets_routed_in_a_batch_find_them_routed(desk: Desk) -> None:
    tickets = _backlog(desk, 3)
    assert services.ticket_route(ticket_id=tickets[0].pk, now=NOW, batch=ROUTE_BATCH) == "queued"
    for ticket in tickets:
        assert tasks.route_ticket(ticket_id=ticket.pk) == "already-routed"
        assert ticket.events.filter(kind=EventKind.QUEUE).count() == 1


def test_a_batch_spreads_tickets_over_agents_by_load(desk: Desk) -> None:
    for agent in (desk.agent, desk.agent_ru):
        services.agent_set_presence(agent=agent, presence=Presence.ONLINE, now=OPENED)
    tickets = _backlog(desk, 4)
    services.ticket_route(ticket_id=tickets[0].pk, now=NOW, batch=ROUTE_BATCH)
    assignees = [Ticket.objects.get(pk=t.pk).assignee for t in tickets]
    # Least loaded first, then longest idle: they alternate, two each.
    assert sorted(a.username for a in assignees) == ["olga", "olga", "sam", "sam"]
    assert assignees[0] != assignees[1]


def test_one_ticket_routes_alone_without_a_batch(desk: Desk) -> None:
    first, second = _backlog(desk, 2)
    assert services.ticket_route(ticket_id=second.pk, now=NOW) == "queued"
    assert Ticket.objects.get(pk=first.pk).status == Status.NEW


def test_a_batch_of_assignments_costs_the_same_statements_whatever_its_size(desk: Desk) -> None:
    services.agent_configure(
        agent=desk.agent, queues=[desk.en_payment], languages=["en"], capacity=50
    )
    AgentProfile.objects.filter(user=desk.agent).update(notify_on_assignment=True)
    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=OPENED)
    statements = []
    # The first routing also reads the configuration routing keeps afterwards.
    for n in (1, 2, 12):
        tickets = _backlog(desk, n)
        with CaptureQueriesContext(connection) as queries:
            services.ticket_route(ticket_id=tickets[0].pk, now=NOW, batch=ROUTE_BATCH)
        assert all(Ticket.objects.get(pk=t.pk).status == Status.ASSIGNED for t in tickets)
        statements.append([q["sql"] for q in queries.captured_queries])
    assert len(statements[1]) == len(statements[2])
    # One write per kind of row: events, tickets, agents, messages, mails.
    writes = [sql for sql in statements[2] if sql.startswith(("INSERT", "UPDATE"))]
    assert len(writes) == 5, writes


def test_a_batch_reads_every_place_in_line_at_once_and_each_is_the_ticket_s_own(
    desk: Desk,
) -> None:
    from tickets.selectors import queue_positions

    # Three already waiting, one of them urgent; then a batch of five queued together.
    earlier = _backlog(desk, 3)
    services.ticket_route(
        ticket_id=earlier[0].pk, now=OPENED + timedelta(seconds=10), batch=ROUTE_BATCH
    )
    Ticket.objects.filter(pk=earlier[2].pk).update(priority=4)
    batch = [open_ticket(desk, now=NOW + timedelta(seconds=i)) for i in range(5)]
    # Two of the batch opened at the same instant: their ids settle the tie.
    Ticket.objects.filter(pk=batch[4].pk).update(created_at=batch[3].created_at)

    with CaptureQueriesContext(connection) as batch_queries:
        services.ticket_route(
            ticket_id=batch[0].pk, now=NOW + timedelta(minutes=1), batch=ROUTE_BATCH
        )
    counts = [q["sql"] for q in batch_queries.captured_queries if "COUNT(" in q["sql"].upper()]

    waiting = [Ticket.objects.get(pk=t.pk) for t in [*earlier, *batch]]
    assert all(t.status == Status.QUEUED for t in waiting)
    # The line: priority, then time queued, then time opened, then id.
    line = sorted(waiting, key=lambda t: (-t.priority, t.queued_at, t.created_at, t.pk))
    one_by_one = {t.pk: place for place, t in enumerate(line, start=1)}
    assert queue_positions([t.pk for t in waiting]) == one_by_one
    assert sorted(one_by_one.values()) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert one_by_one[earlier[2].pk] == 1  # urgent goes first
    tied = sorted([batch[3], batch[4]], key=lambda t: t.pk)
    assert one_by_one[tied[0].pk] < one_by_one[tied[1].pk]
    # What each buyer was told is their own place, and the batch asked once.
    for ticket in batch:
        told = list(ticket.messages.filter(kind=MessageKind.SYSTEM).values_list("body", flat=True))
        assert told[-1] == f"You are number {one_by_one[ticket.pk]} in the queue."
    assert len(counts) == 1
