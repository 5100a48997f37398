"""Tickets in the admin: read-only status and routing; changes only through admin actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from support_desk.errors import DomainError
from tickets import services
from tickets.admin.config import ADMIN_CSS
from tickets.models import (
    Message,
    Priority,
    Ticket,
    TicketEvent,
    reference_to_id,
)
from tickets.status import OPEN_STATUSES, Status

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    classes = ("ticket-readonly",)
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TicketEventInline(ReadOnlyInline):
    model = TicketEvent
    fields = ("created_at", "kind", "actor", "from_value", "to_value", "reason")
    readonly_fields = fields
    verbose_name_plural = _("history")


class MessageInline(ReadOnlyInline):
    model = Message
    fields = ("created_at", "kind", "author", "body")
    readonly_fields = fields
    verbose_name_plural = _("conversation (internal notes included)")


class SlaLateFilter(admin.SimpleListFilter):
    title = _("SLA")
    parameter_name = "sla"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [("late", _("Past due")), ("escalated", _("Escalated"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
        if self.value() == "late":
            now = timezone.now()
            return queryset.filter(status__in=[Status.QUEUED, Status.ASSIGNED]).filter(
                Q(first_responded_at__isnull=True, first_response_due_at__lt=now)
                | Q(resolution_due_at__lt=now)
            )
        if self.value() == "escalated":
            return queryset.filter(escalated_at__isnull=False)
        return queryset


TICKET_FIELDS = (
    "reference_display",
    "workspace_link",
    "subject",
    "order_number",
    "buyer",
    "topic",
    "faq_entry",
    "channel",
    "language",
    "details",
    "description",
)
TICKET_ROUTING_FIELDS = ("status", "priority", "queue", "assignee", "routing_reason")
TICKET_TIME_FIELDS = (
    "created_at",
    "updated_at",
    "queued_at",
    "assigned_at",
    "first_responded_at",
    "first_response_due_at",
    "resolution_due_at",
    "pending_since",
    "reminded_at",
    "escalated_at",
    "solved_at",
    "closed_at",
)


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = (
        "reference_display",
        "subject",
        "buyer",
        "topic",
        "status_display",
        "priority_display",
        "queue",
        "assignee",
        "created_at",
        "sla_due",
    )
    list_display_links = ("reference_display", "subject")
    list_filter = (
        "status",
        SlaLateFilter,
        "topic",
        "queue",
        "priority",
        "channel",
        "language",
    )
    list_select_related = ("buyer", "topic", "queue", "assignee")
    search_fields = ("subject", "order_number", "buyer__username", "buyer__email")
    search_help_text = _(
        "Subject, order number, buyer's username or email, or a reference like SD-000123."
    )
    date_hierarchy = "created_at"
    list_per_page = 50
    show_full_result_count = False
    actions = ("set_priority_high", "set_priority_urgent", "mark_solved")
    inlines = (MessageInline, TicketEventInline)
    # Status, priority, queue and assignee change only through the services (the actions here,
    # or the agent workspace); a correction of the subject or order number is all a form may do.
    correctable_fields = ("subject", "order_number")
    fieldsets = (
        (None, {"fields": TICKET_FIELDS}),
        (_("Status and routing"), {"fields": TICKET_ROUTING_FIELDS}),
        (_("Times"), {"fields": TICKET_TIME_FIELDS, "classes": ("collapse",)}),
    )

    class Media:
        css = ADMIN_CSS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        names = (*TICKET_FIELDS, *TICKET_ROUTING_FIELDS, *TICKET_TIME_FIELDS)
        return [name for name in names if name not in self.correctable_fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Buyers open tickets (help centre, email, API); nobody types one in here.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A ticket is history: it is solved and closed, never deleted.
        return False

    def save_model(self, request: HttpRequest, obj: Ticket, form: Any, change: bool) -> None:
        """Save only the corrected text fields, so a concurrent status change is never undone."""
        changed = [name for name in form.changed_data if name in self.correctable_fields]
        if changed:
            obj.updated_at = timezone.now()
            obj.save(update_fields=[*changed, "updated_at"])

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Ticket], search_term: str
    ) -> tuple[QuerySet[Ticket], bool]:
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        ticket_id = reference_to_id(search_term) if search_term else None
        if ticket_id is not None:
            results = results | queryset.filter(pk=ticket_id)
        return results, may_have_duplicates

    @admin.display(description=_("reference"), ordering="id")
    def reference_display(self, obj: Ticket) -> str:
        return obj.reference

    @admin.display(description=_("agent workspace"))
    def workspace_link(self, obj: Ticket) -> str:
        url = reverse("agent:ticket", kwargs={"ticket_id": obj.pk})
        return format_html('<a href="{}">{}</a>', url, gettext("Open in the workspace"))

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, obj: Ticket) -> str:
        return format_html(
            '<span class="ticket-status ticket-status-{}">{}</span>',
            obj.status,
            obj.get_status_display(),
        )

    @admin.display(description=_("priority"), ordering="priority")
    def priority_display(self, obj: Ticket) -> str:
        return format_html(
            '<span class="ticket-priority ticket-priority-{}">{}</span>',
            obj.priority,
            obj.get_priority_display(),
        )

    @admin.display(description=_("SLA due"), ordering="resolution_due_at")
    def sla_due(self, obj: Ticket) -> str:
        if obj.status not in OPEN_STATUSES:
            return "—"
        due = obj.resolution_due_at
        if obj.first_responded_at is None and obj.first_response_due_at is not None:
            due = obj.first_response_due_at
        if due is None:
            return "—"
        text = timezone.localtime(due).strftime("%Y-%m-%d %H:%M")
        if obj.status == Status.PENDING:
            return format_html(
                '{} <span class="ticket-sla-paused">{}</span>', text, gettext("paused")
            )
        if due < timezone.now():
            return format_html('{} <span class="ticket-sla-late">{}</span>', text, gettext("late"))
        return text

    def _each(
        self,
        request: HttpRequest,
        queryset: QuerySet[Ticket],
        change: Callable[[Ticket], object],
        done: Callable[[int], str],
    ) -> None:
        """Apply one service call per ticket; report what worked and each refusal by reference."""
        changed = 0
        for ticket in queryset.order_by("pk"):
            try:
                change(ticket)
            except DomainError as error:
                self.message_user(
                    request, f"{ticket.reference}: {error.message}", level=messages.ERROR
                )
            else:
                changed += 1
        if changed:
            self.message_user(request, done(changed), level=messages.SUCCESS)

    def _set_priority(
        self, request: HttpRequest, queryset: QuerySet[Ticket], priority: Priority
    ) -> None:
        now = timezone.now()
        reason = gettext("Set in the admin by %(user)s.") % {"user": request.user.get_username()}

        def change(ticket: Ticket) -> object:
            return services.ticket_set_priority(
                ticket_id=ticket.pk,
                priority=priority,
                actor=request.user,  # type: ignore[arg-type]
                now=now,
                reason=reason,
            )

        self._each(
            request,
            queryset,
            change,
            lambda n: (
                ngettext(
                    "%(count)d ticket is now %(priority)s.",
                    "%(count)d tickets are now %(priority)s.",
                    n,
                )
                % {"count": n, "priority": priority.label}
            ),
        )

    @admin.action(description=_("Set priority: high"), permissions=("change",))
    def set_priority_high(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
        self._set_priority(request, queryset, Priority.HIGH)

    @admin.action(description=_("Set priority: urgent"), permissions=("change",))
    def set_priority_urgent(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
        self._set_priority(request, queryset, Priority.URGENT)

    @admin.action(description=_("Mark solved"), permissions=("change",))
    def mark_solved(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
        user = request.user
        if not getattr(user, "is_agent", False):
            self.message_user(
                request,
                gettext(
                    "Only agents and supervisors solve tickets; your account has another role."
                ),
                level=messages.ERROR,
            )
            return
        now = timezone.now()
        self._each(
            request,
            queryset,
            lambda ticket: services.ticket_set_status_by_agent(
                ticket_id=ticket.pk,
                agent=user,  # type: ignore[arg-type]
                status=Status.SOLVED,
                now=now,
            ),
            lambda n: (
                ngettext("%(count)d ticket marked solved.", "%(count)d tickets marked solved.", n)
                % {"count": n}
            ),
        )
