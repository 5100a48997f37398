"""PostgreSQL crashes (an immediate stop) and comes back while the desk is under load.

Requests fail only while it is down and for a few seconds after; gunicorn
and the Celery worker recover by themselves (the same processes: Django's
CONN_HEALTH_CHECKS drops the dead connections), and no ticket is lost or
doubled: every ticket whose request succeeded exists once and is routed once.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

from tests.chaos.client import wait_routed
from tests.chaos.harness import ChaosStack, LoadRun, help_pages

RATE = 8.0
BEFORE, DOWN, AFTER = 12.0, 5.0, 25.0
# After PostgreSQL answers again: crash recovery, then each process's first
# use of a dead connection fails over to a new one.
RECOVERY_GRACE = 5.0
CREATES = ("create", "create_web")


def test_a_postgres_crash_under_load_fails_requests_only_while_it_is_down(
    desk: ChaosStack, figures: Callable[[str], None]
) -> None:
    pages = help_pages(desk)
    web_pid, worker_pid = desk.desk.processes["web"].pid, desk.desk.processes["worker"].pid
    load = LoadRun(
        desk,
        "postgres-restart",
        prefix="pgcrash-",
        rate=RATE,
        duration=BEFORE + DOWN + AFTER,
        weights={"create": 2, "create_web": 1, "browse": 3, "api_read": 1, "agent": 1},
        pages=pages["pages"],
        contact_path=pages["contact_path"],
        buyers=["buyer", "buyer2"],
        password=desk.seed["demo_password"],
        agents=["agent"],
    )
    time.sleep(BEFORE)
    stopped_at = time.time()
    desk.pg.stop("immediate")
    time.sleep(DOWN)
    desk.pg.start()
    up_at = time.time()
    rows = load.wait(timeout=BEFORE + DOWN + AFTER + 60)

    # A request scheduled up to its timeout before the crash may be cut off by it.
    window = (stopped_at - 10.0, up_at + RECOVERY_GRACE)
    outside = [r for r in rows if not window[0] <= r["scheduled_at"] <= window[1]]
    errors_outside = [r for r in outside if not r["ok"]]
    assert len(outside) > RATE * (BEFORE + AFTER - 20)
    assert errors_outside == [], errors_outside[:10]
    assert any(not r["ok"] for r in rows), "the crash went unnoticed: was PostgreSQL stopped?"

    # The same gunicorn and worker processes serve again: no restart was needed.
    assert desk.desk.processes["web"].pid == web_pid and desk.desk.processes["web"].alive()
    assert desk.desk.processes["worker"].pid == worker_pid
    assert desk.desk.processes["worker"].alive()

    # Nothing lost, nothing doubled.
    created = [r["detail"] for r in rows if r["kind"] in CREATES and r["ok"]]
    found = Counter(
        subject
        for (subject,) in desk.pg.query(
            "SELECT subject FROM tickets_ticket WHERE subject LIKE 'pgcrash-%%'"
        )
    )
    assert [s for s in created if found[s] != 1] == []
    assert [s for s, n in found.items() if n > 1] == []
    check = wait_routed(desk, "pgcrash-", expected=len(found), timeout=180)
    assert check.problems() == {}
    errors_in = sum(not r["ok"] for r in rows)
    figures(
        f"PostgreSQL down {DOWN:.0f} s: {len(rows)} requests, {errors_in} failed, all within "
        f"the outage + {RECOVERY_GRACE:.0f} s; same gunicorn and worker; {len(created)} tickets "
        "opened, none lost or doubled, each routed once"
    )
