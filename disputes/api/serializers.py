"""Input and output shapes of the disputes and warranty-claims API.

Inputs check shape only: every rule (amounts within the total, required
statements, the status graph) is ``disputes.services``'s. Outputs read what
``disputes.api.access`` loaded.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from api.pagination import SyncPageSerializer
from disputes.models import (
    ClaimEvent,
    CostBearer,
    Dispute,
    DisputeEvent,
    DisputeReason,
    Evidence,
    Remedy,
    WantedOutcome,
    WarrantyClaim,
)
from disputes.status import ClaimStatus, DisputeStatus
from orders.api.serializers import pattern_field

TEXT_MAX = 5000
AGENT_HELP = (
    "API keys only: the username of the agent (or supervisor) who decides; the key needs "
    "`agents:write` too. Signed-in agents decide as themselves."
)
BUYER_HELP = (
    "API keys only: the buyer's username; by default the owner of the order. Signed-in "
    "buyers open their own cases."
)
DISPUTE_STATUSES = [str(value) for value in DisputeStatus.values]
CLAIM_STATUSES = [str(value) for value in ClaimStatus.values]


def _text(help_text: str = "") -> serializers.CharField:
    return serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default="", help_text=help_text
    )


# --- Input -------------------------------------------------------------------


class DisputeCreateInputSerializer(serializers.Serializer):
    order = serializers.CharField(max_length=40, help_text="The order number.")
    reason = serializers.ChoiceField(choices=DisputeReason.choices)
    wanted_outcome = serializers.ChoiceField(choices=WantedOutcome.choices)
    partial_amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text="For `partial_refund`: above zero, at most the order total.",
    )
    description = serializers.CharField(max_length=TEXT_MAX, help_text="What happened.")
    buyer = serializers.CharField(max_length=150, required=False, default="", help_text=BUYER_HELP)


class ClaimCreateInputSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="The order item's `id` (from the order).")
    defect = serializers.CharField(max_length=TEXT_MAX, help_text="What is wrong with it.")
    remedy = serializers.ChoiceField(choices=Remedy.choices, help_text="What the buyer wants.")
    buyer = serializers.CharField(max_length=150, required=False, default="", help_text=BUYER_HELP)


class StatementInputSerializer(serializers.Serializer):
    statement = _text("The seller's words to the buyer and the desk.")


class RequiredStatementInputSerializer(serializers.Serializer):
    statement = _text("Why: required.")


class CounterOfferInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text="The partial refund offered, at most the total."
    )
    statement = _text("The seller's words to the buyer.")


class EscalateInputSerializer(serializers.Serializer):
    note = _text("What the buyer wants the desk to know.")


class DisputeDecideInputSerializer(serializers.Serializer):
    refund_amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text="0 for none; at most the order total."
    )
    return_required = serializers.BooleanField(help_text="Must the buyer send the goods back?")
    return_cost_bearer = serializers.ChoiceField(
        choices=CostBearer.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Who pays the return; required when `return_required`.",
    )
    note = _text("The decision, for both parties: required.")
    agent = serializers.CharField(max_length=150, required=False, default="", help_text=AGENT_HELP)


class ClaimDecideInputSerializer(serializers.Serializer):
    remedy = serializers.ChoiceField(
        choices=Remedy.choices,
        allow_blank=True,
        help_text="The remedy the seller owes, or empty for none.",
    )
    note = _text("The decision, for both parties: required.")
    agent = serializers.CharField(max_length=150, required=False, default="", help_text=AGENT_HELP)


class CaseListQuerySerializer(serializers.Serializer):
    status = serializers.CharField(
        required=False, help_text="Only these statuses, comma-separated."
    )
    order = serializers.CharField(required=False, help_text="Only cases on this order number.")
    updated_since = serializers.DateTimeField(
        required=False, help_text="Only cases changed at or after this moment (ISO 8601)."
    )


# --- Output ------------------------------------------------------------------


def party_of(actor: User | None, *, buyer_id: int) -> str:
    """Name the party behind an event or file, never a staff member's username."""
    if actor is None:
        return "desk"
    if actor.pk == buyer_id:
        return "buyer"
    if actor.is_seller:
        return "seller"
    return "agent" if actor.is_agent else "other"


PARTIES = ["buyer", "seller", "agent", "desk", "other"]
PARTY_SCHEMA = {"type": "string", "pattern": f"^({'|'.join(PARTIES)})$"}


class CaseEventOutputSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="`opened`, `seller_rejected`, `escalated`, `decided`…")
    by = serializers.SerializerMethodField(help_text="The party: `desk` for the deadline rules.")
    from_status = serializers.CharField(allow_blank=True)
    to_status = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()

    @extend_schema_field(PARTY_SCHEMA)
    def get_by(self, event: DisputeEvent | ClaimEvent) -> str:
        return party_of(event.actor, buyer_id=self.context["buyer_id"])


class EvidenceOutputSerializer(serializers.ModelSerializer):
    by = serializers.SerializerMethodField(help_text="Who gave the file.")

    class Meta:
        model = Evidence
        fields = ("id", "name", "content_type", "size", "by", "created_at")

    @extend_schema_field(PARTY_SCHEMA)
    def get_by(self, evidence: Evidence) -> str:
        return party_of(evidence.uploaded_by, buyer_id=self.context["buyer_id"])


class _CaseOutput(serializers.ModelSerializer):
    buyer = serializers.CharField(source="buyer.username")
    ticket = serializers.SerializerMethodField(help_text="The escalation ticket's reference.")

    def get_ticket(self, case: Dispute | WarrantyClaim) -> str | None:
        return case.ticket.reference if case.ticket is not None else None


class DisputeOutputSerializer(_CaseOutput):
    reference = serializers.CharField()
    order = serializers.CharField(source="order.number")
    shop = serializers.CharField(source="order.shop.slug")
    seller = serializers.CharField(source="order.shop.seller.username")
    currency = serializers.CharField(source="order.currency")
    status = pattern_field(DISPUTE_STATUSES)

    class Meta:
        model = Dispute
        fields: tuple[str, ...] = (
            "id",
            "reference",
            "order",
            "shop",
            "seller",
            "buyer",
            "status",
            "reason",
            "wanted_outcome",
            "wanted_amount",
            "currency",
            "description",
            "seller_deadline_at",
            "seller_statement",
            "counter_amount",
            "ticket",
            "refund_amount",
            "return_required",
            "return_cost_bearer",
            "decision_note",
            "opened_at",
            "resolved_at",
            "updated_at",
        )


class ClaimOutputSerializer(_CaseOutput):
    reference = serializers.CharField(source="__str__")
    order = serializers.CharField(source="item.order.number")
    item = serializers.IntegerField(source="item.id")
    item_title = serializers.CharField(source="item.title")
    shop = serializers.CharField(source="item.order.shop.slug")
    seller = serializers.CharField(source="item.order.shop.seller.username")
    status = pattern_field(CLAIM_STATUSES)
    decided_remedy = serializers.CharField(
        help_text="The remedy decided (`repair`, `replacement`, `refund`), empty for none or "
        "not yet."
    )

    class Meta:
        model = WarrantyClaim
        fields: tuple[str, ...] = (
            "id",
            "reference",
            "order",
            "item",
            "item_title",
            "shop",
            "seller",
            "buyer",
            "status",
            "defect",
            "remedy",
            "seller_deadline_at",
            "seller_statement",
            "ticket",
            "decided_remedy",
            "decision_note",
            "opened_at",
            "resolved_at",
            "updated_at",
        )


class _WithHistory(serializers.Serializer):
    events = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()

    @extend_schema_field(CaseEventOutputSerializer(many=True))
    def get_events(self, case: Dispute | WarrantyClaim) -> Any:
        context = {"buyer_id": case.buyer_id}
        return CaseEventOutputSerializer(case.events.all(), many=True, context=context).data

    @extend_schema_field(EvidenceOutputSerializer(many=True))
    def get_evidence(self, case: Dispute | WarrantyClaim) -> Any:
        context = {"buyer_id": case.buyer_id}
        return EvidenceOutputSerializer(case.evidence.all(), many=True, context=context).data


class DisputeDetailOutputSerializer(DisputeOutputSerializer, _WithHistory):
    class Meta(DisputeOutputSerializer.Meta):
        fields = (*DisputeOutputSerializer.Meta.fields, "events", "evidence")


class ClaimDetailOutputSerializer(ClaimOutputSerializer, _WithHistory):
    class Meta(ClaimOutputSerializer.Meta):
        fields = (*ClaimOutputSerializer.Meta.fields, "events", "evidence")


class DisputePageSerializer(SyncPageSerializer):
    results = DisputeOutputSerializer(many=True)


class ClaimPageSerializer(SyncPageSerializer):
    results = ClaimOutputSerializer(many=True)
