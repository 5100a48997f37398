"""The demo desk: queues, agents and tickets in every status, loaded once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from support_desk.demo import demo_load
from tickets import selectors
from tickets.models import (
    AgentProfile,
    BusinessHours,
    EventKind,
    Holiday,
    Message,
    MessageKind,
    Presence,
    Queue,
    SlaPolicy,
    SlaTarget,
    Ticket,
    TicketEvent,
)
from tickets.status import Status

pytestmark = pytest.mark.django_db


def snapshot() -> list[object]:
    return [
        list(model.objects.order_by("pk").values())
        for model in (
            BusinessHours,
            Holiday,
            SlaPolicy,
            SlaTarget,
            Queue,
            AgentProfile,
            Ticket,
            TicketEvent,
            Message,
        )
    ] + [sorted(Queue.topics.through.objects.values_list("queue_id", "topic_id"))]


def test_loading_twice_changes_nothing() -> None:
    demo_load(now=timezone.now())
    first = snapshot()
    demo_load(now=timezone.now() + timedelta(minutes=5))
    assert snapshot() == first
    assert Ticket.objects.count() >= 8


# Moments around the Russian queue's hours (06:00–24:00 Moscow = 03:00–21:00 UTC) and a holiday.
MOMENTS = [
    datetime(2026, 11, 20, 12, 0, tzinfo=UTC),  # Friday, Moscow open
    datetime(2026, 11, 21, 1, 30, tzinfo=UTC),  # 04:30 Moscow, closed
    datetime(2026, 11, 5, 10, 0, tzinfo=UTC),  # the day after Unity Day
    datetime(2027, 1, 1, 9, 0, tzinfo=UTC),  # New Year's Day: closed all day
    datetime(2026, 11, 23, 3, 32, tzinfo=UTC),  # 06:32 Moscow: open for half an hour
    datetime(2026, 11, 23, 3, 5, tzinfo=UTC),  # 06:05 Moscow: just opened
]


@pytest.mark.parametrize("now", MOMENTS, ids=lambda m: m.isoformat())
def test_every_status_is_present_whatever_the_hour(now: datetime) -> None:
    demo_load(now=now)

    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    # Nothing in the history happens after the moment the demo was loaded.
    assert not TicketEvent.objects.filter(created_at__gt=now).exists()
    assert not Message.objects.filter(created_at__gt=now).exists()
    assert not Ticket.objects.filter(updated_at__gt=now).exists()

    russian = Ticket.objects.filter(buyer__username="buyer2", language="ru")
    in_russian_queue = russian.filter(queue__slug="ru-payment-refund")
    assert in_russian_queue.count() == russian.count() == 3
    waiting = in_russian_queue.filter(status=Status.QUEUED).order_by("-priority", "queued_at")
    positions = [
        selectors.ticket_wait_estimate(ticket=ticket, now=now).position  # type: ignore[union-attr]
        for ticket in waiting
    ]
    assert positions == [1, 2]
    # The SLA watch has nothing to escalate when the desk starts, whatever the hour.
    assert not Ticket.objects.filter(
        status__in=[Status.QUEUED, Status.ASSIGNED],
        escalated_at__isnull=True,
        first_responded_at__isnull=True,
        first_response_due_at__lt=now,
    ).exists()


def test_buyer_sees_a_queue_position_and_agents_have_work() -> None:
    now = timezone.now()
    demo_load(now=now)
    buyer_tickets = selectors.ticket_list_for_buyer(
        buyer=Ticket.objects.filter(buyer__username="buyer").first().buyer  # type: ignore[union-attr]
    )
    queued = [t for t in buyer_tickets if t.status == Status.QUEUED]
    assert len(queued) == 1
    escalated = queued[0]
    assert escalated.queue.slug == "en-escalations"  # type: ignore[union-attr]
    assert escalated.escalated_at is not None
    assert escalated.events.filter(kind=EventKind.SLA_BREACHED).count() == 1
    assert selectors.ticket_wait_estimate(ticket=escalated, now=now).position == 1  # type: ignore[union-attr]

    assert Message.objects.filter(kind=MessageKind.NOTE).count() >= 2
    assert Message.objects.filter(kind=MessageKind.AGENT).count() >= 4
    mine = selectors.agent_ticket_list(agent=AgentProfile.objects.get(user__username="agent").user)
    assert {t.status for t in mine} == {Status.ASSIGNED, Status.PENDING}
    # No first response is overdue when the desk starts: the SLA watch has nothing to escalate.
    assert not Ticket.objects.filter(
        status__in=[Status.QUEUED, Status.ASSIGNED],
        escalated_at__isnull=True,
        first_responded_at__isnull=True,
        first_response_due_at__lt=now,
    ).exists()
    assert not Ticket.objects.filter(
        status__in=[Status.QUEUED, Status.ASSIGNED], resolution_due_at__lt=now
    ).exists()


def test_queues_and_agents_are_as_documented() -> None:
    demo_load(now=timezone.now())

    def topics(slug: str) -> set[str]:
        return set(Queue.objects.get(slug=slug).topics.values_list("slug", flat=True))

    for slug, topic in [
        ("en-payment", "payment"),
        ("en-refund", "refund"),
        ("en-dispute", "dispute"),
        ("en-warranty", "warranty"),
    ]:
        queue = Queue.objects.get(slug=slug)
        assert (queue.language, queue.hours, topics(slug)) == ("en", None, {topic})
    russian = Queue.objects.select_related("hours", "fallback").get(slug="ru-payment-refund")
    assert russian.language == "ru"
    assert topics("ru-payment-refund") == {"payment", "refund"}
    assert russian.fallback.slug == "en-payment"  # type: ignore[union-attr]
    assert russian.hours.time_zone == "Europe/Moscow"  # type: ignore[union-attr]
    assert russian.hours.weekly_hours["mon"] == [["06:00", "24:00"]]  # type: ignore[union-attr]
    assert russian.hours.holidays.count() >= 2  # type: ignore[union-attr]

    def profile(username: str) -> tuple[object, ...]:
        p = AgentProfile.objects.get(user__username=username)
        return (
            p.presence,
            p.capacity,
            sorted(p.languages),
            set(p.queues.values_list("slug", flat=True)),
        )

    english = {"en-payment", "en-refund", "en-dispute", "en-warranty"}
    assert profile("agent") == (Presence.ONLINE, 5, ["en"], english)
    assert profile("agent_ru") == (
        Presence.AWAY,
        4,
        ["en", "ru"],
        {"ru-payment-refund", "en-payment"},
    )
    assert profile("supervisor")[:1] == (Presence.OFFLINE,)
    assert profile("supervisor")[3] == set(Queue.objects.values_list("slug", flat=True))
    policy = SlaPolicy.objects.get(name="Standard")
    payment = policy.targets.get(topic__slug="payment", priority=2)
    catch_all = policy.targets.get(topic=None, priority=2)
    assert payment.first_response_minutes < catch_all.first_response_minutes
