"""The ``chaos`` group: fault-injection tests against a desk of real processes.

Every test under tests/chaos/ carries the ``chaos`` marker and runs only when
asked for (``pytest -m chaos``, or a path under tests/chaos/ on the command
line): the group takes minutes, the everyday suite does not wait for it.

Fixtures:

``stack``
    One :class:`~tests.chaos.harness.ChaosStack` per session: our own
    PostgreSQL cluster and Redis server on spare ports, the desk migrated and
    seeded there, and its gunicorn, Celery worker and beat running. Torn down
    at the end even when a test fails. Without PostgreSQL's binaries or
    redis-server the tests skip locally and fail under ``CI=true``.
``desk``
    The same stack, after making sure every desk process runs again and
    every service answers (a previous test may have left a fault behind).
``figures``
    ``figures("1000 tickets routed, each once")``: a line for the run's
    summary at the end of the output (CI shows the counts).

The logs of the run (gunicorn, worker, beat, Redis, PostgreSQL) stay in
``$DESK_CHAOS_DIR/run/`` (default ``var/chaos/run/``) until the next run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.chaos.harness import ROOT, ChaosStack, MissingTool, chaos_stack, wait_until
from tests.conftest import in_ci

CHAOS_DIR = Path(__file__).resolve().parent
_FIGURES: list[str] = []


def chaos_dir() -> Path:
    """Return where the group writes its logs and reports (DESK_CHAOS_DIR, default var/chaos)."""
    return Path(os.environ.get("DESK_CHAOS_DIR", str(ROOT / "var" / "chaos"))).resolve()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "chaos: fault injection against real PostgreSQL, Redis, gunicorn and Celery "
        "processes started by the test (minutes; run with -m chaos)",
    )


def _asked_for(config: pytest.Config) -> bool:
    if "chaos" in (config.option.markexpr or "") and "not chaos" not in config.option.markexpr:
        return True
    for arg in config.args:
        path = Path(arg.split("::", 1)[0]).resolve()
        if path == CHAOS_DIR or CHAOS_DIR in path.parents:
            return True
    return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/chaos/ ``chaos``; leave them out unless asked for."""
    chaos, others = [], []
    for item in items:
        if CHAOS_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.chaos)
            chaos.append(item)
        else:
            others.append(item)
    if chaos and not _asked_for(config):
        config.hook.pytest_deselected(items=chaos)
        items[:] = others


@pytest.fixture(scope="session")
def stack() -> Iterator[ChaosStack]:
    root = chaos_dir() / "run"
    if root.exists():
        shutil.rmtree(root)
    try:
        with chaos_stack(root) as started:
            yield started
    except MissingTool as exc:
        if in_ci():
            pytest.fail(f"CI needs these for the chaos tests: {exc}", pytrace=False)
        pytest.skip(f"missing for the chaos tests: {exc}")
    finally:
        # The logs stay for a look after a failure; the database files do not.
        shutil.rmtree(root / "pg" / "data", ignore_errors=True)


@pytest.fixture
def desk(stack: ChaosStack) -> ChaosStack:
    """Return the stack with every service and desk process up again."""
    if not stack.pg.running():
        stack.pg.start()
    if not stack.redis.alive():
        stack.redis.start()
    stack.desk.ensure_running()
    wait_until(lambda: stack.pg.scalar("SELECT 1") == 1, timeout=30, what="PostgreSQL")
    return stack


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Return a function that keeps a line of figures for the end of the run's output."""

    def note(text: str) -> None:
        _FIGURES.append(f"{request.node.name}: {text}")

    return note


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how the chaos group went, with the figures its tests noted."""
    counts: dict[str, int] = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            if "chaos" in getattr(report, "keywords", {}) and (
                report.when == "call" or (report.when == "setup" and outcome != "passed")
            ):
                counts[outcome] = counts.get(outcome, 0) + 1
    if not counts:
        return
    summary = ", ".join(f"{n} {outcome}" for outcome, n in counts.items())
    terminalreporter.write_sep("-", f"chaos group: {summary}")
    for line in _FIGURES:
        terminalreporter.write_line(f"  {line}")
    terminalreporter.write_line(f"  logs: {chaos_dir() / 'run'}")
