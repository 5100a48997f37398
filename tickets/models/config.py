"""Configuration of the desk's ticket handling: business hours, SLA policies, queues, agents."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tickets.hours import Calendar, InvalidHours, check_time_zone, parse_weekly_hours


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
    notify_on_assignment = models.BooleanField(
        _("mail me when a ticket is assigned to me"), default=False
    )

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
