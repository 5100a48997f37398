"""Who is calling: the one rule for a request's client address."""

from __future__ import annotations

from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle


def client_address(request: HttpRequest) -> str:
    """Return the caller's address ("" when unknown), trusting DJANGO_NUM_PROXIES forwarding hops.

    The same rule as the API's rate limits (DRF's ``get_ident``), so the
    log-in limits, the security log and the audit trail all name the address
    the limits count.
    """
    ident = BaseThrottle().get_ident(request)  # type: ignore[arg-type]  # reads META only
    # Without REMOTE_ADDR (a request made in-process) DRF answers None.
    return str(ident) if ident else ""
