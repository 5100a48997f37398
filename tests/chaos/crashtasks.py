"""A task for the fault tests only: it kills the worker process that runs it.

Loaded by the chaos desk's worker with ``--include=tests.chaos.crashtasks``;
the production desk never imports it.
"""

from __future__ import annotations

import os

from celery import shared_task


# Two retries a second apart: the desk's own tasks wait longer between tries.
@shared_task(name="chaos.crash_worker", max_retries=2, default_retry_delay=1)
def crash_worker(*, marker: str) -> None:
    """Die at once, as a segfault or the kernel's OOM killer would end the process."""
    os._exit(70)
