"""Disputes and warranty claims in the admin: to look up and follow, never to change.

Buyers open cases (help centre, API) and every step goes through
``disputes.services`` (seller centre, agent workspace, API): here each case
is shown with its timeline and evidence, read-only.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from disputes.models import ClaimEvent, Dispute, DisputeEvent, Evidence, WarrantyClaim

REFERENCE = re.compile(r"^\s*(DS|WC)-?0*(\d{1,16})\s*$", re.IGNORECASE)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DisputeEventInline(ReadOnlyInline):
    model = DisputeEvent
    fields = ("created_at", "kind", "actor", "from_status", "to_status", "note")
    readonly_fields = fields
    verbose_name_plural = _("timeline")


class ClaimEventInline(DisputeEventInline):
    model = ClaimEvent  # type: ignore[assignment]


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fields = ("name", "content_type", "size", "uploaded_by", "created_at")
    readonly_fields = fields
    fk_name = "dispute"


class ClaimEvidenceInline(EvidenceInline):
    fk_name = "claim"


class CaseAdmin(admin.ModelAdmin):
    """Read-only case pages: no add, no change, no delete."""

    prefix = ""
    list_per_page = 50
    show_full_result_count = False
    date_hierarchy = "opened_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        results, duplicates = super().get_search_results(request, queryset, search_term)
        match = REFERENCE.match(search_term or "")
        if match and match.group(1).upper() == self.prefix:
            results = results | queryset.filter(pk=int(match.group(2)))
        return results, duplicates

    @admin.display(description=_("reference"), ordering="id")
    def reference_display(self, obj: Any) -> str:
        return str(obj)

    @admin.display(description=_("escalation ticket"))
    def ticket_link(self, obj: Any) -> str:
        if obj.ticket_id is None:
            return "—"
        url = reverse("admin:tickets_ticket_change", args=[obj.ticket_id])
        return format_html('<a href="{}">{}</a>', url, obj.ticket.reference)


@admin.register(Dispute)
class DisputeAdmin(CaseAdmin):
    prefix = "DS"
    list_display = (
        "reference_display",
        "order",
        "buyer",
        "seller",
        "status",
        "reason",
        "wanted_amount",
        "seller_deadline_at",
        "updated_at",
    )
    list_filter = ("status", "reason", "wanted_outcome", "order__shop")
    list_select_related = ("order__shop__seller", "buyer")
    search_fields = ("order__number", "buyer__username", "buyer__email")
    search_help_text = _("Order number, buyer's username or email, or a reference like DS-000123.")
    inlines = (DisputeEventInline, EvidenceInline)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "order",
                    "buyer",
                    "status",
                    "reason",
                    "wanted_outcome",
                    "wanted_amount",
                    "description",
                )
            },
        ),
        (
            _("Seller"),
            {"fields": ("seller_deadline_at", "seller_statement", "counter_amount")},
        ),
        (
            _("Desk"),
            {
                "fields": (
                    "ticket_link",
                    "refund_amount",
                    "return_required",
                    "return_cost_bearer",
                    "decided_by",
                    "decision_note",
                )
            },
        ),
        (_("Times"), {"fields": ("opened_at", "resolved_at", "updated_at")}),
    )
    readonly_fields = ("ticket_link",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Dispute]:
        return (
            super().get_queryset(request).select_related("order__shop__seller", "buyer", "ticket")
        )

    @admin.display(description=_("seller"), ordering="order__shop__seller__username")
    def seller(self, obj: Dispute) -> str:
        return obj.order.shop.seller.username


@admin.register(WarrantyClaim)
class WarrantyClaimAdmin(CaseAdmin):
    prefix = "WC"
    list_display = (
        "reference_display",
        "order_number",
        "item",
        "buyer",
        "seller",
        "status",
        "remedy",
        "seller_deadline_at",
        "updated_at",
    )
    list_filter = ("status", "remedy", "decided_remedy", "item__order__shop")
    list_select_related = ("item__order__shop__seller", "buyer")
    search_fields = ("item__order__number", "item__title", "buyer__username", "buyer__email")
    search_help_text = _(
        "Order number, item, buyer's username or email, or a reference like WC-000123."
    )
    inlines = (ClaimEventInline, ClaimEvidenceInline)
    fieldsets = (
        (None, {"fields": ("item", "buyer", "status", "defect", "remedy")}),
        (_("Seller"), {"fields": ("seller_deadline_at", "seller_statement")}),
        (_("Desk"), {"fields": ("ticket_link", "decided_remedy", "decided_by", "decision_note")}),
        (_("Times"), {"fields": ("opened_at", "resolved_at", "updated_at")}),
    )
    readonly_fields = ("ticket_link",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[WarrantyClaim]:
        return (
            super()
            .get_queryset(request)
            .select_related("item__order__shop__seller", "buyer", "ticket")
        )

    @admin.display(
        description=pgettext_lazy("marketplace", "order"), ordering="item__order__number"
    )
    def order_number(self, obj: WarrantyClaim) -> str:
        return obj.item.order.number

    @admin.display(description=_("seller"), ordering="item__order__shop__seller__username")
    def seller(self, obj: WarrantyClaim) -> str:
        return obj.item.order.shop.seller.username
