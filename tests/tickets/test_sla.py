"""SLA arithmetic (pure) and the SLA watch on the database, with ``now`` passed in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import mail

from tests.factories import SupervisorFactory
from tests.tickets.conftest import Desk, moscow, open_ticket
from tickets import services, sla
from tickets.hours import Calendar
from tickets.models import EventKind, Notification, NotificationKind, Presence, Priority, Ticket
from tickets.notifications import notification_send
from tickets.services._common import TaskSend
from tickets.sla import SlaTargetFacts
from tickets.status import Status

MOSCOW = ZoneInfo("Europe/Moscow")
MOSCOW_HOURS = Calendar.build(
    time_zone="Europe/Moscow",
    weekly_hours={
        d: [["06:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    },
)
TARGETS = [
    SlaTargetFacts(None, Priority.NORMAL, 4 * 60, 48 * 60),
    SlaTargetFacts(7, Priority.NORMAL, 60, 8 * 60),
]


def test_the_topic_target_wins_over_the_catch_all() -> None:
    assert sla.target_for(TARGETS, topic_id=7, priority=Priority.NORMAL) == TARGETS[1]
    assert sla.target_for(TARGETS, topic_id=8, priority=Priority.NORMAL) == TARGETS[0]
    assert sla.target_for(TARGETS, topic_id=8, priority=Priority.HIGH) is None


def test_friday_2330_moscow_with_four_business_hours_is_due_saturday_0930() -> None:
    due = sla.due_times(
        MOSCOW_HOURS, start=datetime(2026, 11, 20, 23, 30, tzinfo=MOSCOW), target=TARGETS[0]
    )
    assert due.first_response_due_at == datetime(2026, 11, 21, 9, 30, tzinfo=MOSCOW)


def test_time_pending_does_not_count() -> None:
    due = datetime(2026, 11, 20, 16, 0, tzinfo=MOSCOW)
    paused = datetime(2026, 11, 20, 12, 0, tzinfo=MOSCOW)
    resumed = datetime(2026, 11, 20, 22, 0, tzinfo=MOSCOW)
    # 4 business hours were left when it paused: 2 tonight, 2 from 06:00 tomorrow.
    assert sla.resume_due(MOSCOW_HOURS, due=due, paused_at=paused, resumed_at=resumed) == datetime(
        2026, 11, 21, 8, 0, tzinfo=MOSCOW
    )


def test_a_due_time_already_passed_stays_passed() -> None:
    due = datetime(2026, 11, 20, 10, 0, tzinfo=MOSCOW)
    paused = datetime(2026, 11, 20, 12, 0, tzinfo=MOSCOW)
    assert (
        sla.resume_due(None, due=due, paused_at=paused, resumed_at=paused + timedelta(hours=5))
        == due
    )


def test_russian_queue_ticket_opened_friday_2330_is_due_at_the_right_moment(desk: Desk) -> None:
    services.sla_policy_upsert(name="Standard", targets=[(None, Priority.NORMAL, 4 * 60, 48 * 60)])
    opened = moscow(2026, 11, 20, 23, 30)
    ticket = open_ticket(desk, now=opened, language="ru", topic=desk.refund)
    services.ticket_route(ticket_id=ticket.pk, now=opened)
    ticket.refresh_from_db()
    assert ticket.queue == desk.ru_payment_refund
    assert ticket.first_response_due_at == moscow(2026, 11, 21, 9, 30)


def test_pending_time_moves_the_due_time_on(desk: Desk) -> None:
    opened = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=opened)
    ticket = open_ticket(desk, now=opened, topic=desk.refund)
    services.ticket_route(ticket_id=ticket.pk, now=opened)
    services.ticket_reply_by_agent(
        ticket_id=ticket.pk,
        agent=desk.agent,
        body="Which order?",
        now=opened + timedelta(hours=1),
        then_status=Status.PENDING,
    )
    services.ticket_reply_by_buyer(
        ticket_id=ticket.pk, buyer=desk.buyer, body="MP-1001", now=opened + timedelta(hours=11)
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.ASSIGNED
    assert ticket.resolution_due_at == opened + timedelta(hours=48 + 10)


def test_a_breach_escalates_exactly_once(desk: Desk, django_capture_on_commit_callbacks) -> None:
    supervisor = SupervisorFactory(email="boss@example.com")
    opened = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    ticket = open_ticket(desk, now=opened)
    services.ticket_route(ticket_id=ticket.pk, now=opened)
    before_due = opened + timedelta(hours=1, minutes=59)
    assert services.sla_sweep(now=before_due)["escalated"] == 0
    late = opened + timedelta(hours=2, minutes=1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.sla_sweep(now=late)["escalated"] == 1
        assert services.sla_sweep(now=late + timedelta(minutes=5))["escalated"] == 0
    ticket.refresh_from_db()
    assert ticket.priority == Priority.HIGH
    assert ticket.escalated_at == late
    assert ticket.events.filter(kind=EventKind.SLA_BREACHED).count() == 1
    owed = Notification.objects.get(ticket=ticket, kind=NotificationKind.SLA_BREACHED)
    assert owed.recipient == supervisor
    sends = [c for c in callbacks if isinstance(c, TaskSend)]
    assert [c.kwargs for c in sends] == [{"notification_id": owed.pk}]
    assert notification_send(notification_id=owed.pk, now=late) == "sent"
    assert notification_send(notification_id=owed.pk, now=late) == "not-owed"
    assert [m.to for m in mail.outbox] == [[supervisor.email]]
    assert ticket.reference in mail.outbox[0].subject


def test_solved_tickets_close_after_the_set_time(desk: Desk, settings) -> None:
    settings.DESK_SOLVED_CLOSE_AFTER_HOURS = 72
    opened = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    ticket = open_ticket(desk, now=opened)
    services.ticket_route(ticket_id=ticket.pk, now=opened)
    services.ticket_solve_by_buyer(ticket_id=ticket.pk, buyer=desk.buyer, now=opened)
    assert services.sla_sweep(now=opened + timedelta(hours=71))["closed_solved"] == 0
    assert services.sla_sweep(now=opened + timedelta(hours=73))["closed_solved"] == 1
    assert Ticket.objects.get(pk=ticket.pk).status == Status.CLOSED


def test_pending_tickets_remind_once_then_close(desk: Desk, settings) -> None:
    settings.DESK_PENDING_REMIND_AFTER_HOURS = 48
    settings.DESK_PENDING_CLOSE_AFTER_HOURS = 72
    opened = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=opened)
    ticket = open_ticket(desk, now=opened)
    services.ticket_route(ticket_id=ticket.pk, now=opened)
    services.ticket_set_status_by_agent(
        ticket_id=ticket.pk, agent=desk.agent, status=Status.PENDING, now=opened
    )
    first = services.sla_sweep(now=opened + timedelta(hours=49))
    again = services.sla_sweep(now=opened + timedelta(hours=50))
    assert (first["reminded"], again["reminded"]) == (1, 0)
    assert services.sla_sweep(now=opened + timedelta(hours=49 + 71))["closed_pending"] == 0
    assert services.sla_sweep(now=opened + timedelta(hours=49 + 73))["closed_pending"] == 1
    assert Ticket.objects.get(pk=ticket.pk).status == Status.CLOSED
