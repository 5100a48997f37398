"""Writes of orders and shops: idempotent upserts by their marketplace keys."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import ProtectedError

from accounts.models import User
from orders.models import Order, OrderItem, OrderStatus, Shop
from support_desk.errors import DomainError


class InvalidOrder(DomainError):
    code = "invalid_order"


@dataclass(frozen=True)
class ItemSpec:
    title: str
    quantity: int
    price: Decimal
    warranty_months: int = 0


def shop_upsert(*, slug: str, name: str, seller: User) -> Shop:
    """Create or update a shop, owned by a seller account."""
    if not seller.is_seller:
        raise InvalidOrder(
            "A shop belongs to a seller account.", details={"seller": "Not a seller."}
        )
    shop, _ = Shop.objects.update_or_create(slug=slug, defaults={"name": name, "seller": seller})
    return shop


@transaction.atomic
def order_upsert(
    *,
    number: str,
    buyer: User,
    shop: Shop,
    status: str,
    currency: str,
    items: Sequence[ItemSpec],
    now: datetime,
    paid_at: datetime | None = None,
    shipped_at: datetime | None = None,
    delivered_at: datetime | None = None,
    cancelled_at: datetime | None = None,
) -> Order:
    """Create or replace an order by its number; the total is the sum of its lines.

    Raises InvalidOrder for an unknown status, a bad currency code, no items,
    or an order number that belongs to another buyer.
    """
    if status not in OrderStatus.values:
        raise InvalidOrder(f"Unknown status {status!r}.", details={"status": "Unknown."})
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        raise InvalidOrder(
            "Currency is an ISO 4217 code like EUR.", details={"currency": "ISO 4217."}
        )
    if not items:
        raise InvalidOrder("An order has at least one item.", details={"items": "Required."})
    total = sum((item.price * item.quantity for item in items), Decimal("0"))
    existing = Order.objects.select_for_update().filter(number=number).first()
    if existing is not None and existing.buyer_id != buyer.pk:
        raise InvalidOrder(
            "That order number belongs to another buyer.", details={"buyer": "Mismatch."}
        )
    values = {
        "buyer": buyer,
        "shop": shop,
        "status": status,
        "total": total,
        "currency": currency,
        "paid_at": paid_at,
        "shipped_at": shipped_at,
        "delivered_at": delivered_at,
        "cancelled_at": cancelled_at,
        "updated_at": now,
    }
    if existing is None:
        order = Order.objects.create(number=number, created_at=now, **values)
    else:
        order = existing
        current = [
            ItemSpec(i.title, i.quantity, i.price, i.warranty_months) for i in order.items.all()
        ]
        same_items = current == list(items)
        changed = [
            field
            for field, value in values.items()
            if field != "updated_at" and getattr(order, field) != value
        ]
        if same_items and not changed:
            # The same order sent again changes nothing, not even updated_at:
            # integrators syncing by updated_since see no phantom change.
            return order
        for field, value in values.items():
            setattr(order, field, value)
        order.save()
        if same_items:
            return order
        try:
            order.items.all().delete()
        except ProtectedError as error:
            raise InvalidOrder(
                "The items of an order with warranty claims cannot change.",
                details={"items": "Has warranty claims."},
            ) from error
    OrderItem.objects.bulk_create(
        OrderItem(
            order=order,
            title=item.title,
            quantity=item.quantity,
            price=item.price,
            warranty_months=item.warranty_months,
        )
        for item in items
    )
    return order
