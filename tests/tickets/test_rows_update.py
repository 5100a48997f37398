"""``support_desk.bulk.rows_update`` writes each row's own values, and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from support_desk.bulk import rows_update
from tests.tickets.conftest import Desk, open_ticket
from tickets.models import Ticket
from tickets.status import Status

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
FIELDS = [
    "queue",
    "routing_reason",
    "status",
    "assignee",
    "assigned_at",
    "queued_at",
    "priority",
    "details",
    "updated_at",
]


def snapshot(ticket: Ticket) -> dict[str, object]:
    return {
        "queue": ticket.queue_id,
        "routing_reason": ticket.routing_reason,
        "status": ticket.status,
        "assignee": ticket.assignee_id,
        "assigned_at": ticket.assigned_at,
        "queued_at": ticket.queued_at,
        "priority": ticket.priority,
        "details": ticket.details,
        "updated_at": ticket.updated_at,
        "subject": ticket.subject,
    }


@pytest.mark.django_db
def test_each_row_gets_its_own_values_and_other_rows_stay(desk: Desk) -> None:
    tickets = [open_ticket(desk, now=NOW, subject=f"Charged twice {n}") for n in range(4)]
    bystander = open_ticket(desk, now=NOW, subject="Not in the update")
    before = snapshot(Ticket.objects.get(pk=bystander.pk))

    first, second, third, fourth = tickets
    first.queue, first.status, first.queued_at = desk.en_payment, Status.QUEUED, NOW
    first.routing_reason = "topic 'payment' → 100% of \"en\"; 50 % off; %s %(x)s"
    second.queue, second.status = desk.en_refund, Status.ASSIGNED
    second.assignee, second.assigned_at = desk.agent, NOW + timedelta(seconds=1)
    second.details = {"amount": "59.90", "note": "ключ; DROP TABLE"}
    third.priority = 4
    fourth.routing_reason = ""  # unchanged values are written as they are
    for ticket in tickets:
        ticket.updated_at = NOW + timedelta(minutes=5)
    # An edit of a field not named is not written.
    fourth.subject = "Not written"

    assert rows_update(tickets, FIELDS) == 4

    for ticket in tickets:
        saved = snapshot(Ticket.objects.get(pk=ticket.pk))
        expected = snapshot(ticket) | {"subject": saved["subject"]}
        assert saved == expected
    assert Ticket.objects.get(pk=fourth.pk).subject == "Charged twice 3"
    assert snapshot(Ticket.objects.get(pk=bystander.pk)) == before


@pytest.mark.django_db
def test_a_value_set_back_to_nothing_is_written_as_null(desk: Desk) -> None:
    columns = ["status", "assignee", "assigned_at", "queue"]
    ticket = open_ticket(desk, now=NOW)
    ticket.status, ticket.assignee, ticket.assigned_at = Status.ASSIGNED, desk.agent, NOW
    ticket.queue = desk.en_payment
    rows_update([ticket], columns)
    assert Ticket.objects.get(pk=ticket.pk).assignee_id == desk.agent.pk
    ticket.status, ticket.assignee, ticket.assigned_at, ticket.queue = Status.NEW, None, None, None

    rows_update([ticket], columns)

    saved = Ticket.objects.get(pk=ticket.pk)
    assert (saved.assignee_id, saved.assigned_at, saved.queue_id) == (None, None, None)


@pytest.mark.django_db
def test_nothing_to_write_sends_nothing(
    desk: Desk, django_assert_num_queries: pytest.FixtureRequest
) -> None:
    ticket = open_ticket(desk, now=NOW)
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert rows_update([], FIELDS) == 0
        assert rows_update([ticket], []) == 0


@pytest.mark.django_db
def test_many_rows_are_written_in_statements_of_a_bounded_size(
    desk: Desk, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: pytest.FixtureRequest
) -> None:
    import support_desk.bulk

    monkeypatch.setattr(support_desk.bulk, "ROWS_PER_STATEMENT", 2)
    tickets = [open_ticket(desk, now=NOW, subject=f"Charged twice {n}") for n in range(5)]
    for number, ticket in enumerate(tickets):
        ticket.priority = 1 + number % 4

    with django_assert_num_queries(3):  # type: ignore[operator]
        assert rows_update(tickets, ["priority"]) == 5

    assert [Ticket.objects.get(pk=t.pk).priority for t in tickets] == [1, 2, 3, 4, 1]


@pytest.mark.django_db
def test_a_name_that_is_not_a_column_is_refused(desk: Desk) -> None:
    ticket = open_ticket(desk, now=NOW)
    with pytest.raises(ValueError, match="not a column"):
        rows_update([ticket], ["messages"])
