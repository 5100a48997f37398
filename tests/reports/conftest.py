"""Three days of a small desk, built through the services, with answers worked out by hand.

Monday 2 March 2026 to Wednesday 4 March, "now" Wednesday 12:00 UTC (the
desk's time zone). English payment tickets are counted around the clock;
English refund tickets in office hours (Mon–Fri 09:00–17:00 UTC); the
Russian queue 06:00–24:00 Moscow. Every number the tests expect is derived
in the comments next to the step that causes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from accounts.models import User
from disputes.models import Dispute
from disputes.services import disputes as dispute_services
from faq import services as faq_services
from faq.models import FaqEntry, FaqEventKind
from orders.models import OrderStatus
from orders.services import ItemSpec, order_upsert, shop_upsert
from reports.services import reports_rollup
from tests.factories import SellerFactory, SupervisorFactory
from tests.tickets.conftest import Desk, build_desk, open_ticket
from tickets import services
from tickets.models import SlaPolicy, Ticket
from tickets.services.rating import ticket_rate
from tickets.status import Status

MONDAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
OFFICE_HOURS = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Return day ``day`` (0 = Monday) of the week at hour:minute UTC."""
    return datetime(2026, 3, 2 + day, hour, minute, tzinfo=UTC)


@dataclass
class Seeded:
    desk: Desk
    supervisor: User
    seller: User
    tickets: dict[str, Ticket]
    disputes: dict[str, Dispute]
    entries: dict[str, FaqEntry]


def _assigned(
    desk: Desk, supervisor: User, *, when: datetime, agent: User, **kwargs: object
) -> Ticket:
    ticket = open_ticket(desk, now=when, **kwargs)  # type: ignore[arg-type]
    services.ticket_route(ticket_id=ticket.pk, now=when)
    services.ticket_assign(ticket_id=ticket.pk, agent=agent, actor=supervisor, now=when)
    return ticket


def _reply(ticket: Ticket, agent: User, when: datetime, then: Status | None = None) -> None:
    services.ticket_reply_by_agent(
        ticket_id=ticket.pk, agent=agent, body="Here is what we found.", now=when, then_status=then
    )


def _solve(ticket: Ticket, agent: User, when: datetime) -> None:
    services.ticket_set_status_by_agent(
        ticket_id=ticket.pk, agent=agent, status=Status.SOLVED, now=when
    )


def _order(shop: object, buyer: User, number: str, currency: str) -> None:
    delivered = at(0, 0) - timedelta(days=3)
    order_upsert(
        number=number,
        buyer=buyer,
        shop=shop,  # type: ignore[arg-type]
        status=OrderStatus.DELIVERED,
        currency=currency,
        now=delivered,
        items=[ItemSpec("Kettle", 1, Decimal("40.00")), ItemSpec("Descaler", 2, Decimal("5.00"))]
        if currency == "EUR"
        else [ItemSpec("Lamp", 1, Decimal("30.00"))],
        paid_at=delivered - timedelta(days=5),
        shipped_at=delivered - timedelta(days=3),
        delivered_at=delivered,
    )


