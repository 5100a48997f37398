"""Tasks are coupled to commits: a rolled-back ticket sends nothing, a committed one is routed once.

With a real worker on Redis, 1,000 tickets opened over the API are all
routed, each exactly once, and no task ever looked for a ticket that was
not committed (the tasks log such a miss; the worker's log has none).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from tests.chaos.client import WebhookReceiver, api_session, open_ticket, wait_routed
from tests.chaos.harness import ChaosStack, wait_until
from tickets.tasks import TICKET_MISSING

TICKETS = 1000
CLIENTS = 4


def test_a_rolled_back_ticket_sends_no_task_mail_or_webhook(
    desk: ChaosStack, figures: Callable[[str], None]
) -> None:
    base = desk.desk.base_url
    key = api_session(desk)
    with WebhookReceiver() as receiver:
        created = key.post(
            f"{base}/api/v1/webhooks/",
            json={"url": receiver.url, "events": ["ticket.created", "ticket.status_changed"]},
            timeout=30,
        )
        assert created.status_code == 201, created.text
        try:
            out = desk.desk.script("tests.chaos.actions", "rollback")
            rolled_back, control = out["rolled_back_id"], out["control_id"]
            # Nothing left the process for the rolled-back ticket...
            assert out["published_after_rollback"] == []
            # ...while the committed one sent its routing, assistant, mail and webhook.
            sent = {message["task"] for message in out["published_for_control"]}
            assert {
                "routing.route_ticket",
                "tickets.assistant_reply",
                "notifications.send",
                "webhooks.deliver",
            } <= sent
            wait_until(
                lambda: receiver.mentioning(control), timeout=60, what="the control's webhook"
            )
            routed = wait_routed(desk, "coupling-control", expected=1, timeout=60)
            assert routed.problems() == {}
            # Nothing of the rolled-back ticket exists, and nothing about it arrives.
            for table, column in (
                ("tickets_ticket", "id"),
                ("tickets_notification", "ticket_id"),
                ("tickets_ticketevent", "ticket_id"),
            ):
                assert (
                    desk.pg.scalar(
                        f"SELECT count(*) FROM {table} WHERE {column} = %s",
                        (rolled_back,),
                    )
                    == 0
                )
            assert (
                desk.pg.scalar(
                    "SELECT count(*) FROM webhooks_delivery WHERE source::text LIKE %s",
                    (f"%{rolled_back}%",),
                )
                == 0
            )
            time.sleep(2)
            assert receiver.mentioning(rolled_back) == []
            figures(
                f"rolled back: 0 messages, 0 rows, 0 webhooks; committed: {len(sent)} kinds "
                "of task sent, webhook received, routed once"
            )
        finally:
            key.delete(f"{base}/api/v1/webhooks/{created.json()['id']}/", timeout=30)


def test_a_thousand_tickets_are_each_routed_once_and_no_task_reads_an_uncommitted_row(
    desk: ChaosStack, figures: Callable[[str], None]
) -> None:
    started = time.monotonic()
    worker = desk.desk.processes["worker"]
    log_before = len(worker.log_text())
    base = desk.desk.base_url
    sessions = [api_session(desk) for _ in range(CLIENTS)]

    def open_one(n: int) -> int:
        answer = open_ticket(sessions[n % CLIENTS], base, f"bulk-{n:04d}", buyer=f"c{n % 50}")
        return answer.status_code

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        statuses = list(pool.map(open_one, range(TICKETS)))
    assert statuses.count(201) == TICKETS, {s: statuses.count(s) for s in set(statuses)}

    check = wait_routed(desk, "bulk-", expected=TICKETS, timeout=600)
    assert check.total == TICKETS
    assert check.problems() == {}
    worker_log = worker.log_text()[log_before:]
    assert worker_log.count(TICKET_MISSING) == 0
    assert "raised unexpected" not in worker_log
    figures(
        f"{TICKETS} tickets opened over the API, {check.total} routed, each once; "
        f"tasks that found no ticket: 0; {time.monotonic() - started:.0f} s"
    )
