"""Ticket tasks meet a database that went away: they try again instead of failing for good.

Found by the chaos group (tests/chaos/test_postgres_restart.py): routing
tasks running while PostgreSQL restarted failed once and were left to the
sweep; the assistant's reply had no sweep and was lost.
"""

from __future__ import annotations

import pytest
from django.db import OperationalError

from support_desk.models import ParkedTask
from tickets import tasks
from tickets.services import assistant


def test_the_assistant_reply_is_tried_again_when_the_database_was_away(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []

    def flaky(*, ticket_id: int, now: object) -> object:
        calls.append(ticket_id)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return None

    monkeypatch.setattr(assistant, "ticket_assistant_reply", flaky)
    # apply() runs this one call here, its retries included, without a broker.
    result = tasks.assistant_reply.apply(kwargs={"ticket_id": 41})
    assert result.get() is False
    assert calls == [41, 41]


@pytest.mark.django_db
def test_a_bug_is_not_retried_and_is_parked(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def broken(*, ticket_id: int, now: object) -> object:
        calls.append(ticket_id)
        raise ValueError("a bug")

    monkeypatch.setattr(assistant, "ticket_assistant_reply", broken)
    result = tasks.assistant_reply.apply(kwargs={"ticket_id": 41})
    assert isinstance(result.result, ValueError)
    assert calls == [41]
    parked = ParkedTask.objects.get(task_id=result.id)
    assert (parked.task_name, parked.kwargs) == ("tickets.assistant_reply", {"ticket_id": 41})
