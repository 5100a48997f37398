"""Warranty periods counted in months from the local delivery day."""

from __future__ import annotations

from datetime import UTC, date, datetime

from orders.models import add_months, warranty_last_day


def test_months_clamp_to_the_end_of_shorter_months() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 15), 14) == date(2028, 1, 15)


def test_the_last_day_is_counted_in_the_buyers_time_zone() -> None:
    # Delivered at 22:30 UTC on 31 March = 1 April in Moscow.
    delivered = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)
    assert warranty_last_day(delivered_at=delivered, months=12, time_zone="UTC") == date(
        2027, 3, 30
    )
    assert warranty_last_day(delivered_at=delivered, months=12, time_zone="Europe/Moscow") == date(
        2027, 3, 31
    )


def test_sending_the_same_order_twice_changes_nothing(db: None) -> None:
    from datetime import timedelta
    from decimal import Decimal

    from orders.services import ItemSpec, order_upsert, shop_upsert
    from tests.factories import BuyerFactory, SellerFactory

    shop = shop_upsert(slug="s", name="S", seller=SellerFactory())
    buyer = BuyerFactory()
    sent = datetime(2026, 11, 1, tzinfo=UTC)
    values = {
        "number": "MP-1",
        "buyer": buyer,
        "shop": shop,
        "status": "paid",
        "currency": "EUR",
        "items": [ItemSpec("Mug", 2, Decimal("4.50"))],
        "paid_at": sent,
    }
    first = order_upsert(now=sent, **values)  # type: ignore[arg-type]
    again = order_upsert(now=sent + timedelta(days=1), **values)  # type: ignore[arg-type]
    assert again.updated_at == first.updated_at == sent
    assert again.total == Decimal("9.00")
    changed = order_upsert(now=sent + timedelta(days=2), **{**values, "status": "shipped"})  # type: ignore[arg-type]
    assert changed.updated_at == sent + timedelta(days=2)
