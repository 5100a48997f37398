"""Webhooks in the admin: subscriptions (the secret shown once), and the delivery log.

Subscriptions are made and changed through ``webhooks.services``, so the
admin checks URLs and events as the API does; deliveries are read-only,
and the redeliver action goes through the service too.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.mixins import AuditedAdminMixin
from webhooks import services
from webhooks.events import CHOICES
from webhooks.models import Delivery, DeliveryState, Subscription


class SubscriptionForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(name, name) for name in CHOICES],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A family's `.*` gets every event of that family."),
    )

    class Meta:
        model = Subscription
        fields = ("api_key", "url", "events", "description", "active")

    def clean(self) -> dict[str, Any]:
        """Check the URL and events as the API does; the service checks again on save."""
        data = super().clean() or {}
        api_key = data.get("api_key") or getattr(self.instance, "api_key", None)
        if data.get("url"):
            try:
                services.subscription_url_check(url=data["url"])
            except services.WebhookUrlRefused as error:
                self.add_error("url", error.message)
        if api_key is not None and data.get("events"):
            try:
                services.subscription_events_check(api_key=api_key, events=list(data["events"]))
            except services.InvalidEvents as error:
                self.add_error("events", error.message)
        return data


@admin.register(Subscription)
class SubscriptionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ("url", "api_key", "event_list", "active", "created_at", "delivery_log")
    list_filter = ("active", "api_key")
    list_select_related = ("api_key",)
    search_fields = ("url", "description", "api_key__name", "api_key__prefix")
    readonly_fields = ("created_at", "updated_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # A subscription stays with the key that made it.
        return ("api_key", *self.readonly_fields) if obj is not None else self.readonly_fields

    @admin.display(description=_("Events"))
    def event_list(self, obj: Subscription) -> str:
        return ", ".join(obj.events)

    @admin.display(description=_("Deliveries"))
    def delivery_log(self, obj: Subscription) -> str:
        url = reverse("admin:webhooks_delivery_changelist") + f"?subscription__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Log"))

    def save_model(self, request: HttpRequest, obj: Subscription, form: Any, change: bool) -> None:
        """Save through the service; a new subscription's secret is shown once."""
        data = form.cleaned_data
        now = timezone.now()
        if change:
            services.subscription_update(
                subscription=obj,
                now=now,
                url=data["url"],
                events=list(data["events"]),
                description=data.get("description", ""),
                active=data.get("active", False),
            )
            return
        created, secret = services.subscription_create(
            api_key=data["api_key"],
            url=data["url"],
            events=list(data["events"]),
            description=data.get("description", ""),
            active=data.get("active", False),
            now=now,
        )
        obj.pk = created.pk
        obj.refresh_from_db()
        messages.warning(
            request,
            _("Copy the signing secret now; it will not be shown again: %(secret)s")
            % {"secret": secret},
        )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log: written only by the desk, never edited; redelivered by action."""

    list_display = (
        "created_at",
        "event_type",
        "subscription",
        "state",
        "response_code",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "last_error",
    )
    list_filter = ("state", "event_type")
    list_select_related = ("subscription",)
    search_fields = ("event_id", "uuid", "subscription__url")
    date_hierarchy = "created_at"
    actions = ("redeliver",)
    fields = (
        "uuid",
        "subscription",
        "event_type",
        "event_id",
        "state",
        "attempts",
        "response_code",
        "last_error",
        "next_attempt_at",
        "retry_until",
        "delivered_at",
        "created_at",
        "payload_shown",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("Payload"))
    def payload_shown(self, obj: Delivery) -> str:
        if obj.payload is None:
            return "—"
        text = json.dumps(obj.payload, indent=2, ensure_ascii=False)
        return format_html("<pre>{}</pre>", text)

    def has_redeliver_permission(self, request: HttpRequest) -> bool:
        """Whoever may change subscriptions may send their deliveries again."""
        return request.user.has_perm("webhooks.change_subscription")

    @admin.action(description=_("Redeliver the selected deliveries"), permissions=("redeliver",))
    def redeliver(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        now = timezone.now()
        chosen = list(queryset.select_related("subscription__api_key"))
        sent = 0
        for delivery in chosen:
            if delivery.state not in (DeliveryState.DELIVERED, DeliveryState.FAILED):
                continue
            try:
                services.delivery_redeliver(delivery=delivery, now=now)
            except (services.DeliveryNotFinished, services.SubscriptionInactive):
                continue
            sent += 1
        skipped = len(chosen) - sent
        self.message_user(
            request,
            ngettext("%(count)d delivery owed again.", "%(count)d deliveries owed again.", sent)
            % {"count": sent},
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d skipped: still being tried, or its subscription is paused.",
                    "%(count)d skipped: still being tried, or their subscriptions are paused.",
                    skipped,
                )
                % {"count": skipped},
                level=messages.WARNING,
            )
