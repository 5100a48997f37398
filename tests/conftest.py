"""Shared fixtures: services the integration tests need, and people built through services."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from celery.contrib.testing.worker import start_worker
from celery.worker import WorkController
from django.conf import settings

from support_desk.celery import app as celery_app
from support_desk.env import env_bool


def in_ci() -> bool:
    return env_bool("CI", False)


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def require_service(name: str, url: str | None) -> None:
    """Fail under CI, skip elsewhere, when a service the test needs is not configured or up."""
    if url is None:
        reason = f"{name} is not configured (set {name.upper()}_URL or CI=true)"
    else:
        parts = urlsplit(url)
        if _reachable(parts.hostname or "127.0.0.1", parts.port or 0):
            return
        reason = f"{name} at {parts.hostname}:{parts.port} is not reachable"
    if in_ci():
        pytest.fail(f"CI needs {name}: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Start every test with an empty cache: cached answers must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def redis_url() -> str:
    """Return the Redis URL of the settings, or fail (CI) / skip (locally) without one."""
    require_service("redis", settings.REDIS_URL)
    assert settings.REDIS_URL is not None
    return settings.REDIS_URL


@pytest.fixture
def worker() -> Iterator[WorkController]:
    """Start a worker thread consuming every desk queue, as the real desk does."""
    if settings.CELERY_BROKER_URL.startswith("redis://"):
        require_service("redis", settings.CELERY_BROKER_URL)
    with start_worker(
        celery_app,
        pool="solo",
        concurrency=1,
        perform_ping_check=False,
        loglevel="WARNING",
        queues=settings.DESK_CELERY_QUEUES,
        shutdown_timeout=20,
    ) as controller:
        yield controller


@pytest.fixture
def postgres() -> None:
    """Fail (CI) / skip (locally) unless the tests run on PostgreSQL."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        require_service("database", None)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say what the suite ran against and how the integration tests went."""
    counts: dict[str, int] = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            if "integration" in getattr(report, "keywords", {}) and report.when in (
                "call",
                "setup",
            ):
                if report.when == "setup" and outcome == "passed":
                    continue
                counts[outcome] = counts.get(outcome, 0) + 1
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    broker = settings.CELERY_BROKER_URL.split("://", 1)[0]
    summary = ", ".join(f"{n} {outcome}" for outcome, n in counts.items()) or "none ran"
    terminalreporter.write_line(
        f"support-desk: database={engine} broker={broker} real-worker/integration tests: {summary}"
    )