def _tickets(desk: Desk, supervisor: User) -> dict[str, Ticket]:
    sam, olga, buyer = desk.agent, desk.agent_ru, desk.buyer
    made: dict[str, Ticket] = {}
    # English payment, around the clock; target 120 min first response, 24 h resolution.
    # P1: first response 30 min, solved after 120 min, rated 5.
    made["P1"] = _assigned(desk, supervisor, when=at(0, 10), agent=sam)
    _reply(made["P1"], sam, at(0, 10, 30))
    _solve(made["P1"], sam, at(0, 12))
    # P2: first response 60 min with "pending" Mon 12:00 until the buyer answers Tue
    # 12:00; solved Tue 13:00: 26 h less 24 h waiting on the buyer = 120 min. Rated 3.
    made["P2"] = _assigned(desk, supervisor, when=at(0, 11), agent=sam)
    _reply(made["P2"], sam, at(0, 12), then=Status.PENDING)
    services.ticket_reply_by_buyer(ticket_id=made["P2"].pk, buyer=buyer, body="Yes", now=at(1, 12))
    _solve(made["P2"], sam, at(1, 13))
    # P3: first response 240 min (due at 11:00: breached), solved after 480 min.
    made["P3"] = _assigned(desk, supervisor, when=at(1, 9), agent=sam)
    _reply(made["P3"], sam, at(1, 13))
    _solve(made["P3"], sam, at(1, 17))
    # P4: never answered; first response due Tue 12:00 and resolution Wed 10:00 both passed.
    made["P4"] = _assigned(desk, supervisor, when=at(1, 10), agent=sam)
    # English refund, office hours; targets 240 / 2880 business minutes.
    # R1: Mon 16:00, answered Tue 10:00 = 60 + 60 = 120; solved Tue 16:00 = 60 + 420 = 480. Rated 4.
    made["R1"] = _assigned(desk, supervisor, when=at(0, 16), agent=sam, topic=desk.refund)
    _reply(made["R1"], sam, at(1, 10))
    _solve(made["R1"], sam, at(1, 16))
    # R2: Mon 20:00 (closed), answered Tue 09:30 = 30; solved Wed 09:30 = 480 + 30 = 510.
    made["R2"] = _assigned(desk, supervisor, when=at(0, 20), agent=sam, topic=desk.refund)
    _reply(made["R2"], sam, at(1, 9, 30))
    _solve(made["R2"], sam, at(2, 9, 30))
    # Russian payment, 06:00–24:00 Moscow (UTC+3). RU1: Mon 23:00 Moscow, answered
    # Tue 06:30 Moscow = 60 + 30 = 90; solved Tue 08:00 Moscow = 60 + 120 = 180. Rated 2.
    made["RU1"] = _assigned(desk, supervisor, when=at(0, 20), agent=olga, language="ru")
    _reply(made["RU1"], olga, at(1, 3, 30))
    _solve(made["RU1"], olga, at(1, 5))
    for name, score, when in (("P1", 5, at(0, 13)), ("P2", 3, at(1, 14)), ("R1", 4, at(1, 17))):
        ticket_rate(ticket_id=made[name].pk, buyer=buyer, score=score, comment="", now=when)
    ticket_rate(ticket_id=made["RU1"].pk, buyer=buyer, score=2, comment="", now=at(1, 6))
    return made


def _disputes(desk: Desk, supervisor: User, seller: User) -> dict[str, Dispute]:
    buyer, sam = desk.buyer, desk.agent
    shop = shop_upsert(slug="lamp-shop", name="Lamp shop", seller=seller)
    for number, currency in (
        ("MP-1", "EUR"),
        ("MP-2", "EUR"),
        ("MP-3", "EUR"),
        ("MP-4", "USD"),
        ("MP-5", "USD"),
    ):
        _order(shop, buyer, number, currency)

    def open_dispute(number: str, when: datetime, outcome: str = "full_refund") -> Dispute:
        return dispute_services.dispute_open(
            buyer=buyer,
            order_number=number,
            reason="damaged",
            wanted_outcome=outcome,
            description="It arrived broken.",
            now=when,
        )

    def escalate_and_decide(dispute: Dispute, escalated: datetime, decided: datetime, refund: str):
        dispute_services.dispute_seller_reject(
            dispute_id=dispute.pk, seller=seller, statement="Not our fault.", now=escalated
        )
        dispute_services.dispute_buyer_escalate(dispute_id=dispute.pk, buyer=buyer, now=escalated)
        dispute.refresh_from_db()
        services.ticket_route(ticket_id=dispute.ticket_id, now=escalated)
        services.ticket_assign(
            ticket_id=dispute.ticket_id, agent=sam, actor=supervisor, now=escalated
        )
        dispute_services.dispute_decide(
            dispute_id=dispute.pk,
            agent=sam,
            refund_amount=Decimal(refund),
            return_required=False,
            return_cost_bearer="",
            note="Decided on the photos.",
            now=decided,
        )

    made: dict[str, Dispute] = {}
    # D1 EUR 50: the seller gives the full refund.
    made["D1"] = open_dispute("MP-1", at(0, 10))
    dispute_services.dispute_seller_accept(dispute_id=made["D1"].pk, seller=seller, now=at(0, 12))
    # D2 EUR 50: a counter-offer of 20 the buyer takes (partial refund).
    made["D2"] = open_dispute("MP-2", at(0, 11))
    dispute_services.dispute_seller_counter(
        dispute_id=made["D2"].pk, seller=seller, amount=Decimal("20.00"), statement="", now=at(1, 9)
    )
    dispute_services.dispute_buyer_accept_counter(
        dispute_id=made["D2"].pk, buyer=buyer, now=at(1, 10)
    )
    # D3 EUR 50: escalated Tue 15:00, decided Wed 10:00 with no refund.
    made["D3"] = open_dispute("MP-3", at(1, 8))
    escalate_and_decide(made["D3"], at(1, 15), at(2, 10), "0")
    # D4 USD 30: withdrawn.
    made["D4"] = open_dispute("MP-4", at(1, 9))
    dispute_services.dispute_buyer_cancel(dispute_id=made["D4"].pk, buyer=buyer, now=at(1, 11))
    # D5 USD 30: escalated Wed 09:00, decided Wed 11:00 for the whole 30.
    made["D5"] = open_dispute("MP-5", at(2, 8))
    escalate_and_decide(made["D5"], at(2, 9), at(2, 11), "30.00")
    for dispute in made.values():
        dispute.refresh_from_db()
    return made


