"""A desk that can grow: one of everything, then 49 more, built through the services.

``build_world`` makes a small desk where every list the pages and the API
show holds one item (or a few: a seller's home needs an open and a settled
case). ``grow_world`` adds many more of each item *with their related rows*
(messages with files, ratings, assignees, several queues and topics, case
evidence and events, deliveries...), so that a list read with a query per
row costs more queries in the grown desk than in the small one.

The thread ticket, the dispute and the claim keep their ids: their pages show
more messages, evidence and events once the world has grown.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import User
from api.models import ApiKey
from api.scopes import SCOPES
from audit.models import AuditAction
from audit.services import audit_record
from disputes import services as dispute_services
from disputes.models import (
    CostBearer,
    Dispute,
    DisputeReason,
    Remedy,
    WantedOutcome,
    WarrantyClaim,
)
from faq import services as faq_services
from faq.models import FaqEntry, FaqEventKind, Topic
from faq.search import faq_search_refresh
from orders.models import Order, OrderStatus, Shop
from orders.services import ItemSpec, order_upsert, shop_upsert
from reports.services import reports_rebuild
from tests.factories import (
    AgentFactory,
    BuyerFactory,
    SellerFactory,
    SupervisorFactory,
    api_key_with,
)
from tickets import services as ticket_services
from tickets.models import Priority, Queue, SlaPolicy, Ticket
from tickets.services.attachments import (
    ticket_reply_by_agent_with_files,
    ticket_reply_by_buyer_with_files,
)
from tickets.services.macros import macro_upsert
from tickets.services.rating import ticket_rate
from tickets.services.setup import queue_holiday_add
from tickets.status import Status
from webhooks import services as webhook_services

# Every ticket is late for its resolution soon after it opens, so the SLA watch has rows.
FIRST_RESPONSE_MINUTES = 60
RESOLUTION_MINUTES = 120
# What searches and suggestions look for: every FAQ question of the world has it.
SEARCH_WORD = "payment"
# The buyer's order every ticket names (linked to the ticket: the agent sees its shop).
TICKET_ORDER = "MP-P0"
ALL_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def png_file(name: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (8, 8), (30, 120, 200))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def text_file(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"order MP-1001, charged twice", content_type="text/plain")


@dataclass
class World:
    """Who is who and which objects the measured URLs name."""

    now: datetime
    buyer: User
    seller: User
    agent: User
    other_agent: User
    supervisor: User
    key_all: ApiKey
    raw_all: str
    raw_seller: str
    topics: list[Topic]
    queues: list[Queue]
    policy: SlaPolicy
    shop: Shop
    thread: Ticket  # the ticket whose conversation grows
    dispute: Dispute  # the open dispute whose evidence and events grow
    claim: WarrantyClaim  # the open claim whose evidence and events grow
    entry: FaqEntry
    entries: list[FaqEntry]  # one per first topic, the answers tickets come from
    subscription_id: int
    # How many of each growing thing were made, for unique names.
    made: int = 0

    @property
    def payment(self) -> Topic:
        return self.topics[0]

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)


def _topic(slug: str, order: int) -> Topic:
    return faq_services.topic_upsert(
        slug=slug,
        name={"en": slug.replace("-", " ").title()},
        description={"en": f"About {slug}"},
        sort_order=order,
        email_contact=slug in ("payment", "refund"),
    )


def _entry(topic: Topic, n: int) -> FaqEntry:
    return faq_services.faq_entry_upsert(
        topic=topic,
        slug=f"question-{n}",
        texts={
            "en": (
                f"Why did my {SEARCH_WORD} number {n} fail",
                f"Check the card of {SEARCH_WORD} {n} and **try again**.",
            ),
            "ru": (f"Почему не прошла оплата {n}", f"Проверьте карту {n}."),
        },
        operator_resolvable=n % 2 == 0,
        sort_weight=n,
    )


def _order(shop: Shop, buyer: User, number: str, *, now: datetime) -> Order:
    delivered = now - timedelta(days=3)
    return order_upsert(
        number=number,
        buyer=buyer,
        shop=shop,
        status=OrderStatus.DELIVERED,
        currency="EUR",
        now=delivered,
        items=[
            ItemSpec("Electric kettle", 1, Decimal("40.00"), warranty_months=24),
            ItemSpec("Descaler", 2, Decimal("5.00")),
        ],
        paid_at=delivered - timedelta(days=5),
        shipped_at=delivered - timedelta(days=3),
        delivered_at=delivered,
    )


def _open(buyer: User, entry: FaqEntry, *, subject: str, at: datetime) -> Ticket:
    """Open a ticket from an answer, on the buyer's order, and route it (nobody online: queued)."""
    request = ticket_services.TicketRequest(
        subject=subject,
        description="It happened at checkout yesterday.",
        language="en",
        channel="web",
        order_number=TICKET_ORDER,
        transaction_id="TX-42",
        amount=Decimal("59.90"),
        product="Kettle",
        purchase_date=at.date(),
    )
    ticket = ticket_services.ticket_open(
        buyer=buyer, topic=entry.topic, faq_entry=entry, request=request, now=at
    )
    ticket_services.ticket_route(ticket_id=ticket.pk, now=at)
    return ticket


