"""Audit entries, and the ticket and case histories shown beside them in the admin.

An entry is written once per change, in the change's transaction, and never
changed afterwards: the admin offers no add, change or delete.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from disputes.models import ClaimEvent, DisputeEvent
from tickets.models import TicketEvent


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    CUSTOM = "custom", _("Other action")


class AuditSource(models.TextChoices):
    ADMIN = "admin", _("Admin")
    API = "api", _("API")
    SERVICE = "service", _("Desk (commands, tasks, pages)")


class AuditEntry(models.Model):
    """One change of configuration (or one privacy request): who, when, what, before and after."""

    created_at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_name = models.CharField(
        _("by (name)"),
        max_length=150,
        blank=True,
        help_text=_("The person or API key as named at the time; empty for the desk itself."),
    )
    action = models.CharField(_("action"), max_length=8, choices=AuditAction.choices)
    label = models.CharField(
        _("what was done"),
        max_length=40,
        blank=True,
        help_text=_("For other actions: e.g. revoke, export, erase."),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("type")
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    changes = models.JSONField(
        _("changes"), default=dict, blank=True, help_text=_("{field: [before, after]}")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=AuditSource.choices)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("configuration change")
        verbose_name_plural = _("configuration changes")
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(
                fields=("content_type", "object_id", "created_at"), name="audit_entry_by_object"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AuditAction.values), name="audit_entry_action_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=AuditSource.values), name="audit_entry_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"


class TicketHistory(TicketEvent):
    """Ticket events as the audit trail shows them (the rows are the tickets' own)."""

    class Meta:
        proxy = True
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")


class DisputeHistory(DisputeEvent):
    class Meta:
        proxy = True
        verbose_name = _("dispute event")
        verbose_name_plural = _("dispute events")


class ClaimHistory(ClaimEvent):
    class Meta:
        proxy = True
        verbose_name = _("warranty claim event")
        verbose_name_plural = _("warranty claim events")
