"""The request a change is made in, for the audit trail: who, from where, which request.

Set by :class:`audit.middleware.AuditRequestMiddleware` for every request and
by the admin's audited pages; code outside a request (commands, tasks) has
none, and its entries name the desk itself as the source.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.http import HttpRequest

REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"


@dataclass
class AuditContext:
    request: HttpRequest
    request_id: str
    # (content type id, object id) of every entry written during the request, in order.
    recorded: list[tuple[int, str]] = field(default_factory=list)


_current: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)


def _request_id(request: HttpRequest) -> str:
    given = request.META.get(REQUEST_ID_HEADER, "")
    if given and len(given) <= 64 and given.isprintable():
        return given
    return uuid.uuid4().hex


@contextmanager
def audit_request(request: HttpRequest) -> Iterator[AuditContext]:
    """Make ``request`` the one audit entries are written in until the block ends."""
    current = _current.get()
    if current is not None and current.request is request:
        yield current
        return
    context = AuditContext(request=request, request_id=_request_id(request))
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def audit_context() -> AuditContext | None:
    """Return the request being served, if any."""
    return _current.get()
