"""What makes a ticket a conversation: attachments, ratings, mail out and in, macros."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from support_desk.ids import random_id
from tickets.models.tickets import Message, Ticket, TicketEvent


def attachments_storage() -> Storage:
    """Return the attachments' own storage (settings STORAGES["attachments"])."""
    return storages["attachments"]


def attachment_path(instance: Attachment, filename: str) -> str:
    """Store under a random name: nothing a user sends decides the path."""
    now: datetime = instance.created_at
    return f"attachments/{now:%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file on a message, checked by its content; served only to people who may see the ticket."""

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments", null=True, blank=True
    )
    file = models.FileField(
        _("file"), upload_to=attachment_path, storage=attachments_storage, max_length=200
    )
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=("ticket", "message"), name="tickets_attachment_by_ticket")]

    def __str__(self) -> str:
        return self.name


class Rating(models.Model):
    """The buyer's rating of the help on one ticket; changeable for a while."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ratings",
        verbose_name=_("agent rated"),
    )
    created_at = models.DateTimeField(_("rated at"))
    updated_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="tickets_rating_score_1_to_5"
            )
        ]
        indexes = [
            models.Index(fields=("agent", "created_at"), name="tickets_rating_by_agent"),
            # The reports' rollup reads the ratings given since its last run.
            models.Index(fields=("created_at",), name="tickets_rating_by_time"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket.reference}: {self.score}"


class NotificationKind(models.TextChoices):
    TICKET_RECEIVED = "ticket_received", _("Ticket received (to the buyer)")
    AGENT_REPLIED = "agent_replied", _("Agent replied (to the buyer)")
    TICKET_SOLVED = "ticket_solved", _("Ticket solved (to the buyer)")
    TICKET_ASSIGNED = "ticket_assigned", _("Ticket assigned (to the agent)")
    SLA_BREACHED = "sla_breached", _("SLA breached (to supervisors)")
    PENDING_REMINDER = "pending_reminder", _("Reminder (to the buyer)")
    CASE_UPDATE = "case_update", _("Dispute or warranty claim step (to buyer and seller)")
    CASE_REMINDER = "case_reminder", _("Deadline reminder (to the seller)")


class NotificationState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """One mail owed for one event to one recipient: the outbox row that makes it go exactly once.

    Written in the event's transaction; a Celery task claims it with a
    conditional update, sends, and marks it sent. The event is a ticket's, a
    dispute's or a warranty claim's: exactly one of the three is set.
    """

    event = models.ForeignKey(
        TicketEvent,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    dispute_event = models.ForeignKey(
        "disputes.DisputeEvent",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    claim_event = models.ForeignKey(
        "disputes.ClaimEvent",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    data = models.JSONField(
        _("data"),
        default=dict,
        blank=True,
        help_text=_("For a dispute or claim: the case as it stood after the step."),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=NotificationState.choices,
        default=NotificationState.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("event", "kind", "recipient"), name="tickets_notification_once"
            ),
            models.UniqueConstraint(
                fields=("dispute_event", "kind", "recipient"),
                name="tickets_notification_dispute_once",
            ),
            models.UniqueConstraint(
                fields=("claim_event", "kind", "recipient"),
                name="tickets_notification_claim_once",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    event__isnull=False,
                    ticket__isnull=False,
                    dispute_event__isnull=True,
                    claim_event__isnull=True,
                )
                | models.Q(
                    event__isnull=True, dispute_event__isnull=False, claim_event__isnull=True
                )
                | models.Q(
                    event__isnull=True, dispute_event__isnull=True, claim_event__isnull=False
                ),
                name="tickets_notification_one_event",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=NotificationState.values),
                name="tickets_notification_state_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=("created_at",),
                name="tickets_notification_unsent",
                condition=models.Q(state__in=["pending", "sending"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id} ({self.state})"


class InboundMail(models.Model):
    """A mail received for the desk, kept once per Message-ID whatever becomes of it."""

    mail_id = models.CharField(_("Message-ID"), max_length=300, unique=True)
    sender = models.CharField(_("from"), max_length=300)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    ticket = models.ForeignKey(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_mail"
    )
    added_message = models.OneToOneField(
        Message,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_mail",
        verbose_name=_("added message"),
    )
    outcome = models.CharField(_("outcome"), max_length=20)
    reason = models.CharField(_("why"), max_length=300, blank=True)
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("inbound mail")
        verbose_name_plural = _("inbound mail")
        ordering = ("-received_at", "-id")

    def __str__(self) -> str:
        return f"{self.sender}: {self.subject}"


class Macro(models.Model):
    """A canned reply with placeholders, for a topic (or all) in one language."""

    name = models.CharField(_("name"), max_length=80)
    topic = models.ForeignKey(
        "faq.Topic",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="macros",
        verbose_name=_("topic"),
        help_text=_("Empty: offered on every topic."),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    body = models.TextField(
        _("text"),
        max_length=5000,
        help_text=_(
            "Placeholders: {buyer_name}, {reference}, {order_number}, {agent_name}, {subject}."
        ),
    )
    set_status = models.CharField(
        _("then set status"),
        max_length=10,
        blank=True,
        choices=[("pending", _("Pending")), ("solved", _("Solved"))],
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("macro")
        verbose_name_plural = _("macros")
        ordering = ("sort_order", "name")
        constraints = [
            models.UniqueConstraint(
                fields=("name", "language"), name="tickets_macro_name_unique_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} [{self.language}]"
