"""Safe retries: a POST under /api/v1/ sent with an ``Idempotency-Key`` runs once.

The first request with a key claims it by inserting a row that the unique
(owner, key) constraint lets only one request insert; it runs and stores its
answer. A retry with the same key and the same request gets that answer
again, marked ``Idempotent-Replayed: true``; a retry while the first still
runs waits for it; the same key with another request is refused. Keys belong
to their caller (an API key or a signed-in person) and expire after
``DESK_IDEMPOTENCY_TTL_HOURS``.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.http.response import HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions

from api import selectors
from api.errors import error_body, exception_handler
from api.models import IdempotencyRecord, IdempotencyState

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
API_PREFIX = "/api/v1/"
KEY_MAX_LENGTH = 255
# A retry that arrives while the first request still runs waits this long
# for its answer, looking every POLL_SECONDS, before it is told to come back.
WAIT_SECONDS = 10.0
POLL_SECONDS = 0.05
# Answers kept for replay: below 500, except refusals that ran nothing and
# that a retry with better credentials, or later, must get past.
NOT_STORED = frozenset({401, 403, 429})


@dataclass(frozen=True)
class Claim:
    """The outcome of claiming a key: the row, and whether this request runs."""

    record: IdempotencyRecord
    won: bool


def idempotency_key_valid(key: str) -> bool:
    """Return True for a key of 1 to 255 visible ASCII characters."""
    return 0 < len(key) <= KEY_MAX_LENGTH and all("!" <= char <= "~" for char in key)


def idempotency_owner(request: HttpRequest) -> str | None:
    """Return who is calling as ``key:<id>`` or ``user:<id>``, or None for no valid credentials.

    Mirrors the API's authentication order: a Bearer header decides alone;
    without one, the session's person.
    """
    parts = request.headers.get("Authorization", "").split()
    if parts and parts[0].lower() == "bearer":
        if len(parts) != 2:
            return None
        api_key = selectors.api_key_get_active(raw_key=parts[1])
        return None if api_key is None else f"key:{api_key.pk}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


def _feed(digest: Any, *parts: str | bytes) -> None:
    """Add each part to ``digest`` with its length, so parts never run together."""
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)


def _view_parses_multipart(request: HttpRequest) -> bool:
    """Return True when the API view at the request's path reads multipart bodies."""
    try:
        match = resolve(request.path_info, urlconf=getattr(request, "urlconf", None))
    except Resolver404:
        return False
    parsers = getattr(getattr(match.func, "cls", None), "parser_classes", ())
    return any(getattr(parser, "media_type", "") == "multipart/form-data" for parser in parsers)


def _form_digest(request: HttpRequest) -> bytes:
    """Return the digest of a multipart body's fields and files.

    Parts are compared, not bytes: a client's retry draws a new boundary.
    The API view reads the same parsed fields and files afterwards.
    """
    digest = hashlib.sha256()
    for name, values in sorted(request.POST.lists()):
        for value in values:
            _feed(digest, "field", name, value)
    for name, uploads in sorted(request.FILES.lists()):
        for upload in uploads:
            content = hashlib.sha256()
            for chunk in upload.chunks():
                content.update(chunk)
            upload.seek(0)
            _feed(digest, "file", name, upload.name or "", content.hexdigest())
    return digest.digest()


def _body_digest(request: HttpRequest) -> bytes:
    """Return the digest of a body; JSON compares by value, so key order and spacing do not count."""
    body = request.body
    if request.content_type == "application/json":
        try:
            value = json.loads(body)
        except (ValueError, RecursionError):
            pass
        else:
            body = json.dumps(
                value, sort_keys=True, separators=(",", ":"), ensure_ascii=False
            ).encode()
    return hashlib.sha256(body).digest()


def request_fingerprint(request: HttpRequest) -> str:
    """Return the SHA-256 (hex) of what makes two requests the same: method, path, body.

    Raises RequestDataTooBig for a body over DATA_UPLOAD_MAX_MEMORY_SIZE that
    is not a file upload, another SuspiciousOperation for too many fields or
    files, MultiPartParserError for a malformed upload.
    """
    media_type = request.content_type or ""
    if media_type == "multipart/form-data" and _view_parses_multipart(request):
        body = _form_digest(request)
    else:
        body = _body_digest(request)
    digest = hashlib.sha256()
    _feed(digest, request.method or "", request.get_full_path(), media_type, body)
    return digest.hexdigest()


