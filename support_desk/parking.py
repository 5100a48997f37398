"""Parked tasks: background tasks that failed for good, kept for a supervisor to see and resend.

Celery sends a task whose worker process died again (``task_retry_on_worker_lost``)
up to the task's ``max_retries``; after that, or after an exception on the
last retry, the task fails and its message is acknowledged. The
``task_failure`` signal (support_desk.celery) records it here, once.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import transaction

from support_desk.models import ParkedTask

logger = logging.getLogger("support_desk.parking")

ERROR_MAX = 500


def task_park(
    *, task_name: str, task_id: str, kwargs: dict[str, Any], tries: int, error: str, now: datetime
) -> ParkedTask:
    """Record a task that failed for good, once per task id, and log it as an error."""
    parked, created = ParkedTask.objects.get_or_create(
        task_id=task_id,
        defaults={
            "task_name": task_name[:200],
            "kwargs": kwargs,
            "tries": tries,
            "error": error[:ERROR_MAX],
            "parked_at": now,
        },
    )
    if created:
        logger.error(
            "Parked task %s[%s] after %d tries: %s; it will not run again by itself.",
            task_name,
            task_id,
            tries,
            error[:ERROR_MAX],
        )
    return parked


def parked_task_resend(*, parked_id: int, now: datetime) -> bool:
    """Send a parked task again with its arguments; False if it was sent again already.

    Claims the row with a conditional update, so two supervisors pressing at
    once send it once. The new message has a new task id.
    """
    from support_desk.celery import app

    with transaction.atomic():
        claimed = ParkedTask.objects.filter(pk=parked_id, resent_at__isnull=True).update(
            resent_at=now
        )
        if not claimed:
            return False
        parked = ParkedTask.objects.get(pk=parked_id)
        transaction.on_commit(
            lambda: app.send_task(parked.task_name, kwargs=parked.kwargs), robust=True
        )
    return True
