"""Seller deadlines pass while beat and every worker are down.

At request time the desk already refuses the late seller (evidence, an
answer) though no task has acted yet; once beat and workers are back —
two workers and an extra run of the deadline task racing each other — each
overdue dispute is escalated exactly once, with one escalation ticket.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from tests.chaos.client import new_session
from tests.chaos.harness import ChaosStack, celery_client, wait_until
from tests.tickets.fixtures.samples import png

DISPUTES = 5
DEADLINE_SECONDS = 6


def test_deadlines_that_pass_while_workers_are_down_are_acted_on_once(
    desk: ChaosStack, figures: Callable[[str], None]
) -> None:
    due = desk.desk.script(
        "tests.chaos.actions", "disputes_due", str(DISPUTES), str(DEADLINE_SECONDS)
    )
    ids: list[int] = due["disputes"]
    processes = desk.desk.processes
    processes["beat"].kill()
    processes["worker"].kill()

    deadline = datetime.fromisoformat(due["deadline"])
    time.sleep(max(0.0, deadline.timestamp() - time.time()) + 1)

    # Nothing runs in the background, yet the late seller is refused at once.
    seller = new_session()
    seller.headers["Authorization"] = f"Bearer {due['seller_key']}"
    base = desk.desk.base_url
    for dispute_id in ids:
        evidence = seller.post(
            f"{base}/api/v1/disputes/{dispute_id}/evidence/",
            files={"files": ("late.png", png(), "image/png")},
            timeout=30,
        )
        assert evidence.status_code == 409, evidence.text
        assert evidence.json()["error"]["code"] == "seller_deadline_passed"
        answer = seller.post(
            f"{base}/api/v1/disputes/{dispute_id}/reject/",
            json={"statement": "Too late?"},
            timeout=30,
        )
        assert answer.status_code == 409, answer.text
    statuses = desk.pg.query("SELECT status FROM disputes_dispute WHERE id = ANY(%s)", (ids,))
    assert {status for (status,) in statuses} == {"awaiting_seller"}

    # Back up: two workers and beat, plus two extra runs of the deadline task at once.
    second = desk.desk.worker("worker2")
    try:
        for process in (processes["worker"], second, processes["beat"]):
            process.start()
        desk.desk.wait_worker("worker")
        desk.desk.wait_worker("worker2")
        client = celery_client(desk.redis.url)
        for _ in range(2):
            client.send_task("maintenance.dispute_deadlines", queue="maintenance")

        def all_acted() -> bool:
            rows = desk.pg.query(
                "SELECT count(*) FROM disputes_dispute WHERE id = ANY(%s) AND status = 'awaiting_seller'",
                (ids,),
            )
            return rows[0][0] == 0

        wait_until(all_acted, timeout=120, interval=1, what="every overdue dispute acted on")
        time.sleep(3)  # let any second, late action show itself
        acted = dict(
            desk.pg.query(
                """
                SELECT d.id, (SELECT count(*) FROM disputes_disputeevent e
                               WHERE e.dispute_id = d.id AND e.kind LIKE 'deadline_%%')
                FROM disputes_dispute d WHERE d.id = ANY(%s)
                """,
                (ids,),
            )
        )
        assert acted == dict.fromkeys(ids, 1)
        escalation_tickets = dict(
            desk.pg.query(
                "SELECT order_number, count(*) FROM tickets_ticket"
                " WHERE order_number = ANY(%s) GROUP BY order_number",
                (due["orders"],),
            )
        )
        assert escalation_tickets == dict.fromkeys(due["orders"], 1)
        figures(
            f"{DISPUTES} deadlines passed with beat and workers down: "
            f"{2 * DISPUTES} late seller requests refused (409), each dispute escalated "
            "once with one ticket, by two workers and three deadline runs"
        )
    finally:
        second.stop()
        del processes["worker2"]