def idempotency_claim(
    *,
    owner: str,
    key: str,
    fingerprint: str,
    method: str,
    path: str,
    now: datetime,
) -> Claim:
    """Insert the in-progress row for (owner, key), or return the row already there.

    The unique constraint picks the one request that runs; the row is
    committed before the request runs, so the others see it. An expired row
    is deleted and the key claimed afresh. Runs outside the view's
    transactions.
    """
    while True:
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    owner=owner,
                    key=key,
                    fingerprint=fingerprint,
                    request_method=method,
                    request_path=path,
                    created_at=now,
                    expires_at=now + timedelta(hours=settings.DESK_IDEMPOTENCY_TTL_HOURS),
                )
            return Claim(record=record, won=True)
        except IntegrityError:
            pass
        existing = IdempotencyRecord.objects.filter(owner=owner, key=key).first()
        if existing is None:
            continue  # released between our insert and our look: claim again
        if existing.expires_at <= now:
            IdempotencyRecord.objects.filter(pk=existing.pk, expires_at__lte=now).delete()
            continue
        return Claim(record=existing, won=False)


def idempotency_store(*, record: IdempotencyRecord, response: HttpResponseBase) -> bool:
    """Keep ``response`` as the answer to the key; return False when it is not one to keep.

    Answers not kept (5xx, streams, refusals in NOT_STORED) release the key,
    so a retry runs afresh.
    """
    if (
        response.streaming
        or response.status_code >= 500
        or response.status_code in NOT_STORED
        or not isinstance(response, HttpResponse)
    ):
        idempotency_release(record=record)
        return False
    IdempotencyRecord.objects.filter(pk=record.pk, state=IdempotencyState.IN_PROGRESS).update(
        state=IdempotencyState.DONE,
        response_status=response.status_code,
        response_content_type=response.get("Content-Type", ""),
        response_body=response.content,
    )
    return True


def idempotency_release(*, record: IdempotencyRecord) -> None:
    """Delete a key's in-progress row, so its next request runs."""
    IdempotencyRecord.objects.filter(pk=record.pk, state=IdempotencyState.IN_PROGRESS).delete()


def idempotency_purge_expired(*, now: datetime) -> int:
    """Delete every record past its expiry; return how many went."""
    deleted, _by_model = IdempotencyRecord.objects.filter(expires_at__lte=now).delete()
    return deleted


def idempotency_replay(record: IdempotencyRecord) -> HttpResponse:
    """Answer with the stored status, content type and body of a finished request."""
    assert record.response_status is not None
    response = HttpResponse(bytes(record.response_body), status=record.response_status)
    if record.response_content_type:
        response["Content-Type"] = record.response_content_type
    else:
        del response["Content-Type"]
    response[REPLAYED_HEADER] = "true"
    return response


def _error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status)


def _unreadable_body(error: Exception) -> JsonResponse:
    """Answer a body that could not be read as the API's exception handler answers it."""
    answer = exception_handler(error, {})
    if answer is not None:
        return JsonResponse(answer.data, status=answer.status_code)
    if isinstance(error, RequestDataTooBig):
        return _error(
            "request_too_large", _("The request body is larger than the desk accepts."), 413
        )
    return _error("bad_request", _("The request is malformed."), 400)


