"""A ticket links the buyer's own order by its number; anyone else's stays unlinked."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from django.test import Client

from orders.services import ItemSpec, order_upsert, shop_upsert
from tests.factories import SellerFactory
from tests.tickets.conftest import Desk, open_ticket
from tickets import services

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def order_of(desk: Desk, buyer, number: str):  # type: ignore[no-untyped-def]
    shop = shop_upsert(slug="kitchen", name="Kitchen shop", seller=SellerFactory())
    return order_upsert(
        number=number,
        buyer=buyer,
        shop=shop,
        status="paid",
        currency="EUR",
        now=NOW,
        items=[ItemSpec("Kettle", 1, Decimal("40.00"))],
        paid_at=NOW,
    )


def test_the_buyers_own_order_is_linked_and_shown_to_the_agent(client: Client, desk: Desk) -> None:
    order = order_of(desk, desk.buyer, "MP-1001")
    ticket = open_ticket(desk, now=NOW)
    assert ticket.order == order
    services.ticket_route(ticket_id=ticket.pk, now=NOW)
    client.force_login(desk.agent)
    html = client.get(f"/agent/tickets/{ticket.pk}/").content.decode()
    assert "MP-1001 · Kitchen shop · 40.00 EUR" in html


def test_someone_elses_order_number_is_never_linked(desk: Desk) -> None:
    order_of(desk, desk.other_buyer, "MP-1001")
    ticket = open_ticket(desk, now=NOW)
    assert ticket.order is None
    assert ticket.order_number == "MP-1001"
