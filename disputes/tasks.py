"""Background work of disputes: missed seller deadlines, reminders before them, closing."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(name="maintenance.dispute_deadlines")
def dispute_deadlines() -> int:
    """Act on every missed seller deadline, remind sellers of near ones, close settled cases."""
    from disputes.services import (
        case_reminders_run,
        cases_close_run,
        dispute_deadlines_run,
        warranty_deadlines_run,
    )

    now = timezone.now()
    return (
        dispute_deadlines_run(now=now)
        + warranty_deadlines_run(now=now)
        + case_reminders_run(now=now)
        + cases_close_run(now=now)
    )
