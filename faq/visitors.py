"""Tell visitors apart for the funnel without a database write: a random cookie id."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

COOKIE = "sd_visitor"
COOKIE_MAX_AGE = 365 * 24 * 3600
# The visitor columns of the funnel and the assistant hold this many characters.
VISITOR_MAX_CHARS = 64


def visitor_key(request: Any) -> str:
    """Return ``user:<id>`` for a signed-in person, else ``anon:<cookie id>``.

    Accepts a DRF request too: the flag that makes the middleware set the
    cookie must land on the Django request underneath.
    """
    django_request: HttpRequest = getattr(request, "_request", request)
    if django_request.user.is_authenticated:
        return f"user:{django_request.user.pk}"
    django_request.visitor_used = True  # type: ignore[attr-defined]
    return f"anon:{django_request.visitor_id}"  # type: ignore[attr-defined]


def api_visitor_key(*, key_prefix: str, buyer: str) -> str:
    """Return ``key:<prefix>:<buyer>`` for an integrator's end buyer, hashed to fit the column."""
    head = f"key:{key_prefix}:"
    room = VISITOR_MAX_CHARS - len(head)
    if len(buyer) <= room:
        return head + buyer
    return head + "~" + hashlib.sha256(buyer.encode()).hexdigest()[: room - 1]


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
