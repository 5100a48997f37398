"""Shops and orders in the admin: shops are kept here, orders are the marketplace's to change.

Orders arrive through the API (``orders_upsert``); the admin shows them
with their items so a supervisor can look one up, but never edits them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from audit.mixins import AuditedAdminMixin
from orders import services
from orders.models import Order, OrderItem, Shop


def _is_supervisor(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_staff", False)) and (
        getattr(request.user, "role", None) == Role.SUPERVISOR
    )


class SupervisorsMayLook(admin.ModelAdmin):
    """Let supervisors see these pages even where their group lacks the orders permissions."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_supervisor(request) or super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_supervisor(request) or super().has_view_permission(request, obj)


@admin.register(Shop)
class ShopAdmin(AuditedAdminMixin, SupervisorsMayLook):
    list_display = ("name", "slug", "seller", "order_count")
    list_select_related = ("seller",)
    search_fields = ("name", "slug", "seller__username", "seller__email")
    fields = ("name", "slug", "seller")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Shop]:
        return super().get_queryset(request).annotate(n_orders=Count("orders"))

    @admin.display(description=_("orders"), ordering="n_orders")
    def order_count(self, obj: Shop) -> int:
        return obj.n_orders  # type: ignore[attr-defined]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The slug is the marketplace's key for the shop: fixed once made.
        return ("slug",) if obj is not None else ()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_supervisor(request) or super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_supervisor(request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Orders keep their shop; a shop with history is not deleted.
        return False

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "seller":
            kwargs["queryset"] = db_field.related_model.objects.filter(
                role=Role.SELLER, is_active=True
            ).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Shop, form: Any, change: bool) -> None:
        """Save through the service, which checks the seller is a seller account."""
        saved = services.shop_upsert(slug=obj.slug, name=obj.name, seller=obj.seller)
        obj.pk = saved.pk


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    fields = ("title", "quantity", "price", "warranty_months")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_supervisor(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(SupervisorsMayLook):
    list_display = (
        "number",
        "buyer",
        "shop",
        "status",
        "total",
        "currency",
        "paid_at",
        "delivered_at",
        "updated_at",
    )
    list_filter = ("status", "currency", "shop")
    list_select_related = ("buyer", "shop")
    search_fields = ("number", "buyer__username", "buyer__email")
    search_help_text = _("Order number, or the buyer's username or email.")
    date_hierarchy = "created_at"
    list_per_page = 50
    show_full_result_count = False
    inlines = (OrderItemInline,)
    fields = (
        "number",
        "buyer",
        "shop",
        "status",
        "total",
        "currency",
        "paid_at",
        "shipped_at",
        "delivered_at",
        "cancelled_at",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Order]:
        return super().get_queryset(request).select_related("buyer", "shop")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The marketplace pushes orders through the API; nobody types one in.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
