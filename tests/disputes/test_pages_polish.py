"""How the case pages read: the decision form, tenses, timelines, dates, order and links."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from disputes import services
from disputes.models import Dispute, Remedy
from disputes.views._cases import case_time_text
from orders.models import Order, OrderStatus
from orders.services import ItemSpec, order_upsert
from tests.disputes.conftest import Market
from tests.disputes.test_agent_panel import escalated
from tests.disputes.test_seller_pages import open_dispute, recent_order
from tickets import services as ticket_services
from tickets.models import Channel, Ticket
from tickets.status import Status

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    """Return the page's words with the tags taken out and the spaces squeezed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def agent_page(client: Client, market: Market, dispute: Dispute) -> str:
    client.force_login(market.desk.agent)
    response = client.get(f"/agent/tickets/{dispute.ticket_id}/")
    assert response.status_code == 200
    return response.content.decode()


def panel_of(html: str) -> str:
    start = html.index('data-testid="case-panel"')
    return html[start : html.index("</section>", start)]


def decide(client: Client, dispute: Dispute, **fields: str) -> None:
    data = {"decide-refund_amount": "45", "decide-note": "Half of it, for the scratch."}
    data.update(fields)
    response = client.post(f"/agent/tickets/{dispute.ticket_id}/case/decide/", data)
    assert response.status_code == 302, response.content.decode()


# --- The agent's decision form --------------------------------------------------


def test_the_return_checkbox_comes_first_on_its_labels_line(client: Client, market: Market) -> None:
    dispute = escalated(market)
    html = panel_of(agent_page(client, market, dispute))

    line = re.search(r'<div class="field field--check">(.*?)</div>', html, re.S)
    assert line is not None, "the checkbox has no line of its own with its label"
    assert re.search(
        r'<input type="checkbox" name="decide-return_required"[^>]*id="(?P<id>[^"]+)"[^>]*>'
        r'\s*<label for="(?P=id)">The item goes back</label>',
        line.group(1),
    ), line.group(1)


# --- The buyer's page after the offer -------------------------------------------


def test_the_sellers_offer_is_told_in_the_past_once_the_dispute_moved_past_it(
    client: Client, market: Market
) -> None:
    dispute = open_dispute(market, recent_order(market, "MP-9101"))
    services.dispute_seller_counter(
        dispute_id=dispute.pk,
        seller=market.seller,
        amount=Decimal("30"),
        statement="A scratch is worth thirty.",
        now=timezone.now(),
    )
    client.force_login(market.buyer)
    url = f"/help/disputes/{dispute.pk}/"
    while_offered = text_of(client.get(url).content.decode())
    assert "The seller offers a partial refund of 30.00 EUR." in while_offered

    services.dispute_buyer_escalate(dispute_id=dispute.pk, buyer=market.buyer, now=timezone.now())
    for_the_desk = text_of(client.get(url).content.decode())
    assert "The seller offered a partial refund of 30.00 EUR." in for_the_desk
    assert "The seller offers" not in for_the_desk


@pytest.mark.parametrize("step", ["accept", "withdraw"])
def test_an_offer_accepted_or_withdrawn_from_is_in_the_past_too(
    client: Client, market: Market, step: str
) -> None:
    dispute = open_dispute(market, recent_order(market, "MP-9102"))
    services.dispute_seller_counter(
        dispute_id=dispute.pk,
        seller=market.seller,
        amount=Decimal("30"),
        statement="",
        now=timezone.now(),
    )
    if step == "accept":
        services.dispute_buyer_accept_counter(
            dispute_id=dispute.pk, buyer=market.buyer, now=timezone.now()
        )
    else:
        services.dispute_buyer_cancel(dispute_id=dispute.pk, buyer=market.buyer, now=timezone.now())
    client.force_login(market.buyer)
    html = text_of(client.get(f"/help/disputes/{dispute.pk}/").content.decode())
    assert "The seller offered a partial refund of 30.00 EUR." in html


# --- The agent's case panel -----------------------------------------------------


def test_the_panels_timeline_names_who_apart_from_what(client: Client, market: Market) -> None:
    dispute = escalated(market)
    agent_page(client, market, dispute)
    decide(client, dispute)

    panel = text_of(panel_of(agent_page(client, market, dispute)))
    assert "The support team decided · You Half of it, for the scratch." in panel
    assert "The seller rejected the dispute · Kitchen shop It left us intact." in panel
    assert "decided You" not in panel


def test_the_sellers_deadline_leaves_the_panel_once_the_seller_answered(
    client: Client, market: Market
) -> None:
    dispute = escalated(market)
    assert dispute.seller_deadline_at is not None  # kept, but no longer binding
    panel = text_of(panel_of(agent_page(client, market, dispute)))
    assert "Seller's deadline" not in panel


