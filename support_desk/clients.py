"""Who is calling: the one rule for a request's client address."""

from __future__ import annotations

from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle


def client_address(request: HttpRequest) -> str:
    """Return the caller's address, trusting as many X-Forwarded-For hops as DJANGO_NUM_PROXIES.

    The same rule as the API's rate limits (DRF's ``get_ident``), so the
    log-in limits, the security log and the audit trail all name the address
    the limits count.
    """
    return str(BaseThrottle().get_ident(request))  # type: ignore[arg-type]  # reads META only
