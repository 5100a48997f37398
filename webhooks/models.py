"""Webhook subscriptions of API keys, and the outbox of their deliveries."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from webhooks.events import event_wanted


class Subscription(models.Model):
    """An API key's wish to hear of some events at a URL, signed with its own secret.

    The secret signs every delivery, so it is kept as given out (the desk must
    be able to sign with it); it is shown once, when the subscription is made.
    """

    api_key = models.ForeignKey(
        "api.ApiKey",
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
        verbose_name=_("API key"),
    )
    url = models.URLField(_("URL"), max_length=2000)
    events = models.JSONField(_("events"), default=list)
    description = models.CharField(_("description"), max_length=200, blank=True)
    secret = models.CharField(max_length=100, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        """Return True when this subscription lists ``event_type`` (or its family)."""
        return event_wanted(event_type, wanted=list(self.events))


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One event owed to one subscription: the outbox row and the delivery log in one.

    Written in the transaction of the change it tells of. ``payload`` is
    built from ``source`` once that transaction has committed (null until
    then), so it tells the state the change left; retries send it unchanged.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("subscription"),
    )
    event_type = models.CharField(_("event"), max_length=64)
    event_id = models.UUIDField(_("event id"))
    source = models.JSONField(default=dict, editable=False)
    payload = models.JSONField(_("payload"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    response_code = models.PositiveSmallIntegerField(_("last response code"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    retry_until = models.DateTimeField(_("retried until"))
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("subscription", "event_id"), name="webhooks_one_delivery_per_event"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=DeliveryState.values), name="webhooks_delivery_state"
            ),
        ]
        indexes = [
            models.Index(fields=("state", "next_attempt_at"), name="webhooks_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.subscription_id} ({self.state})"

    @property
    def is_finished(self) -> bool:
        return self.state in (DeliveryState.DELIVERED, DeliveryState.FAILED)
