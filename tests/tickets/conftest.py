"""A small desk built through the services: topics, answers, hours, SLA, queues, agents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from accounts.models import User
from faq import services as faq_services
from faq.models import FaqEntry, Topic
from tests.factories import AgentFactory, BuyerFactory
from tickets import services
from tickets.models import BusinessHours, Channel, Priority, Queue, Ticket

MOSCOW = ZoneInfo("Europe/Moscow")
EVERY_DAY_6_TO_24 = {
    day: [["06:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
}


def moscow(*args: int) -> datetime:
    """Return a Moscow wall-clock moment, e.g. moscow(2026, 11, 20, 23, 30)."""
    return datetime(*args, tzinfo=MOSCOW)  # type: ignore[misc]


@dataclass
class Desk:
    payment: Topic
    refund: Topic
    dispute: Topic
    warranty: Topic
    payment_failed: FaqEntry
    warranty_repair: FaqEntry
    moscow_hours: BusinessHours
    en_payment: Queue
    en_refund: Queue
    en_dispute: Queue
    en_warranty: Queue
    ru_payment_refund: Queue
    agent: User
    agent_ru: User
    buyer: User
    other_buyer: User


def _topic(slug: str, name: str, order: int) -> Topic:
    return faq_services.topic_upsert(
        slug=slug,
        name={"en": name},
        description={"en": name},
        icon="",
        sort_order=order,
        email_contact=slug in ("payment", "refund"),
    )


def build_desk() -> Desk:
    """Create the SPEC's example desk: English queues 24/7, a Russian payment+refund queue 06–24 Moscow."""
    payment = _topic("payment", "Payment", 1)
    refund = _topic("refund", "Refund", 2)
    dispute = _topic("dispute", "Dispute", 3)
    warranty = _topic("warranty", "Warranty", 4)
    payment_failed = faq_services.faq_entry_upsert(
        topic=payment,
        slug="payment-failed",
        texts={"en": ("My payment failed", "Check your card.")},
        operator_resolvable=True,
    )
    warranty_repair = faq_services.faq_entry_upsert(
        topic=warranty,
        slug="seller-refuses-repair",
        texts={"en": ("The seller refuses to repair", "Open a warranty claim.")},
    )
    policy = services.sla_policy_upsert(
        name="Standard",
        targets=[
            (None, Priority.LOW, 8 * 60, 72 * 60),
            (None, Priority.NORMAL, 4 * 60, 48 * 60),
            (None, Priority.HIGH, 60, 24 * 60),
            (None, Priority.URGENT, 30, 8 * 60),
            (payment, Priority.NORMAL, 2 * 60, 24 * 60),
        ],
    )
    moscow_hours = services.business_hours_upsert(
        name="Moscow 06–24", time_zone="Europe/Moscow", weekly_hours=EVERY_DAY_6_TO_24
    )
    en_payment = services.queue_upsert(
        slug="en-payment",
        name="Payment (English)",
        language="en",
        topics=[payment],
        sla_policy=policy,
        sort_order=10,
    )
    en_refund = services.queue_upsert(
        slug="en-refund",
        name="Refund (English)",
        language="en",
        topics=[refund],
        sla_policy=policy,
        sort_order=20,
    )
    en_dispute = services.queue_upsert(
        slug="en-dispute",
        name="Disputes",
        language="en",
        topics=[dispute],
        sla_policy=policy,
        sort_order=30,
    )
    en_warranty = services.queue_upsert(
        slug="en-warranty",
        name="Warranty (English)",
        language="en",
        topics=[warranty],
        sla_policy=policy,
        sort_order=40,
    )
    ru = services.queue_upsert(
        slug="ru-payment-refund",
        name="Оплата и возвраты",
        language="ru",
        topics=[payment, refund],
        hours=moscow_hours,
        fallback=en_payment,
        sla_policy=policy,
        sort_order=5,
    )
    agent = AgentFactory(username="sam")
    services.agent_configure(
        agent=agent,
        queues=[en_payment, en_refund, en_dispute, en_warranty],
        languages=["en"],
        capacity=3,
    )
    agent_ru = AgentFactory(username="olga")
    services.agent_configure(
        agent=agent_ru, queues=[ru, en_payment], languages=["ru", "en"], capacity=3
    )
    return Desk(
        payment=payment,
        refund=refund,
        dispute=dispute,
        warranty=warranty,
        payment_failed=payment_failed,
        warranty_repair=warranty_repair,
        moscow_hours=moscow_hours,
        en_payment=en_payment,
        en_refund=en_refund,
        en_dispute=en_dispute,
        en_warranty=en_warranty,
        ru_payment_refund=ru,
        agent=agent,
        agent_ru=agent_ru,
        buyer=BuyerFactory(username="anna"),
        other_buyer=BuyerFactory(username="dmitri"),
    )


@pytest.fixture
def desk(db: None) -> Desk:
    return build_desk()


def open_ticket(
    desk: Desk,
    *,
    now: datetime,
    topic: Topic | None = None,
    language: str = "en",
    buyer: User | None = None,
    subject: str = "My card was charged twice",
    channel: Channel = Channel.WEB,
) -> Ticket:
    """Open a ticket through the service with what its topic needs."""
    topic = topic or desk.payment
    request = services.TicketRequest(
        subject=subject,
        description="It happened at checkout yesterday.",
        language=language,
        channel=channel,
        order_number="MP-1001",
        transaction_id="TX-42",
        amount=Decimal("59.90"),
        product="Kettle",
        purchase_date=now.date(),
    )
    return services.ticket_open(buyer=buyer or desk.buyer, topic=topic, request=request, now=now)