class IdempotencyMiddleware:
    """Run a POST under /api/v1/ with an ``Idempotency-Key`` once per caller and key.

    Sits after the authentication middleware (it needs the session's person)
    and outside every view transaction (its claim commits first); last in
    MIDDLEWARE, so a replay passes the other layers as the first answer did.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        owner = idempotency_owner(request)
        if owner is None:
            return self.get_response(request)  # nothing to record: the view answers 401
        if not idempotency_key_valid(key):
            return _error(
                "invalid_idempotency_key",
                _("The Idempotency-Key header must be 1 to 255 visible ASCII characters."),
                400,
            )
        try:
            fingerprint = request_fingerprint(request)
        except MultiPartParserError as error:
            return _unreadable_body(exceptions.ParseError(f"Multipart form parse error - {error}"))
        except SuspiciousOperation as error:  # too large, too many fields or files
            return _unreadable_body(error)

        def claim() -> Claim:
            return idempotency_claim(
                owner=owner,
                key=key,
                fingerprint=fingerprint,
                method=request.method or "POST",
                path=request.path,
                now=timezone.now(),
            )

        first = claim()
        if first.won:
            return self._run(request, first.record)
        record = first.record
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            if record.fingerprint != fingerprint:
                return _error(
                    "idempotency_key_reused",
                    _(
                        "This Idempotency-Key was already used with a different request; "
                        "use a new key for a new request."
                    ),
                    422,
                )
            if record.state == IdempotencyState.DONE:
                return idempotency_replay(record)
            if time.monotonic() >= deadline:
                return _error(
                    "idempotency_in_progress",
                    _("A request with this Idempotency-Key is still running; retry shortly."),
                    409,
                )
            time.sleep(POLL_SECONDS)
            current = IdempotencyRecord.objects.filter(pk=record.pk).first()
            if current is None:  # the first request failed and let go: run afresh
                again = claim()
                if again.won:
                    return self._run(request, again.record)
                current = again.record
            record = current

    def _run(self, request: HttpRequest, record: IdempotencyRecord) -> HttpResponseBase:
        """Run the view for the request that claimed the key and keep its answer."""
        try:
            response = self.get_response(request)
        except BaseException:
            idempotency_release(record=record)
            raise
        idempotency_store(record=record, response=response)
        return response


# --- OpenAPI ------------------------------------------------------------------

KEY_PARAMETER_DOC = (
    "Makes the request safe to retry. A retry with the same key and the same request (method, "
    "path and body; JSON compared by value, multipart by fields and file contents) creates "
    "nothing and gets the first answer again, status and body, with the header "
    "`Idempotent-Replayed: true`; answers 5xx, 401, 403 and 429 are not kept, so their retry "
    "runs afresh. A retry while the first request still runs waits up to 10 s for its answer, "
    "else 409 `idempotency_in_progress`. The same key with a different request is 422 "
    "`idempotency_key_reused`. Keys belong to the caller (API key or signed-in person) and "
    "expire after `DESK_IDEMPOTENCY_TTL_HOURS` (24 by default). Requests without credentials "
    "are not recorded. Use a fresh random value (a UUID) per operation."
)


def _error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def schema_add_idempotency_key(
    result: dict[str, Any], generator: Any, request: Any, public: bool, **kwargs: Any
) -> dict[str, Any]:
    """Document the ``Idempotency-Key`` header and its errors on every POST under /api/v1/.

    A drf-spectacular postprocessing hook.
    """
    if "Error" not in result.get("components", {}).get("schemas", {}):
        return result
    for path, operations in result.get("paths", {}).items():
        operation = operations.get("post")
        if operation is None or not path.startswith(API_PREFIX):
            continue
        operation.setdefault("parameters", []).append(
            {
                "in": "header",
                "name": HEADER,
                "required": False,
                "schema": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": KEY_MAX_LENGTH,
                    "pattern": "^[!-~]+$",
                },
                "description": KEY_PARAMETER_DOC,
                "example": "7f1c9e0a-5b1e-4a53-9d43-2d0f1c6a8e21",
            }
        )
        responses = operation.setdefault("responses", {})
        for status, response in responses.items():
            if status.startswith("2"):
                response.setdefault("headers", {})[REPLAYED_HEADER] = {
                    "description": "`true` when this is the stored answer to an earlier "
                    "request with the same `Idempotency-Key`.",
                    "schema": {"type": "string", "enum": ["true"]},
                }
        extra = {
            "400": "`invalid_idempotency_key`: the key is empty, too long or not visible ASCII.",
            "409": "`idempotency_in_progress`: a request with this key is still running.",
            "422": "`idempotency_key_reused`: this key went with a different request.",
        }
        for status, text in extra.items():
            if status in responses:
                responses[status]["description"] = f"{responses[status]['description']} {text}"
            else:
                responses[status] = _error_response(text)
        # A body too large to read is refused before it is compared.
        responses.setdefault(
            "413", _error_response("`request_too_large`: the body is larger than the desk accepts.")
        )
    return result
