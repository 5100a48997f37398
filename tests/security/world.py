"""One desk with something of everything, built through the services, for the security tests.

Two buyers (A owns the cases, B owns one ticket in another queue), the seller
who is party to A's cases and a seller who is not, an agent of the queues A's
tickets sit in and one who works elsewhere, a supervisor, and an integrator
key of every scope (plus an all-scopes key, keys bound to each seller, the key
that owns a webhook subscription and a revoked key).

Text only agents may read is planted with unique markers (``AGENT_ONLY``): an
internal note, its file, the reasons of an assignment and a queue move, and
the agents' email addresses. Whoever is not an agent must never see them.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import User
from api import services as api_services
from api.idempotency import idempotency_claim
from api.scopes import SCOPES
from disputes import services as dispute_services
from disputes.models import DisputeReason, Remedy, WantedOutcome
from faq import services as faq_services
from orders.models import OrderStatus
from orders.services import ItemSpec, order_upsert, shop_upsert
from support_desk.parking import task_park
from tests.factories import (
    AgentFactory,
    BuyerFactory,
    SellerFactory,
    SupervisorFactory,
    api_key_with,
)
from tickets import services as ticket_services
from tickets.inbound.parsing import InboundMessage
from tickets.inbound.service import inbound_mail_receive
from tickets.models import Presence, Priority, Ticket, TicketEvent
from tickets.services.assistant import ticket_assistant_reply
from tickets.services.attachments import (
    ticket_reply_by_agent_with_files,
    ticket_reply_by_buyer_with_files,
)
from tickets.services.macros import macro_upsert
from tickets.status import Status
from webhooks import services as webhook_services
from webhooks.models import Delivery

# Planted where only agents may look; each must never reach anyone else.
NOTE_MARKER = "note-only-agents-read-q7v"
NOTE_FILE_NAME = "memo-only-agents-read-q7v.txt"
ASSIGN_REASON = "assign-reason-only-agents-read-q7v"
AGENT_IN_EMAIL = "agent.in.q7v@desk-staff.invalid"
AGENT_OUT_EMAIL = "agent.out.q7v@desk-staff.invalid"
SUPERVISOR_EMAIL = "supervisor.q7v@desk-staff.invalid"
AGENT_USERNAMES = ("agent-in-q7v", "agent-out-q7v", "supervisor-q7v")
AGENT_ONLY = (
    NOTE_MARKER,
    NOTE_FILE_NAME,
    ASSIGN_REASON,
    AGENT_IN_EMAIL,
    AGENT_OUT_EMAIL,
    SUPERVISOR_EMAIL,
    *AGENT_USERNAMES,
)

# Planted on buyer B's ticket: buyer A (or a seller) must never see it.
B_SUBJECT = "subject-only-buyer-b-reads-q7v"
B_FILE_NAME = "receipt-only-buyer-b-reads-q7v.txt"

# The people (session principals) by role and relation to the world's objects.
PEOPLE = (
    "buyer_a",
    "buyer_b",
    "seller",
    "seller_b",
    "agent_in",
    "agent_out",
    "supervisor",
)
ANONYMOUS = "anonymous"
# One key per scope (``key:<scope>``; the seller scope bound to the party seller),
# and these.
KEY_ALL = "key:all"  # every scope but seller: the marketplace's own back end
KEY_SELLER_B = "key:seller_b"  # scope seller, bound to the seller who is not a party
KEY_HOOK_OWNER = "key:hook_owner"  # owns the webhook subscription
KEY_REVOKED = "key:revoked"  # every scope, revoked
KEYS = (
    *(f"key:{scope}" for scope in SCOPES),
    KEY_ALL,
    KEY_SELLER_B,
    KEY_HOOK_OWNER,
    KEY_REVOKED,
)
PRINCIPALS = (ANONYMOUS, *PEOPLE, *KEYS)


def png_bytes() -> bytes:
    image = Image.new("RGB", (24, 16), (200, 40, 40))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def text_file(name: str, text: str = "order MP-1001, charged twice") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


def png_file(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


@dataclass
class World:
    """Who is who, how each principal authenticates, and what fills each URL."""

    people: dict[str, User]
    # Session principals: their session key; key principals: their raw key.
    sessions: dict[str, str]
    raw_keys: dict[str, str]
    # Values that fill URL arguments, by the name a policy row refers to.
    ids: dict[str, Any]
    # Text only agents may read: the planted markers and what routing wrote itself.
    agent_only: tuple[str, ...] = AGENT_ONLY
    extra: dict[str, Any] = field(default_factory=dict)

    def user(self, principal: str) -> User | None:
        return self.people.get(principal)


def _session_for(user: User) -> str:
    """Return the key of a stored session signed in as ``user`` (what a login leaves)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    assert store.session_key is not None
    return store.session_key