def time_element(at: datetime, *, now: datetime) -> str:
    local = timezone.localtime(at)
    return f'<time datetime="{local.isoformat(timespec="seconds")}">{case_time_text(at, now=now)}</time>'


def test_case_dates_read_the_same_for_buyer_seller_and_agent(
    client: Client, market: Market
) -> None:
    dispute = escalated(market)
    opened_at = dispute.events.get(kind="opened").created_at
    local = timezone.localtime(opened_at)
    shown = f"{local.day} {local:%b} {local:%H:%M}"
    assert case_time_text(opened_at, now=timezone.now()) == shown
    expected = time_element(opened_at, now=timezone.now())

    panel = panel_of(agent_page(client, market, dispute))
    client.force_login(market.seller)
    seller = client.get(f"/seller/disputes/{dispute.pk}/").content.decode()
    client.force_login(market.buyer)
    buyer = client.get(f"/help/disputes/{dispute.pk}/").content.decode()
    buyer_list = client.get("/help/disputes/").content.decode()

    for name, html in (
        ("agent", panel),
        ("seller", seller),
        ("buyer", buyer),
        ("list", buyer_list),
    ):
        assert expected in html, name
        assert not re.search(r"\d[ap]\.m\.", html), name


def test_a_case_date_of_another_year_carries_the_year() -> None:
    now = datetime(2027, 1, 3, 9, 0, tzinfo=UTC)
    with timezone.override("UTC"):
        assert case_time_text(datetime(2027, 1, 2, 17, 5, tzinfo=UTC), now=now) == "2 Jan 17:05"
        assert (
            case_time_text(datetime(2026, 12, 30, 8, 45, tzinfo=UTC), now=now)
            == "30 Dec 2026 08:45"
        )


def test_the_sellers_deadline_is_a_time_element_in_the_case_format(
    client: Client, market: Market
) -> None:
    dispute = open_dispute(market, recent_order(market, "MP-9103"))
    client.force_login(market.seller)
    now = timezone.now()
    expected = time_element(dispute.seller_deadline_at, now=now)
    assert expected in client.get("/seller/").content.decode()
    assert expected in client.get(f"/seller/disputes/{dispute.pk}/").content.decode()
    client.force_login(market.buyer)
    assert expected in client.get(f"/help/disputes/{dispute.pk}/").content.decode()


# --- The seller centre's order --------------------------------------------------


def test_the_centre_lists_cases_awaiting_the_seller_by_deadline_then_the_rest_newest_first(
    client: Client, market: Market, settings
) -> None:
    settings.DESK_DISPUTE_SELLER_DAYS = 5
    now = timezone.now()
    rejected = open_dispute(
        market, recent_order(market, "MP-9201", days_ago=10), now=now - timedelta(days=8)
    )
    services.dispute_seller_reject(
        dispute_id=rejected.pk,
        seller=market.seller,
        statement="Sent intact.",
        now=now - timedelta(days=7),
    )
    offered = open_dispute(
        market, recent_order(market, "MP-9202", days_ago=10), now=now - timedelta(days=7)
    )
    services.dispute_seller_counter(
        dispute_id=offered.pk,
        seller=market.seller,
        amount=Decimal("5"),
        statement="",
        now=now - timedelta(days=6),
    )
    later = open_dispute(market, recent_order(market, "MP-9203"), now=now)
    sooner = open_dispute(
        market, recent_order(market, "MP-9204", days_ago=4), now=now - timedelta(days=3)
    )

    html = client_get_seller_centre(client, market)
    section = html[html.index('data-testid="open-disputes"') : html.index("open-claims-heading")]
    listed = re.findall(r'href="/seller/disputes/(\d+)/"', section)
    assert listed == [str(d.pk) for d in (sooner, later, offered, rejected)]


def client_get_seller_centre(client: Client, market: Market) -> str:
    client.force_login(market.seller)
    return client.get("/seller/").content.decode()


def test_open_claims_awaiting_the_seller_come_before_those_with_the_desk(
    market: Market, settings
) -> None:
    from disputes import selectors

    settings.DESK_CLAIM_SELLER_DAYS = 5
    now = timezone.now()
    refused_item = recent_order(market, "MP-9301", days_ago=30).items.get(title="Electric kettle")
    refused = services.warranty_claim_open(
        buyer=market.buyer,
        item_id=refused_item.pk,
        defect="It stopped heating.",
        remedy=Remedy.REPAIR,
        now=now - timedelta(days=8),
    )
    services.warranty_claim_seller_refuse(
        claim_id=refused.pk, seller=market.seller, statement="Misuse.", now=now - timedelta(days=7)
    )
    waiting_item = recent_order(market, "MP-9302", days_ago=30).items.get(title="Electric kettle")
    waiting = services.warranty_claim_open(
        buyer=market.buyer,
        item_id=waiting_item.pk,
        defect="The switch broke.",
        remedy=Remedy.REPLACEMENT,
        now=now,
    )
    listed = list(selectors.claim_list_for_seller(seller=market.seller, open_only=True))
    assert listed == [waiting, refused]


