"""Turn every API error into ``{"error": {"code", "message", "details"}}``.

Codes are stable snake_case strings: integrators branch on them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from support_desk.errors import DomainError


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    """Return the JSON body of an error answer."""
    return {"error": {"code": code, "message": message, "details": details}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Answer a DRF, Django or domain exception as a JSON error with a stable code."""
    if isinstance(exc, DomainError):
        set_rollback()
        return Response(error_body(exc.code, exc.message, exc.details), status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a real bug: Django's 500 handler answers (as JSON under /api/)

    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]

    if isinstance(exc, exceptions.ValidationError):
        body = error_body("validation_error", "The request has invalid fields.", exc.detail)
    else:
        detail = exc.detail
        code = detail.code if isinstance(detail, exceptions.ErrorDetail) else None
        body = error_body(code or exc.default_code, str(detail))
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)


def json_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """Answer an unknown API URL."""
    return JsonResponse(
        error_body("not_found", "No such API resource."), status=status.HTTP_404_NOT_FOUND
    )


def json_server_error(request: HttpRequest) -> JsonResponse:
    """Answer an unexpected API failure without leaking internals."""
    return JsonResponse(
        error_body("server_error", "The desk failed to answer; the error is logged."),
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
