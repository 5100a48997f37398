"""A marketplace in miniature: a shop, its seller, a buyer's orders, the desk's dispute queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from accounts.models import User
from orders.models import Order, OrderStatus, Shop
from orders.services import ItemSpec, order_upsert, shop_upsert
from tests.factories import BuyerFactory, SellerFactory
from tests.tickets.conftest import Desk, build_desk

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def day(value: date) -> str:
    """Return a day as the case pages and forms write it in English: "23 Sep 2026"."""
    return f"{value.day} {value:%b %Y}"


@dataclass
class Market:
    desk: Desk
    seller: User
    other_seller: User
    shop: Shop
    buyer: User
    stranger: User
    order: Order


def delivered_order(market_shop: Shop, buyer: User, number: str, *, delivered: datetime) -> Order:
    return order_upsert(
        number=number,
        buyer=buyer,
        shop=market_shop,
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


@pytest.fixture
def market(db: None) -> Market:
    desk = build_desk()
    seller = SellerFactory(username="lena")
    shop = shop_upsert(slug="kitchen-shop", name="Kitchen shop", seller=seller)
    return Market(
        desk=desk,
        seller=seller,
        other_seller=SellerFactory(username="marco"),
        shop=shop,
        buyer=desk.buyer,
        stranger=BuyerFactory(username="stranger"),
        order=delivered_order(shop, desk.buyer, "MP-5001", delivered=NOW - timedelta(days=3)),
    )
