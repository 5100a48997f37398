"""The buyer's disputes and warranty claims: opening one, following it, each step, evidence."""

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
from disputes.models import (
    CostBearer,
    Dispute,
    DisputeReason,
    Evidence,
    Remedy,
    WantedOutcome,
    WarrantyClaim,
)
from disputes.status import ClaimStatus, DisputeStatus
from orders.models import Order, warranty_last_day
from tests.disputes.conftest import Market, day, delivered_order
from tests.factories import SellerFactory
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def png(name: str = "parcel.png") -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", (8, 8), (30, 90, 200)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def recent_order(market: Market, number: str, *, days_ago: int = 3, buyer=None) -> Order:  # type: ignore[no-untyped-def]
    delivered = timezone.now() - timedelta(days=days_ago)
    return delivered_order(market.shop, buyer or market.buyer, number, delivered=delivered)


def as_buyer(client: Client, market: Market) -> Client:
    client.force_login(market.buyer)
    return client


def dispute_form(order: Order, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "order_number": order.number,
        "reason": DisputeReason.NOT_AS_DESCRIBED,
        "wanted_outcome": WantedOutcome.FULL_REFUND,
        "partial_amount": "",
        "description": "The kettle holds 1 litre, not 1.7 as described.",
    }
    data.update(changes)
    return data


def open_dispute(market: Market, order: Order) -> Dispute:
    return services.dispute_open(
        buyer=market.buyer,
        order_number=order.number,
        reason=DisputeReason.DAMAGED,
        wanted_outcome=WantedOutcome.FULL_REFUND,
        description="Cracked lid.",
        now=timezone.now(),
    )


# --- The list -------------------------------------------------------------------


def test_the_list_shows_the_buyers_cases_and_the_ways_to_open_one(
    client: Client, market: Market
) -> None:
    dispute = open_dispute(market, recent_order(market, "MP-8001"))
    html = as_buyer(client, market).get("/help/disputes/").content.decode()
    assert 'href="/help/disputes/new/"' in html and "Open a dispute" in html
    assert 'href="/help/disputes/warranty/new/"' in html
    assert f'href="/help/disputes/{dispute.pk}/"' in html and "MP-8001" in html
    assert "My disputes" in html  # in the navigation

    client.force_login(market.stranger)
    html = client.get("/help/disputes/").content.decode()
    assert "MP-8001" not in html and 'data-testid="no-cases"' in html


# --- Opening a dispute ----------------------------------------------------------


def test_the_form_offers_only_the_buyers_paid_orders(client: Client, market: Market) -> None:
    recent_order(market, "MP-8002")
    recent_order(market, "MP-8003", buyer=market.stranger)
    html = as_buyer(client, market).get("/help/disputes/new/").content.decode()
    assert 'value="MP-8002"' in html and "50.00 EUR" in html
    assert "MP-8003" not in html


def test_the_buyer_opens_a_dispute_with_evidence(client: Client, market: Market) -> None:
    order = recent_order(market, "MP-8004")
    response = as_buyer(client, market).post(
        "/help/disputes/new/", {**dispute_form(order), "evidence": [png("a.png"), png("b.png")]}
    )
    assert response.status_code == 302
    dispute = Dispute.objects.get(order=order)
    assert response["Location"] == f"/help/disputes/{dispute.pk}/"
    assert dispute.status == DisputeStatus.AWAITING_SELLER
    assert sorted(e.name for e in Evidence.objects.filter(dispute=dispute)) == ["a.png", "b.png"]
    html = client.get(response["Location"]).content.decode()
    assert "is open" in html and "The seller has until" in html
    assert "a.png" in html


@pytest.mark.parametrize("number", ["MP-8006", "MP-NOPE"])
def test_someone_elses_or_an_unknown_order_number_gets_the_same_clear_error(
    client: Client, market: Market, number: str
) -> None:
    recent_order(market, "MP-8006", buyer=market.stranger)
    fake = Order(number=number)
    response = as_buyer(client, market).post("/help/disputes/new/", dispute_form(fake))
    assert response.status_code == 400
    html = response.content.decode()
    assert "You have no order with that number." in html
    assert "The kettle holds 1 litre" in html
    assert not Dispute.objects.exists()


