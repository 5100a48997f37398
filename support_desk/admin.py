"""Parked tasks in the admin: read-only, with an action that sends them again."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from support_desk.models import ParkedTask
from support_desk.parking import parked_task_resend


@admin.register(ParkedTask)
class ParkedTaskAdmin(admin.ModelAdmin):
    list_display = ("parked_at", "task_name", "kwargs", "tries", "error", "resent_at")
    list_filter = ("task_name", ("resent_at", admin.EmptyFieldListFilter))
    search_fields = ("task_name", "task_id", "error")
    date_hierarchy = "parked_at"
    actions = ("send_again",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ParkedTask | None = None) -> bool:
        return False

    @admin.action(description=_("Send the selected tasks again"), permissions=["view"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[ParkedTask]) -> None:
        now = timezone.now()
        sent = sum(1 for parked in queryset if parked_task_resend(parked_id=parked.pk, now=now))
        self.message_user(
            request,
            ngettext("%(n)d task sent again.", "%(n)d tasks sent again.", sent) % {"n": sent},
            messages.SUCCESS,
        )
