"""The API's request size limit, refused before the body is read.

A JSON body may hold at most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (Django refuses
more as it parses). A whole request to /api/ — files included — may hold at
most ``DESK_API_MAX_BODY_MB``; a larger ``Content-Length`` is answered 413
``request_too_large`` at once, so nothing of it is read or stored.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from api.errors import error_body


class ApiBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            limit = settings.DESK_API_MAX_BODY_MB * 1024 * 1024
            length = request.META.get("CONTENT_LENGTH") or "0"
            if not length.isdigit():
                return JsonResponse(
                    error_body("bad_request", "The Content-Length header is not a number."),
                    status=400,
                )
            if int(length) > limit:
                most = settings.DESK_API_MAX_BODY_MB
                return JsonResponse(
                    error_body(
                        "request_too_large",
                        f"A request to the API may hold at most {most} MB.",
                        {"max_mb": most},
                    ),
                    status=413,
                )
        return self.get_response(request)