# --- The buyer's request about an order -----------------------------------------


def request_about(market: Market, order: Order, *, subject: str = "About my order") -> Ticket:
    request = ticket_services.TicketRequest(
        subject=subject,
        description="A question about this order.",
        language="en",
        channel=Channel.WEB,
        order_number=order.number,
        transaction_id="TX-1",
        amount=Decimal("10"),
    )
    ticket = ticket_services.ticket_open(
        buyer=market.buyer, topic=market.desk.payment, request=request, now=timezone.now()
    )
    assert ticket.order_id == order.pk
    return ticket


def request_page(client: Client, market: Market, ticket: Ticket) -> str:
    client.force_login(market.buyer)
    response = client.get(f"/help/requests/{ticket.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_request_about_an_order_with_an_open_dispute_links_the_dispute(
    client: Client, market: Market
) -> None:
    order = recent_order(market, "MP-9401")
    dispute = open_dispute(market, order)
    ticket = request_about(market, order)
    ticket_services.ticket_route(ticket_id=ticket.pk, now=timezone.now())
    html = request_page(client, market, ticket)

    assert "MP-9401 · Kitchen shop · 50.00 EUR" in text_of(html)
    assert (
        f'<a href="/help/disputes/{dispute.pk}/">See your dispute {dispute.reference}</a>' in html
    )
    assert "Open a dispute about this order" not in html
    # The buyer's own request, not the dispute's: still theirs to end.
    assert 'data-testid="solve"' in html
    client.post(f"/help/requests/{ticket.pk}/solve/")
    assert Ticket.objects.get(pk=ticket.pk).status == Status.SOLVED


def test_a_request_about_a_disputable_order_offers_to_open_a_dispute_on_it(
    client: Client, market: Market
) -> None:
    order = recent_order(market, "MP-9402")
    html = request_page(client, market, request_about(market, order))

    assert "MP-9402 · Kitchen shop · 50.00 EUR" in text_of(html)
    link = '<a href="/help/disputes/new/?order=MP-9402">Open a dispute about this order</a>'
    assert link in html
    assert "See your dispute" not in html
    form = client.get("/help/disputes/new/?order=MP-9402").content.decode()
    assert re.search(r'<option value="MP-9402"[^>]*selected', form)


def test_a_request_about_an_order_no_longer_disputable_offers_nothing(
    client: Client, market: Market, settings
) -> None:
    settings.DESK_DISPUTE_WINDOW_DAYS = 30
    late = recent_order(market, "MP-9403", days_ago=31)
    now = timezone.now()
    cancelled = order_upsert(
        number="MP-9404",
        buyer=market.buyer,
        shop=market.shop,
        status=OrderStatus.CANCELLED,
        currency="EUR",
        now=now,
        items=[ItemSpec("Teapot", 1, Decimal("20.00"))],
        paid_at=now - timedelta(days=2),
        cancelled_at=now - timedelta(days=1),
    )
    for order in (late, cancelled):
        html = request_page(client, market, request_about(market, order, subject=order.number))
        assert f"{order.number} · Kitchen shop" in text_of(html)
        assert "Open a dispute about this order" not in html
        assert "See your dispute" not in html


def test_a_disputes_own_request_links_back_to_it_after_the_decision(
    client: Client, market: Market
) -> None:
    dispute = escalated(market)
    agent_page(client, market, dispute)
    decide(client, dispute)
    html = request_page(client, market, Ticket.objects.get(pk=dispute.ticket_id))
    assert f"See your dispute {dispute.reference}" in html
    assert "Open a dispute about this order" not in html


def test_the_order_on_a_request_costs_a_few_queries(client: Client, market: Market) -> None:
    plain = ticket_services.ticket_open(
        buyer=market.buyer,
        topic=market.desk.payment,
        request=ticket_services.TicketRequest(
            subject="No order",
            description="A question.",
            language="en",
            channel=Channel.WEB,
            order_number="MP-NOT-MINE",
            transaction_id="TX-1",
            amount=Decimal("10"),
        ),
        now=timezone.now(),
    )
    order = recent_order(market, "MP-9405")
    open_dispute(market, order)
    linked = request_about(market, order)
    client.force_login(market.buyer)

    def queries(ticket: Ticket) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/help/requests/{ticket.pk}/").status_code == 200
        return len(captured)

    assert queries(linked) - queries(plain) <= 3


