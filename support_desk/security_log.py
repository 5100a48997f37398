"""One record per refused access, on the ``desk.security`` logger.

Every request the desk refuses leaves exactly one WARNING record saying who
asked (user id, API key prefix, client address), what they asked for
(method, path, HTTP status, a stable reason code) and when (the record's
time, with the request id the audit trail uses). Refusals are:

- 401 and 403 answers of the API (``api.errors.exception_handler`` names
  the error code; a refused API key says whether it was unknown, revoked or
  had a wrong secret);
- CSRF failures (``csrf_failure``, Django's ``CSRF_FAILURE_VIEW``);
- the 404 of an object that exists but is someone else's
  (``log_if_someone_elses``, called by the scoped selectors, and
  ``log_not_yours`` where a service finds the caller is not a party);
- failed log-ins (``login_failed``, Django's ``user_login_failed`` signal,
  connected in ``support_desk.apps``) and log-ins refused by the limits
  (``login_locked``), with the account tried if it exists;
- any other 401, 403 or 429 answer (``RefusalLogMiddleware``, the safety
  net): pages a role may not open, log-in and sign-up limits that hold
  (``too_many_attempts``), API rate limits (``throttled``), a bad inbound-mail
  signature.

The first of these to see a request logs it; the others then stay silent.
Django logs the same answers again on ``django.request`` and
``django.security.csrf`` ("Forbidden: /path"); ``DropLoggedRefusals`` drops
those copies, so each refusal is in the log once.

No record carries a secret: the API key's prefix (public, shown in the
admin) stands for the key, and the path never includes the query string.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views.csrf import csrf_failure as django_csrf_failure

from api.keys import api_key_prefix
from audit.context import audit_context
from support_desk.clients import client_address

LOGGER_NAME = "desk.security"
logger = logging.getLogger(LOGGER_NAME)

# Set on a request once its refusal is logged.
_LOGGED = "_desk_refusal_logged"
# Longest path and detail written into a record.
_MAX_TEXT = 300
# Answers that refuse the caller: not signed in, not allowed, too many attempts.
REFUSED_STATUSES = (401, 403, 429)


@dataclass(frozen=True)
class Refusal:
    """What one refused request was: attached to its record as ``record.refusal``."""

    status: int | None
    reason: str
    method: str
    path: str
    user_id: int | None
    api_key_prefix: str | None
    ip: str | None
    request_id: str
    detail: str = ""


def _printable(text: str) -> str:
    """Return ``text`` on one line, bounded: a path with %0A must not forge a second record."""
    cleaned = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text[:_MAX_TEXT])
    return cleaned + ("…" if len(text) > _MAX_TEXT else "")


def client_ip(request: HttpRequest) -> str | None:
    """Return the caller's address, printable on one line."""
    address = client_address(request)
    return _printable(address) if address else None


def _django_request(request: Any) -> HttpRequest:
    """Return the HttpRequest behind a DRF Request (or the request itself)."""
    return getattr(request, "_request", request)


def _presented_key_prefix(request: HttpRequest) -> str | None:
    """Return the public prefix of the API key in ``Authorization: Bearer``, never the secret."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _space, raw_key = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return api_key_prefix(raw_key.strip())


def _caller(request: HttpRequest) -> tuple[int | None, str | None]:
    """Return the user id and the API key prefix of the caller, each when known."""
    auth = getattr(request, "auth", None)
    prefix = getattr(auth, "prefix", None) or _presented_key_prefix(request)
    # request.user is set by AuthenticationMiddleware (and by DRF for API keys);
    # a request refused before it ran (e.g. by CSRF on a page) may lack it.
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and isinstance(user.pk, int):
        return user.pk, prefix
    # DRF forgets the session's user when it refuses the call (a CSRF failure):
    # the session still says whose it is.
    session = getattr(request, "session", None)
    session_user = session.get(SESSION_KEY) if session is not None else None
    if isinstance(session_user, str) and session_user.isdigit():
        return int(session_user), prefix
    return None, prefix


def refusal_logged(request: Any) -> bool:
    """Return whether this request's refusal is already logged."""
    return bool(getattr(_django_request(request), _LOGGED, False))


def log_refusal(request: Any, *, status: int | None, reason: str, detail: str = "") -> bool:
    """Log that ``request`` was refused, unless it already was; return whether it logged now.

    ``reason`` is a stable snake_case code (``invalid_api_key``,
    ``csrf_failed``, ``ticket_not_yours``…); ``detail`` is the desk's own
    text, never the caller's input.
    """
    request = _django_request(request)
    if getattr(request, _LOGGED, False):
        return False
    setattr(request, _LOGGED, True)
    user_id, prefix = _caller(request)
    context = audit_context()
    refusal = Refusal(
        status=status,
        reason=reason,
        method=_printable(request.method or ""),
        path=_printable(request.path),
        user_id=user_id,
        api_key_prefix=prefix,
        ip=client_ip(request),
        request_id=context.request_id if context is not None else "",
        detail=_printable(detail),
    )
    logger.warning(
        "refused %s %s %s: %s%s (user=%s key=%s ip=%s request=%s)",
        refusal.status if refusal.status is not None else "-",
        refusal.method,
        refusal.path,
        refusal.reason,
        f" ({refusal.detail})" if refusal.detail else "",
        refusal.user_id if refusal.user_id is not None else "-",
        refusal.api_key_prefix or "-",
        refusal.ip or "-",
        refusal.request_id or "-",
        extra={"refusal": refusal, "security": asdict(refusal)},
    )
    return True