def _topic(slug: str, order: int) -> Any:
    return faq_services.topic_upsert(
        slug=slug,
        name={"en": slug.title()},
        description={"en": f"About {slug}"},
        icon="",
        sort_order=order,
        email_contact=slug in ("payment", "refund"),
    )


def _order(shop: Any, buyer: User, number: str, *, delivered_days_ago: int) -> Any:
    delivered = timezone.now() - timedelta(days=delivered_days_ago)
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


def _open(
    buyer: User, topic: Any, *, subject: str, entry: Any = None, order: str = "MP-S100"
) -> Ticket:
    now = timezone.now()
    request = ticket_services.TicketRequest(
        subject=subject,
        description="It happened at checkout yesterday.",
        language="en",
        channel="web",
        order_number=order,
        transaction_id="TX-42",
        amount=Decimal("59.90"),
        product="Kettle",
        purchase_date=now.date(),
    )
    ticket = ticket_services.ticket_open(
        buyer=buyer, topic=topic, faq_entry=entry, request=request, now=now
    )
    ticket_services.ticket_route(ticket_id=ticket.pk, now=now)
    return Ticket.objects.get(pk=ticket.pk)


def build_world() -> World:
    """Create the world through the services and return how to reach each part of it."""
    now = timezone.now()
    payment, refund, dispute_topic, warranty = (
        _topic(slug, i) for i, slug in enumerate(("payment", "refund", "dispute", "warranty"))
    )
    entry = faq_services.faq_entry_upsert(
        topic=payment,
        slug="payment-failed",
        texts={"en": ("My payment failed", "Check your card and try again.")},
        operator_resolvable=True,
    )
    faq_services.faq_entry_upsert(
        topic=payment,
        slug="charged-twice",
        texts={"en": ("My card was charged twice", "A double charge is a hold; it goes away.")},
    )
    refund_entry = faq_services.faq_entry_upsert(
        topic=refund,
        slug="refund-missing",
        texts={"en": ("Where is my refund", "Refunds take 3-10 days.")},
        operator_resolvable=True,
    )
    draft = faq_services.faq_entry_upsert(
        topic=payment,
        slug="draft-answer",
        published=False,
        texts={"en": ("A draft about payment", "Not ready."), "ru": ("Черновик", "Не готово.")},
    )
    policy = ticket_services.sla_policy_upsert(
        name="Standard",
        targets=[(None, priority, 240, 2880) for priority in Priority.values],
    )
    hours = ticket_services.business_hours_upsert(
        name="Every day",
        time_zone="Europe/Berlin",
        weekly_hours={
            day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        },
    )
    queues = {
        slug: ticket_services.queue_upsert(
            slug=slug,
            name=slug.replace("-", " ").title(),
            language="en",
            topics=[topic],
            sla_policy=policy,
            sort_order=i,
            hours=hours if slug == "en-payment" else None,
        )
        for i, (slug, topic) in enumerate(
            (
                ("en-payment", payment),
                ("en-refund", refund),
                ("en-dispute", dispute_topic),
                ("en-warranty", warranty),
            )
        )
    }
    from tickets.services.setup import queue_holiday_add

    queue_holiday_add(slug="en-payment", day=(now + timedelta(days=40)).date(), name="Holiday")

    buyer_a = BuyerFactory(username="buyer-a", email="buyer.a@example.com")
    buyer_b = BuyerFactory(username="buyer-b", email="buyer.b@example.com")
    seller = SellerFactory(username="seller-party", email="seller@example.com")
    seller_b = SellerFactory(username="seller-other", email="seller.b@example.com")
    agent_in, agent_out, supervisor = (
        factory(username=username, email=email, first_name=name)
        for factory, username, email, name in zip(
            (AgentFactory, AgentFactory, SupervisorFactory),
            AGENT_USERNAMES,
            (AGENT_IN_EMAIL, AGENT_OUT_EMAIL, SUPERVISOR_EMAIL),
            ("Ina", "Otto", "Sue"),
            strict=True,
        )
    )
    ticket_services.agent_configure(
        agent=agent_in,
        queues=[queues["en-payment"], queues["en-dispute"], queues["en-warranty"]],
        languages=["en"],
        capacity=20,
    )
    ticket_services.agent_configure(
        agent=agent_out, queues=[queues["en-refund"]], languages=["en"], capacity=20
    )
    macro = macro_upsert(
        name="Thanks", language="en", body="Thank you, {buyer_name}.", sort_order=1
    )

    # Keys first, so the webhook owner hears of everything that follows.
    keys: dict[str, str] = {}
    key_rows: dict[str, Any] = {}
    for scope in SCOPES:
        row, keys[f"key:{scope}"] = api_key_with(
            scope, name=f"only {scope}", seller=seller if scope == "seller" else None
        )
        key_rows[f"key:{scope}"] = row
    everything = [scope for scope in SCOPES if scope != "seller"]
    key_rows[KEY_ALL], keys[KEY_ALL] = api_key_with(*everything, name="back end")
    key_rows[KEY_SELLER_B], keys[KEY_SELLER_B] = api_key_with(
        "seller", name="other shop", seller=seller_b
    )
    key_rows[KEY_HOOK_OWNER], keys[KEY_HOOK_OWNER] = api_key_with(
        "webhooks:read", "webhooks:write", "tickets:read", "disputes:read", name="hook owner"
    )
    revoked, keys[KEY_REVOKED] = api_key_with(*everything, name="revoked")
    api_services.api_key_revoke(api_key=revoked, now=now)
    subscription, _secret = webhook_services.subscription_create(
        api_key=key_rows[KEY_HOOK_OWNER],
        url="http://127.0.0.1:9/desk-hook",
        events=["ticket.*", "dispute.*"],
        now=now,
    )

    # Buyer A's ticket in agent_in's queue: files, a reply, a note, reasons.
    ticket_a = _open(buyer_a, payment, subject="My card was charged twice", entry=entry)
    assistant = ticket_assistant_reply(ticket_id=ticket_a.pk, now=now)
    assert assistant is not None, "the assistant suggested nothing"
    ticket_reply_by_buyer_with_files(
        ticket_id=ticket_a.pk,
        buyer=buyer_a,
        body="Here is my bank statement.",
        files=[text_file("statement-a.txt")],
        now=now,
    )
    ticket_services.ticket_assign(
        ticket_id=ticket_a.pk, agent=agent_in, actor=supervisor, now=now, reason=ASSIGN_REASON
    )
    ticket_services.ticket_reply_by_agent(
        ticket_id=ticket_a.pk, agent=agent_in, body="We are looking into it.", now=now
    )
    note = ticket_reply_by_agent_with_files(
        ticket_id=ticket_a.pk,
        agent=agent_in,
        body=f"Card issuer flagged it: {NOTE_MARKER}",
        files=[text_file(NOTE_FILE_NAME, "internal memo")],
        internal=True,
        now=now,
    )
    buyer_file = ticket_a.attachments.exclude(message=note).get()
    note_file = note.attachments.get()

    # Buyer A's solved ticket (ratings), buyer B's ticket in agent_out's queue.
    solved = _open(buyer_a, payment, subject="Solved already", entry=entry)
    ticket_services.ticket_assign(ticket_id=solved.pk, agent=agent_in, actor=supervisor, now=now)
    ticket_services.ticket_reply_by_agent(
        ticket_id=solved.pk, agent=agent_in, body="Refunded.", now=now, then_status=Status.SOLVED
    )
    ticket_b = _open(buyer_b, refund, subject=B_SUBJECT, entry=refund_entry)
    ticket_reply_by_buyer_with_files(
        ticket_id=ticket_b.pk,
        buyer=buyer_b,
        body="Still nothing.",
        files=[text_file(B_FILE_NAME)],
        now=now,
    )
    ticket_services.ticket_assign(ticket_id=ticket_b.pk, agent=agent_out, actor=supervisor, now=now)
    b_file = ticket_b.attachments.get()

    # The market: buyer A's orders from the party seller's shop, B's from the other shop.
    shop = shop_upsert(slug="kitchen-shop", name="Kitchen shop", seller=seller)
    other_shop = shop_upsert(slug="garden-shop", name="Garden shop", seller=seller_b)
    order_a = _order(shop, buyer_a, "MP-S100", delivered_days_ago=3)
    order_a2 = _order(shop, buyer_a, "MP-S101", delivered_days_ago=3)
    order_a3 = _order(shop, buyer_a, "MP-S102", delivered_days_ago=3)
    order_a4 = _order(shop, buyer_a, "MP-S103", delivered_days_ago=3)
    order_b = _order(other_shop, buyer_b, "MP-S200", delivered_days_ago=3)

    def dispute_on(number: str) -> Any:
        return dispute_services.dispute_open(
            buyer=buyer_a,
            order_number=number,
            reason=DisputeReason.DAMAGED,
            wanted_outcome=WantedOutcome.FULL_REFUND,
            description="The kettle arrived dented.",
            now=now,
        )

    dispute = dispute_on(order_a.number)
    evidence = dispute_services.evidence_add(
        person=buyer_a, files=[png_file("dent-photo.png")], dispute_id=dispute.pk, now=now
    )[0]
    countered = dispute_on(order_a2.number)
    dispute_services.dispute_seller_counter(
        dispute_id=countered.pk,
        seller=seller,
        amount=Decimal("10.00"),
        statement="Half of the kettle",
        now=now,
    )
    escalated = dispute_on(order_a3.number)
    dispute_services.dispute_seller_reject(
        dispute_id=escalated.pk, seller=seller, statement="It was fine when sent.", now=now
    )
    dispute_services.dispute_buyer_escalate(dispute_id=escalated.pk, buyer=buyer_a, now=now)
    escalated.refresh_from_db()
    ticket_services.ticket_route(ticket_id=escalated.ticket_id, now=now)

    def claim_on(order: Any) -> Any:
        return dispute_services.warranty_claim_open(
            buyer=buyer_a,
            item_id=order.items.get(title="Electric kettle").pk,
            defect="It stopped heating.",
            remedy=Remedy.REPAIR,
            now=now,
        )

    claim = claim_on(order_a)
    claim_evidence = dispute_services.evidence_add(
        person=seller, files=[png_file("test-report.png")], claim_id=claim.pk, now=now
    )[0]
    claim_escalated = claim_on(order_a4)
    dispute_services.warranty_claim_seller_refuse(
        claim_id=claim_escalated.pk, seller=seller, statement="Misuse.", now=now
    )
    claim_escalated.refresh_from_db()
    ticket_services.ticket_route(ticket_id=claim_escalated.ticket_id, now=now)

    question = faq_services.assistant_ask(
        question="my payment failed", language="en", visitor=f"user:{buyer_a.pk}", now=now
    ).question
    # A retried API call's record, and a mail from a stranger: rows the admin lists.
    idempotency_claim(
        owner=f"user:{buyer_a.pk}",
        key="retry-7",
        fingerprint="0" * 64,
        method="POST",
        path="/api/v1/tickets/",
        now=now,
    )
    inbound_mail_receive(
        mail=InboundMessage(
            mail_id="<stranger-1@mail.example.com>",
            sender="stranger@example.com",
            recipients=["support@localhost"],
            subject="Hello",
            text="Is anyone there?",
        ),
        now=now,
    )
    task_park(
        task_name="tickets.route",
        task_id="parked-1",
        kwargs={"ticket_id": ticket_b.pk},
        tries=3,
        error="worker lost",
        now=now,
    )
    delivery = Delivery.objects.filter(subscription=subscription).order_by("created_at").first()
    assert delivery is not None, "the subscription heard of nothing"

    people = {
        "buyer_a": buyer_a,
        "buyer_b": buyer_b,
        "seller": seller,
        "seller_b": seller_b,
        "agent_in": agent_in,
        "agent_out": agent_out,
        "supervisor": supervisor,
    }
    # The reasons agents read were recorded: the assignment's and the routing's own.
    reasons = set(TicketEvent.objects.filter(ticket=ticket_a).values_list("reason", flat=True))
    assert ASSIGN_REASON in reasons
    routed = Ticket.objects.get(pk=ticket_a.pk).routing_reason
    assert routed and routed in reasons, routed
    ticket_services.agent_set_presence(agent=agent_in, presence=Presence.ONLINE, now=now)
    return World(
        people=people,
        sessions={name: _session_for(user) for name, user in people.items()},
        raw_keys=keys,
        ids={
            "ticket": ticket_a.pk,
            "ticket_solved": solved.pk,
            "ticket_b": ticket_b.pk,
            "attachment": buyer_file.pk,
            "note_attachment": note_file.pk,
            "attachment_b": b_file.pk,
            "assistant_entry": assistant.data["answers"][0]["entry"],
            "entry": entry.pk,
            "draft": draft.pk,
            "draft_slug": draft.slug,
            "topic": payment.slug,
            "entry_slug": entry.slug,
            "question": question.pk,
            "dispute": dispute.pk,
            "dispute_countered": countered.pk,
            "dispute_escalated": escalated.pk,
            "escalation_ticket": escalated.ticket_id,
            "claim": claim.pk,
            "claim_escalated": claim_escalated.pk,
            "claim_ticket": claim_escalated.ticket_id,
            "evidence": evidence.pk,
            "claim_evidence": claim_evidence.pk,
            "order": order_a.number,
            "order_b": order_b.number,
            "queue": "en-payment",
            "queue_pk:en-warranty": queues["en-warranty"].pk,
            "free_order": order_a4.number,  # buyer A's, no dispute on it yet
            "free_item": order_a2.items.get(title="Electric kettle").pk,  # no claim on it yet
            "ticket_content_type": ContentType.objects.get_for_model(Ticket).pk,
            "holiday": (now + timedelta(days=40)).date().isoformat(),
            "sla_policy": policy.pk,
            "macro": macro.pk,
            "agent": agent_in.username,
            "buyer": buyer_a.username,
            "subscription": subscription.pk,
            "delivery": delivery.uuid,
            "user": buyer_a.pk,
            "missing_uuid": uuid.uuid4(),
        },
        agent_only=(*AGENT_ONLY, routed),
        extra={"key_rows": key_rows},
    )
