"""Integrator API keys: stored hashed, shown once, scoped and revocable."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiKey(models.Model):
    """A key an integrator sends as ``Authorization: Bearer <key>``.

    Only the SHA-256 of the secret is kept; ``prefix`` is the public part of
    the key that finds the row and tells keys apart in lists and logs.
    """

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="seller_api_keys",
        limit_choices_to={"role": "seller"},
        verbose_name=_("acts as seller"),
        help_text=_(
            "With the scope `seller`: the key acts as this seller and sees only their shops' "
            "orders, disputes and warranty claims."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def acts_as_seller(self) -> bool:
        """Return True for a key bound to one seller (scope ``seller``)."""
        return self.seller_id is not None and "seller" in self.scopes

    def has_scopes(self, required: list[str] | tuple[str, ...]) -> bool:
        """Return True when the key holds every scope in ``required``."""
        return set(required) <= set(self.scopes)


class IdempotencyState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")


class IdempotencyRecord(models.Model):
    """The first answer to a POST sent with an ``Idempotency-Key``, replayed to its retries.

    The unique (owner, key) pair is what lets only one of several concurrent
    requests run: the others find the row and wait for its answer.
    """

    owner = models.CharField(_("caller"), max_length=64, help_text=_("key:<id> or user:<id>"))
    key = models.CharField(_("idempotency key"), max_length=255)
    fingerprint = models.CharField(
        _("request fingerprint"),
        max_length=64,
        help_text=_("SHA-256 of the method, path, content type and body"),
    )
    request_method = models.CharField(_("method"), max_length=10)
    request_path = models.TextField(_("path"))
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=IdempotencyState.choices,
        default=IdempotencyState.IN_PROGRESS,
    )
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    response_content_type = models.CharField(_("response content type"), max_length=255, blank=True)
    response_body = models.BinaryField(_("response body"), default=b"")
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(fields=("owner", "key"), name="api_idempotency_owner_key"),
            models.CheckConstraint(
                condition=models.Q(state=IdempotencyState.IN_PROGRESS)
                | models.Q(response_status__isnull=False),
                name="api_idempotency_done_has_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.key}"
