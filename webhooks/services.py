"""Every write of webhooks: subscriptions, the outbox, each attempt, redelivery.

``webhook_emit`` is the one way an event enters the outbox: the domain's
event writers call it inside their transaction. After commit the payload is
built and ``webhooks.deliver`` is sent; ``delivery_send`` makes each attempt
and schedules the next, and the beat sweeper sends whatever is due.
"""

from __future__ import annotations

import json
import logging
import secrets
import uuid
from collections.abc import Hashable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.utils.encoders import JSONEncoder

from api.models import ApiKey
from support_desk.errors import DomainError
from webhooks import selectors, tasks
from webhooks.addresses import WebhookUrlRefused, url_check
from webhooks.events import CHOICES, EVENT_TYPES, key_may_hear
from webhooks.models import Delivery, DeliveryState, Subscription
from webhooks.payloads import Data, PayloadBuilder, payload_builder_from
from webhooks.schedule import CLAIM_TIMEOUT, RETRY_WINDOW, retry_wait
from webhooks.sending import Outcome, payload_body, signature_header, webhook_post

__all__ = [
    "DeliveryNotFinished",
    "InvalidEvents",
    "SubscriptionInactive",
    "WebhookUrlRefused",
    "deliveries_sweep",
    "delivery_redeliver",
    "delivery_send",
    "subscription_create",
    "subscription_delete",
    "subscription_events_check",
    "subscription_update",
    "subscription_url_check",
    "webhook_emit",
]

logger = logging.getLogger("webhooks")

SECRET_PREFIX = "whsec_"
SWEEP_BATCH = 500


class InvalidEvents(DomainError):
    code = "webhook_events_refused"


class DeliveryNotFinished(DomainError):
    code = "delivery_not_finished"
    status = 409


class SubscriptionInactive(DomainError):
    code = "subscription_inactive"
    status = 409


# --- Subscriptions ----------------------------------------------------------------


def subscription_url_check(*, url: str) -> str:
    """Return the URL cleaned; raise WebhookUrlRefused for one webhooks may not go to."""
    url = url.strip()
    url_check(url, allow_private=settings.DESK_WEBHOOKS_ALLOW_PRIVATE)
    return url


def subscription_events_check(*, api_key: ApiKey, events: list[str]) -> list[str]:
    """Return the events sorted; raise InvalidEvents for unknown ones or ones the key may not hear."""
    wanted = sorted(set(events))
    if not wanted:
        raise InvalidEvents(_("List at least one event."), details={"events": _("Required.")})
    unknown = [name for name in wanted if name not in CHOICES]
    if unknown:
        message = _("Unknown events: %(events)s.") % {"events": ", ".join(unknown)}
        raise InvalidEvents(message, details={"events": message})
    refused = [name for name in wanted if not key_may_hear(api_key, name)]
    if refused:
        message = _("This key's scopes do not let it hear of %(events)s.") % {
            "events": ", ".join(refused)
        }
        raise InvalidEvents(message, details={"events": message})
    return wanted


def subscription_create(
    *,
    api_key: ApiKey,
    url: str,
    events: list[str],
    now: datetime,
    description: str = "",
    active: bool = True,
) -> tuple[Subscription, str]:
    """Subscribe ``api_key`` to ``events`` at ``url``; return it with its secret, shown only now.

    Raises WebhookUrlRefused (not http(s), or not a public address unless
    DESK_WEBHOOKS_ALLOW_PRIVATE) and InvalidEvents (unknown, or not for this
    key's scopes).
    """
    url = subscription_url_check(url=url)
    events = subscription_events_check(api_key=api_key, events=events)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    subscription = Subscription.objects.create(
        api_key=api_key,
        url=url,
        events=events,
        description=description.strip()[:200],
        secret=secret,
        active=active,
        created_at=now,
        updated_at=now,
    )
    return subscription, secret


def subscription_update(
    *,
    subscription: Subscription,
    now: datetime,
    url: str | None = None,
    events: list[str] | None = None,
    description: str | None = None,
    active: bool | None = None,
) -> Subscription:
    """Change what is given (None: unchanged); the checks of ``subscription_create`` apply."""
    fields = ["updated_at"]
    if url is not None:
        subscription.url = subscription_url_check(url=url)
        fields.append("url")
    if events is not None:
        subscription.events = subscription_events_check(api_key=subscription.api_key, events=events)
        fields.append("events")
    if description is not None:
        subscription.description = description.strip()[:200]
        fields.append("description")
    if active is not None:
        subscription.active = active
        fields.append("active")
    subscription.updated_at = now
    subscription.save(update_fields=fields)
    return subscription


def subscription_delete(*, subscription: Subscription) -> None:
    """Delete a subscription and its delivery log; what it was owed is not sent."""
    subscription.delete()


