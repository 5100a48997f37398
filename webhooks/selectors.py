"""Every read of webhooks, scoped by the API key that asks."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from api.models import ApiKey
from support_desk import security_log
from support_desk.errors import DomainError
from webhooks.models import Delivery, DeliveryState, Subscription
from webhooks.schedule import CLAIM_TIMEOUT


class WebhookNotFound(DomainError):
    code = "not_found"
    status = 404


def subscription_list(*, api_key: ApiKey) -> QuerySet[Subscription]:
    """Return the key's own subscriptions, newest first."""
    return Subscription.objects.filter(api_key=api_key).order_by("-created_at", "-id")


def subscription_get(*, api_key: ApiKey, subscription_id: int) -> Subscription:
    """Return one of the key's own subscriptions; raise WebhookNotFound for any other."""
    subscription = subscription_list(api_key=api_key).filter(pk=subscription_id).first()
    if subscription is None:
        security_log.log_if_someone_elses(
            Subscription.objects.filter(pk=subscription_id), what="webhook"
        )
        raise WebhookNotFound(_("No such webhook subscription."))
    return subscription


def delivery_list(*, subscription: Subscription) -> QuerySet[Delivery]:
    """Return the subscription's delivery log (unordered: the pager orders it)."""
    return Delivery.objects.filter(subscription=subscription)


def delivery_get(*, subscription: Subscription, delivery_id: UUID) -> Delivery:
    """Return one delivery of the subscription; raise WebhookNotFound for any other."""
    delivery = delivery_list(subscription=subscription).filter(uuid=delivery_id).first()
    if delivery is None:
        raise WebhookNotFound(_("No such delivery."))
    return delivery


def deliveries_due(*, now: datetime, batch: int) -> list[int]:
    """Return ids of deliveries to try now: pending and due, or claimed by a dead worker."""
    due = Delivery.objects.filter(
        Q(state=DeliveryState.PENDING, next_attempt_at__lte=now)
        | Q(state=DeliveryState.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
    ).order_by("next_attempt_at", "id")
    return list(due.values_list("id", flat=True)[:batch])
