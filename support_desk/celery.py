"""The Celery application: configuration comes from Django settings (CELERY_*).

Every task of the desk derives from :class:`DeskTask`: a task whose worker
process dies under it (a crash, the kernel's OOM killer, a SIGKILL) is sent
again a few times, then parked (``support_desk.parking``) instead of being
handed out forever.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery, Task, signals
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "support_desk.settings")


class DeskTask(Task):
    """The base of every desk task: a lost worker means a retry, counted, then parking.

    Celery's ``reject_on_worker_lost`` alone puts the message back at the head
    of its queue with no count, so a task that kills its worker every time
    would kill workers forever. ``retry_on_worker_lost`` sends it again as a
    retry instead, counted against ``max_retries`` (3 unless the task says
    otherwise); once they run out the task fails, its message is acknowledged
    and :func:`park_failed_task` records it.
    """

    retry_on_worker_lost = True
    # Seconds before a task whose worker died runs again: long enough for a
    # restarted worker, short enough that a buyer does not notice.
    default_retry_delay = 10


app = Celery("support_desk", task_cls=DeskTask)
app.config_from_object("django.conf:settings", namespace="CELERY")

app.autodiscover_tasks()


def broker_queue_length(name: str) -> int | None:
    """Return how many messages wait in the broker's queue ``name``; None if the broker fails.

    Messages a worker has already taken (running, or held for their time)
    are not counted.
    """
    try:
        with app.connection_for_write() as connection:
            # kombu's virtual channels (Redis, filesystem) count a queue on declare.
            channel: Any = connection.default_channel
            declared = channel.queue_declare(queue=name)
            return int(declared.message_count)
    except Exception:  # the broker is down or refuses: the caller decides without it
        return None


@signals.task_prerun.connect
@signals.task_postrun.connect
def database_connections_kept(sender: Task | None = None, **_ignored: Any) -> None:
    """Around each task, close a database connection that is broken or too old; keep the rest.

    What Django does around each request (CONN_MAX_AGE, CONN_HEALTH_CHECKS), so
    a worker does not pay for a new connection per task. A task run eagerly
    runs inside its caller, whose connection is not the task's to close.
    """
    if sender is not None and getattr(sender.request, "is_eager", False):
        return
    close_old_connections()


@signals.task_failure.connect
def park_failed_task(
    sender: Task | None = None,
    task_id: str | None = None,
    exception: BaseException | None = None,
    kwargs: dict[str, Any] | None = None,
    **_ignored: Any,
) -> None:
    """Park a task that failed for good: Celery sends this after its last try."""
    if sender is None or task_id is None:
        return
    from django.utils import timezone

    from support_desk.parking import task_park

    retries = getattr(sender.request, "retries", 0) or 0
    task_park(
        task_name=sender.name,
        task_id=task_id,
        kwargs=dict(kwargs or {}),
        tries=retries + 1,
        error=repr(exception),
        now=timezone.now(),
    )
