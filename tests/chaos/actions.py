"""Steps the chaos tests take inside the desk, through its own services.

Run with the desk's environment: ``python -m tests.chaos.actions NAME [ARGS]``;
prints one JSON line. A step runs in its own process, as a management
command would, so the desk's web and worker processes see only what it
commits.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any

import django


class _RolledBack(Exception):
    """Raised inside a transaction to undo everything in it."""


def rollback() -> dict[str, Any]:
    """Open a ticket in a transaction that rolls back, then one that commits.

    Records every task message published (Celery's ``before_task_publish``),
    so the caller sees that the rolled-back ticket sent nothing and the
    committed one sent its routing, assistant and mail tasks.
    """
    from celery.signals import before_task_publish
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from faq.models import Topic
    from tickets.models import Channel
    from tickets.services import TicketRequest, ticket_open

    published: list[dict[str, Any]] = []

    def record(sender: str | None = None, body: Any = None, **_kwargs: Any) -> None:
        kwargs = body[1] if isinstance(body, list | tuple) and len(body) > 1 else {}
        published.append({"task": sender, "kwargs": kwargs})

    before_task_publish.connect(record, weak=False)
    buyer = User.objects.get(username="buyer")
    topic = Topic.objects.get(slug="refund")

    def request(subject: str) -> TicketRequest:
        return TicketRequest(
            subject=subject,
            description="My refund has not arrived.",
            language="en",
            channel=Channel.WEB,
            order_number="CH-1001",
        )

    rolled_back_id = None
    try:
        with transaction.atomic():
            ticket = ticket_open(
                buyer=buyer, topic=topic, request=request("coupling-rollback"), now=timezone.now()
            )
            rolled_back_id = ticket.pk
            raise _RolledBack
    except _RolledBack:
        pass
    after_rollback = list(published)
    control = ticket_open(
        buyer=buyer, topic=topic, request=request("coupling-control"), now=timezone.now()
    )
    return {
        "rolled_back_id": rolled_back_id,
        "published_after_rollback": after_rollback,
        "control_id": control.pk,
        "published_for_control": published[len(after_rollback) :],
    }


def disputes_due(count: str, seconds: str) -> dict[str, Any]:
    """Open ``count`` disputes whose seller deadline passes ``seconds`` from now.

    Orders and disputes go through the desk's services; only the deadline
    is then moved to seconds instead of days (DESK_DISPUTE_SELLER_DAYS is at
    least one day). Returns the dispute ids, their order numbers, the
    deadline, and an API key of the seller.
    """
    import uuid
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from accounts.models import User
    from api.services import api_key_issue
    from disputes.models import Dispute, DisputeReason, WantedOutcome
    from disputes.services import dispute_open
    from orders.models import OrderStatus, Shop
    from orders.services import ItemSpec, order_upsert

    now = timezone.now()
    buyer = User.objects.get(username="buyer")
    seller = User.objects.get(username="seller")
    shop = Shop.objects.filter(seller=seller).order_by("id").first()
    assert shop is not None, "the demo seller has a shop"
    batch = uuid.uuid4().hex[:6].upper()
    deadline = now + timedelta(seconds=float(seconds))
    disputes, orders = [], []
    for n in range(int(count)):
        order = order_upsert(
            number=f"DL-{batch}-{n}",
            buyer=buyer,
            shop=shop,
            status=OrderStatus.DELIVERED,
            currency="EUR",
            items=[ItemSpec("Desk lamp", 1, Decimal("25.00"))],
            now=now,
            paid_at=now - timedelta(days=6),
            shipped_at=now - timedelta(days=4),
            delivered_at=now - timedelta(days=1),
        )
        dispute = dispute_open(
            buyer=buyer,
            order_number=order.number,
            reason=DisputeReason.DAMAGED,
            wanted_outcome=WantedOutcome.FULL_REFUND,
            description="The lamp arrived broken.",
            now=now,
        )
        disputes.append(dispute.pk)
        orders.append(order.number)
    Dispute.objects.filter(pk__in=disputes).update(seller_deadline_at=deadline)
    _key, raw_key = api_key_issue(name=f"seller {batch}", scopes=["seller"], seller=seller)
    return {
        "disputes": disputes,
        "orders": orders,
        "deadline": deadline.isoformat(),
        "seller_key": raw_key,
    }


ACTIONS: dict[str, Callable[..., dict[str, Any]]] = {
    "rollback": rollback,
    "disputes_due": disputes_due,
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "support_desk.settings")
    django.setup()
    name, *args = sys.argv[1:]
    print(json.dumps(ACTIONS[name](*args), default=str))


if __name__ == "__main__":
    main()
