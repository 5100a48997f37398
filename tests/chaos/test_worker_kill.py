"""Workers killed while they route: every ticket is still routed exactly once.

SIGKILL lands on pool processes (a task dies mid-transaction or between its
commit and its acknowledgement) and on the main worker process (its
unacknowledged messages stay with Redis until the visibility timeout; the
routing sweep sends those tickets again). A task that kills its worker every
time is tried three times, then parked for a supervisor, never handed out
forever.
"""

from __future__ import annotations

import os
import random
import signal
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from tests.chaos.client import api_session, open_ticket, wait_routed
from tests.chaos.harness import ChaosStack, celery_client, wait_until

TICKETS = 300
CLIENTS = 4


def _kill_a_pool_process(desk: ChaosStack) -> int | None:
    children = desk.desk.processes["worker"].children()
    if not children:
        return None
    victim = random.choice(children)
    os.kill(victim, signal.SIGKILL)
    return victim


def test_tickets_routed_while_workers_are_killed_are_each_routed_once(
    desk: ChaosStack, figures: Callable[[str], None]
) -> None:
    started = time.monotonic()
    base = desk.desk.base_url
    worker = desk.desk.processes["worker"]
    sessions = [api_session(desk) for _ in range(CLIENTS)]

    def open_one(n: int) -> int:
        answer = open_ticket(sessions[n % CLIENTS], base, f"killed-{n:04d}", buyer=f"k{n % 40}")
        return answer.status_code

    killed: list[str] = []
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        opening = pool.map(open_one, range(TICKETS))
        # While the tickets arrive and are routed: pool processes die at
        # random points, then the main worker itself, then a pool process of
        # the restarted worker.
        for _ in range(3):
            time.sleep(random.uniform(0.5, 2.0))
            if _kill_a_pool_process(desk):
                killed.append("pool process")
        time.sleep(random.uniform(0.5, 1.5))
        worker.kill()
        killed.append("main worker")
        time.sleep(2)
        worker.start()
        desk.desk.wait_worker("worker")
        time.sleep(random.uniform(0.2, 1.0))
        if _kill_a_pool_process(desk):
            killed.append("pool process of the restarted worker")
        statuses = list(opening)
    assert statuses.count(201) == TICKETS
    assert "main worker" in killed and len(killed) >= 3

    # Messages the main worker held are with Redis until the visibility
    # timeout (an hour): the routing sweep (every 10 s, after 15 s) sends
    # those tickets again.
    check = wait_routed(desk, "killed-", expected=TICKETS, timeout=240)
    assert check.total == TICKETS
    assert check.problems() == {}, killed
    # Killing a worker under a task is not a reason to park it: it ran again.
    assert (
        desk.pg.scalar(
            "SELECT count(*) FROM support_desk_parkedtask WHERE task_name = 'routing.route_ticket'"
        )
        == 0
    )
    figures(
        f"killed: {', '.join(killed)}; {TICKETS} tickets routed, each once; "
        f"{time.monotonic() - started:.0f} s"
    )


def test_a_task_that_kills_its_worker_every_time_is_parked_after_three_tries(
    desk: ChaosStack, figures: Callable[[str], None]
) -> None:
    worker = desk.desk.processes["worker"]
    log_before = len(worker.log_text())
    client = celery_client(desk.redis.url)
    marker = uuid.uuid4().hex
    result = client.send_task("chaos.crash_worker", kwargs={"marker": marker}, queue="default")

    parked = wait_until(
        lambda: desk.pg.query(
            "SELECT task_name, tries, kwargs->>'marker' FROM support_desk_parkedtask"
            " WHERE task_id = %s",
            (result.id,),
        ),
        timeout=120,
        what="the crashing task to be parked",
    )
    assert parked == [("chaos.crash_worker", 3, marker)]
    # Nothing hands it out again: three deliveries, and no fourth a while later.
    time.sleep(5)
    received = worker.log_text()[log_before:].count(f"chaos.crash_worker[{result.id}] received")
    assert received == 3
    assert "Parked task chaos.crash_worker" in worker.log_text()[log_before:]
    figures(f"a crashing task: {received} deliveries, then parked; none after")
    # The worker lives on and routes the next ticket.
    assert worker.alive()
    opened = open_ticket(api_session(desk), desk.desk.base_url, "killed-after-parking")
    assert opened.status_code == 201
    assert wait_routed(desk, "killed-after-parking", expected=1, timeout=60).problems() == {}
