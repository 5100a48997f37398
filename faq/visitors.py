"""Tell visitors apart for the funnel without a database write: a random cookie id."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

COOKIE = "sd_visitor"
COOKIE_MAX_AGE = 365 * 24 * 3600


def visitor_key(request: HttpRequest) -> str:
    """Return ``user:<id>`` for a signed-in person, else ``anon:<cookie id>``."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    request.visitor_used = True  # type: ignore[attr-defined]
    return f"anon:{request.visitor_id}"  # type: ignore[attr-defined]


class VisitorMiddleware:
    """Give every browser a random visitor id in a cookie (no session row is made)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        existing = request.COOKIES.get(COOKIE, "")
        fresh = not (existing.isalnum() and len(existing) == 32)
        request.visitor_id = secrets.token_hex(16) if fresh else existing  # type: ignore[attr-defined]
        response = self.get_response(request)
        if fresh and getattr(request, "visitor_used", False):
            response.set_cookie(
                COOKIE,
                request.visitor_id,  # type: ignore[attr-defined]
                max_age=COOKIE_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
