"""Input and output shapes of the orders API.

Input serializers check shape only; ``orders.services`` keeps the rules.
Output serializers read what the selectors prefetched.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.pagination import SyncPageSerializer
from orders.models import Order, OrderItem, OrderStatus

NUMBER_PATTERN = r"^[\w.-]{1,40}$"
# The total is stored with 12 digits, two after the point.
TOTAL_LIMIT = Decimal("10000000000")


def pattern_field(values: list[str], **kwargs: Any) -> serializers.ChoiceField:
    """A choice field documented as a pattern, not an enum.

    drf-spectacular names enums after the field: a second ``status`` enum next
    to the tickets' one would collide.
    """

    @extend_schema_field({"type": "string", "pattern": f"^({'|'.join(values)})$"})
    class PatternChoiceField(serializers.ChoiceField):
        pass

    return PatternChoiceField(choices=values, **kwargs)


ORDER_STATUSES = [str(value) for value in OrderStatus.values]


# --- Input -------------------------------------------------------------------


class ItemInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    quantity = serializers.IntegerField(min_value=1, max_value=100_000, default=1)
    price = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0"), help_text="Unit price."
    )
    warranty_months = serializers.IntegerField(
        min_value=0, max_value=240, default=0, help_text="0 for no warranty."
    )


class OrderUpsertInputSerializer(serializers.Serializer):
    """Body of orders_upsert: the whole order as the marketplace has it now."""

    number = serializers.RegexField(
        NUMBER_PATTERN,
        max_length=40,
        help_text="The marketplace's order number (letters, digits, `.`, `_`, `-`): the key "
        "of the upsert.",
    )
    buyer = serializers.CharField(
        max_length=150,
        required=False,
        help_text="The buyer's username. Give this or `buyer_email`.",
    )
    buyer_email = serializers.EmailField(
        required=False,
        help_text="The buyer's email; a login-less buyer account is made when no buyer has it.",
    )
    shop = serializers.SlugField(max_length=60, help_text="The shop's slug.")
    shop_name = serializers.CharField(
        max_length=120,
        required=False,
        help_text="With `seller`: creates the shop, or renames it. Needed for a new shop.",
    )
    seller = serializers.CharField(
        max_length=150,
        required=False,
        help_text="The username of the shop's seller account. Needed for a new shop.",
    )
    status = pattern_field(
        ORDER_STATUSES, help_text="`paid`, `shipped`, `delivered`, `cancelled` or `refunded`."
    )
    currency = serializers.RegexField(
        r"^[A-Z]{3}$", help_text="ISO 4217 code in capitals, e.g. `EUR`."
    )
    paid_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Needed unless `cancelled`."
    )
    shipped_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Needed for `shipped`."
    )
    delivered_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Needed for `delivered`."
    )
    cancelled_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Needed for `cancelled`."
    )
    items = ItemInputSerializer(many=True, allow_empty=False, help_text="At least one line.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, str] = {}
        if bool(attrs.get("buyer")) == bool(attrs.get("buyer_email")):
            errors["buyer"] = _("Give either `buyer` or `buyer_email`.")
        status = attrs["status"]
        needs = {
            OrderStatus.PAID: ("paid_at",),
            OrderStatus.SHIPPED: ("paid_at", "shipped_at"),
            OrderStatus.DELIVERED: ("paid_at", "delivered_at"),
            OrderStatus.REFUNDED: ("paid_at",),
            OrderStatus.CANCELLED: ("cancelled_at",),
        }[status]
        for field in needs:
            if attrs.get(field) is None:
                errors[field] = _("Required when the order is %(status)s.") % {"status": status}
        total = sum((item["price"] * item["quantity"] for item in attrs["items"]), Decimal(0))
        if total >= TOTAL_LIMIT:
            errors["items"] = _("The order total is too large.")
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class OrderListQuerySerializer(serializers.Serializer):
    status = pattern_field(ORDER_STATUSES, required=False, help_text="Only orders in this status.")
    buyer = serializers.CharField(required=False, help_text="Only this buyer's (username).")
    shop = serializers.SlugField(required=False, help_text="Only this shop's (slug).")
    updated_since = serializers.DateTimeField(
        required=False, help_text="Only orders changed at or after this moment (ISO 8601)."
    )


# --- Output ------------------------------------------------------------------


class ItemOutputSerializer(serializers.ModelSerializer):
    line_total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = OrderItem
        fields = ("id", "title", "quantity", "price", "warranty_months", "line_total")


class ShopOutputSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    seller = serializers.CharField(source="seller.username")


class OrderOutputSerializer(serializers.ModelSerializer):
    buyer = serializers.CharField(source="buyer.username")
    shop = ShopOutputSerializer()
    status = pattern_field(ORDER_STATUSES)
    items = ItemOutputSerializer(many=True)

    class Meta:
        model = Order
        fields = (
            "number",
            "buyer",
            "shop",
            "status",
            "total",
            "currency",
            "items",
            "paid_at",
            "shipped_at",
            "delivered_at",
            "cancelled_at",
            "created_at",
            "updated_at",
        )


class OrderPageSerializer(SyncPageSerializer):
    results = OrderOutputSerializer(many=True)


def flat_errors(errors: Any, prefix: str = "") -> dict[str, str]:
    """Return a serializer's errors as one message per field, nested ones as `items[0].price`."""
    if isinstance(errors, dict):
        flat: dict[str, str] = {}
        for field, value in errors.items():
            if field == "non_field_errors":
                flat.update(flat_errors(value, prefix or "body"))
            elif isinstance(field, int):  # a list's item, as DRF reports them
                flat.update(flat_errors(value, f"{prefix}[{field}]"))
            else:
                flat.update(flat_errors(value, f"{prefix}.{field}" if prefix else field))
        return flat
    if isinstance(errors, list) and errors and all(isinstance(e, dict | list) for e in errors):
        flat = {}
        for index, value in enumerate(errors):
            if value:
                flat.update(flat_errors(value, f"{prefix}[{index}]"))
        return flat
    if isinstance(errors, list):
        return {prefix or "body": str(errors[0]) if errors else ""}
    return {prefix or "body": str(errors)}
