"""Shared fixtures: services the integration tests need, and people built through services.

Also the run's summary: counts a test adds with :func:`add_to_summary` are
shown at the end of the terminal output, summed over every test process.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from celery.contrib.testing.worker import start_worker
from celery.worker import WorkController
from django.conf import settings
from django.db.backends.signals import connection_created
from hypothesis import settings as hypothesis_settings

from support_desk.celery import app as celery_app
from support_desk.env import env_bool

# Properties are about results, never speed: hypothesis's default limit of
# 200 ms an example failed runs of a loaded machine, not of the code.
hypothesis_settings.register_profile("desk", deadline=None)
hypothesis_settings.load_profile("desk")


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


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Start and end every test in the desk's default language.

    A request through the test client activates its reader's language in the
    test's own thread and leaves it there (the middleware activates one on
    every request, so the desk never needs to undo it); a service the next
    test calls directly would then write its history in that language.
    """
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_broker(request: pytest.FixtureRequest) -> Iterator[None]:
    """Drop the messages a test queued that no worker ran, as its rows are rolled back.

    Left in the broker, they would wait for the next test that starts a worker:
    that worker would first run tasks about rows that no longer exist, and its
    own tasks late, so a test's outcome would depend on which tests ran before
    it in the same process. The chaos group runs its own broker.
    """
    yield
    if request.node.get_closest_marker("chaos") is None:
        celery_app.control.purge()


@pytest.fixture
def redis_url() -> str:
    """Return the Redis URL of the settings, or fail (CI) / skip (locally) without one."""
    require_service("redis", settings.REDIS_URL)
    assert settings.REDIS_URL is not None
    return settings.REDIS_URL


@pytest.fixture
def connections_opened_elsewhere() -> Iterator[list[Any]]:
    """Collect the database connections opened by threads other than the test's (a worker's)."""
    test_thread = threading.current_thread()
    opened: list[Any] = []

    def record(sender: Any, connection: Any, **kwargs: Any) -> None:
        if threading.current_thread() is not test_thread:
            opened.append(connection)

    connection_created.connect(record, weak=False)
    yield opened
    connection_created.disconnect(record)


@pytest.fixture
def worker(connections_opened_elsewhere: list[Any]) -> Iterator[WorkController]:
    """Start a worker thread consuming every desk queue, as the real desk does."""
    if settings.CELERY_BROKER_URL.startswith("redis://"):
        require_service("redis", settings.CELERY_BROKER_URL)
    try:
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
    finally:
        # The worker keeps its database connection between tasks, as a real one
        # does; its thread has ended, so the connection is closed from here.
        for wrapper in connections_opened_elsewhere:
            wrapper.inc_thread_sharing()
            try:
                wrapper.close()
            finally:
                wrapper.dec_thread_sharing()


@pytest.fixture
def postgres() -> None:
    """Fail (CI) / skip (locally) unless the tests run on PostgreSQL."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        require_service("database", None)


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(RunSummary(), RunSummary.NAME)


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


# --- The run's summary ----------------------------------------------------------


def add_to_summary(
    config: pytest.Config,
    label: str,
    counts: dict[str, int],
    *,
    section: str = "",
    total: bool = False,
) -> None:
    """Add ``counts`` to the line ``label: <n> <what>, ...`` shown at the end of the run.

    Counts of the same ``label`` in the same ``section`` add up over the tests
    of the run, in this process or in pytest-xdist's workers. Lines show in
    the order of the tests that first counted them; a ``total`` line comes
    after the other lines of its section.
    """
    summary = config.pluginmanager.get_plugin(RunSummary.NAME)
    assert isinstance(summary, RunSummary)
    summary.pending.append((section, label, list(counts.items()), total))


@dataclass
class Line:
    section: str
    label: str
    total: bool
    position: int
    counts: dict[str, int] = field(default_factory=dict)

    def text(self) -> str:
        return f"{self.label}: " + ", ".join(f"{n} {what}" for what, n in self.counts.items())


class RunSummary:
    """Carry each test's counts in its teardown report's user properties and add them up.

    The reports reach the process that writes the terminal output (the
    pytest-xdist controller, or the only process of a serial run), so that one
    sums what every worker counted.
    """

    NAME = "desk-run-summary"
    PROPERTY = "desk-summary"

    def __init__(self) -> None:
        self.pending: list[tuple[str, str, list[tuple[str, int]], bool]] = []
        self.lines: dict[tuple[str, str], Line] = {}

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
        if call.when == "teardown" and self.pending:
            # The test's place in the collection orders the lines as a serial run would.
            position = item.session.items.index(item)
            for section, label, counts, total in self.pending:
                item.user_properties.append(
                    (self.PROPERTY, (section, label, counts, total, position))
                )
            self.pending.clear()
        return (yield)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "teardown":
            return
        for name, value in report.user_properties:
            if name != self.PROPERTY:
                continue
            section, label, counts, total, position = value
            line = self.lines.setdefault((section, label), Line(section, label, total, position))
            line.position = min(line.position, position)
            for what, n in counts:
                line.counts[what] = line.counts.get(what, 0) + n

    @pytest.hookimpl(trylast=True)
    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        ordered = sorted(self.lines.values(), key=lambda line: (line.total, line.position))
        first: dict[str, int] = {}
        for line in ordered:
            first[line.section] = min(first.get(line.section, line.position), line.position)
        # Lines of no section first: after a section's heading they would seem its own.
        sections = sorted(first, key=lambda section: (section != "", first[section]))
        for section in sections:
            if section:
                terminalreporter.section(section)
            for line in ordered:
                if line.section == section:
                    terminalreporter.write_line(line.text())