def test_a_partial_amount_above_the_total_is_refused_and_the_form_kept(
    client: Client, market: Market
) -> None:
    order = recent_order(market, "MP-8007")
    response = as_buyer(client, market).post(
        "/help/disputes/new/",
        dispute_form(order, wanted_outcome=WantedOutcome.PARTIAL_REFUND, partial_amount="75.00"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "A refund cannot be more than the order total (50.00)." in html
    assert 'value="75.00"' in html
    assert "The kettle holds 1 litre" in html
    assert 'value="partial_refund" required id="id_wanted_outcome_1" checked' in html
    assert not Dispute.objects.exists()


def test_a_partial_refund_needs_an_amount(client: Client, market: Market) -> None:
    order = recent_order(market, "MP-8008")
    response = as_buyer(client, market).post(
        "/help/disputes/new/", dispute_form(order, wanted_outcome=WantedOutcome.PARTIAL_REFUND)
    )
    assert response.status_code == 400
    assert "Say how much you ask for." in response.content.decode()


def test_outside_the_protection_window_the_date_is_given(
    client: Client, market: Market, settings
) -> None:
    settings.DESK_DISPUTE_WINDOW_DAYS = 30
    order = recent_order(market, "MP-8009", days_ago=40)
    assert order.delivered_at is not None
    closes = order.delivered_at + timedelta(days=30)
    response = as_buyer(client, market).post("/help/disputes/new/", dispute_form(order))
    assert response.status_code == 400
    assert f"Buyer protection for this order ended on {day(closes.date())}." in (
        response.content.decode()
    )


def test_a_file_that_is_not_accepted_refuses_the_dispute_naming_it(
    client: Client, market: Market
) -> None:
    order = recent_order(market, "MP-8010")
    page = SimpleUploadedFile("invoice.html", b"<html><script>alert(1)</script></html>")
    response = as_buyer(client, market).post(
        "/help/disputes/new/", {**dispute_form(order), "evidence": [page]}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "invoice.html" in html and "web pages (HTML) are not accepted" in html
    assert "choose them again" in html
    assert not Dispute.objects.exists() and not Evidence.objects.exists()


# --- The buyer's steps ----------------------------------------------------------


def test_the_buyer_accepts_the_counter_offer(client: Client, market: Market) -> None:
    dispute = open_dispute(market, recent_order(market, "MP-8011"))
    services.dispute_seller_counter(
        dispute_id=dispute.pk,
        seller=market.seller,
        amount=Decimal("20"),
        statement="The lid is a spare part.",
        now=timezone.now(),
    )
    as_buyer(client, market)
    html = client.get(f"/help/disputes/{dispute.pk}/").content.decode()
    assert "partial refund of 20.00 EUR" in html and "The lid is a spare part." in html
    assert "Accept the offer" in html and "Ask the support team to decide" in html

    response = client.post(f"/help/disputes/{dispute.pk}/accept-offer/")
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.RESOLVED
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="outcome"' in html and "20.00 EUR" in html and "Not needed" in html
    assert "Withdraw" not in html


def test_the_buyer_escalates_and_the_request_is_linked(client: Client, market: Market) -> None:
    dispute = open_dispute(market, recent_order(market, "MP-8012"))
    services.dispute_seller_reject(
        dispute_id=dispute.pk, seller=market.seller, statement="Not damaged.", now=timezone.now()
    )
    as_buyer(client, market)
    assert "Not damaged." in client.get(f"/help/disputes/{dispute.pk}/").content.decode()

    response = client.post(f"/help/disputes/{dispute.pk}/escalate/")
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.ESCALATED
    ticket = Ticket.objects.get(pk=dispute.ticket_id)
    assert ticket.buyer == market.buyer
    html = client.get(response["Location"]).content.decode()
    assert f'href="/help/requests/{ticket.pk}/"' in html and ticket.reference in html


def test_the_outcome_shows_the_refund_and_who_pays_the_return(
    client: Client, market: Market
) -> None:
    dispute = open_dispute(market, recent_order(market, "MP-8013"))
    now = timezone.now()
    services.dispute_seller_reject(
        dispute_id=dispute.pk, seller=market.seller, statement="It was fine.", now=now
    )
    services.dispute_buyer_escalate(dispute_id=dispute.pk, buyer=market.buyer, now=now)
    services.dispute_decide(
        dispute_id=dispute.pk,
        agent=market.desk.agent,
        refund_amount=Decimal("35"),
        return_required=True,
        return_cost_bearer=CostBearer.SELLER,
        note="The photos show the crack; send it back at the seller's cost.",
        now=now,
    )
    html = as_buyer(client, market).get(f"/help/disputes/{dispute.pk}/").content.decode()
    assert "35.00 EUR" in html
    assert "Needed; the return is paid by: The seller" in html
    assert "send it back at the seller" in html


def test_the_buyer_withdraws(client: Client, market: Market) -> None:
    dispute = open_dispute(market, recent_order(market, "MP-8014"))
    response = as_buyer(client, market).post(f"/help/disputes/{dispute.pk}/withdraw/")
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.CANCELLED
    html = client.get(response["Location"]).content.decode()
    assert "You withdrew the dispute." in html and 'data-testid="withdraw"' not in html


@pytest.mark.parametrize("step", ["accept-offer", "escalate"])
def test_no_offer_to_accept_or_answer_to_escalate_before_the_seller_answers(
    client: Client, market: Market, step: str
) -> None:
    dispute = open_dispute(market, recent_order(market, "MP-8015"))
    html = as_buyer(client, market).get(f"/help/disputes/{dispute.pk}/").content.decode()
    assert "Accept the offer" not in html and "Ask the support team" not in html
    response = client.post(f"/help/disputes/{dispute.pk}/{step}/")
    assert response.status_code == 302
    assert "This case has moved on" in client.get(response["Location"]).content.decode()
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.AWAITING_SELLER
    assert dispute.refund_amount is None and dispute.ticket_id is None


def test_another_buyers_dispute_is_not_found(client: Client, market: Market) -> None:
    dispute = open_dispute(market, recent_order(market, "MP-8016"))
    client.force_login(market.stranger)
    assert client.get(f"/help/disputes/{dispute.pk}/").status_code == 404
    assert client.post(f"/help/disputes/{dispute.pk}/withdraw/").status_code == 404
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.AWAITING_SELLER


# --- Warranty claims ------------------------------------------------------------


def kettle(order: Order) -> int:
    return order.items.get(title="Electric kettle").pk


def test_the_buyer_opens_a_warranty_claim_with_evidence(client: Client, market: Market) -> None:
    order = recent_order(market, "MP-8017", days_ago=60)
    as_buyer(client, market)
    html = client.get("/help/disputes/warranty/new/").content.decode()
    assert f'value="{kettle(order)}"' in html and "Descaler" not in html
    response = client.post(
        "/help/disputes/warranty/new/",
        {
            "item": kettle(order),
            "defect": "It no longer heats.",
            "remedy": Remedy.REPLACEMENT,
            "evidence": [png("kettle.png")],
        },
    )
    assert response.status_code == 302
    claim = WarrantyClaim.objects.get(item_id=kettle(order))
    assert claim.status == ClaimStatus.AWAITING_SELLER
    assert Evidence.objects.get(claim=claim).name == "kettle.png"
    html = client.get(response["Location"]).content.decode()
    assert "It no longer heats." in html and "Replacement" in html


def test_a_claim_after_the_warranty_shows_its_last_day(client: Client, market: Market) -> None:
    order = recent_order(market, "MP-8018", days_ago=800)
    assert order.delivered_at is not None
    last_day = warranty_last_day(delivered_at=order.delivered_at, months=24, time_zone="UTC")
    response = as_buyer(client, market).post(
        "/help/disputes/warranty/new/",
        {"item": kettle(order), "defect": "It no longer heats.", "remedy": Remedy.REPAIR},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f"The warranty on this item ended on {day(last_day)}." in html
    assert "It no longer heats." in html
    assert not WarrantyClaim.objects.exists()


def item_options(html: str) -> str:
    start = html.index('name="item"')
    return html[start : html.index("</select>", start)]


def test_the_claim_form_sets_items_whose_warranty_ended_apart_with_the_day_it_ended(
    client: Client, market: Market
) -> None:
    """The buyer sees before sending which items can still be claimed."""
    running = recent_order(market, "MP-8021", days_ago=60)
    ended = recent_order(market, "MP-8022", days_ago=800)
    assert running.delivered_at is not None and ended.delivered_at is not None
    runs_to = warranty_last_day(delivered_at=running.delivered_at, months=24, time_zone="UTC")
    ended_on = warranty_last_day(delivered_at=ended.delivered_at, months=24, time_zone="UTC")
    html = as_buyer(client, market).get("/help/disputes/warranty/new/").content.decode()
    options = item_options(html)
    under, _, over = options.partition('<optgroup label="Warranty ended">')
    assert '<optgroup label="Under warranty">' in under
    assert f'value="{kettle(running)}"' in under
    assert f"Electric kettle · order MP-8021 · warranty to {day(runs_to)}" in under
    assert f'value="{kettle(ended)}"' in over
    assert f"Electric kettle · order MP-8022 · warranty ended on {day(ended_on)}" in over
    assert 'data-testid="all-ended"' not in html


def test_the_claim_form_says_when_every_warranty_has_ended(client: Client, market: Market) -> None:
    recent_order(market, "MP-8023", days_ago=800, buyer=market.stranger)
    client.force_login(market.stranger)
    html = client.get("/help/disputes/warranty/new/").content.decode()
    assert "The warranty has ended on every item of your delivered orders." in html
    assert "Under warranty" not in item_options(html)


def test_a_claim_on_someone_elses_item_is_refused_without_saying_whose(
    client: Client, market: Market
) -> None:
    order = recent_order(market, "MP-8019", buyer=market.stranger)
    response = as_buyer(client, market).post(
        "/help/disputes/warranty/new/",
        {"item": kettle(order), "defect": "Broken.", "remedy": Remedy.REPAIR},
    )
    assert response.status_code == 400
    assert "You have no such item." in response.content.decode()
    assert "MP-8019" not in response.content.decode()


def test_the_buyer_withdraws_a_claim_and_sees_a_refusal_escalated(
    client: Client, market: Market
) -> None:
    now = timezone.now()
    first = services.warranty_claim_open(
        buyer=market.buyer,
        item_id=kettle(recent_order(market, "MP-8020")),
        defect="Leaks.",
        remedy=Remedy.REPAIR,
        now=now,
    )
    services.warranty_claim_seller_refuse(
        claim_id=first.pk, seller=market.seller, statement="Dropped.", now=now
    )
    as_buyer(client, market)
    html = client.get(f"/help/disputes/claims/{first.pk}/").content.decode()
    assert "Dropped." in html
    first.refresh_from_db()
    assert f'href="/help/requests/{first.ticket_id}/"' in html

    response = client.post(f"/help/disputes/claims/{first.pk}/withdraw/")
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == ClaimStatus.CANCELLED


# --- Evidence files -------------------------------------------------------------


def test_evidence_goes_only_to_the_buyer_the_cases_seller_and_agents(
    client: Client, market: Market
) -> None:
    order = recent_order(market, "MP-8021")
    as_buyer(client, market).post(
        "/help/disputes/new/", {**dispute_form(order), "evidence": [png("lid.png")]}
    )
    evidence = Evidence.objects.get()
    url = f"/help/disputes/evidence/{evidence.pk}/"

    for person in (market.buyer, market.seller, market.desk.agent):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200, person
        assert response["Content-Disposition"].startswith('attachment; filename="lid.png"')
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")

    for person in (market.stranger, market.other_seller, SellerFactory()):
        client.force_login(person)
        assert client.get(url).status_code == 404, person
        assert client.get(f"/seller/evidence/{evidence.pk}/").status_code == 404

    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
