"""Soak: a mixed load for nearly three minutes while the faults come one after another.

Buyers browse the help centre and open tickets (API and contact form), the
agent takes and solves tickets, an integrator lists them — at a fixed rate,
from a process of its own — while a Celery pool process and then the main
worker are killed (and the worker restarted), Redis dies for 20 s, and
PostgreSQL crashes and restarts. No ticket is lost or doubled, fewer than
0.1 % of requests outside the fault windows fail, and latency is back to
normal within 30 s of each fault. The run's report (per-second CSV and a
Markdown summary) goes to $DESK_CHAOS_REPORT_DIR (default var/chaos/).
"""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from collections.abc import Callable

from tests.chaos.client import wait_routed
from tests.chaos.harness import ChaosStack, LoadRun, help_pages
from tests.chaos.report import Fault, Soak

RATE = 10.0
WEIGHTS = {"browse": 4, "create": 2, "create_web": 1, "agent": 1, "api_read": 2}
DURATION = 165.0
# Errors count as the fault's while it lasts and for this long after it.
GRACE_S = 10.0
CREATES = ("create", "create_web")


def test_soak_with_worker_redis_and_postgres_faults(
    desk: ChaosStack, figures: Callable[[str], None]
) -> None:
    pages = help_pages(desk)
    config = {
        "prefix": "soak-",
        "rate": RATE,
        "duration": DURATION,
        "weights": WEIGHTS,
        "pages": pages["pages"],
        "contact_path": pages["contact_path"],
        "buyers": ["buyer", "buyer2"],
        "password": desk.seed["demo_password"],
        "agents": ["agent"],
    }
    worker = desk.desk.processes["worker"]
    load = LoadRun(desk, "soak", **config)
    started = time.time()
    faults: list[Fault] = []

    def at(second: float) -> None:
        time.sleep(max(0.0, started + second - time.time()))

    def fault(name: str, begin: Callable[[], None], end: Callable[[], None], hold: float) -> None:
        start = time.time() - started
        begin()
        time.sleep(hold)
        end()
        faults.append(Fault(name=name, start=start, end=time.time() - started))

    def kill_worker() -> None:
        children = worker.children()
        if children:
            os.kill(children[0], signal.SIGKILL)
        time.sleep(3)
        worker.kill()

    def restart_worker() -> None:
        worker.start()
        desk.desk.wait_worker("worker")

    at(20)
    fault("Celery pool process, then main worker SIGKILL; restart", kill_worker, restart_worker, 2)
    at(65)
    fault("Redis SIGKILL for 20 s; restarted empty", desk.redis.kill, desk.redis.start, 20)
    at(120)
    fault(
        "PostgreSQL immediate stop for 5 s",
        lambda: desk.pg.stop("immediate"),
        desk.pg.start,
        5,
    )
    rows = load.wait(timeout=DURATION + 60)

    soak = Soak(rows=rows, started_at=started, faults=faults, grace_s=GRACE_S)
    soak.measure_recovery()
    created = [r["detail"] for r in rows if r["kind"] in CREATES and r["ok"]]
    found = Counter(
        subject
        for (subject,) in desk.pg.query(
            "SELECT subject FROM tickets_ticket WHERE subject LIKE 'soak-%%'"
        )
    )
    check = wait_routed(desk, "soak-", expected=len(found), timeout=240)
    lost = [s for s in created if found[s] == 0]
    doubled = [s for s, n in found.items() if n > 1]
    soak.tickets = {
        "opened (request answered 201/302)": len(created),
        "in the database": len(found),
        "lost": len(lost),
        "doubled": len(doubled),
        "routing problems": check.problems() or "none",
        "processes restarted by the supervisor (exited unasked)": desk.desk.restarts() or "none",
    }
    summary = soak.write(config=config)
    figures(
        f"{len(rows)} requests, errors outside fault windows {len(soak.errors_outside)} "
        f"({soak.error_rate_outside:.3%}); {len(created)} tickets, {len(lost)} lost, "
        f"{len(doubled)} doubled; latency normal again after "
        + ", ".join(f"{f.recovered_after}" for f in faults)
        + f" s; report {summary}"
    )

    assert lost == [] and doubled == []
    assert check.problems() == {}
    assert len(soak.outside) > RATE * 60
    assert soak.error_rate_outside < 0.001, soak.errors_outside[:10]
    for each in faults:
        assert each.recovered_after is not None and each.recovered_after <= 30, each
