"""Tickets, their history and their messages."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from support_desk.ids import random_id
from tickets.models.config import Priority, Queue
from tickets.status import OPEN_STATUSES, Status

REFERENCE_PREFIX = "SD-"


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    CHAT = "chat", _("Chat")
    EMAIL = "email", _("Email")
    API = "api", _("API")


class Ticket(models.Model):
    """A buyer's request for help; its status changes only through the services."""

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("buyer"),
    )
    topic = models.ForeignKey(
        "faq.Topic", on_delete=models.PROTECT, related_name="tickets", verbose_name=_("topic")
    )
    faq_entry = models.ForeignKey(
        "faq.FaqEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("came from answer"),
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    order_number = models.CharField(_("order number"), max_length=40, blank=True)
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("linked order"),
        help_text=_("The buyer's order with that number, when the desk knows it."),
        editable=False,
    )
    details = models.JSONField(
        _("details"),
        default=dict,
        blank=True,
        help_text=_("What the topic asks for: transaction id, amount, product, purchase date."),
    )
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), max_length=10000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW, editable=False
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL, editable=False
    )
    queue = models.ForeignKey(
        Queue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("queue"),
        editable=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("assignee"),
        editable=False,
    )
    routing_reason = models.CharField(
        _("routing reason"), max_length=300, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("opened at"), db_index=True)
    updated_at = models.DateTimeField(_("updated at"))
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    first_responded_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    first_response_due_at = models.DateTimeField(_("first response due"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    pending_since = models.DateTimeField(_("pending since"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("buyer reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    solved_at = models.DateTimeField(_("solved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="tickets_ticket_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(priority__in=Priority.values),
                name="tickets_ticket_priority_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values), name="tickets_ticket_channel_valid"
            ),
            # Only an assigned or pending ticket has an agent; new and queued ones do not.
            models.CheckConstraint(
                condition=~models.Q(status__in=[Status.NEW, Status.QUEUED], assignee__isnull=False)
                & ~models.Q(status=Status.ASSIGNED, assignee__isnull=True),
                name="tickets_ticket_assignee_matches_status",
            ),
        ]
        indexes = [
            # The waiting line of a queue: priority, then arrival.
            models.Index(
                models.F("queue"),
                models.F("priority").desc(),
                models.F("queued_at"),
                models.F("id"),
                name="tickets_waiting_line",
                condition=models.Q(status=Status.QUEUED),
            ),
            # An agent's tickets by status (workspace, capacity count).
            models.Index(fields=("assignee", "status", "-updated_at"), name="tickets_by_assignee"),
            # A buyer's requests, newest first.
            models.Index(fields=("buyer", "-created_at"), name="tickets_by_buyer"),
            # Integrators syncing changes, all of them or those of one status.
            models.Index(fields=("updated_at", "id"), name="tickets_by_update"),
            models.Index(fields=("status", "updated_at", "id"), name="tickets_by_status_update"),
            models.Index(fields=("queue", "updated_at", "id"), name="tickets_by_queue_update"),
            models.Index(fields=("topic", "updated_at", "id"), name="tickets_by_topic_update"),
            # Sweepers: tickets not routed yet, SLA watch on open tickets.
            models.Index(
                fields=("created_at",),
                name="tickets_new_unrouted",
                condition=models.Q(status=Status.NEW),
            ),
            models.Index(
                fields=("status", "resolution_due_at"),
                name="tickets_sla_watch",
                condition=models.Q(status__in=[Status.QUEUED, Status.ASSIGNED]),
            ),
            # An agent's SLA watch: the open tickets of their queues, soonest due first.
            models.Index(
                fields=("queue", "first_response_due_at"),
                name="tickets_open_by_queue",
                condition=models.Q(status__in=[Status.QUEUED, Status.ASSIGNED]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def reference(self) -> str:
        """Return the reference buyers quote, e.g. SD-000123."""
        return f"{REFERENCE_PREFIX}{self.pk:06d}" if self.pk else ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def can_buyer_reply(self) -> bool:
        return self.status != Status.CLOSED

    def can_buyer_mark_solved(self) -> bool:
        return self.status in OPEN_STATUSES

    def escalates_an_open_case(self) -> bool:
        """Whether the desk opened this ticket for a dispute or warranty claim still undecided.

        Such a ticket ends with the case: the agent's decision, or the buyer
        withdrawing the case on its page; never someone's word on the ticket
        alone, which would leave the case waiting for a decision nobody is
        asked for. Once the case is decided the ticket is an ordinary one.
        """
        if self.order_id is None:  # a case's ticket always names its order
            return False
        for name in ("dispute", "warranty_claim"):
            case = getattr(self, name, None)
            if case is not None:
                return bool(case.is_open)
        return False


def reference_to_id(reference: str) -> int | None:
    """Return the ticket id a reference like SD-000123 (or 123) names, or None."""
    text = reference.strip().upper().removeprefix(REFERENCE_PREFIX)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 16 else None


class EventKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    STATUS = "status", _("Status changed")
    QUEUE = "queue", _("Queue changed")
    ASSIGNEE = "assignee", _("Assignee changed")
    PRIORITY = "priority", _("Priority changed")
    SLA_BREACHED = "sla_breached", _("SLA breached")
    REMINDED = "reminded", _("Buyer reminded")
    REPLIED = "replied", _("Agent replied")
    RATED = "rated", _("Buyer rated the help")


class TicketEvent(models.Model):
    """One change of a ticket: who, when, from, to, why. Written in the change's transaction."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_value = models.CharField(_("from"), max_length=80, blank=True)
    to_value = models.CharField(_("to"), max_length=80, blank=True)
    reason = models.CharField(_("why"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ("created_at", "id")
        indexes = [
            models.Index(fields=("ticket", "created_at", "id"), name="tickets_event_by_ticket")
        ]
        constraints = [
            # A ticket leaves `new` once, when it is routed: a second routing of
            # the same ticket (a message delivered twice, a worker that died
            # after its commit) cannot write its history, so it cannot happen.
            models.UniqueConstraint(
                fields=("ticket",),
                condition=models.Q(kind="status", from_value="new"),
                name="tickets_event_routed_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.from_value} → {self.to_value}"


class MessageKind(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    AGENT = "agent", _("Agent")
    NOTE = "note", _("Internal note")
    SYSTEM = "system", _("System")
    ASSISTANT = "assistant", _("Assistant")


class Message(models.Model):
    """One message of a ticket's thread; notes are for agents only."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("kind"), max_length=10, choices=MessageKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("text"), max_length=10000)
    data = models.JSONField(
        _("data"),
        default=dict,
        blank=True,
        help_text=_("What a system or assistant message refers to, e.g. the answers offered."),
    )
    created_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ("created_at", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=MessageKind.values), name="tickets_message_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=("ticket", "created_at", "id"), name="tickets_message_thread")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.body[:40]}"

    @property
    def is_internal(self) -> bool:
        return self.kind == MessageKind.NOTE


# Message kinds a buyer may see.
BUYER_VISIBLE_KINDS = (
    MessageKind.BUYER,
    MessageKind.AGENT,
    MessageKind.SYSTEM,
    MessageKind.ASSISTANT,
)
