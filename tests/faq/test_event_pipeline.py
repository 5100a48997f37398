"""Funnel events travel through the broker to a real worker and land in the database."""

from __future__ import annotations

import time

import pytest
from celery.worker import WorkController
from django.conf import settings
from django.test import Client

from faq import services, tasks
from faq.models import FaqEntry, FaqEvent

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def wait_for(condition: object, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


def test_answer_views_and_contact_clicks_reach_the_funnel(worker: WorkController) -> None:
    topic = services.topic_upsert(
        slug="payment", name={"en": "Payment"}, description={}, email_contact=True
    )
    entry = services.faq_entry_upsert(
        topic=topic,
        slug="charged-twice",
        operator_resolvable=True,
        texts={
            "en": ("I was charged twice", "One of the charges is a hold; it is released in 7 days.")
        },
    )
    buyer_browser = Client()
    assert buyer_browser.get("/help/payment/charged-twice/").status_code == 200
    assert buyer_browser.get("/help/payment/charged-twice/contact/email/").status_code == 302

    if settings.DESK_FULL_MODE:
        # Full mode buffers events in Redis; beat flushes them every few seconds.
        assert tasks.flush_faq_events.delay().get(timeout=30) == 2
    assert wait_for(lambda: FaqEvent.objects.count() == 2), list(FaqEvent.objects.values())
    kinds = sorted(FaqEvent.objects.values_list("kind", "channel"))
    assert kinds == [("contact", "email"), ("view", "")]
    visitors = set(FaqEvent.objects.values_list("visitor", flat=True))
    assert len(visitors) == 1 and next(iter(visitors)).startswith("anon:")
    assert FaqEntry.objects.get(pk=entry.pk).view_count == 1
