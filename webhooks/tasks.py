"""Background work of webhooks, on the ``webhooks`` queue: ids in, one service call."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(name="webhooks.deliver")
def deliver(*, delivery_id: int) -> str:
    """Make one attempt at a due delivery; a failure is retried by the sweeper, with back-off."""
    from webhooks.services import delivery_send

    return delivery_send(delivery_id=delivery_id, now=timezone.now())


@shared_task(name="webhooks.sweep")
def sweep() -> int:
    """Send every delivery that is due: retries, and messages the broker lost."""
    from webhooks.services import deliveries_sweep

    return deliveries_sweep(now=timezone.now())