def log_not_yours(*, what: str) -> None:
    """Log the request being served as refused: it reached for someone else's ``what``.

    Call it where the desk knows the object exists and is not the caller's;
    outside a request nobody is refused and nothing is logged.
    """
    context = audit_context()
    if context is not None:
        log_refusal(context.request, status=404, reason=f"{what}_not_yours")


def log_if_someone_elses(found: QuerySet[Any], *, what: str) -> None:
    """Log the request being served as refused when ``found`` holds a row.

    Call it where a scoped read came back empty, with the same lookup
    unscoped (``Ticket.objects.filter(pk=ticket_id)``): a row there is
    someone else's, and the 404 the caller gets is a refusal. The lookup runs
    whether or not the object exists, so both answers take the same work.
    Outside a request (tasks, commands) nobody is refused and nothing is
    read.
    """
    context = audit_context()
    if context is None or refusal_logged(context.request):
        return
    if found.exists():
        log_not_yours(what=what)


def api_key_refusal_reason(request: Any) -> str:
    """Return why an API key was refused: malformed, unknown, revoked or a wrong secret."""
    from api.models import ApiKey  # models are not loaded when logging is configured

    prefix = _presented_key_prefix(_django_request(request))
    if prefix is None:
        return "api_key_malformed"
    revoked_at = ApiKey.objects.filter(prefix=prefix).values_list("revoked_at", flat=True).first()
    if revoked_at is not None:
        return "api_key_revoked"
    if ApiKey.objects.filter(prefix=prefix).exists():
        return "api_key_wrong_secret"
    return "api_key_unknown"


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Answer a CSRF failure (Django's ``CSRF_FAILURE_VIEW``) and log it once.

    JSON under /api/ as every other API error, Django's own 403 page elsewhere.
    """
    log_refusal(request, status=403, reason="csrf_failed", detail=reason)
    if request.path.startswith("/api/"):
        from api.errors import json_csrf_failed

        return json_csrf_failed(request, reason)
    return django_csrf_failure(request, reason=reason)


def log_login_refused(request: HttpRequest, *, username: object, reason: str) -> None:
    """Log a refused log-in (``login_failed``, ``login_locked``), naming the account tried if it exists.

    Only the username is read, never the password.
    """
    from django.contrib.auth import get_user_model  # models are not loaded with logging

    tried = None
    if isinstance(username, str) and username:
        user_model = get_user_model()
        tried = (
            user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username})
            .values_list("pk", flat=True)
            .first()
        )
    log_refusal(
        request,
        status=None,
        reason=reason,
        detail=f"account {tried}" if tried is not None else "no such account",
    )


def login_failed(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Log a failed log-in: Django's ``user_login_failed`` (the password already masked)."""
    if request is not None:
        log_login_refused(request, username=credentials.get("username"), reason="login_failed")


_FALLBACK_REASONS = {401: "not_authenticated", 403: "permission_denied", 429: "too_many_attempts"}


def _reason_of(response: HttpResponseBase) -> str:
    """Return the error code of a JSON error answer, else a code for its status."""
    fallback = _FALLBACK_REASONS.get(response.status_code, "refused")
    if not isinstance(response, HttpResponse) or not response.get("Content-Type", "").startswith(
        "application/json"
    ):
        return fallback
    try:
        code = json.loads(response.content)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return fallback
    return _printable(code) if isinstance(code, str) and code else fallback


class RefusalLogMiddleware:
    """Log every 401, 403 and 429 answer that nothing else logged: the safety net."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code in REFUSED_STATUSES and not refusal_logged(request):
            log_refusal(request, status=response.status_code, reason=_reason_of(response))
        return response


class DropLoggedRefusals(logging.Filter):
    """Drop Django's own record of an answer ``desk.security`` logs.

    Attached to ``django.request`` and ``django.security.csrf``: every 401,
    403 and 429 is logged on ``desk.security`` (the middleware sees them
    all), and so is a 404 that refused someone else's object.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status in REFUSED_STATUSES:
            return False
        request = getattr(record, "request", None)
        return not (status == 404 and request is not None and refusal_logged(request))


class DropTemplateContext(logging.Filter):
    """Keep django.template's DEBUG records to their message, without the exception.

    Django logs each variable a template fails to resolve at DEBUG with the
    exception attached, and that exception prints the whole template
    context: the CSRF token, the request, the form. The message alone
    (variable and template) is what a developer needs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno <= logging.DEBUG and record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True
