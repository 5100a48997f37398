"""Reads of orders and shops, scoped by who asks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from orders.models import Order, OrderItem, Shop
from orders.services import ItemSpec


def _orders() -> QuerySet[Order]:
    return Order.objects.select_related("buyer", "shop__seller").prefetch_related(
        Prefetch("items", queryset=OrderItem.objects.order_by("id"))
    )


def order_list() -> QuerySet[Order]:
    """Return every order with its buyer, shop and items (integrators, agents)."""
    return _orders()


def order_list_for_buyer(*, buyer: User) -> QuerySet[Order]:
    """Return the buyer's own orders."""
    return _orders().filter(buyer=buyer)


def order_list_for_seller(*, seller: User) -> QuerySet[Order]:
    """Return the orders of the seller's shops."""
    return _orders().filter(shop__seller=seller)


def order_get_by_number(*, number: str) -> Order | None:
    """Return the order with this number, whoever it belongs to, or None."""
    return _orders().filter(number=number).first()


def shop_get_by_slug(*, slug: str) -> Shop | None:
    return Shop.objects.select_related("seller").filter(slug=slug).first()


def order_is_as_given(
    *,
    order: Order,
    buyer: User,
    shop: Shop,
    status: str,
    currency: str,
    items: Sequence[ItemSpec],
    paid_at: datetime | None,
    shipped_at: datetime | None,
    delivered_at: datetime | None,
    cancelled_at: datetime | None,
) -> bool:
    """Return True when the stored order already says all of this (items prefetched)."""
    current = [ItemSpec(i.title, i.quantity, i.price, i.warranty_months) for i in order.items.all()]
    return (
        order.buyer_id == buyer.pk
        and order.shop_id == shop.pk
        and order.status == status
        and order.currency == currency
        and order.paid_at == paid_at
        and order.shipped_at == shipped_at
        and order.delivered_at == delivered_at
        and order.cancelled_at == cancelled_at
        and current == list(items)
    )
