"""Tell the load client how long the server spent on a request."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ServerTimingMiddleware:
    """Set ``Server-Timing: app;dur=<wall ms>, cpu;dur=<process CPU ms>`` on every response.

    A sync gunicorn worker serves one request at a time, so the process CPU
    time over the request is the request's own; ``app - cpu`` is mostly time
    spent waiting on PostgreSQL and Redis.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        wall, cpu = time.perf_counter(), time.process_time()
        response = self.get_response(request)
        wall_ms = (time.perf_counter() - wall) * 1000
        cpu_ms = (time.process_time() - cpu) * 1000
        response["Server-Timing"] = f"app;dur={wall_ms:.3f}, cpu;dur={cpu_ms:.3f}"
        return response
