"""The seller centre: the seller's own cases, each case page, and the seller's answers."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from disputes import services
from disputes.models import Dispute, DisputeReason, Evidence, Remedy, WantedOutcome, WarrantyClaim
from disputes.services.evidence import dispute_open_with_evidence
from disputes.status import ClaimStatus, DisputeStatus
from orders.models import Order
from orders.services import shop_upsert
from tests.disputes.conftest import Market, delivered_order

pytestmark = pytest.mark.django_db


def png(name: str = "parcel.png") -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", (8, 8), (200, 40, 30)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def recent_order(market: Market, number: str, *, days_ago: int = 3, shop=None) -> Order:  # type: ignore[no-untyped-def]
    delivered = timezone.now() - timedelta(days=days_ago)
    return delivered_order(shop or market.shop, market.buyer, number, delivered=delivered)


def open_dispute(market: Market, order: Order, **changes: object) -> Dispute:
    values: dict[str, object] = {
        "buyer": market.buyer,
        "order_number": order.number,
        "reason": DisputeReason.DAMAGED,
        "wanted_outcome": WantedOutcome.FULL_REFUND,
        "description": "The kettle arrived with a cracked lid.",
        "now": timezone.now(),
    }
    values.update(changes)
    return services.dispute_open(**values)  # type: ignore[arg-type]


def open_claim(market: Market, order: Order) -> WarrantyClaim:
    return services.warranty_claim_open(
        buyer=market.buyer,
        item_id=order.items.get(title="Electric kettle").pk,
        defect="It stopped heating after two months.",
        remedy=Remedy.REPAIR,
        now=timezone.now(),
    )


def as_seller(client: Client, market: Market) -> Client:
    client.force_login(market.seller)
    return client


def marcos_dispute(market: Market) -> Dispute:
    """A dispute on the other seller's shop, with a file of evidence."""
    shop = shop_upsert(slug="marco-tools", name="Marco tools", seller=market.other_seller)
    order = recent_order(market, "MP-7001", shop=shop)
    return dispute_open_with_evidence(
        buyer=market.buyer,
        order_number=order.number,
        reason=DisputeReason.WRONG_ITEM,
        wanted_outcome=WantedOutcome.FULL_REFUND,
        description="A hammer instead of a kettle.",
        files=[png()],
        now=timezone.now(),
    )


# --- The centre -----------------------------------------------------------------


def test_the_centre_lists_only_the_sellers_own_open_cases_with_their_deadlines(
    client: Client, market: Market, settings
) -> None:
    settings.DESK_DISPUTE_SELLER_DAYS = 2
    dispute = open_dispute(
        market,
        recent_order(market, "MP-6001"),
        wanted_outcome=WantedOutcome.PARTIAL_REFUND,
        partial_amount=Decimal("12.50"),
    )
    overdue = open_dispute(
        market, recent_order(market, "MP-6002"), now=timezone.now() - timedelta(days=3)
    )
    claim = open_claim(market, recent_order(market, "MP-6003"))
    marcos_dispute(market)

    html = as_seller(client, market).get("/seller/").content.decode()

    assert f'href="/seller/disputes/{dispute.pk}/"' in html
    assert f'href="/seller/claims/{claim.pk}/"' in html
    assert "MP-6001" in html and market.buyer.first_name in html
    assert "Arrived damaged" in html and "Partial refund" in html and "12.50 EUR" in html
    assert "2 days left" in html
    assert "deadline--close" in html
    assert f'href="/seller/disputes/{overdue.pk}/"' in html and "deadline--overdue" in html
    assert "It stopped heating" in html and "Repair" in html
    assert "MP-7001" not in html and "A hammer" not in html


def test_the_centre_is_for_sellers_only(client: Client, market: Market) -> None:
    client.force_login(market.buyer)
    assert client.get("/seller/").status_code == 403


# --- Another seller's case ------------------------------------------------------


def test_another_sellers_dispute_page_answer_and_evidence_are_not_found(
    client: Client, market: Market
) -> None:
    dispute = marcos_dispute(market)
    evidence = Evidence.objects.get(dispute=dispute)
    as_seller(client, market)

    assert client.get(f"/seller/disputes/{dispute.pk}/").status_code == 404
    assert client.post(f"/seller/disputes/{dispute.pk}/accept/").status_code == 404
    response = client.post(f"/seller/disputes/{dispute.pk}/reject/", {"reject-statement": "No."})
    assert response.status_code == 404
    assert client.get(f"/seller/evidence/{evidence.pk}/").status_code == 404
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.AWAITING_SELLER


def test_another_sellers_claim_is_not_found(client: Client, market: Market) -> None:
    claim = open_claim(market, recent_order(market, "MP-6004"))
    client.force_login(market.other_seller)
    assert client.get(f"/seller/claims/{claim.pk}/").status_code == 404
    assert client.post(f"/seller/claims/{claim.pk}/accept/").status_code == 404
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.AWAITING_SELLER


# --- Answering a dispute --------------------------------------------------------


