"""Background work of disputes: acting on missed seller deadlines."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(name="maintenance.dispute_deadlines")
def dispute_deadlines() -> int:
    """Act on every dispute and warranty claim whose seller deadline passed."""
    from disputes.services import dispute_deadlines_run, warranty_deadlines_run

    now = timezone.now()
    return dispute_deadlines_run(now=now) + warranty_deadlines_run(now=now)
