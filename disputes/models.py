"""Disputes and warranty claims: three-party cases with evidence and deadlines.

Models hold tables, constraints and predicates; every write goes through
``disputes.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from disputes.status import (
    CLAIM_TRANSITIONS,
    DISPUTE_TRANSITIONS,
    OPEN_CLAIM_STATUSES,
    OPEN_DISPUTE_STATUSES,
    ClaimStatus,
    DisputeStatus,
)
from support_desk.ids import random_id
from tickets.models.conversation import attachments_storage


class DisputeReason(models.TextChoices):
    NOT_RECEIVED = "not_received", _("The order did not arrive")
    NOT_AS_DESCRIBED = "not_as_described", _("Not as described")
    DAMAGED = "damaged", _("Arrived damaged")
    WRONG_ITEM = "wrong_item", _("Wrong item")
    REFUND_NOT_RECEIVED = "refund_not_received", _("No refund after cancellation")
    COUNTERFEIT = "counterfeit", _("Counterfeit")


class WantedOutcome(models.TextChoices):
    FULL_REFUND = "full_refund", _("Full refund")
    PARTIAL_REFUND = "partial_refund", _("Partial refund")
    RETURN_AND_REFUND = "return_and_refund", _("Return and refund")


class CostBearer(models.TextChoices):
    SELLER = "seller", _("The seller")
    BUYER = "buyer", _("The buyer")
    MARKETPLACE = "marketplace", _("The marketplace")


class Dispute(models.Model):
    """A buyer's dispute about one order; the seller answers, the desk arbitrates."""

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="disputes",
        verbose_name=pgettext_lazy("marketplace", "order"),
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="disputes",
        verbose_name=_("buyer"),
    )
    reason = models.CharField(_("reason"), max_length=24, choices=DisputeReason.choices)
    wanted_outcome = models.CharField(
        _("wanted outcome"), max_length=20, choices=WantedOutcome.choices
    )
    wanted_amount = models.DecimalField(
        _("refund asked"),
        max_digits=12,
        decimal_places=2,
        help_text=_("The full total, or the partial amount asked."),
    )
    description = models.TextField(_("what happened"), max_length=5000)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DisputeStatus.choices,
        default=DisputeStatus.AWAITING_SELLER,
        editable=False,
    )
    seller_deadline_at = models.DateTimeField(_("seller answers by"), null=True, blank=True)
    seller_reminded_at = models.DateTimeField(
        _("seller reminded at"), null=True, blank=True, editable=False
    )
    seller_statement = models.TextField(_("seller's statement"), max_length=5000, blank=True)
    counter_amount = models.DecimalField(
        _("seller's partial refund offer"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    ticket = models.OneToOneField(
        "tickets.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dispute",
        verbose_name=_("escalation ticket"),
    )
    refund_amount = models.DecimalField(
        _("refund decided"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    return_required = models.BooleanField(_("return required"), null=True, blank=True)
    return_cost_bearer = models.CharField(
        _("return cost borne by"), max_length=12, choices=CostBearer.choices, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.TextField(_("decision"), max_length=5000, blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ("-opened_at", "-id")
        constraints = [
            # One open dispute per order, whatever races the services lose.
            models.UniqueConstraint(
                fields=("order",),
                name="disputes_one_open_per_order",
                condition=models.Q(status__in=sorted(OPEN_DISPUTE_STATUSES)),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=list(DISPUTE_TRANSITIONS)),
                name="disputes_dispute_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(wanted_amount__gt=0), name="disputes_wanted_amount_positive"
            ),
        ]
        indexes = [
            models.Index(
                fields=("seller_deadline_at",),
                name="disputes_seller_deadline",
                condition=models.Q(status=DisputeStatus.AWAITING_SELLER),
            ),
            models.Index(fields=("buyer", "-opened_at"), name="disputes_by_buyer"),
            models.Index(fields=("updated_at", "id"), name="disputes_by_update"),
        ]

    def __str__(self) -> str:
        return f"DS-{self.pk:06d}" if self.pk else "dispute"

    @property
    def reference(self) -> str:
        return str(self)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_DISPUTE_STATUSES


class DisputeEvent(models.Model):
    """One step of a dispute: who, when, from, to, and what they said."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("dispute event")
        verbose_name_plural = _("dispute events")
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=("dispute", "created_at"), name="disputes_event_by_dispute")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.from_status} → {self.to_status}"


class Evidence(models.Model):
    """A file a party gives as evidence, checked like ticket attachments."""

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    claim = models.ForeignKey(
        "WarrantyClaim", on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    file = models.FileField(
        _("file"), upload_to="evidence/%Y/%m/", storage=attachments_storage, max_length=200
    )
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ("created_at", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dispute__isnull=False, claim__isnull=True)
                | models.Q(dispute__isnull=True, claim__isnull=False),
                name="disputes_evidence_belongs_to_one_case",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Remedy(models.TextChoices):
    REPAIR = "repair", _("Repair")
    REPLACEMENT = "replacement", _("Replacement")
    REFUND = "refund", _("Refund")


class WarrantyClaim(models.Model):
    """A buyer's warranty claim on one order item, within its warranty period."""

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    item = models.ForeignKey(
        "orders.OrderItem",
        on_delete=models.PROTECT,
        related_name="warranty_claims",
        verbose_name=_("item"),
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="warranty_claims",
        verbose_name=_("buyer"),
    )
    defect = models.TextField(_("defect"), max_length=5000)
    remedy = models.CharField(_("wanted remedy"), max_length=12, choices=Remedy.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ClaimStatus.choices,
        default=ClaimStatus.AWAITING_SELLER,
        editable=False,
    )
    seller_deadline_at = models.DateTimeField(_("seller answers by"), null=True, blank=True)
    seller_reminded_at = models.DateTimeField(
        _("seller reminded at"), null=True, blank=True, editable=False
    )
    seller_statement = models.TextField(_("seller's statement"), max_length=5000, blank=True)
    ticket = models.OneToOneField(
        "tickets.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="warranty_claim",
        verbose_name=_("escalation ticket"),
    )
    decided_remedy = models.CharField(
        _("remedy decided"), max_length=12, choices=Remedy.choices, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(_("decision"), max_length=5000, blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("warranty claim")
        verbose_name_plural = _("warranty claims")
        ordering = ("-opened_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("item",),
                name="disputes_one_open_claim_per_item",
                condition=models.Q(status__in=sorted(OPEN_CLAIM_STATUSES)),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=list(CLAIM_TRANSITIONS)),
                name="disputes_claim_status_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=("seller_deadline_at",),
                name="disputes_claim_deadline",
                condition=models.Q(status=ClaimStatus.AWAITING_SELLER),
            ),
            models.Index(fields=("updated_at", "id"), name="disputes_claim_by_update"),
        ]

    def __str__(self) -> str:
        return f"WC-{self.pk:06d}" if self.pk else "warranty claim"

    @property
    def reference(self) -> str:
        return str(self)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CLAIM_STATUSES


class ClaimEvent(models.Model):
    claim = models.ForeignKey(WarrantyClaim, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("warranty claim event")
        verbose_name_plural = _("warranty claim events")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.kind}: {self.from_status} → {self.to_status}"
