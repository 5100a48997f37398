"""Redis (broker, results and cache) dies for 30 s while buyers keep opening tickets.

A separate process opens tickets at a fixed rate over the API and the web
contact form. Every submission succeeds (the ticket is saved; its routing
message is sent later by the sweep), the 99th percentile stays under two
seconds, and once Redis is back every ticket is routed exactly once. Then
the broker's data is wiped (FLUSHALL) with routing messages in it: the
sweep routes every ticket anyway.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from tests.chaos.client import api_session, open_ticket, wait_routed
from tests.chaos.harness import ChaosStack, LoadRun, help_pages, wait_until

RATE = 5.0
BEFORE, OUTAGE, AFTER = 10.0, 30.0, 15.0


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def test_buyers_keep_opening_tickets_through_a_redis_outage(
    desk: ChaosStack, figures: Callable[[str], None]
) -> None:
    pages = help_pages(desk)
    load = LoadRun(
        desk,
        "redis-outage",
        prefix="outage-",
        rate=RATE,
        duration=BEFORE + OUTAGE + AFTER,
        weights={"create": 3, "create_web": 1},
        buyers=["buyer", "buyer2"],
        password=desk.seed["demo_password"],
        contact_path=pages["contact_path"],
    )
    time.sleep(BEFORE)
    desk.redis.kill()
    time.sleep(OUTAGE)
    desk.redis.start()
    rows = load.wait(timeout=BEFORE + OUTAGE + AFTER + 60)

    failed = [row for row in rows if not row["ok"]]
    assert len(rows) >= RATE * (BEFORE + OUTAGE + AFTER) * 0.95
    assert failed == [], failed[:10]
    assert {row["kind"] for row in rows} == {"create", "create_web"}
    latency_p99 = p99([row["latency_s"] for row in rows])
    assert latency_p99 < 2.0

    check = wait_routed(desk, "outage-", expected=len(rows), timeout=180)
    assert check.total == len(rows)
    assert check.problems() == {}
    figures(
        f"Redis down {OUTAGE:.0f} s: {len(rows)} submissions, 0 failed, "
        f"p99 {latency_p99 * 1000:.0f} ms; {check.total} tickets routed, each once; "
        f"processes restarted by the supervisor: {desk.desk.restarts() or 'none'}"
    )


def test_the_sweep_routes_every_ticket_whose_message_the_broker_lost(
    desk: ChaosStack, figures: Callable[[str], None]
) -> None:
    worker = desk.desk.processes["worker"]
    worker.kill()
    key = api_session(desk)
    for n in range(40):
        assert open_ticket(key, desk.desk.base_url, f"flushed-{n:03d}").status_code == 201
    # The routing messages wait in Redis (nobody consumes them), then are wiped.
    client = desk.redis.client()
    wait_until(lambda: client.llen("routing") >= 40, timeout=30, what="40 routing messages")
    client.flushall()
    worker.start()
    desk.desk.wait_worker("worker")

    check = wait_routed(desk, "flushed-", expected=40, timeout=120)
    assert check.total == 40
    assert check.problems() == {}
    figures("FLUSHALL with 40 routing messages queued: the sweep routed all 40, each once")
