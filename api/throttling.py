"""Per-caller rate limits of the API, by the scope an operation needs.

Every API key (and every signed-in person using the API with their session)
has its own budget per scope and minute: ``DESK_API_RATES`` maps a scope
(``tickets:write``) or a kind of call (``read``, ``write``) to a rate like
``600/min``. An operation is counted against the first scope it requires, or
against ``read``/``write`` by its method. Counting is one atomic increment
of a fixed-window counter in the cache (Redis in production), so parallel
calls cannot slip past the limit. A caller over it gets 429 ``throttled``
with ``Retry-After`` (seconds until the window ends).
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from api.models import ApiKey
from api.permissions import scopes_for
from support_desk.cache import cache_count
from support_desk.env import rate_parse

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _bucket(request: Request, view: Any) -> str:
    """Name what the call is counted against: the operation's first scope, else read or write."""
    method = (request.method or "GET").upper()
    scopes = scopes_for(view, method)
    rates = settings.DESK_API_RATES
    for scope in scopes:
        if scope in rates:
            return str(scope)
    return "read" if method in SAFE_METHODS else "write"


def _caller(request: Request) -> str | None:
    if isinstance(request.auth, ApiKey):
        return f"key:{request.auth.pk}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None  # anonymous calls: the operations open to them throttle by address


class CallerRateThrottle(BaseThrottle):
    """Limit each API key or person per scope and window; anonymous calls pass through here."""

    def allow_request(self, request: Request, view: Any) -> bool:
        caller = _caller(request)
        if caller is None:
            return True
        bucket = _bucket(request, view)
        limit, seconds = rate_parse(settings.DESK_API_RATES[bucket])
        now = time.time()
        window = int(now // seconds)
        key = f"api-rate:{caller}:{bucket}:{seconds}:{window}"
        used = cache_count(cache, key=key, timeout=seconds + 1)
        self.retry_after = max(1, int((window + 1) * seconds - now + 0.999))
        return used <= limit

    def wait(self) -> float | None:
        return float(self.retry_after)