def test_someone_elses_order_number_shows_no_order_and_no_link(
    client: Client, market: Market
) -> None:
    theirs = order_upsert(
        number="MP-9406",
        buyer=market.stranger,
        shop=market.shop,
        status=OrderStatus.DELIVERED,
        currency="EUR",
        now=timezone.now(),
        items=[ItemSpec("Teapot", 1, Decimal("20.00"))],
        paid_at=timezone.now(),
        delivered_at=timezone.now(),
    )
    request = ticket_services.TicketRequest(
        subject="Not mine",
        description="A question.",
        language="en",
        channel=Channel.WEB,
        order_number=theirs.number,
        transaction_id="TX-1",
        amount=Decimal("10"),
    )
    ticket = ticket_services.ticket_open(
        buyer=market.buyer, topic=market.desk.payment, request=request, now=timezone.now()
    )
    assert ticket.order_id is None
    html = request_page(client, market, ticket)
    assert "Kitchen shop" not in html
    assert "Open a dispute about this order" not in html


# --- The agent's status control -------------------------------------------------


def test_the_status_control_starts_on_a_prompt_not_on_a_status(
    client: Client, market: Market
) -> None:
    dispute = escalated(market)
    html = agent_page(client, market, dispute)
    select = re.search(r'<select name="status-status"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None
    options = re.findall(r"<option[^>]*>[^<]*</option>", select.group(1))
    assert re.fullmatch(
        r'<option value="" disabled selected>Choose a new status</option>', options[0]
    )
    assert not [option for option in options[1:] if "selected" in option]
    assert any('value="pending"' in option for option in options)

    empty = client.post(f"/agent/tickets/{dispute.ticket_id}/status/", {"status-status": ""})
    assert empty.status_code == 400


def test_a_status_the_ticket_cannot_take_now_is_refused_keeping_the_agents_choice(
    client: Client, market: Market
) -> None:
    dispute = escalated(market)  # queued: nobody has it yet, so it cannot wait on the buyer
    agent_page(client, market, dispute)
    response = client.post(
        f"/agent/tickets/{dispute.ticket_id}/status/", {"status-status": "pending"}
    )
    assert response.status_code == 409
    select = re.search(
        r'<select name="status-status"[^>]*>(.*?)</select>', response.content.decode(), re.S
    )
    assert select is not None
    assert '<option value="pending" selected>' in select.group(1)
    assert '<option value="" disabled selected>' not in select.group(1)


def test_a_status_not_offered_is_refused_and_the_control_asks_again(
    client: Client, market: Market
) -> None:
    dispute = escalated(market)
    agent_page(client, market, dispute)
    response = client.post(
        f"/agent/tickets/{dispute.ticket_id}/status/", {"status-status": "closed"}
    )
    assert response.status_code == 400
    select = re.search(
        r'<select name="status-status"[^>]*>(.*?)</select>', response.content.decode(), re.S
    )
    assert select is not None
    assert '<option value="" disabled selected>' in select.group(1)


def test_a_warranty_claims_own_request_links_back_to_the_claim(
    client: Client, market: Market
) -> None:
    item = recent_order(market, "MP-9407", days_ago=40).items.get(title="Electric kettle")
    claim = services.warranty_claim_open(
        buyer=market.buyer,
        item_id=item.pk,
        defect="It stopped heating.",
        remedy=Remedy.REPAIR,
        now=timezone.now(),
    )
    claim = services.warranty_claim_seller_refuse(
        claim_id=claim.pk, seller=market.seller, statement="Misuse.", now=timezone.now()
    )
    assert claim.ticket_id is not None
    html = request_page(client, market, Ticket.objects.get(pk=claim.ticket_id))
    link = (
        f'<a href="/help/disputes/claims/{claim.pk}/">See your warranty claim {claim.reference}</a>'
    )
    assert link in html
    assert "Open a dispute about this order" not in html


def test_a_cases_request_offers_no_my_problem_is_solved_and_refuses_it(
    client: Client, market: Market
) -> None:
    """The case's own page ends it (the decision, or withdrawing the case)."""
    dispute = escalated(market)
    ticket = Ticket.objects.get(pk=dispute.ticket_id)
    html = request_page(client, market, ticket)
    assert f"See your dispute {dispute.reference}" in html
    assert 'data-testid="solve"' not in html

    # Sent anyway (an old page, a crafted form): refused with the reason, nothing changes.
    response = client.post(f"/help/requests/{ticket.pk}/solve/", follow=True)
    assert "withdraw the case on its page" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).status == ticket.status

    api = client.post(
        f"/api/v1/tickets/{ticket.pk}/status/",
        {"status": "solved"},
        content_type="application/json",
    )
    assert api.status_code == 409
    assert api.json()["error"]["code"] == "ticket_of_a_case"
    assert Ticket.objects.get(pk=ticket.pk).status == ticket.status
