"""Input and output shapes of the webhooks API.

Inputs check shape only: whether a URL may be used and which events a key
may hear are ``webhooks.services``'s rules. The secret appears in one
output only, the answer to creating a subscription.
"""

from __future__ import annotations

from rest_framework import serializers

from webhooks.events import CHOICES
from webhooks.models import DeliveryState

EVENTS_HELP = (
    "Event types, e.g. `ticket.created`, `dispute.opened`, or a whole family: `ticket.*`, "
    "`dispute.*`, `warranty_claim.*`. Ticket events need `tickets:read`; dispute and warranty "
    "claim events `disputes:read` (or a key bound to a seller: that seller's shops' cases)."
)


def _events(*, required: bool) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=list(CHOICES)),
        allow_empty=False,
        max_length=len(CHOICES),
        required=required,
        help_text=EVENTS_HELP,
    )


# --- Input -------------------------------------------------------------------


class SubscriptionCreateInputSerializer(serializers.Serializer):
    url = serializers.CharField(
        max_length=2000,
        help_text="Where to POST: an http(s) URL whose host resolves to public addresses only.",
    )
    events = _events(required=True)
    description = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="Your own note."
    )
    active = serializers.BooleanField(
        required=False, default=True, help_text="False pauses deliveries."
    )


class SubscriptionUpdateInputSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=2000, required=False)
    events = _events(required=False)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)


# --- Output ------------------------------------------------------------------


class SubscriptionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    events = serializers.ListField(child=serializers.CharField())
    description = serializers.CharField()
    active = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class SubscriptionCreatedOutputSerializer(SubscriptionOutputSerializer):
    secret = serializers.CharField(
        help_text="Signs every delivery (`X-Desk-Signature`). Shown only in this answer: keep it."
    )


class SubscriptionPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SubscriptionOutputSerializer(many=True)


class DeliveryOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", help_text="Sent as `X-Desk-Delivery`.")
    event = serializers.CharField(source="event_type", help_text="The event type.")
    event_id = serializers.UUIDField(help_text="The payload's `id`: the same on a redelivery.")
    state = serializers.ChoiceField(choices=DeliveryState.values)
    attempts = serializers.IntegerField(help_text="Attempts since it was owed (or redelivered).")
    response_code = serializers.IntegerField(
        allow_null=True, help_text="The last answer's HTTP status; null when none came."
    )
    last_error = serializers.CharField(help_text="Why the last attempt failed; empty if none did.")
    next_attempt_at = serializers.DateTimeField(help_text="When a pending delivery is tried next.")
    delivered_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    payload = serializers.JSONField(
        allow_null=True, help_text="The body sent; null until the event's change has committed."
    )


class DeliveryPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = DeliveryOutputSerializer(many=True)
