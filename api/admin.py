from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from api import services
from api.models import ApiKey, IdempotencyRecord
from api.scopes import SCOPES
from audit.mixins import AuditedAdminMixin


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=[(name, format_lazy("{} — {}", name, text)) for name, text in SCOPES.items()],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ApiKey
        fields = ("name", "scopes", "seller")

    def clean(self) -> dict[str, Any]:
        """A key acts as a seller exactly when it has the scope `seller` and a seller named."""
        data = super().clean() or {}
        try:
            services.api_key_seller_check(
                scopes=list(data.get("scopes") or []), seller=data.get("seller")
            )
        except services.SellerBinding as error:
            self.add_error("seller", error.message)
        return data


@admin.register(ApiKey)
class ApiKeyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = ApiKeyForm
    list_display = (
        "name",
        "prefix",
        "active",
        "scope_list",
        "seller",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    list_select_related = ("seller",)
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("name", "prefix")
    readonly_fields = ("prefix", "created_by", "created_at", "last_used_at", "revoked_at")
    actions = ("revoke_keys",)

    @admin.display(description=_("Scopes"))
    def scope_list(self, obj: ApiKey) -> str:
        return ", ".join(obj.scopes)

    @admin.display(description=_("active"), boolean=True, ordering="revoked_at")
    def active(self, obj: ApiKey) -> bool:
        return obj.is_active

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        """Issue new keys through the service and show the secret once."""
        if change:
            super().save_model(request, obj, form, change)
            return
        issued, raw_key = services.api_key_issue(
            name=obj.name,
            scopes=list(form.cleaned_data["scopes"]),
            created_by=request.user,  # type: ignore[arg-type]
            seller=form.cleaned_data.get("seller"),
        )
        obj.pk = issued.pk
        obj.refresh_from_db()
        messages.warning(
            request,
            _("Copy the key now; it will not be shown again: %(key)s") % {"key": raw_key},
        )

    @admin.action(description=_("Revoke the selected keys"))
    def revoke_keys(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        now = timezone.now()
        count = sum(services.api_key_revoke(api_key=key, now=now) for key in queryset)
        self.message_user(
            request,
            ngettext("%(count)d key revoked.", "%(count)d keys revoked.", count) % {"count": count},
        )


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    """The answers kept for retried API requests: to look at, never to edit."""

    list_display = (
        "key",
        "owner",
        "request_method",
        "request_path",
        "state",
        "response_status",
        "created_at",
        "expires_at",
    )
    list_filter = ("state", "response_status", "created_at")
    search_fields = ("key", "owner", "request_path")
    date_hierarchy = "created_at"
    fields = (
        "owner",
        "key",
        "request_method",
        "request_path",
        "fingerprint",
        "state",
        "response_status",
        "response_content_type",
        "response_text",
        "created_at",
        "expires_at",
    )
    readonly_fields = fields

    @admin.display(description=_("Response body"))
    def response_text(self, obj: IdempotencyRecord) -> str:
        return bytes(obj.response_body).decode("utf-8", errors="replace")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