# --- The outbox -------------------------------------------------------------------


def _send_after_commit(delivery_id: int) -> None:
    from tickets.services._common import send_after_commit

    send_after_commit(tasks.deliver, delivery_id=delivery_id)


def webhook_subscriptions() -> list[Subscription]:
    """Return the active subscriptions of keys not revoked (one query), for ``webhook_emit``."""
    return list(
        Subscription.objects.filter(active=True, api_key__revoked_at__isnull=True).select_related(
            "api_key"
        )
    )


def webhook_emit(
    *,
    event_type: str,
    build_payload: PayloadBuilder,
    now: datetime,
    subscriptions: list[Subscription] | None = None,
) -> list[Delivery]:
    """Owe ``event_type`` to every active subscription that wants it and may hear of it.

    Preconditions: inside the transaction of the change the event tells of;
    the rows written here are that change's outbox and stand or fall with
    it. ``build_payload`` is called once the transaction has committed, so
    the payload tells the state the change left however early in the change
    this is called; then ``webhooks.deliver`` is sent for each row. One query
    when no subscription wants the event, none when ``subscriptions`` (from
    ``webhook_subscriptions`` in the same transaction) are given. Returns the
    rows written.
    """
    if event_type not in EVENT_TYPES:
        logger.warning("Not a webhook event: %s", event_type)
        return []
    listening = [
        subscription
        for subscription in (webhook_subscriptions() if subscriptions is None else subscriptions)
        if subscription.wants(event_type)
        and key_may_hear(subscription.api_key, event_type)
        and build_payload.hears(subscription.api_key)
    ]
    if not listening:
        return []
    event_id = uuid.uuid4()
    source = build_payload.source()
    deliveries = Delivery.objects.bulk_create(
        Delivery(
            subscription=subscription,
            event_type=event_type,
            event_id=event_id,
            source=source,
            next_attempt_at=now,
            retry_until=now + RETRY_WINDOW,
            created_at=now,
        )
        for subscription in listening
    )
    transaction.on_commit(
        _PayloadFill([delivery.pk for delivery in deliveries], build_payload), robust=True
    )
    for delivery in deliveries:
        _send_after_commit(delivery.pk)
    return deliveries


def _envelope(delivery: Delivery, data: Data) -> dict[str, Any]:
    created_at = serializers.DateTimeField().to_representation(delivery.created_at)
    envelope = {
        "id": str(delivery.event_id),
        "type": delivery.event_type,
        "created_at": created_at,
        "data": data,
    }
    # As the API renders it: serializer output may hold datetimes and decimals.
    return dict(json.loads(json.dumps(envelope, cls=JSONEncoder)))


def _payload_build(
    delivery: Delivery, builder: PayloadBuilder | None, built: dict[Hashable, Data | None]
) -> dict[str, Any] | None:
    """Build and store a delivery's payload; return it, or None when the key may not see it."""
    builder = builder or payload_builder_from(delivery.source)
    if builder is None:
        return None
    api_key = delivery.subscription.api_key
    view = builder.view(api_key)
    if view not in built:
        built[view] = builder(api_key=api_key)
    data = built[view]
    if data is None:
        return None
    payload = _envelope(delivery, data)
    if not Delivery.objects.filter(pk=delivery.pk, payload__isnull=True).update(payload=payload):
        # Built meanwhile by another process: every attempt sends what was stored first.
        stored = Delivery.objects.filter(pk=delivery.pk).values_list("payload", flat=True).first()
        return stored or payload
    return payload


class _PayloadFill:
    """Build the payloads of one event's deliveries, once its transaction has committed."""

    def __init__(self, delivery_ids: list[int], builder: PayloadBuilder) -> None:
        self.delivery_ids = delivery_ids
        self.builder = builder
        # Django's robust on_commit names a failed callback by its __qualname__.
        self.__qualname__ = "build webhook payloads"

    def __call__(self) -> None:
        built: dict[Hashable, Data | None] = {}
        unbuilt = Delivery.objects.filter(
            pk__in=self.delivery_ids, payload__isnull=True
        ).select_related("subscription__api_key")
        for delivery in unbuilt:
            if _payload_build(delivery, self.builder, built) is None:
                Delivery.objects.filter(
                    pk=delivery.pk, state=DeliveryState.PENDING, payload__isnull=True
                ).update(state=DeliveryState.FAILED, last_error=_NOT_VISIBLE)


_NOT_VISIBLE = "The key may not see what the event is about."


# --- Sending ----------------------------------------------------------------------


