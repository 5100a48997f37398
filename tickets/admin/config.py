"""Configuration in the admin: business hours, SLA policies, queues and agents."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.validators import MinValueValidator
from django.db.models import Count, Q, QuerySet
from django.db.models.fields import Field
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from audit.mixins import AuditedAdminMixin
from tickets import services
from tickets.admin.week_grid import WeekGridField
from tickets.hours import InvalidHours, is_open
from tickets.models import (
    AgentProfile,
    BusinessHours,
    Holiday,
    Presence,
    Priority,
    Queue,
    SlaPolicy,
    SlaTarget,
)
from tickets.status import ACTIVE_STATUSES, Status

ADMIN_CSS = {"all": ("css/admin-tickets.css",)}

WEEKLY_HOURS_HELP = _(
    "Several periods a day for breaks, e.g. 09:00–13:00 and 14:00–18:00. "
    "Holidays below are closed all day."
)


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 1
    fields = ("date", "name")


class BusinessHoursForm(forms.ModelForm):
    weekly_hours = WeekGridField(
        label=_("weekly hours"), required=False, help_text=WEEKLY_HOURS_HELP
    )

    class Meta:
        model = BusinessHours
        fields = ("name", "time_zone", "weekly_hours")


@admin.register(BusinessHours)
class BusinessHoursAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = BusinessHoursForm
    list_display = ("name", "time_zone", "open_days", "open_now", "holiday_count", "queue_list")
    search_fields = ("name", "time_zone")
    list_filter = ("time_zone",)
    fields = ("name", "time_zone", "weekly_hours")
    inlines = (HolidayInline,)

    class Media:
        css = ADMIN_CSS

    def get_queryset(self, request: HttpRequest) -> QuerySet[BusinessHours]:
        return (
            super()
            .get_queryset(request)
            .annotate(n_holidays=Count("holidays", distinct=True))
            .prefetch_related("queues", "holidays")
        )

    @admin.display(description=_("open now"), boolean=True)
    def open_now(self, obj: BusinessHours) -> bool | None:
        try:
            return is_open(obj.calendar(), timezone.now())
        except InvalidHours:
            return None

    @admin.display(description=_("open"))
    def open_days(self, obj: BusinessHours) -> str:
        hours = obj.weekly_hours if isinstance(obj.weekly_hours, dict) else {}
        parts = [
            f"{day} {' '.join('–'.join(period) for period in periods)}"
            for day, periods in hours.items()
            if periods
        ]
        return "; ".join(parts) or "—"

    @admin.display(description=_("holidays"), ordering="n_holidays")
    def holiday_count(self, obj: BusinessHours) -> int:
        return obj.n_holidays  # type: ignore[attr-defined]

    @admin.display(description=_("queues"))
    def queue_list(self, obj: BusinessHours) -> str:
        return ", ".join(queue.name for queue in obj.queues.all()) or "—"


class SlaTargetForm(forms.ModelForm):
    class Meta:
        model = SlaTarget
        fields = ("topic", "priority", "first_response_minutes", "resolution_minutes")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first = cleaned.get("first_response_minutes")
        resolution = cleaned.get("resolution_minutes")
        if first is not None and resolution is not None and resolution < first:
            self.add_error(
                "resolution_minutes",
                _("The resolution time is at least the first-response time (%(n)d minutes).")
                % {"n": first},
            )
        return cleaned


class SlaTargetFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        """Refuse two targets for the same topic and priority, naming them."""
        super().clean()
        seen: set[tuple[int | None, int]] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("priority") is None:
                continue
            topic = data.get("topic")
            key = (topic.pk if topic else None, int(data["priority"]))
            if key in seen:
                raise forms.ValidationError(
                    _("Two targets for %(topic)s at priority %(priority)s: keep one.")
                    % {
                        "topic": topic or gettext("every other topic"),
                        "priority": Priority(key[1]).label,
                    }
                )
            seen.add(key)


class SlaTargetInline(admin.TabularInline):
    model = SlaTarget
    form = SlaTargetForm
    formset = SlaTargetFormSet
    extra = 1
    fields = ("topic", "priority", "first_response_minutes", "resolution_minutes")


@admin.register(SlaPolicy)
class SlaPolicyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "target_count", "queue_list")
    search_fields = ("name",)
    inlines = (SlaTargetInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[SlaPolicy]:
        return (
            super()
            .get_queryset(request)
            .annotate(n_targets=Count("targets", distinct=True))
            .prefetch_related("queues")
        )

    @admin.display(description=_("targets"), ordering="n_targets")
    def target_count(self, obj: SlaPolicy) -> int:
        return obj.n_targets  # type: ignore[attr-defined]

    @admin.display(description=_("queues"))
    def queue_list(self, obj: SlaPolicy) -> str:
        return ", ".join(queue.name for queue in obj.queues.all()) or "—"


QUEUE_FIELDS = (
    "name",
    "slug",
    "language",
    "topics",
    "hours",
    "fallback",
    "escalation_queue",
    "sla_policy",
    "sort_order",
    "is_active",
)


class QueueForm(forms.ModelForm):
    class Meta:
        model = Queue
        fields = QUEUE_FIELDS

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The database refuses a queue that is its own fallback; say so in the form instead.
        for name in ("fallback", "escalation_queue"):
            other = cleaned.get(name)
            if other is not None and self.instance.pk is not None and other.pk == self.instance.pk:
                self.add_error(name, _("Choose another queue than this one."))
        return cleaned


@admin.register(Queue)
class QueueAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = QueueForm
    list_display = (
        "name",
        "slug",
        "language",
        "topic_list",
        "hours",
        "fallback",
        "escalation_queue",
        "sla_policy",
        "sort_order",
        "is_active",
        "waiting",
    )
    list_display_links = ("name",)
    list_editable = ("sort_order", "is_active")
    list_filter = ("language", "is_active", "topics", "hours", "sla_policy")
    list_select_related = ("hours", "fallback", "escalation_queue", "sla_policy")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("topics",)
    fields = QUEUE_FIELDS

    def get_queryset(self, request: HttpRequest) -> QuerySet[Queue]:
        return (
            super()
            .get_queryset(request)
            .annotate(n_waiting=Count("tickets", filter=Q(tickets__status=Status.QUEUED)))
            .prefetch_related("topics")
        )

    @admin.display(description=_("topics"))
    def topic_list(self, obj: Queue) -> str:
        return ", ".join(topic.slug for topic in obj.topics.all()) or gettext("any other topic")

    @admin.display(description=_("waiting"), ordering="n_waiting")
    def waiting(self, obj: Queue) -> int:
        return obj.n_waiting  # type: ignore[attr-defined]


class AgentProfileForm(forms.ModelForm):
    class Meta:
        model = AgentProfile
        fields = ("user", "queues", "languages", "capacity")

    def clean_languages(self) -> Any:
        languages = self.cleaned_data.get("languages")
        if not languages:
            raise forms.ValidationError(_('Give at least one language, e.g. ["en"].'))
        return languages


@admin.register(AgentProfile)
class AgentProfileAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = AgentProfileForm
    list_display = (
        "user",
        "full_name",
        "presence",
        "capacity",
        "active_tickets",
        "language_list",
        "queue_list",
        "presence_changed_at",
        "last_assigned_at",
    )
    list_editable = ("capacity",)
    list_filter = ("presence", "queues")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email")
    filter_horizontal = ("queues",)
    readonly_fields = ("presence", "presence_changed_at", "last_assigned_at")
    actions = ("set_away", "set_offline")

    def get_queryset(self, request: HttpRequest) -> QuerySet[AgentProfile]:
        active = Count(
            "user__assigned_tickets",
            filter=Q(user__assigned_tickets__status__in=ACTIVE_STATUSES),
            distinct=True,
        )
        return super().get_queryset(request).annotate(n_active=active).prefetch_related("queues")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The person is chosen once; a profile is not moved to someone else.
        return (*self.readonly_fields, "user") if obj is not None else self.readonly_fields

    def formfield_for_dbfield(self, db_field: Field, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "capacity" and field is not None:
            # Capacity 0 would leave the agent in the queue without ever giving them a ticket.
            field.validators.append(MinValueValidator(1))
            field.widget.attrs["min"] = 1
        return field

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(
                role__in=[Role.AGENT, Role.SUPERVISOR], agent_profile__isnull=True
            ).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("name"))
    def full_name(self, obj: AgentProfile) -> str:
        return obj.user.get_full_name()

    @admin.display(description=_("active tickets"), ordering="n_active")
    def active_tickets(self, obj: AgentProfile) -> int:
        return obj.n_active  # type: ignore[attr-defined]

    @admin.display(description=_("languages"))
    def language_list(self, obj: AgentProfile) -> str:
        return " ".join(obj.languages) if isinstance(obj.languages, list) else "—"

    @admin.display(description=_("queues"))
    def queue_list(self, obj: AgentProfile) -> str:
        return ", ".join(queue.name for queue in obj.queues.all()) or "—"

    def _presence(self, request: HttpRequest, queryset: QuerySet[AgentProfile], to: str) -> None:
        now = timezone.now()
        profiles = list(queryset.select_related("user"))
        for profile in profiles:
            services.agent_set_presence(agent=profile.user, presence=to, now=now)
        self.message_user(
            request,
            ngettext(
                "%(count)d agent is now %(presence)s.",
                "%(count)d agents are now %(presence)s.",
                len(profiles),
            )
            % {"count": len(profiles), "presence": Presence(to).label},
        )

    @admin.action(description=_("Set away"), permissions=("change",))
    def set_away(self, request: HttpRequest, queryset: QuerySet[AgentProfile]) -> None:
        self._presence(request, queryset, Presence.AWAY)

    @admin.action(description=_("Set offline"), permissions=("change",))
    def set_offline(self, request: HttpRequest, queryset: QuerySet[AgentProfile]) -> None:
        self._presence(request, queryset, Presence.OFFLINE)
