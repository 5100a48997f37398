"""A Celery worker keeps its PostgreSQL connection from task to task.

Celery's Django fixup closes every connection around each task unless told
otherwise, and a new PostgreSQL connection costs more than most of the desk's
tasks (a process forked on the server, authentication, the session set up).
The desk keeps connections as Django does around requests: closed when broken
or older than CONN_MAX_AGE.
"""

from __future__ import annotations

from typing import Any

import pytest
from celery.worker import WorkController
from django.db import connection, transaction

from support_desk import tasks

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

RESULT_TIMEOUT = 30
TASKS = 12


def test_worker_reuses_its_database_connection_across_tasks(
    postgres: None, worker: WorkController, connections_opened_elsewhere: list[Any]
) -> None:
    for _ in range(TASKS):
        tasks.clear_expired_sessions.delay().get(timeout=RESULT_TIMEOUT)

    # The worker opened one connection for its first task at most, not one per task.
    assert len(connections_opened_elsewhere) <= 1, connections_opened_elsewhere


def test_task_run_eagerly_leaves_its_callers_transaction_alone(postgres: None) -> None:
    with transaction.atomic():
        tasks.clear_expired_sessions.apply().get()
        # Still inside the caller's transaction, on the same open connection.
        assert connection.in_atomic_block
        assert not connection.needs_rollback
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
