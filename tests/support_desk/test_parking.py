"""Parked tasks: background work that failed for good is recorded once, shown to supervisors, resent once.

The crash of a real worker process (retry, retry, parked) is proven by the
chaos group (tests/chaos/test_worker_kill.py); here the pieces around it.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from celery.worker import WorkController
from django.test import Client

from support_desk.celery import DeskTask
from support_desk.celery import app as celery_app
from support_desk.models import ParkedTask
from support_desk.parking import parked_task_resend, task_park
from tests.factories import SupervisorFactory
from tickets import tasks as ticket_tasks

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@celery_app.task(name="tests.parking.always_fails", max_retries=0)
def always_fails(*, marker: str) -> None:
    """A task that raises every time, as a task with a bug would."""
    raise RuntimeError(f"broken on purpose {marker}")


@pytest.mark.django_db
def test_a_task_is_parked_once_and_logged_as_an_error(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="support_desk.parking"):
        first = task_park(
            task_name="routing.route_ticket",
            task_id="abc",
            kwargs={"ticket_id": 7},
            tries=4,
            error="WorkerLostError('Worker exited prematurely: exitcode 70.')",
            now=NOW,
        )
        again = task_park(
            task_name="routing.route_ticket",
            task_id="abc",
            kwargs={"ticket_id": 7},
            tries=4,
            error="again",
            now=NOW,
        )
    assert again.pk == first.pk
    assert ParkedTask.objects.count() == 1
    assert [r.getMessage() for r in caplog.records] == [
        "Parked task routing.route_ticket[abc] after 4 tries: "
        "WorkerLostError('Worker exited prematurely: exitcode 70.'); "
        "it will not run again by itself."
    ]


@pytest.mark.django_db
def test_a_parked_task_is_sent_again_once(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    parked = task_park(
        task_name="routing.route_ticket",
        task_id="abc",
        kwargs={"ticket_id": 7},
        tries=4,
        error="boom",
        now=NOW,
    )
    sent: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(celery_app, "send_task", lambda name, kwargs: sent.append((name, kwargs)))
    with django_capture_on_commit_callbacks(execute=True):
        assert parked_task_resend(parked_id=parked.pk, now=NOW) is True
    with django_capture_on_commit_callbacks(execute=True):
        assert parked_task_resend(parked_id=parked.pk, now=NOW) is False
    assert sent == [("routing.route_ticket", {"ticket_id": 7})]
    parked.refresh_from_db()
    assert parked.resent_at == NOW


def test_every_desk_task_is_retried_then_parked_when_its_worker_dies() -> None:
    # The tasks modules a worker imports when it starts: which of them the tests
    # before this one imported depends on the order and the process they ran in.
    celery_app.loader.import_default_modules()
    for name in ("routing.route_ticket", "notifications.send", "maintenance.dispute_deadlines"):
        task = celery_app.tasks[name]
        assert isinstance(task, DeskTask)
        assert task.retry_on_worker_lost is True
        assert task.max_retries is not None


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_task_that_fails_for_good_is_parked_by_the_worker(worker: WorkController) -> None:
    marker = uuid.uuid4().hex
    result = always_fails.delay(marker=marker)
    with pytest.raises(RuntimeError):
        result.get(timeout=30)
    # The worker stores the failed result first, then parks the task.
    deadline = time.monotonic() + 30
    while not ParkedTask.objects.filter(task_id=result.id).exists():
        assert time.monotonic() < deadline, "the failed task was not parked"
        time.sleep(0.1)
    parked = ParkedTask.objects.get(task_id=result.id)
    assert parked.task_name == "tests.parking.always_fails"
    assert parked.kwargs == {"marker": marker}
    assert parked.tries == 1
    assert marker in parked.error


@pytest.mark.django_db
def test_supervisors_see_parked_tasks_in_the_admin() -> None:
    task_park(
        task_name="routing.route_ticket",
        task_id="seen-by-supervisor",
        kwargs={"ticket_id": 7},
        tries=4,
        error="boom",
        now=NOW,
    )
    client = Client()
    client.force_login(SupervisorFactory())
    page = client.get("/admin/support_desk/parkedtask/")
    assert page.status_code == 200
    assert "routing.route_ticket" in page.content.decode()


@pytest.mark.django_db
def test_routing_a_ticket_that_does_not_exist_is_logged_not_raised(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="tickets.tasks"):
        assert ticket_tasks.route_ticket(ticket_id=987654321) == "ticket-missing"
        assert ticket_tasks.assistant_reply(ticket_id=987654321) == "ticket-missing"
    assert sum(ticket_tasks.TICKET_MISSING in r.getMessage() for r in caplog.records) == 2
