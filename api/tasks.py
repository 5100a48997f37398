"""Maintenance of the integrator API, run by beat on the maintenance queue."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from api import idempotency


@shared_task(name="maintenance.idempotency_purge")
def idempotency_purge() -> int:
    """Delete expired Idempotency-Key records; return how many went."""
    return idempotency.idempotency_purge_expired(now=timezone.now())
