"""Mail in the admin, read-only: what the outbox owes or sent, and what came in and why."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tickets.models import InboundMail, Notification


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the desk itself: visible to supervisors, never edited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "kind",
        "about",
        "recipient",
        "state",
        "attempts",
        "sent_at",
        "last_error",
    )
    list_filter = ("state", "kind")
    search_fields = ("recipient__username", "recipient__email", "ticket__subject")
    list_select_related = ("ticket", "recipient", "dispute_event", "claim_event")
    date_hierarchy = "created_at"

    @admin.display(description=_("about"))
    def about(self, obj: Notification) -> str:
        """Name the ticket, dispute or warranty claim the mail is about."""
        if obj.ticket_id is not None:
            return str(obj.ticket)
        if obj.dispute_event_id is not None:
            return f"DS-{obj.dispute_event.dispute_id:06d}"  # type: ignore[union-attr]
        return f"WC-{obj.claim_event.claim_id:06d}"  # type: ignore[union-attr]


@admin.register(InboundMail)
class InboundMailAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "sender", "subject", "ticket", "outcome", "reason")
    list_filter = ("outcome",)
    search_fields = ("sender", "subject", "mail_id")
    list_select_related = ("ticket",)
    date_hierarchy = "received_at"
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "mail_id",
                    "sender",
                    "subject",
                    "ticket",
                    "added_message",
                    "outcome",
                    "reason",
                    "received_at",
                )
            },
        ),
    )

    @admin.display(description=_("Message-ID"))
    def message_id(self, obj: InboundMail) -> str:
        return obj.mail_id
