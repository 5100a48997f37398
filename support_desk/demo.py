"""Load the demo data of every app, in dependency order."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from support_desk.errors import DomainError

# Each entry is a ``load(*, now)`` function that creates only what is missing.
DEMO_LOADERS = (
    "accounts.demo.load",
    "faq.demo.load",
    "tickets.demo.load",
    "orders.demo.load",
    "disputes.demo.load",
)


class DemoNotAllowed(DomainError):
    code = "demo_not_allowed"


def demo_load(*, now: datetime) -> None:
    """Load every app's demo data in one transaction; idempotent.

    Raises DemoNotAllowed where settings forbid demo data (production).
    """
    if not settings.DESK_DEMO_ALLOWED:
        raise DemoNotAllowed("Demo data is disabled in these settings (DESK_DEMO_ALLOWED).")
    with transaction.atomic():
        for dotted in DEMO_LOADERS:
            import_string(dotted)(now=now)
