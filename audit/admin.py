"""The audit trail in the admin: configuration changes and every ticket and case event, read-only.

Supervisors see it; nobody adds, changes or deletes a line of it here.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from audit.models import AuditEntry, ClaimHistory, DisputeHistory, TicketHistory
from tickets.hours import WEEKDAYS
from tickets.models import reference_to_id

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CASE_REFERENCE = re.compile(r"^\s*(?:DS|WC)-?0*(\d{1,16})\s*$", re.IGNORECASE)


def _may_look(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff) and (
        getattr(user, "role", None) == Role.SUPERVISOR or user.is_superuser
    )


class ReadOnlyTrailAdmin(admin.ModelAdmin):
    """A page of the trail: supervisors look, nobody writes."""

    list_per_page = 50
    show_full_result_count = False
    date_hierarchy = "created_at"
    actions = None

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _may_look(request) or super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_look(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ActorFilter(admin.SimpleListFilter):
    """Filter by the desk's staff by name, or by the kind of actor (buyers are searched for)."""

    title = _("by")
    parameter_name = "by"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        staff = User.objects.filter(role__in=[Role.AGENT, Role.SUPERVISOR]).order_by("username")
        return [
            ("desk", _("The desk itself")),
            ("buyers", _("Buyers")),
            ("sellers", _("Sellers")),
            *((str(user.pk), user.username) for user in staff),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value == "desk":
            return queryset.filter(actor__isnull=True)
        if value == "buyers":
            return queryset.filter(actor__role=Role.BUYER)
        if value == "sellers":
            return queryset.filter(actor__role=Role.SELLER)
        if value and value.isdigit():
            return queryset.filter(actor_id=int(value))
        return queryset


class ObjectTypeFilter(admin.SimpleListFilter):
    title = _("type")
    parameter_name = "type"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        types = AuditEntry.objects.order_by().values_list("content_type", flat=True).distinct()
        from django.contrib.contenttypes.models import ContentType

        named = [
            (str(ct.pk), str(ct.model_class()._meta.verbose_name).capitalize())  # type: ignore[union-attr]
            for ct in ContentType.objects.filter(pk__in=list(types))
            if ct.model_class() is not None
        ]
        return sorted(named, key=lambda pair: pair[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(content_type_id=int(value))
        return queryset


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and value and set(value) <= set(WEEKDAYS):
        # Weekly hours read as a week, Monday first.
        return "\n".join(
            f"{day} {', '.join('–'.join(map(str, period)) for period in value[day])}"
            for day in WEEKDAYS
            if day in value
        )
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyTrailAdmin):
    list_display = (
        "created_at",
        "actor_display",
        "source",
        "action_display",
        "object_type",
        "object_link",
        "changed_fields",
    )
    list_filter = ("action", "source", ObjectTypeFilter, ActorFilter, "created_at")
    list_select_related = ("content_type",)
    search_fields = ("object_repr", "object_id", "actor_name", "label", "request_id", "note")
    search_help_text = _("Object, who (username or api-key:prefix), what was done, or request id.")
    fields = (
        "created_at",
        "actor_display",
        "source",
        "action_display",
        "object_type",
        "object_link",
        "changes_table",
        "note",
        "request_id",
        "ip_address",
    )
    readonly_fields = fields

    class Media:
        css = {"all": ("css/admin-audit.css",)}

    @admin.display(description=_("by"), ordering="actor_name")
    def actor_display(self, obj: AuditEntry) -> str:
        return obj.actor_name or gettext("the desk")

    @admin.display(description=_("action"), ordering="action")
    def action_display(self, obj: AuditEntry) -> str:
        if obj.label:
            return f"{obj.get_action_display()}: {obj.label}"
        return str(obj.get_action_display())

    @admin.display(description=_("type"), ordering="content_type")
    def object_type(self, obj: AuditEntry) -> str:
        model = obj.content_type.model_class()
        return str(model._meta.verbose_name) if model is not None else obj.content_type.model

    @admin.display(description=_("object"), ordering="object_repr")
    def object_link(self, obj: AuditEntry) -> str:
        ct = obj.content_type
        try:
            url = reverse(f"admin:{ct.app_label}_{ct.model}_change", args=[obj.object_id])
        except NoReverseMatch:
            return obj.object_repr
        return format_html('<a href="{}">{}</a>', url, obj.object_repr)

    @admin.display(description=_("changed"))
    def changed_fields(self, obj: AuditEntry) -> str:
        return ", ".join(sorted(obj.changes)) or "—"

    @admin.display(description=_("changes"))
    def changes_table(self, obj: AuditEntry) -> str:
        if not obj.changes:
            return "—"
        rows = format_html_join(
            "",
            '<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
            ((name, _cell(pair[0]), _cell(pair[1])) for name, pair in sorted(obj.changes.items())),
        )
        return format_html(
            '<table class="audit-changes"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr>'
            "</thead><tbody>{}</tbody></table>",
            gettext("field"),
            gettext("before"),
            gettext("after"),
            rows,
        )


@admin.register(TicketHistory)
class TicketHistoryAdmin(ReadOnlyTrailAdmin):
    list_display = (
        "created_at",
        "ticket_link",
        "kind",
        "actor",
        "from_value",
        "to_value",
        "reason",
    )
    list_filter = ("kind", ActorFilter, "created_at", "ticket__queue", "ticket__topic")
    list_select_related = ("ticket", "actor")
    search_fields = ("actor__username", "reason", "from_value", "to_value")
    search_help_text = _("A ticket reference like SD-000123, who, from, to, or why.")
    fields = ("created_at", "ticket_link", "kind", "actor", "from_value", "to_value", "reason")
    readonly_fields = fields

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        ticket_id = reference_to_id(search_term) if search_term else None
        if ticket_id is not None:
            return queryset.filter(ticket_id=ticket_id), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("ticket"), ordering="ticket_id")
    def ticket_link(self, obj: TicketHistory) -> str:
        url = reverse("admin:tickets_ticket_change", args=[obj.ticket_id])
        return format_html('<a href="{}">{}</a>', url, obj.ticket.reference)


class CaseHistoryAdmin(ReadOnlyTrailAdmin):
    case_field = ""
    list_display = ("created_at", "case_link", "kind", "actor", "from_status", "to_status", "note")
    list_select_related: ClassVar[tuple[str, ...]] = ("actor",)
    search_fields = ("actor__username", "kind", "note")
    fields = ("created_at", "case_link", "kind", "actor", "from_status", "to_status", "note")
    readonly_fields = fields

    def get_list_filter(self, request: HttpRequest) -> tuple[Any, ...]:
        return (KindFilter.for_model(self.model), ActorFilter, "created_at", "to_status")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        match = CASE_REFERENCE.match(search_term or "")
        if match:
            return queryset.filter(**{f"{self.case_field}_id": int(match.group(1))}), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("case"))
    def case_link(self, obj: Any) -> str:
        case = getattr(obj, self.case_field)
        url = reverse(f"admin:disputes_{type(case)._meta.model_name}_change", args=[case.pk])
        return format_html('<a href="{}">{}</a>', url, str(case))


