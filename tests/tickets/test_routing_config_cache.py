"""Routing keeps the desk's configuration between decisions, and sees every change to it."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.tickets.conftest import Desk, open_ticket
from tickets import services
from tickets.models import Holiday, Priority, SlaPolicy, SlaTarget, Ticket

pytestmark = pytest.mark.django_db

# Monday 2026-03-02, 10:00 UTC: the English queues are open.
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.UTC)


def routed(desk: Desk, **kwargs: object) -> Ticket:
    ticket = open_ticket(desk, now=NOW, **kwargs)  # type: ignore[arg-type]
    services.ticket_route(ticket_id=ticket.pk, now=NOW)
    ticket.refresh_from_db()
    return ticket


def test_a_second_decision_does_not_read_the_queues_again(desk: Desk) -> None:
    routed(desk)
    ticket = open_ticket(desk, now=NOW)
    with CaptureQueriesContext(connection) as queries:
        services.ticket_route(ticket_id=ticket.pk, now=NOW)
    read_queue_config = [
        q["sql"]
        for q in queries.captured_queries
        if '"tickets_queue_topics"' in q["sql"] or '"tickets_holiday"' in q["sql"]
    ]
    assert read_queue_config == []


def test_a_queue_leaving_a_topic_is_seen_by_the_next_decision(desk: Desk) -> None:
    assert routed(desk).queue == desk.en_payment
    desk.en_payment.topics.remove(desk.payment)
    desk.en_refund.topics.add(desk.payment)
    assert routed(desk).queue == desk.en_refund


def test_a_deactivated_queue_is_seen_by_the_next_decision(desk: Desk) -> None:
    assert routed(desk).queue == desk.en_payment
    desk.en_payment.is_active = False
    desk.en_payment.save()
    assert routed(desk).queue != desk.en_payment


def test_new_sla_targets_apply_to_the_next_ticket(desk: Desk) -> None:
    routed(desk)
    policy = SlaPolicy.objects.create(name="Fast lane")
    SlaTarget.objects.create(
        policy=policy,
        topic=desk.payment,
        priority=Priority.NORMAL,
        first_response_minutes=7,
        resolution_minutes=70,
    )
    desk.en_payment.sla_policy = policy
    desk.en_payment.save()
    ticket = routed(desk)
    assert ticket.first_response_due_at is not None
    assert (ticket.first_response_due_at - NOW).total_seconds() == 7 * 60


def test_a_new_holiday_is_seen_by_the_next_decision(desk: Desk) -> None:
    assert routed(desk, language="ru").queue == desk.ru_payment_refund
    hours = desk.ru_payment_refund.hours
    assert hours is not None
    Holiday.objects.create(hours=hours, date=NOW.date())
    # Closed all day now: the Russian ticket goes where someone answers today.
    assert routed(desk, language="ru").queue != desk.ru_payment_refund