def test_the_case_page_shows_the_statement_evidence_and_timeline(
    client: Client, market: Market
) -> None:
    order = recent_order(market, "MP-6005")
    dispute = dispute_open_with_evidence(
        buyer=market.buyer,
        order_number=order.number,
        reason=DisputeReason.DAMAGED,
        wanted_outcome=WantedOutcome.RETURN_AND_REFUND,
        description="The lid is cracked.",
        files=[png("lid.png")],
        now=timezone.now(),
    )
    evidence = Evidence.objects.get(dispute=dispute)

    html = as_seller(client, market).get(f"/seller/disputes/{dispute.pk}/").content.decode()

    assert "The lid is cracked." in html
    assert f'href="/seller/evidence/{evidence.pk}/"' in html and "lid.png" in html
    assert "Opened" in html and "Return and refund" in html and "50.00 EUR" in html
    assert 'data-testid="answers"' in html


def test_the_seller_accepts_through_the_page(client: Client, market: Market) -> None:
    dispute = open_dispute(market, recent_order(market, "MP-6006"))
    response = as_seller(client, market).post(
        f"/seller/disputes/{dispute.pk}/accept/", {"accept-statement": "Sorry about that."}
    )
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.RESOLVED
    assert dispute.refund_amount == Decimal("50.00")
    html = client.get(response["Location"]).content.decode()
    assert "You accepted the dispute" in html
    assert 'data-testid="answers"' not in html
    assert "Sorry about that." in html


def test_the_seller_rejects_with_a_statement_and_not_without(
    client: Client, market: Market
) -> None:
    dispute = open_dispute(market, recent_order(market, "MP-6007"))
    as_seller(client, market)

    response = client.post(f"/seller/disputes/{dispute.pk}/reject/", {"reject-statement": "  "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()

    response = client.post(
        f"/seller/disputes/{dispute.pk}/reject/",
        {"reject-statement": "The photo shows another kettle."},
    )
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.SELLER_REJECTED
    assert dispute.seller_statement == "The photo shows another kettle."


def test_a_counter_offer_above_the_order_total_is_refused_in_the_page_keeping_what_was_typed(
    client: Client, market: Market
) -> None:
    dispute = open_dispute(market, recent_order(market, "MP-6008"))
    response = as_seller(client, market).post(
        f"/seller/disputes/{dispute.pk}/counter/",
        {"counter-amount": "80.00", "counter-statement": "Half for the scratch."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "A refund cannot be more than the order total (50.00)." in html
    assert 'value="80.00"' in html
    assert "Half for the scratch." in html
    assert "Refund you offer (EUR)" in html
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.AWAITING_SELLER


def test_a_counter_offer_within_the_total_goes_to_the_buyer(client: Client, market: Market) -> None:
    dispute = open_dispute(market, recent_order(market, "MP-6009"))
    response = as_seller(client, market).post(
        f"/seller/disputes/{dispute.pk}/counter/",
        {"counter-amount": "20", "counter-statement": "For the scratch."},
    )
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.COUNTER_OFFERED
    assert dispute.counter_amount == Decimal("20.00")
    assert "20.00 EUR" in client.get(response["Location"]).content.decode()


def test_an_answer_to_a_case_that_moved_on_says_so(client: Client, market: Market) -> None:
    dispute = open_dispute(market, recent_order(market, "MP-6010"))
    services.dispute_buyer_cancel(dispute_id=dispute.pk, buyer=market.buyer, now=timezone.now())
    response = as_seller(client, market).post(
        f"/seller/disputes/{dispute.pk}/reject/", {"reject-statement": "No."}
    )
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "This case has moved on" in html
    assert "Withdrawn" in html
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.CANCELLED


# --- Answering a warranty claim -------------------------------------------------


def test_the_seller_accepts_a_claim(client: Client, market: Market) -> None:
    claim = open_claim(market, recent_order(market, "MP-6011"))
    html = as_seller(client, market).get(f"/seller/claims/{claim.pk}/").content.decode()
    assert "It stopped heating after two months." in html and "Electric kettle" in html
    response = client.post(f"/seller/claims/{claim.pk}/accept/", {})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ACCEPTED
    assert claim.decided_remedy == Remedy.REPAIR


def test_the_seller_refuses_a_claim_with_a_statement_and_the_desk_gets_it(
    client: Client, market: Market
) -> None:
    claim = open_claim(market, recent_order(market, "MP-6012"))
    as_seller(client, market)
    response = client.post(f"/seller/claims/{claim.pk}/refuse/", {"refuse-statement": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()

    response = client.post(
        f"/seller/claims/{claim.pk}/refuse/", {"refuse-statement": "Dropped, not a defect."}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ESCALATED
    assert claim.ticket is not None
    assert "Dropped, not a defect." in client.get(response["Location"]).content.decode()


def test_the_seller_cannot_accept_once_the_desk_has_the_dispute(
    client: Client, market: Market
) -> None:
    dispute = open_dispute(market, recent_order(market, "MP-6013"))
    services.dispute_seller_counter(
        dispute_id=dispute.pk,
        seller=market.seller,
        amount=Decimal("5"),
        statement="",
        now=timezone.now(),
    )
    services.dispute_buyer_escalate(dispute_id=dispute.pk, buyer=market.buyer, now=timezone.now())
    response = as_seller(client, market).post(f"/seller/disputes/{dispute.pk}/accept/")
    assert response.status_code == 302
    assert "This case has moved on" in client.get(response["Location"]).content.decode()
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.ESCALATED