class KindFilter(admin.SimpleListFilter):
    """The kinds of step a case has taken (kinds are free text in the case tables)."""

    title = _("kind")
    parameter_name = "kind"
    model: Any = None

    @classmethod
    def for_model(cls, model: Any) -> type[KindFilter]:
        return type(f"{model.__name__}KindFilter", (cls,), {"model": model})

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        kinds = self.model.objects.order_by("kind").values_list("kind", flat=True).distinct()
        return [(kind, kind.replace("_", " ")) for kind in kinds]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value():
            return queryset.filter(kind=self.value())
        return queryset


@admin.register(DisputeHistory)
class DisputeHistoryAdmin(CaseHistoryAdmin):
    case_field = "dispute"
    list_select_related: ClassVar[tuple[str, ...]] = ("actor", "dispute")
    search_help_text = _("A dispute reference like DS-000123, who, kind or note.")


@admin.register(ClaimHistory)
class ClaimHistoryAdmin(CaseHistoryAdmin):
    case_field = "claim"
    list_select_related: ClassVar[tuple[str, ...]] = ("actor", "claim")
    search_help_text = _("A warranty claim reference like WC-000123, who, kind or note.")


__all__ = ["AuditEntryAdmin", "ClaimHistoryAdmin", "DisputeHistoryAdmin", "TicketHistoryAdmin"]
