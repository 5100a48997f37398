"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

CHECK_TIMEOUT_SECONDS = 2
# What a failed check says in the public answer; its reason goes to the log only.
CHECK_FAILED = "failed; the reason is in the desk's log"

logger = logging.getLogger("support_desk.health")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 while the process is up; touches nothing else."""
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_broker() -> None:
    with Connection(
        settings.CELERY_BROKER_URL,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        connect_timeout=CHECK_TIMEOUT_SECONDS,
    ) as conn:
        conn.ensure_connection(max_retries=1, timeout=CHECK_TIMEOUT_SECONDS)


def _check_cache() -> None:
    cache.set("readyz", "1", timeout=10)
    if cache.get("readyz") != "1":
        raise RuntimeError("the cache did not return what was written")


def readiness_checks() -> dict[str, Callable[[], None]]:
    """Return the checks this mode needs: database and broker, and in full mode the cache."""
    checks: dict[str, Callable[[], None]] = {
        "database": _check_database,
        "broker": _check_broker,
    }
    if settings.DESK_FULL_MODE:
        checks["cache"] = _check_cache
    return checks


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when every check passes, else 503; the body names each check."""
    results: dict[str, dict[str, object]] = {}
    for name, check in readiness_checks().items():
        started = time.perf_counter()
        try:
            check()
        except Exception:  # any failure means "not ready"; report it, don't raise
            # The exception names hosts, ports and users: the log has it, the
            # answer (public, unauthenticated) does not.
            logger.warning("readiness check %s failed", name, exc_info=True)
            results[name] = {"ok": False, "error": CHECK_FAILED}
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    ready = all(result["ok"] for result in results.values())
    return JsonResponse(
        {"status": "ready" if ready else "unavailable", "mode": _mode(), "checks": results},
        status=200 if ready else 503,
    )


def _mode() -> str:
    return "full" if settings.DESK_FULL_MODE else "embedded"