def _funnel(desk: Desk) -> dict[str, FaqEntry]:
    entries = {"payment": desk.payment_failed, "warranty": desk.warranty_repair}
    plan = {
        # views, helpful, not helpful, contacts, tickets
        "payment": (10, 1, 3, 2, 1),
        "warranty": (4, 0, 1, 1, 1),
    }
    for name, (views, helpful, not_helpful, contacts, tickets) in plan.items():
        entry = entries[name]
        for kind, count in (
            (FaqEventKind.VIEW, views),
            (FaqEventKind.CONTACT, contacts),
            (FaqEventKind.TICKET, tickets),
        ):
            for n in range(count):
                faq_services.faq_event_store(
                    kind=kind,
                    entry_id=entry.pk,
                    language="en",
                    visitor=f"session:{name}{n}",
                    at=at(0, 9, n),
                )
        for n in range(helpful + not_helpful):
            faq_services.faq_feedback_record(
                entry=entry,
                visitor=f"session:{name}{n}",
                language="en",
                helpful=n < helpful,
                now=at(0, 9, 30),
            )
    return entries


def build_seeded() -> Seeded:
    desk = build_desk()
    supervisor = SupervisorFactory(username="boss")
    seller = SellerFactory(username="lena")
    office = services.business_hours_upsert(
        name="Office 9–17", time_zone="UTC", weekly_hours=OFFICE_HOURS
    )
    services.queue_upsert(
        slug="en-refund",
        name="Refund (English)",
        language="en",
        topics=[desk.refund],
        hours=office,
        sla_policy=SlaPolicy.objects.get(name="Standard"),
        sort_order=20,
    )
    desk.en_refund.refresh_from_db()
    for agent, queues, languages in (
        (desk.agent, [desk.en_payment, desk.en_refund, desk.en_dispute, desk.en_warranty], ["en"]),
        (desk.agent_ru, [desk.ru_payment_refund, desk.en_payment], ["ru", "en"]),
    ):
        services.agent_configure(agent=agent, queues=queues, languages=languages, capacity=20)
    return Seeded(
        desk=desk,
        supervisor=supervisor,
        seller=seller,
        tickets=_tickets(desk, supervisor),
        disputes=_disputes(desk, supervisor, seller),
        entries=_funnel(desk),
    )


@pytest.fixture
def seeded(db: None) -> Seeded:
    """The week's records, rolled up as the beat task would at NOW."""
    data = build_seeded()
    reports_rollup(now=NOW)
    return data
