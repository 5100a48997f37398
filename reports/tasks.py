"""Background work of the reports: the rollup on beat."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(name="maintenance.reports_rollup")
def reports_rollup() -> int:
    """Bring the reports' facts and daily rollups up to date; return the ticket facts written."""
    from reports.services import reports_rollup as run

    return run(now=timezone.now()).facts
