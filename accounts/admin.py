"""People in the admin, and a buyer's privacy requests: export everything, or erase it."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import DeskAdminAuthenticationForm
from accounts.models import Role, User
from audit.mixins import AuditedAdminMixin
from disputes.models import Dispute, Evidence, WarrantyClaim
from tickets.models import Attachment, Ticket
from tickets.status import OPEN_STATUSES

# The admin's log-in page is another door to the same accounts: same limits.
admin.site.login_form = DeskAdminAuthenticationForm


def _may_handle_privacy(request: HttpRequest) -> bool:
    """Privacy requests are the supervisors' (and the site owner's) to carry out."""
    user = request.user
    return bool(user.is_active and user.is_staff) and (
        getattr(user, "role", None) == Role.SUPERVISOR or user.is_superuser
    )


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "role",
        "preferred_language",
        "is_active",
        "date_joined",
        "last_login",
    )
    list_filter = ("role", "preferred_language", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "email", "first_name", "last_name")
    date_hierarchy = "date_joined"
    show_full_result_count = False
    actions = ("export_buyer_data", "erase_buyer")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Support desk"), {"fields": ("role", "preferred_language")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Support desk"), {"fields": ("email", "role", "preferred_language")}),
    )

    class Media:
        css = {"all": ("css/admin-accounts.css",)}

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        """Save the person, then give them their role's access through the service."""
        role = obj.role
        super().save_model(request, obj, form, change)
        services.user_set_role(user=obj, role=role)

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path(
                "<int:user_id>/privacy/export/",
                view(require_POST(self.export_view)),
                name="accounts_user_export",
            ),
            path(
                "<int:user_id>/privacy/erase/",
                view(self.erase_view),
                name="accounts_user_erase",
            ),
            *super().get_urls(),
        ]

    # Only the site owner (a superuser) hands out superuser status, groups or single
    # permissions; a supervisor changing them would grant themselves everything.
    OWNER_ONLY_FIELDS = ("is_superuser", "groups", "user_permissions")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return fields
        return (*fields, *self.OWNER_ONLY_FIELDS)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """A superuser's account (its address, its password) is changed by superusers only."""
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def has_privacy_permission(self, request: HttpRequest) -> bool:
        """Offer the privacy actions only to those who may carry them out."""
        return _may_handle_privacy(request)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        context = dict(extra_context or {})
        user = User.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        context["privacy_tools"] = (
            user is not None and user.role == Role.BUYER and _may_handle_privacy(request)
        )
        return super().change_view(request, object_id, form_url, context)

    # --- Privacy requests --------------------------------------------------------

    def _buyer_or_refuse(self, request: HttpRequest, user_id: int) -> User | None:
        if not _may_handle_privacy(request):
            raise PermissionDenied
        person = get_object_or_404(User, pk=user_id)
        try:
            services.check_buyer(person)
        except services.NotABuyer as error:
            self.message_user(request, error.message, level=messages.ERROR)
            return None
        return person

    def _back(self, user_id: int) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[user_id]))

    def export_view(self, request: HttpRequest, user_id: int) -> HttpResponse:
        buyer = self._buyer_or_refuse(request, user_id)
        if buyer is None:
            return self._back(user_id)
        now = timezone.now()
        data = services.buyer_export(buyer=buyer, by=request.user, now=now)  # type: ignore[arg-type]
        body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        name = f"buyer-{buyer.pk}-{now:%Y%m%d-%H%M%S}.json"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response

    def erase_view(self, request: HttpRequest, user_id: int) -> HttpResponse:
        buyer = self._buyer_or_refuse(request, user_id)
        if buyer is None:
            return self._back(user_id)
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            done = services.buyer_erase(buyer=buyer, by=request.user, now=timezone.now())  # type: ignore[arg-type]
            if done.changed:
                self.message_user(
                    request,
                    gettext(
                        "Buyer #%(id)d erased: %(tickets)d tickets and %(messages)d messages "
                        "redacted, %(files)d files deleted. Tickets and cases stay for the reports."
                    )
                    % {
                        "id": buyer.pk,
                        "tickets": done.tickets,
                        "messages": done.messages,
                        "files": done.files,
                    },
                    level=messages.SUCCESS,
                )
            else:
                self.message_user(
                    request,
                    gettext("Buyer #%(id)d was already erased; nothing was left to remove.")
                    % {"id": buyer.pk},
                    level=messages.INFO,
                )
            return self._back(user_id)
        tickets = Ticket.objects.filter(buyer=buyer)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Erase this buyer’s personal data?"),
            "opts": self.opts,
            "object": buyer,
            "counts": {
                "tickets": tickets.count(),
                "open_tickets": [t.reference for t in tickets.filter(status__in=OPEN_STATUSES)],
                "disputes": Dispute.objects.filter(buyer=buyer).count(),
                "claims": WarrantyClaim.objects.filter(buyer=buyer).count(),
                "files": Attachment.objects.filter(ticket__buyer=buyer).count()
                + Evidence.objects.filter(dispute__buyer=buyer).count()
                + Evidence.objects.filter(claim__buyer=buyer).count(),
            },
        }
        return TemplateResponse(request, "admin/accounts/user/erase_confirmation.html", context)

    def _one_buyer(self, request: HttpRequest, queryset: QuerySet[User]) -> User | None:
        people = list(queryset[:2])
        if len(people) != 1:
            self.message_user(
                request,
                gettext("Choose exactly one buyer: a privacy request is about one person."),
                level=messages.ERROR,
            )
            return None
        return self._buyer_or_refuse(request, people[0].pk)

    @admin.action(description=_("Export the buyer’s data (JSON)"), permissions=("privacy",))
    def export_buyer_data(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> HttpResponse | None:
        buyer = self._one_buyer(request, queryset)
        if buyer is None:
            return None
        return self.export_view(request, buyer.pk)

    @admin.action(description=_("Erase the buyer’s personal data…"), permissions=("privacy",))
    def erase_buyer(self, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse | None:
        buyer = self._one_buyer(request, queryset)
        if buyer is None:
            return None
        return HttpResponseRedirect(reverse("admin:accounts_user_erase", args=[buyer.pk]))
