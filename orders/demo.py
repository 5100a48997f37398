"""Demo shops and orders: one shop for each demo seller, orders in every status.

Built through ``orders.services`` with dates relative to ``now``. Idempotent
by natural keys: a shop by its slug, an order by its number; what exists is
left alone, so loading again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from accounts.models import User
from orders import services
from orders.models import Order, OrderStatus, Shop
from orders.services import ItemSpec

SHOPS = (
    ("lenas-kitchen", "Lena's Kitchen", "seller"),
    ("marcos-gadgets", "Marco's Gadgets", "seller2"),
)


@dataclass(frozen=True)
class DemoOrder:
    number: str
    buyer: str
    shop: str
    status: OrderStatus
    delivered_days_ago: float  # for the other statuses: when it was paid
    items: tuple[ItemSpec, ...]


def _items(*specs: tuple[str, int, str, int]) -> tuple[ItemSpec, ...]:
    return tuple(
        ItemSpec(title, qty, Decimal(price), months) for title, qty, price, months in specs
    )


KITCHEN, GADGETS = SHOPS[0][0], SHOPS[1][0]
DELIVERED, SHIPPED, PAID = OrderStatus.DELIVERED, OrderStatus.SHIPPED, OrderStatus.PAID

# What the disputes and claims demo needs is named in disputes/demo.py by these numbers.
ORDERS = (
    DemoOrder("DEMO-1001", "buyer", KITCHEN, PAID, 1, _items(("Cast-iron pan", 1, "39.90", 0))),
    DemoOrder(
        "DEMO-1002",
        "buyer",
        GADGETS,
        SHIPPED,
        3,
        _items(("USB-C charger", 2, "19.50", 12), ("Cable, 2 m", 1, "7.90", 0)),
    ),
    DemoOrder(
        "DEMO-1003",
        "buyer",
        KITCHEN,
        DELIVERED,
        6,
        _items(("Electric kettle", 1, "49.00", 24), ("Descaler", 2, "4.50", 0)),
    ),
    DemoOrder(
        "DEMO-1004",
        "buyer2",
        GADGETS,
        OrderStatus.CANCELLED,
        9,
        _items(("Smart plug", 3, "14.00", 12)),
    ),
    DemoOrder(
        "DEMO-1005",
        "buyer2",
        KITCHEN,
        OrderStatus.REFUNDED,
        12,
        _items(("Knife set", 1, "89.00", 0)),
    ),
    DemoOrder("DEMO-1006", "buyer", KITCHEN, DELIVERED, 8, _items(("Linen apron", 1, "24.00", 0))),
    DemoOrder(
        "DEMO-1007", "buyer2", GADGETS, DELIVERED, 7, _items(("Bluetooth speaker", 1, "59.00", 12))
    ),
    DemoOrder(
        "DEMO-1008", "buyer", GADGETS, DELIVERED, 10, _items(("Fitness tracker", 1, "79.00", 12))
    ),
    DemoOrder(
        "DEMO-1009", "buyer2", KITCHEN, DELIVERED, 9, _items(("Glass teapot", 1, "32.00", 0))
    ),
    DemoOrder("DEMO-1010", "buyer2", GADGETS, SHIPPED, 15, _items(("Phone case", 1, "12.00", 0))),
    DemoOrder(
        "DEMO-1011", "buyer", KITCHEN, DELIVERED, 90, _items(("Stand mixer", 1, "249.00", 24))
    ),
    DemoOrder(
        "DEMO-1012",
        "buyer2",
        GADGETS,
        DELIVERED,
        150,
        _items(("Wireless headphones", 1, "129.00", 12)),
    ),
    DemoOrder(
        "DEMO-1013", "buyer", GADGETS, DELIVERED, 240, _items(("Robot vacuum", 1, "299.00", 24))
    ),
    DemoOrder(
        "DEMO-1014", "buyer", KITCHEN, DELIVERED, 300, _items(("Coffee grinder", 1, "69.00", 12))
    ),
    DemoOrder(
        "DEMO-1015",
        "buyer",
        KITCHEN,
        DELIVERED,
        11,
        _items(("Dinner plates, set of 6", 1, "64.00", 0), ("Serving bowl", 1, "18.00", 0)),
    ),
)


def _shops() -> dict[str, Shop]:
    shops = {shop.slug: shop for shop in Shop.objects.filter(slug__in=[s[0] for s in SHOPS])}
    sellers = {u.username: u for u in User.objects.filter(username__in=[s[2] for s in SHOPS])}
    for slug, name, seller in SHOPS:
        if slug not in shops and seller in sellers:
            shops[slug] = services.shop_upsert(slug=slug, name=name, seller=sellers[seller])
    return shops


def _create(order: DemoOrder, *, buyer: User, shop: Shop, now: datetime) -> None:
    at = now - timedelta(days=order.delivered_days_ago)
    dates: dict[str, datetime | None] = {"paid_at": at}
    if order.status == DELIVERED:
        dates = {"paid_at": at - timedelta(days=4), "shipped_at": at - timedelta(days=2)}
        dates["delivered_at"] = at
    elif order.status == SHIPPED:
        dates["shipped_at"] = at + timedelta(days=1)
    elif order.status == OrderStatus.CANCELLED:
        dates = {"paid_at": None, "cancelled_at": at + timedelta(hours=2)}
    created = min(d for d in dates.values() if d is not None) - timedelta(minutes=3)
    last = max(d for d in dates.values() if d is not None)
    services.order_upsert(
        number=order.number,
        buyer=buyer,
        shop=shop,
        status=order.status,
        currency="EUR",
        items=order.items,
        now=created,
        **dates,
    )
    if last > created:
        # The marketplace pushes the order again at each step; the last push is the latest.
        services.order_upsert(
            number=order.number,
            buyer=buyer,
            shop=shop,
            status=order.status,
            currency="EUR",
            items=order.items,
            now=min(last, now),
            **dates,
        )


def load(*, now: datetime) -> None:
    """Create the demo shops and orders that do not exist yet."""
    shops = _shops()
    buyers = {u.username: u for u in User.objects.filter(username__in=("buyer", "buyer2"))}
    existing = set(
        Order.objects.filter(number__in=[o.number for o in ORDERS]).values_list("number", flat=True)
    )
    for order in ORDERS:
        if order.number in existing or order.buyer not in buyers or order.shop not in shops:
            continue
        _create(order, buyer=buyers[order.buyer], shop=shops[order.shop], now=now)
