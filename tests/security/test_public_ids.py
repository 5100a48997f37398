"""Public ids in URLs and references are random, not a sequence one can walk."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from disputes import services as dispute_services
from disputes.models import Dispute, DisputeReason, Evidence, Remedy, WantedOutcome, WarrantyClaim
from disputes.services.evidence import (
    dispute_open_with_evidence,
    warranty_claim_open_with_evidence,
)
from orders.services import shop_upsert
from support_desk.ids import RANDOM_ID_MAX, RANDOM_ID_MIN, random_id
from tests.disputes.conftest import Market, delivered_order
from tests.factories import BuyerFactory, SellerFactory, SupervisorFactory, api_key_with
from tests.tickets.conftest import Desk, build_desk, open_ticket
from tests.tickets.fixtures.samples import png, upload
from tickets import services
from tickets.inbound.addresses import (
    claim_from_address,
    claim_is_signed_for,
    claims_from_text,
    reply_address,
    reply_token,
)
from tickets.models import Attachment, Channel, Ticket, reference_to_id
from tickets.services.attachments import ticket_open_with_files

RANDOM_ID_TABLES = {
    "tickets_ticket": Ticket,
    "tickets_attachment": Attachment,
    "disputes_dispute": Dispute,
    "disputes_evidence": Evidence,
    "disputes_warrantyclaim": WarrantyClaim,
}


@pytest.fixture
def desk(db: None) -> Desk:
    return build_desk()


@pytest.fixture
def market(desk: Desk) -> Market:
    seller = SellerFactory(username="lena")
    shop = shop_upsert(slug="kitchen-shop", name="Kitchen shop", seller=seller)
    return Market(
        desk=desk,
        seller=seller,
        other_seller=SellerFactory(username="marco"),
        shop=shop,
        buyer=desk.buyer,
        stranger=BuyerFactory(username="stranger"),
        order=delivered_order(
            shop, desk.buyer, "MP-5001", delivered=timezone.now() - timedelta(days=3)
        ),
    )


def in_range(value: int) -> bool:
    return RANDOM_ID_MIN <= value < RANDOM_ID_MAX


def test_random_ids_stay_in_the_json_safe_range() -> None:
    drawn = [random_id() for _ in range(2000)]
    assert all(in_range(value) for value in drawn)
    assert len(set(drawn)) == len(drawn)
    # A JSON number read by JavaScript is a double: every id must survive it.
    assert all(int(float(value)) == value for value in drawn)


@pytest.mark.django_db
def test_tickets_disputes_claims_and_their_files_get_random_ids(market: Market) -> None:
    now = timezone.now()
    ticket = ticket_open_with_files(
        buyer=market.buyer,
        topic=market.desk.payment,
        request=services.TicketRequest(
            subject="Charged twice",
            description="At checkout.",
            language="en",
            channel=Channel.WEB,
            order_number="MP-5001",
            transaction_id="TX-1",
            amount=Decimal("40.00"),
        ),
        files=[upload("receipt.png", png())],
        now=now,
    )
    dispute = dispute_open_with_evidence(
        buyer=market.buyer,
        order_number=market.order.number,
        reason=DisputeReason.DAMAGED,
        wanted_outcome=WantedOutcome.FULL_REFUND,
        description="Dented.",
        files=[upload("dent.png", png())],
        now=now,
    )
    claim = warranty_claim_open_with_evidence(
        buyer=market.buyer,
        item_id=market.order.items.get(title="Electric kettle").pk,
        defect="It stopped heating.",
        remedy=Remedy.REPAIR,
        files=[upload("kettle.png", png())],
        now=now,
    )
    made = [
        ticket.pk,
        *ticket.attachments.values_list("pk", flat=True),
        dispute.pk,
        *dispute.evidence.values_list("pk", flat=True),
        claim.pk,
        *claim.evidence.values_list("pk", flat=True),
    ]
    assert len(made) == 6
    assert all(in_range(pk) for pk in made), made


@pytest.mark.django_db
def test_tickets_opened_one_after_another_do_not_number_in_sequence(desk: Desk) -> None:
    now = timezone.now()
    ids = [open_ticket(desk, now=now + timedelta(seconds=n)).pk for n in range(20)]
    assert len(set(ids)) == 20
    assert ids != sorted(ids), "ids follow the order tickets were opened in"
    gaps = {abs(later - earlier) for earlier, later in itertools.pairwise(ids)}
    assert min(gaps) > 1000, "a neighbour's id is one guess away"


@pytest.mark.django_db
def test_the_buyer_finds_their_ticket_under_its_random_id_and_reference(
    client: Client, desk: Desk
) -> None:
    ticket = open_ticket(desk, now=timezone.now())
    client.force_login(desk.buyer)
    page = client.get(f"/help/requests/{ticket.pk}/")
    assert page.status_code == 200
    assert ticket.reference in page.content.decode()
    assert ticket.reference == f"SD-{ticket.pk}"
    assert reference_to_id(ticket.reference) == ticket.pk
    assert reference_to_id(f"  {ticket.reference.lower()} ") == ticket.pk
    assert reference_to_id("SD-²³") is None  # digits Python reads but int() refuses
    assert client.get(f"/help/requests/{ticket.pk + 1}/").status_code == 404


@pytest.mark.django_db
def test_reply_addresses_and_tokens_carry_random_ids(desk: Desk) -> None:
    ticket = open_ticket(desk, now=timezone.now())
    email = desk.buyer.email
    claim = claim_from_address(reply_address(ticket_id=ticket.pk, email=email))
    assert claim is not None and claim.ticket_id == ticket.pk
    assert claim_is_signed_for(claim, email=email)
    [quoted] = claims_from_text(f"> Thanks!\n> {reply_token(ticket=ticket, email=email)}\n")
    assert quoted.ticket_id == ticket.pk and claim_is_signed_for(quoted, email=email)


@pytest.mark.django_db
def test_supervisors_find_tickets_disputes_and_claims_by_their_long_references(
    client: Client, market: Market
) -> None:
    now = timezone.now()
    ticket = open_ticket(market.desk, now=now)
    dispute = dispute_services.dispute_open(
        buyer=market.buyer,
        order_number=market.order.number,
        reason=DisputeReason.DAMAGED,
        wanted_outcome=WantedOutcome.FULL_REFUND,
        description="Dented.",
        now=now,
    )
    claim = dispute_services.warranty_claim_open(
        buyer=market.buyer,
        item_id=market.order.items.get(title="Electric kettle").pk,
        defect="It stopped heating.",
        remedy=Remedy.REPAIR,
        now=now,
    )
    client.force_login(SupervisorFactory())
    for url, case in (
        ("/admin/tickets/ticket/", ticket),
        ("/admin/disputes/dispute/", dispute),
        ("/admin/disputes/warrantyclaim/", claim),
    ):
        response = client.get(url, {"q": case.reference})
        assert response.status_code == 200
        assert [row.pk for row in response.context["cl"].result_list] == [case.pk], url


@pytest.mark.django_db
def test_the_api_answers_ids_that_json_readers_keep_exact(desk: Desk) -> None:
    _, key = api_key_with("tickets:write", "tickets:read")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = api.post(
        "/api/v1/tickets/",
        {
            "topic": "refund",
            "subject": "Where is my refund?",
            "description": "Cancelled a week ago.",
            "language": "en",
            "order_number": "MP-1001",
            "buyer": desk.buyer.username,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = json.loads(response.content, parse_int=float)  # as JavaScript reads it
    ticket = Ticket.objects.get(subject="Where is my refund?")
    assert body["id"] == ticket.pk and in_range(ticket.pk)
    assert body["reference"] == ticket.reference
    assert api.get(f"/api/v1/tickets/{int(body['id'])}/").status_code == 200


# --- The migration: rows made before it keep their ids and links -----------------

BEFORE = [("tickets", "0008_rating_by_time"), ("disputes", "0002_seller_reminded")]
AT = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def _old_rows(apps: Any) -> dict[str, int]:
    """Write a ticket with a file, a dispute and a claim with evidence through the old models."""
    user_model = apps.get_model("accounts", "User")
    buyer = user_model.objects.create(username="old-buyer", email="old@example.com", role="buyer")
    seller = user_model.objects.create(username="old-seller", role="seller")
    topic = apps.get_model("faq", "Topic").objects.create(slug="old-topic", sort_order=1)
    ticket = apps.get_model("tickets", "Ticket").objects.create(
        buyer=buyer,
        topic=topic,
        channel="web",
        language="en",
        subject="Made before random ids",
        description="Old.",
        status="new",
        priority=2,
        created_at=AT,
        updated_at=AT,
    )
    message = apps.get_model("tickets", "Message").objects.create(
        ticket=ticket, kind="buyer", author=buyer, body="Old.", created_at=AT
    )
    attachment = apps.get_model("tickets", "Attachment").objects.create(
        ticket=ticket,
        message=message,
        file="attachments/old",
        name="old.png",
        content_type="image/png",
        size=1,
        sha256="0" * 64,
        created_at=AT,
    )
    shop = apps.get_model("orders", "Shop").objects.create(slug="old", name="Old", seller=seller)
    order = apps.get_model("orders", "Order").objects.create(
        number="OLD-1",
        buyer=buyer,
        shop=shop,
        status="delivered",
        total=Decimal("10.00"),
        currency="EUR",
        created_at=AT,
        updated_at=AT,
    )
    item = apps.get_model("orders", "OrderItem").objects.create(
        order=order, title="Kettle", price=Decimal("10.00"), warranty_months=12
    )
    dispute = apps.get_model("disputes", "Dispute").objects.create(
        order=order,
        buyer=buyer,
        reason="damaged",
        wanted_outcome="full_refund",
        wanted_amount=Decimal("10.00"),
        description="Old.",
        status="awaiting_seller",
        opened_at=AT,
        updated_at=AT,
    )
    claim = apps.get_model("disputes", "WarrantyClaim").objects.create(
        item=item,
        buyer=buyer,
        defect="Old.",
        remedy="repair",
        status="awaiting_seller",
        opened_at=AT,
        updated_at=AT,
    )
    evidence_model = apps.get_model("disputes", "Evidence")
    common = {"content_type": "image/png", "size": 1, "created_at": AT, "uploaded_by": buyer}
    on_dispute = evidence_model.objects.create(
        dispute=dispute, file="evidence/a", name="a.png", **common
    )
    on_claim = evidence_model.objects.create(claim=claim, file="evidence/b", name="b.png", **common)
    return {
        "ticket": ticket.pk,
        "message": message.pk,
        "attachment": attachment.pk,
        "dispute": dispute.pk,
        "claim": claim.pk,
        "evidence_dispute": on_dispute.pk,
        "evidence_claim": on_claim.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_existing_ids_and_links_and_new_rows_get_random_ids() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = _old_rows(executor.loader.project_state(BEFORE).apps)
        assert old["ticket"] < RANDOM_ID_MIN  # a sequence numbered them
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    ticket = Ticket.objects.get(pk=old["ticket"])
    assert ticket.subject == "Made before random ids"
    assert list(ticket.messages.values_list("pk", flat=True)) == [old["message"]]
    assert list(ticket.attachments.values_list("pk", flat=True)) == [old["attachment"]]
    dispute = Dispute.objects.get(pk=old["dispute"])
    assert list(dispute.evidence.values_list("pk", flat=True)) == [old["evidence_dispute"]]
    claim = WarrantyClaim.objects.get(pk=old["claim"])
    assert list(claim.evidence.values_list("pk", flat=True)) == [old["evidence_claim"]]

    # New rows beside the old ones get random ids, through the ORM and the database alike.
    newer = Ticket.objects.create(
        buyer=ticket.buyer,
        topic=ticket.topic,
        channel="web",
        language="en",
        subject="Made after",
        description="New.",
        created_at=AT,
        updated_at=AT,
    )
    assert in_range(newer.pk)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in RANDOM_ID_TABLES:
                cursor.execute(
                    "SELECT is_identity, column_default FROM information_schema.columns "
                    "WHERE table_name = %s AND column_name = 'id'",
                    [table],
                )
                assert cursor.fetchone() == ("NO", None), f"{table}.id still numbers itself"
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                assert cursor.fetchone() == (None,), f"{table}.id still has a sequence"