def _solved_and_rated(
    buyer: User, entry: FaqEntry, *, agent: User, supervisor: User, at: datetime, n: int
) -> Ticket:
    ticket = _open(buyer, entry, subject=f"Problem {n}", at=at)
    ticket_services.ticket_assign(ticket_id=ticket.pk, agent=agent, actor=supervisor, now=at)
    ticket_services.ticket_reply_by_agent(
        ticket_id=ticket.pk,
        agent=agent,
        body="Refunded.",
        now=at + timedelta(minutes=30),
        then_status=Status.SOLVED,
    )
    ticket_rate(
        ticket_id=ticket.pk,
        buyer=buyer,
        score=1 + n % 5,
        comment="Thanks",
        now=at + timedelta(hours=1),
    )
    return ticket


def _not_helpful(entry: FaqEntry, *, visitor: str, at: datetime) -> None:
    """Record that an answer was read and did not help (what the funnel counts)."""
    faq_services.faq_event_store(
        kind=FaqEventKind.VIEW, entry_id=entry.pk, language="en", visitor=visitor, at=at
    )
    faq_services.faq_feedback_record(
        entry=entry, visitor=visitor, language="en", helpful=False, now=at
    )


def _dispute(buyer: User, order: Order, *, now: datetime) -> Dispute:
    return dispute_services.dispute_open(
        buyer=buyer,
        order_number=order.number,
        reason=DisputeReason.DAMAGED,
        wanted_outcome=WantedOutcome.FULL_REFUND,
        description="The kettle arrived dented.",
        now=now,
    )


def _claim(buyer: User, order: Order, *, now: datetime) -> WarrantyClaim:
    return dispute_services.warranty_claim_open(
        buyer=buyer,
        item_id=order.items.get(title="Electric kettle").pk,
        defect="It stopped heating.",
        remedy=Remedy.REPAIR,
        now=now,
    )


def _decided_cases(order: Order, *, seller: User, agent: User, now: datetime) -> None:
    """Take a dispute and a claim on ``order`` to the desk and have ``agent`` decide them."""
    dispute = _dispute(order.buyer, order, now=now)
    dispute_services.dispute_seller_reject(
        dispute_id=dispute.pk, seller=seller, statement="It was fine.", now=now
    )
    dispute = dispute_services.dispute_buyer_escalate(
        dispute_id=dispute.pk, buyer=order.buyer, now=now
    )
    claim = _claim(order.buyer, order, now=now)
    claim = dispute_services.warranty_claim_seller_refuse(
        claim_id=claim.pk, seller=seller, statement="Misuse.", now=now
    )
    for ticket_id in (dispute.ticket_id, claim.ticket_id):
        ticket_services.ticket_route(ticket_id=ticket_id or 0, now=now)
    dispute_services.dispute_decide(
        dispute_id=dispute.pk,
        agent=agent,
        refund_amount=Decimal("20.00"),
        return_required=True,
        return_cost_bearer=CostBearer.SELLER,
        note="Half back, kettle returned.",
        now=now,
    )
    dispute_services.warranty_claim_decide(
        claim_id=claim.pk, agent=agent, remedy=Remedy.REPAIR, note="Repair it.", now=now
    )


