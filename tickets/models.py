"""Tickets, their history and messages; agent queues, business hours, SLA policies, agents.

Models hold tables, constraints and predicates. Every write goes through
``tickets.services``.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tickets.hours import Calendar, InvalidHours, check_time_zone, parse_weekly_hours
from tickets.status import OPEN_STATUSES, Status

REFERENCE_PREFIX = "SD-"


def always_open_hours() -> dict[str, list[list[str]]]:
    return {day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


class BusinessHours(models.Model):
    """Opening hours in one time zone, with holidays; queues share them."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", help_text=_("IANA name, e.g. Europe/Moscow.")
    )
    weekly_hours = models.JSONField(
        _("weekly hours"),
        default=always_open_hours,
        help_text=_('Local opening periods per weekday, e.g. {"mon": [["06:00", "24:00"]]}.'),
    )

    class Meta:
        verbose_name = _("business hours")
        verbose_name_plural = _("business hours")
        ordering = ("name",)

    def __str__(self) -> str:
        return f"{self.name} ({self.time_zone})"

    def clean(self) -> None:
        errors = {}
        try:
            check_time_zone(self.time_zone)
        except InvalidHours as error:
            errors["time_zone"] = str(error)
        try:
            parse_weekly_hours(self.weekly_hours)
        except InvalidHours as error:
            errors["weekly_hours"] = str(error)
        if errors:
            raise ValidationError(errors)

    def calendar(self, holidays: list[date] | None = None) -> Calendar:
        """Return the pure calendar; ``holidays`` defaults to this row's holidays."""
        if holidays is None:
            holidays = [holiday.date for holiday in self.holidays.all()]
        return Calendar.build(
            time_zone=self.time_zone, weekly_hours=self.weekly_hours, holidays=holidays
        )


class Holiday(models.Model):
    hours = models.ForeignKey(BusinessHours, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ("date",)
        constraints = [
            models.UniqueConstraint(fields=("hours", "date"), name="tickets_holiday_unique_date")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}".strip()


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")


class SlaPolicy(models.Model):
    """Named set of first-response and resolution targets, per topic and priority."""

    name = models.CharField(_("name"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class SlaTarget(models.Model):
    """Targets in business minutes; an empty topic applies to every topic without its own row."""

    policy = models.ForeignKey(SlaPolicy, on_delete=models.CASCADE, related_name="targets")
    topic = models.ForeignKey(
        "faq.Topic", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("topic")
    )
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices)
    first_response_minutes = models.PositiveIntegerField(_("first response within (minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution within (minutes)"))

    class Meta:
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")
        ordering = ("policy", "topic", "-priority")
        constraints = [
            models.UniqueConstraint(
                fields=("policy", "topic", "priority"),
                name="tickets_sla_target_unique",
                condition=models.Q(topic__isnull=False),
            ),
            # One catch-all row per priority (NULLs are distinct in a plain unique index).
            models.UniqueConstraint(
                fields=("policy", "priority"),
                name="tickets_sla_target_unique_catch_all",
                condition=models.Q(topic__isnull=True),
            ),
            models.CheckConstraint(
                condition=models.Q(resolution_minutes__gte=models.F("first_response_minutes")),
                name="tickets_sla_target_resolution_after_response",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} · {self.topic or '*'} · {self.get_priority_display()}"


class Queue(models.Model):
    """An agent queue: the topics and language it serves, when, and what happens after hours."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=80)
    topics = models.ManyToManyField(
        "faq.Topic",
        blank=True,
        related_name="queues",
        verbose_name=_("topics"),
        help_text=_("Empty: serves any topic no other queue serves."),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    hours = models.ForeignKey(
        BusinessHours,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="queues",
        verbose_name=_("business hours"),
        help_text=_("Empty: open around the clock."),
    )
    fallback = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fallback queue"),
        help_text=_("Serves new tickets while this one is closed."),
    )
    escalation_queue = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalation queue"),
        help_text=_("Tickets that breach their SLA move here; empty keeps them in place."),
    )
    sla_policy = models.ForeignKey(
        SlaPolicy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="queues",
        verbose_name=_("SLA policy"),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        ordering = ("sort_order", "name")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(fallback=models.F("id")), name="tickets_queue_not_own_fallback"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Presence(models.TextChoices):
    ONLINE = "online", _("Online")
    AWAY = "away", _("Away")
    OFFLINE = "offline", _("Offline")


class AgentProfile(models.Model):
    """How an agent works: queues, languages, capacity, presence."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_profile"
    )
    queues = models.ManyToManyField(
        Queue, blank=True, related_name="agents", verbose_name=_("queues")
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_('Language codes, e.g. ["en", "ru"].')
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=5, help_text=_("Most tickets with the agent at once.")
    )
    presence = models.CharField(
        _("presence"), max_length=8, choices=Presence.choices, default=Presence.OFFLINE
    )
    presence_changed_at = models.DateTimeField(_("presence changed at"), null=True, blank=True)
    last_assigned_at = models.DateTimeField(_("last ticket at"), null=True, blank=True)

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        ordering = ("user__username",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(presence__in=Presence.values),
                name="tickets_agent_presence_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.user.get_username()

    def clean(self) -> None:
        codes = dict(settings.LANGUAGES)
        if not isinstance(self.languages, list) or any(
            code not in codes for code in self.languages
        ):
            raise ValidationError({"languages": _("A list of the desk's language codes.")})


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    CHAT = "chat", _("Chat")
    EMAIL = "email", _("Email")
    API = "api", _("API")


class Ticket(models.Model):
    """A buyer's request for help; its status changes only through the services."""

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
            # Integrators syncing changes.
            models.Index(fields=("updated_at", "id"), name="tickets_by_update"),
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


def reference_to_id(reference: str) -> int | None:
    """Return the ticket id a reference like SD-000123 (or 123) names, or None."""
    text = reference.strip().upper().removeprefix(REFERENCE_PREFIX)
    return int(text) if text.isdigit() and len(text) <= 12 else None


class EventKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    STATUS = "status", _("Status changed")
    QUEUE = "queue", _("Queue changed")
    ASSIGNEE = "assignee", _("Assignee changed")
    PRIORITY = "priority", _("Priority changed")
    SLA_BREACHED = "sla_breached", _("SLA breached")
    REMINDED = "reminded", _("Buyer reminded")


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
