"""OpenAPI documentation of the webhooks API: descriptions, error answers, examples."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse

from api.serializers import ErrorSerializer
from orders.api.schema import PAGE_PARAMS

__all__ = ["PAGE_PARAMS"]

TAGS = ["webhooks"]

WHOSE = (
    "Subscriptions belong to the API key that made them: a key sees and changes only its own; "
    "any other answers 404 `not_found`. Signed-in people may not use these operations."
)
DELIVERY = (
    "Each event is POSTed as JSON `{id, type, created_at, data}` with the headers "
    "`X-Desk-Event` (the type), `X-Desk-Delivery` (the delivery's id) and `X-Desk-Signature: "
    't=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the secret>`. A 2xx answer '
    "delivers it; anything else (or no answer within 10 s) is tried again after 30 s, 1, 2, 4, "
    "8 … minutes, at most an hour apart, for a day; then the delivery is `failed`."
)
LIST = (
    "The key's subscriptions, newest first, cursor-paginated (`{next, previous, results}`). "
    "The secret is never shown again.\n\n**Access:** scope `webhooks:read`. " + WHOSE
)
CREATE = (
    "Subscribe the key to `events` at `url`. The URL must be http(s) and its host must "
    "resolve to public addresses only (loopback, private, link-local and other special "
    "addresses are refused with `webhook_url_refused`), checked again at each delivery. "
    "201 with the subscription and its `secret`, shown only in this answer.\n\n"
    + DELIVERY
    + "\n\n**Access:** scope `webhooks:write`, and the scopes of the events' families. "
    + WHOSE
)
DETAIL = "One of the key's subscriptions.\n\n**Access:** scope `webhooks:read`. " + WHOSE
UPDATE = (
    "Change a subscription's `url`, `events`, `description` or `active` (false pauses it: "
    "nothing is owed to it while paused). Fields not sent stay as they are; the checks of "
    "creating one apply.\n\n**Access:** scope `webhooks:write`. " + WHOSE
)
DELETE = (
    "Delete a subscription and its delivery log; what it was still owed is not sent.\n\n"
    "**Access:** scope `webhooks:write`. " + WHOSE
)
DELIVERIES = (
    "The subscription's delivery log, newest first, cursor-paginated: each event owed, its "
    "`state` (`pending`, `sending`, `delivered`, `failed`), `attempts`, the last "
    "`response_code` and `last_error`, and the `payload` sent.\n\n**Access:** scope "
    "`webhooks:read`. " + WHOSE
)
REDELIVER = (
    "Send a `delivered` or `failed` delivery again: it becomes `pending` with a new day of "
    "retries, the same payload and event `id` (a receiver that already has it may ignore "
    "it). 409 `delivery_not_finished` while it is still pending or sending, "
    "`subscription_inactive` while the subscription is paused.\n\n**Access:** scope "
    "`webhooks:write`. " + WHOSE
)

_DESCRIBED = {
    401: "No credentials (`not_authenticated`), or an unknown or revoked key (`invalid_api_key`).",
    403: "The key lacks the scope (`missing_scope`); signed-in people may not "
    "(`role_not_allowed`).",
    404: "No such subscription or delivery, or not the key's own (`not_found`).",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ErrorSerializer, description=_DESCRIBED[code]) for code in codes}


LIST_ERRORS = {
    400: OpenApiResponse(
        ErrorSerializer,
        description="`invalid_cursor`: a `cursor` this list did not give out.",
    ),
}
WRITE_ERRORS = {
    400: OpenApiResponse(
        ErrorSerializer,
        description="`webhook_url_refused`: not an http(s) URL, or its host resolves to a "
        "loopback, private, link-local or other non-public address (`details.url` says why). "
        "`webhook_events_refused`: an event the key's scopes do not cover (`details.events`). "
        "`validation_error`: a field is missing or malformed (`details` per field).",
    ),
}
REDELIVER_ERRORS = {
    409: OpenApiResponse(
        ErrorSerializer,
        description="`delivery_not_finished`: still pending or sending. "
        "`subscription_inactive`: the subscription is paused.",
    ),
    **errors(401, 403, 404),
}

_SUBSCRIPTION = {
    "id": 3,
    "url": "https://hooks.example.com/support-desk",
    "events": ["dispute.*", "ticket.created", "ticket.status_changed"],
    "description": "Marketplace back end",
    "active": True,
    "created_at": "2026-11-20T12:00:00Z",
    "updated_at": "2026-11-20T12:00:00Z",
}
CREATE_EXAMPLE = OpenApiExample(
    "Subscribe",
    request_only=True,
    value={
        "url": "https://hooks.example.com/support-desk",
        "events": ["ticket.created", "ticket.status_changed", "dispute.*"],
        "description": "Marketplace back end",
    },
)
CREATED_EXAMPLE = OpenApiExample(
    "A new subscription, with its secret",
    response_only=True,
    status_codes=["201"],
    value={**_SUBSCRIPTION, "secret": "whsec_N3q8rHc0Yh6lFvB1kQmZ2o7tXsPaJdEuWgRiLyCbT4s"},
)
UPDATE_EXAMPLE = OpenApiExample("Pause", request_only=True, value={"active": False})
SUBSCRIPTION_EXAMPLE = OpenApiExample("A subscription", response_only=True, value=_SUBSCRIPTION)
PAGE_EXAMPLE = OpenApiExample(
    "A page of subscriptions",
    response_only=True,
    value={"next": None, "previous": None, "results": [_SUBSCRIPTION]},
)
_DELIVERY = {
    "id": "8f0c6c1e-4d5b-4a8e-9a43-2f4f6f1d2b77",
    "event": "ticket.created",
    "event_id": "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed",
    "state": "delivered",
    "attempts": 4,
    "response_code": 204,
    "last_error": "",
    "next_attempt_at": "2026-11-20T12:03:30Z",
    "delivered_at": "2026-11-20T12:03:30Z",
    "created_at": "2026-11-20T12:00:00Z",
    "payload": {
        "id": "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed",
        "type": "ticket.created",
        "created_at": "2026-11-20T12:00:00Z",
        "data": {
            "ticket": {
                "id": 5318008675309,
                "reference": "SD-5318008675309",
                "status": "new",
                "topic": "payment",
            },
            "event": {
                "kind": "opened",
                "from": "",
                "to": "api",
                "by": "buyer",
                "reason": "",
                "created_at": "2026-11-20T12:00:00Z",
            },
        },
    },
}
REDELIVERED_EXAMPLE = OpenApiExample(
    "Owed again",
    response_only=True,
    status_codes=["202"],
    value={
        **_DELIVERY,
        "state": "pending",
        "attempts": 0,
        "next_attempt_at": "2026-11-22T08:00:00Z",
        "delivered_at": None,
    },
)
DELIVERY_PAGE_EXAMPLE = OpenApiExample(
    "A page of the delivery log",
    response_only=True,
    value={"next": None, "previous": None, "results": [_DELIVERY]},
)