def build_world() -> World:
    """Create the small desk: one item in every list, through the services."""
    now = timezone.now()
    topics = [
        _topic(slug, i) for i, slug in enumerate(("payment", "refund", "dispute", "warranty"))
    ]
    # One answer per topic (the payment one is the answer lists grow around).
    entries = [_entry(topic, 900 + i if i else 0) for i, topic in enumerate(topics)]
    entry = entries[0]
    policy = ticket_services.sla_policy_upsert(
        name="Standard",
        targets=[
            *(
                (None, priority, FIRST_RESPONSE_MINUTES, RESOLUTION_MINUTES)
                for priority in Priority.values
            ),
            (topics[0], Priority.URGENT, FIRST_RESPONSE_MINUTES, RESOLUTION_MINUTES),
        ],
    )
    hours = ticket_services.business_hours_upsert(
        name="Every day",
        time_zone="Europe/Berlin",
        weekly_hours={day: [["00:00", "24:00"]] for day in ALL_DAYS},
    )
    queues = [
        ticket_services.queue_upsert(
            slug=f"en-{topic.slug}",
            name=f"{topic.name} (English)",
            language="en",
            topics=[topic],
            sla_policy=policy,
            sort_order=i,
            hours=hours if i == 0 else None,
        )
        for i, topic in enumerate(topics)
    ]
    queue_holiday_add(slug=queues[0].slug, day=(now + timedelta(days=40)).date(), name="Holiday")
    buyer = BuyerFactory(username="perf-buyer")
    seller = SellerFactory(username="perf-seller")
    agent = AgentFactory(username="perf-agent")
    other_agent = AgentFactory(username="perf-agent-2")
    supervisor = SupervisorFactory(username="perf-supervisor")
    for person in (agent, other_agent):
        ticket_services.agent_configure(agent=person, queues=queues, languages=["en"], capacity=500)
    macro_upsert(name="Thanks", language="en", body="Thank you, {buyer_name}.", sort_order=1)

    everything = [scope for scope in SCOPES if scope != "seller"]
    key_all, raw_all = api_key_with(*everything, name="back end")
    _key, raw_seller = api_key_with("seller", name="shop tool", seller=seller)
    subscription, _secret = webhook_services.subscription_create(
        api_key=key_all,
        url="http://127.0.0.1:9/desk-hook",
        events=["ticket.*", "dispute.*"],
        now=now,
    )

    shop = shop_upsert(slug="kitchen-shop", name="Kitchen shop", seller=seller)
    order = _order(shop, buyer, TICKET_ORDER, now=now)

    # The conversation: opened three hours ago, so its resolution is late (SLA watch).
    opened = now - timedelta(hours=3)
    thread = _open(buyer, entry, subject="Charged twice", at=opened)
    ticket_services.ticket_assign(ticket_id=thread.pk, agent=agent, actor=supervisor, now=opened)
    ticket_reply_by_buyer_with_files(
        ticket_id=thread.pk,
        buyer=buyer,
        body="Here is my statement.",
        files=[text_file("statement-0.txt")],
        now=opened + timedelta(minutes=1),
    )

    _solved_and_rated(buyer, entries[1], agent=other_agent, supervisor=supervisor, at=opened, n=0)
    _not_helpful(entry, visitor="visitor-0", at=now)

    dispute = _dispute(buyer, order, now=now)
    dispute_services.evidence_add(
        person=buyer, files=[png_file("dent-0.png")], dispute_id=dispute.pk, now=now
    )
    claim = _claim(buyer, order, now=now)
    dispute_services.evidence_add(
        person=buyer, files=[png_file("kettle-0.png")], claim_id=claim.pk, now=now
    )
    # Both with the desk, so agents read them (and their evidence) on the tickets' pages.
    dispute_services.dispute_seller_reject(
        dispute_id=dispute.pk, seller=seller, statement="It was fine when sent.", now=now
    )
    dispute = dispute_services.dispute_buyer_escalate(dispute_id=dispute.pk, buyer=buyer, now=now)
    claim = dispute_services.warranty_claim_seller_refuse(
        claim_id=claim.pk, seller=seller, statement="Misuse.", now=now
    )
    assert dispute.ticket_id is not None and claim.ticket_id is not None
    for ticket_id in (dispute.ticket_id, claim.ticket_id):
        ticket_services.ticket_route(ticket_id=ticket_id, now=now)
    # A settled dispute and claim, for the lists of finished cases.
    settled = _order(shop, buyer, "MP-P1", now=now)
    cancelled = _dispute(buyer, settled, now=now)
    dispute_services.dispute_buyer_cancel(dispute_id=cancelled.pk, buyer=buyer, now=now)
    withdrawn = _claim(buyer, settled, now=now)
    dispute_services.warranty_claim_cancel(claim_id=withdrawn.pk, buyer=buyer, now=now)
    refunded = _dispute(buyer, _order(shop, buyer, "MP-P2", now=now), now=now)
    dispute_services.dispute_seller_accept(dispute_id=refunded.pk, seller=seller, now=now)
    _decided_cases(_order(shop, buyer, "MP-P3", now=now), seller=seller, agent=agent, now=now)

    faq_services.assistant_ask(
        question=f"my {SEARCH_WORD} failed", language="en", visitor=f"user:{buyer.pk}", now=now
    )
    world = World(
        now=now,
        buyer=buyer,
        seller=seller,
        agent=agent,
        other_agent=other_agent,
        supervisor=supervisor,
        key_all=key_all,
        raw_all=raw_all,
        raw_seller=raw_seller,
        topics=topics,
        queues=queues,
        policy=policy,
        shop=shop,
        thread=thread,
        dispute=dispute,
        claim=claim,
        entry=entry,
        entries=entries,
        subscription_id=subscription.pk,
    )
    _refresh_derived(world, first=world.today - timedelta(days=1))
    return world


