"""Turn every API error into ``{"error": {"code", "message", "details"}}``.

Codes are stable snake_case strings: integrators branch on them. Validation
errors always list the fields in ``details`` (``non_field_errors`` for what
concerns the whole body), so a client can show each message beside its field.
"""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from support_desk import security_log
from support_desk.errors import DomainError


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    """Return the JSON body of an error answer."""
    return {"error": {"code": code, "message": message, "details": details}}


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is larger than the desk accepts."
    default_code = "request_too_large"


class TooManyFields(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The request has more fields or files than the desk accepts."
    default_code = "too_many_fields"


class BadRequest(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The request is malformed."
    default_code = "bad_request"


def _as_api_exception(exc: Exception) -> exceptions.APIException | None:
    """Return the DRF exception answering a Django one, or None for a real bug."""
    if isinstance(exc, exceptions.APIException):
        return exc
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    # Django raises these while reading the body (request.data, multipart parsing).
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge()
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return TooManyFields()
    if isinstance(exc, SuspiciousOperation):
        return BadRequest()
    return None


def validation_details(detail: Any) -> dict[str, Any]:
    """Return validation errors keyed by field; body-wide ones under ``non_field_errors``."""
    if isinstance(detail, dict):
        return detail
    return {api_settings.NON_FIELD_ERRORS_KEY: detail if isinstance(detail, list) else [detail]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Answer a DRF, Django or domain exception as a JSON error with a stable code."""
    if isinstance(exc, DomainError):
        set_rollback()
        return Response(error_body(exc.code, exc.message, exc.details), status=exc.status)
    api_exc = _as_api_exception(exc)
    if api_exc is None:
        return None  # a real bug: Django's 500 handler answers (as JSON under /api/)

    headers: dict[str, str] = {}
    if getattr(api_exc, "auth_header", None):
        headers["WWW-Authenticate"] = api_exc.auth_header  # type: ignore[attr-defined]
    wait = getattr(api_exc, "wait", None)
    if wait is not None:
        headers["Retry-After"] = str(max(1, math.ceil(wait)))

    detail = api_exc.detail
    if api_exc.status_code in (status.HTTP_401_UNAUTHORIZED, status.HTTP_403_FORBIDDEN):
        _log_refusal(context.get("request"), api_exc)
    if isinstance(api_exc, exceptions.ValidationError):
        body = error_body(
            "validation_error", "The request has invalid fields.", validation_details(detail)
        )
    elif isinstance(detail, exceptions.ErrorDetail):
        body = error_body(_code_of(api_exc, detail), str(detail))
    else:  # a list or dict given to an APIException: keep it as details
        body = error_body(api_exc.default_code, str(api_exc.default_detail), detail)
    set_rollback()
    return Response(body, status=api_exc.status_code, headers=headers)


def _is_csrf_refusal(api_exc: exceptions.APIException) -> bool:
    # DRF's session authentication refuses a missing or wrong CSRF token with a
    # plain permission_denied whose text starts so.
    return isinstance(api_exc, exceptions.PermissionDenied) and str(api_exc.detail).startswith(
        "CSRF Failed"
    )


def _code_of(api_exc: exceptions.APIException, detail: exceptions.ErrorDetail) -> str:
    """Return the stable code of a refusal: ``csrf_failed`` tells a CSRF refusal from a role one."""
    if _is_csrf_refusal(api_exc):
        return "csrf_failed"
    return str(detail.code or api_exc.default_code)


def _log_refusal(request: Any, api_exc: exceptions.APIException) -> None:
    """Log a refused API call on ``desk.security``, naming why in a stable code."""
    if request is None:
        return
    codes = api_exc.get_codes()
    reason = codes if isinstance(codes, str) else api_exc.default_code
    if _is_csrf_refusal(api_exc):
        reason = "csrf_failed"
    elif reason == "invalid_api_key":
        reason = security_log.api_key_refusal_reason(request)
    security_log.log_refusal(request, status=api_exc.status_code, reason=str(reason))


def json_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """Answer an unknown API URL."""
    return JsonResponse(
        error_body("not_found", "No such API resource."), status=status.HTTP_404_NOT_FOUND
    )


def json_bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """Answer a request Django refused before any API view ran (400, or 413 for a large body)."""
    if isinstance(exception, RequestDataTooBig):
        return JsonResponse(
            error_body(RequestTooLarge.default_code, str(RequestTooLarge.default_detail)),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    return JsonResponse(
        error_body(BadRequest.default_code, str(BadRequest.default_detail)),
        status=status.HTTP_400_BAD_REQUEST,
    )


def json_csrf_failed(request: HttpRequest, reason: str) -> JsonResponse:
    """Answer an API call Django's CSRF check refused, in the same words DRF's check uses."""
    return JsonResponse(
        error_body("csrf_failed", f"CSRF Failed: {reason}"), status=status.HTTP_403_FORBIDDEN
    )


def json_forbidden(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """Answer a request Django refused before any API view ran."""
    return JsonResponse(
        error_body("permission_denied", "You may not do this."), status=status.HTTP_403_FORBIDDEN
    )


def json_server_error(request: HttpRequest) -> JsonResponse:
    """Answer an unexpected API failure without leaking internals."""
    return JsonResponse(
        error_body("server_error", "The desk failed to answer; the error is logged."),
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