def delivery_send(*, delivery_id: int, now: datetime) -> str:
    """Make one attempt at a due delivery; return delivered, retry, failed or not-due.

    Claims the row (pending and due, or claimed by a worker that died) with a
    conditional update, so two copies of the task never both send; the
    network call runs outside any transaction. A failed attempt is tried
    again after 30 s, 1 min, 2 min … (at most an hour apart) until
    ``retry_until``, a day after the event; then the delivery is failed.
    """
    claimable = Q(state=DeliveryState.PENDING, next_attempt_at__lte=now) | Q(
        state=DeliveryState.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    )
    claimed = Delivery.objects.filter(claimable, pk=delivery_id).update(
        state=DeliveryState.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return "not-due"
    delivery = Delivery.objects.select_related("subscription__api_key").get(pk=delivery_id)
    subscription = delivery.subscription
    if not subscription.active or not subscription.api_key.is_active:
        refused = Outcome(None, "The subscription is paused, or its key revoked.")
        return _attempt_record(delivery, outcome=refused, now=now, final=True)
    payload = delivery.payload
    if payload is None:  # the process that committed the event died before building it
        try:
            payload = _payload_build(delivery, None, {})
        except Exception:
            logger.exception("Could not build the payload of webhook delivery %s", delivery.uuid)
            failure = Outcome(None, "The desk could not build the payload; it is logged.")
            return _attempt_record(delivery, outcome=failure, now=now)
        if payload is None:
            return _attempt_record(
                delivery, outcome=Outcome(None, _NOT_VISIBLE), now=now, final=True
            )
    body = payload_body(payload)
    signature = signature_header(
        secret=subscription.secret, timestamp=int(now.timestamp()), body=body
    )
    outcome = webhook_post(
        url=subscription.url,
        body=body,
        headers={
            "X-Desk-Event": delivery.event_type,
            "X-Desk-Delivery": str(delivery.uuid),
            "X-Desk-Signature": signature,
        },
        timeout=settings.DESK_WEBHOOKS_TIMEOUT_SECONDS,
        allow_private=settings.DESK_WEBHOOKS_ALLOW_PRIVATE,
    )
    return _attempt_record(delivery, outcome=outcome, now=now)


def _url_for_log(url: str) -> str:
    """Return ``url`` without its query: integrators put tokens there."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))


def _attempt_record(
    delivery: Delivery, *, outcome: Outcome, now: datetime, final: bool = False
) -> str:
    """Log an attempt on the claimed row and schedule the next one, or give up."""
    fields: dict[str, Any] = {
        "response_code": outcome.status,
        "last_error": outcome.error[:300],
        "claimed_at": None,
    }
    if outcome.delivered:
        result = "delivered"
        fields |= {"state": DeliveryState.DELIVERED, "delivered_at": now}
    else:
        next_attempt_at = now + retry_wait(delivery.attempts)
        if final or next_attempt_at > delivery.retry_until:
            result = "failed"
            fields["state"] = DeliveryState.FAILED
        else:
            result = "retry"
            fields |= {"state": DeliveryState.PENDING, "next_attempt_at": next_attempt_at}
        logger.info(
            "Webhook delivery %s to %s: %s (%s)",
            delivery.uuid,
            _url_for_log(delivery.subscription.url),
            outcome.error,
            result,
        )
    Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING, claimed_at=now).update(
        **fields
    )
    return result


def deliveries_sweep(*, now: datetime, batch: int = SWEEP_BATCH) -> int:
    """Send ``webhooks.deliver`` for every delivery due now; return how many were sent.

    Retries wait here for their time, and so does any delivery whose message
    the broker lost: the rows are the truth.
    """
    from tickets.services._common import send_now

    due = selectors.deliveries_due(now=now, batch=batch)
    return sum(1 for delivery_id in due if send_now(tasks.deliver, delivery_id=delivery_id))


def delivery_redeliver(*, delivery: Delivery, now: datetime) -> Delivery:
    """Send a delivered or failed delivery again, with a new day of retries.

    The payload and event id stay the same, so a receiver knows it is the
    same event. Raises DeliveryNotFinished while it is pending or sending,
    SubscriptionInactive when the subscription is paused or its key revoked.
    """
    subscription = delivery.subscription
    if not subscription.active or not subscription.api_key.is_active:
        raise SubscriptionInactive(_("The subscription is paused; make it active first."))
    with transaction.atomic():
        reset = Delivery.objects.filter(
            pk=delivery.pk, state__in=(DeliveryState.DELIVERED, DeliveryState.FAILED)
        ).update(
            state=DeliveryState.PENDING,
            attempts=0,
            next_attempt_at=now,
            retry_until=now + RETRY_WINDOW,
            claimed_at=None,
            delivered_at=None,
        )
        if not reset:
            raise DeliveryNotFinished(_("This delivery is still being tried."))
        _send_after_commit(delivery.pk)
    delivery.refresh_from_db()
    return delivery