def _refresh_derived(world: World, *, first: date) -> None:
    """Bring what commits would refresh up to date: search vocabulary and the reports' days."""
    faq_search_refresh()
    reports_rebuild(first=first, last=world.today, now=world.now)


def grow_world(world: World, more: int = 49) -> None:
    """Add ``more`` of every listed thing, with the rows each one's list shows."""
    now = world.now
    start = world.made + 1
    made = range(start, start + more)
    world.made += more

    # The help centre: answers in the payment topic, and topics each with a queue.
    grown_entries = [_entry(world.payment, n) for n in made]
    for n in made:
        topic = _topic(f"topic-{n}", 10 + n)
        _entry(topic, 1000 + n)
        queue = ticket_services.queue_upsert(
            slug=f"queue-{n}",
            name=f"Queue {n}",
            language="en",
            topics=[topic],
            sla_policy=world.policy,
            sort_order=10 + n,
        )
        world.topics.append(topic)
        world.queues.append(queue)
    for person in (world.agent, world.other_agent):
        ticket_services.agent_configure(
            agent=person, queues=world.queues, languages=["en"], capacity=500
        )
    for n in made:
        _not_helpful(grown_entries[n - start], visitor=f"visitor-{n}", at=now)
        faq_services.assistant_ask(
            question=f"{SEARCH_WORD} question {n}",
            language="en",
            visitor=f"visitor-{n}",
            now=now,
        )

    # The conversation: buyer and agent take turns, with files and internal notes.
    thread = world.thread.pk
    for n in made:
        at = now - timedelta(hours=2) + timedelta(seconds=n)
        if n % 3 == 0:
            ticket_reply_by_buyer_with_files(
                ticket_id=thread,
                buyer=world.buyer,
                body=f"More details, part {n}.",
                files=[text_file(f"statement-{n}.txt")],
                now=at,
            )
        elif n % 3 == 1:
            ticket_reply_by_agent_with_files(
                ticket_id=thread,
                agent=world.agent,
                body=f"We looked again ({n}).",
                files=[png_file(f"screen-{n}.png")],
                then_status=Status.PENDING,
                now=at,
            )
        else:
            ticket_reply_by_agent_with_files(
                ticket_id=thread,
                agent=world.agent,
                body=f"Note {n} for the team.",
                files=[text_file(f"memo-{n}.txt")],
                internal=True,
                now=at,
            )
    # The conversation ends with the buyer: assigned again, in the SLA watch.
    ticket_services.ticket_reply_by_buyer(
        ticket_id=thread, buyer=world.buyer, body="Any news?", now=now - timedelta(minutes=5)
    )

    # The buyer's other tickets, over many days, queues and states.
    for n in made:
        at = now - timedelta(days=n % 50, hours=3, minutes=n)
        entry = world.entries[n % 4]
        if n % 3 == 1:
            _solved_and_rated(
                world.buyer, entry, agent=world.other_agent, supervisor=world.supervisor, at=at, n=n
            )
            continue
        ticket = _open(world.buyer, entry, subject=f"Problem {n}", at=at)
        if n % 3 == 0:
            ticket_services.ticket_assign(
                ticket_id=ticket.pk, agent=world.agent, actor=world.supervisor, now=at
            )
        # else: left waiting in its queue.

    # Cases: orders in many shops, disputes and claims in several states.
    for n in made:
        at = now - timedelta(days=n % 40)
        shop = shop_upsert(slug=f"shop-{n}", name=f"Shop {n}", seller=world.seller)
        order = _order(shop, world.buyer, f"MP-P{1000 + n}", now=at)
        dispute = _dispute(world.buyer, order, now=at)
        if n % 6 == 0:
            dispute_services.dispute_seller_accept(
                dispute_id=dispute.pk, seller=world.seller, now=at
            )
        elif n % 3 == 1:
            dispute_services.dispute_seller_counter(
                dispute_id=dispute.pk,
                seller=world.seller,
                amount=Decimal("10.00"),
                statement="Half of it",
                now=at,
            )
        elif n % 3 == 2:
            dispute_services.dispute_seller_reject(
                dispute_id=dispute.pk, seller=world.seller, statement="It was fine.", now=at
            )
            escalated = dispute_services.dispute_buyer_escalate(
                dispute_id=dispute.pk, buyer=world.buyer, now=at
            )
            ticket_services.ticket_route(ticket_id=escalated.ticket_id or 0, now=at)
        if n % 5 == 0:
            _decided_cases(
                _order(shop, world.buyer, f"MP-P{2000 + n}", now=at),
                seller=world.seller,
                agent=world.agent,
                now=at,
            )
        claim = _claim(world.buyer, order, now=at)
        if n % 2:
            refused = dispute_services.warranty_claim_seller_refuse(
                claim_id=claim.pk, seller=world.seller, statement="Misuse.", now=at
            )
            ticket_services.ticket_route(ticket_id=refused.ticket_id or 0, now=at)
    # The open dispute and claim collect evidence (and an event each) up to the limit.
    for case in ("dispute", "claim"):
        held = getattr(world, case).evidence.count()
        for n in range(held, dispute_services.MAX_EVIDENCE_PER_CASE):
            person = world.buyer if n % 2 else world.seller
            dispute_services.evidence_add(
                person=person,
                files=[png_file(f"{case}-{n}.png")],
                now=now,
                **{f"{case}_id": getattr(world, case).pk},
            )

    # Configuration: agents, buyers, macros, policies, hours, holidays, keys, hooks.
    for n in made:
        agent = AgentFactory(username=f"perf-agent-{n + 2}")
        ticket_services.agent_configure(
            agent=agent, queues=world.queues[n % 4 : n % 4 + 2], languages=["en"], capacity=5
        )
        BuyerFactory(username=f"perf-buyer-{n}")
        macro_upsert(
            name=f"Macro {n}",
            language="en",
            body=f"Hello {{buyer_name}}, number {n}.",
            topic=world.topics[n % 4],
            sort_order=n,
        )
        ticket_services.sla_policy_upsert(
            name=f"Policy {n}",
            targets=[(world.topics[n % 4], Priority.NORMAL, 30 + n, 600 + n)],
        )
        ticket_services.business_hours_upsert(
            name=f"Hours {n}",
            time_zone="Europe/Berlin",
            weekly_hours={day: [["08:00", "18:00"]] for day in ALL_DAYS[:5]},
        )
        queue_holiday_add(
            slug=world.queues[0].slug, day=(now + timedelta(days=41 + n)).date(), name=f"Day {n}"
        )
        api_key_with("tickets:read", name=f"tool {n}")
        webhook_services.subscription_create(
            api_key=world.key_all,
            url=f"http://127.0.0.1:9/hook-{n}",
            events=["dispute.*"],
            now=now,
        )
        audit_record(obj=world.queues[n % 4], action=AuditAction.UPDATE, note=f"check {n}")
    _refresh_derived(world, first=world.today - timedelta(days=60))
