"""Ten agents press "take next" on the one waiting ticket at once, 200 times over HTTP.

A gunicorn with ten request threads serves them (each thread its own
database connection), so all ten claims really meet in PostgreSQL. Every
round exactly one agent gets the ticket, the others hear that nothing waits,
nobody gets a 5xx, and PostgreSQL reports no deadlock.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from tests.chaos.client import api_session, open_ticket
from tests.chaos.harness import ChaosStack, wait_http, wait_until

ROUNDS = 200
PREFIX = "claim-race-"


@dataclass(frozen=True)
class Claim:
    agent: str
    status: int
    ticket_id: int | None


def test_ten_agents_claiming_one_ticket_have_exactly_one_winner_each_round(
    desk: ChaosStack, figures: Callable[[str], None]
) -> None:
    started = time.monotonic()
    # A second gunicorn on the same database: 2 processes × 5 threads, ten claims at once.
    race, base = desk.desk.extra_web("race-web", workers=2, threads=5)
    race.start()
    try:
        wait_http(race, base)
        agents = desk.seed["claim_agents"]
        # Each agent acts through the integrator's key (agents:write names the agent),
        # on a session of its own: ten connections, ten claims at once.
        sessions = {name: api_session(desk) for name in agents}
        key = api_session(desk)
        deadlocks_before = desk.pg.log_text().count("deadlock detected")
        outcomes: list[list[Claim]] = []
        barrier = threading.Barrier(len(agents))

        def claim(agent: str) -> Claim:
            barrier.wait(timeout=30)
            answer = sessions[agent].post(
                f"{base}/api/v1/tickets/take-next/", json={"agent": agent}, timeout=60
            )
            ticket_id = answer.json()["id"] if answer.status_code == 200 else None
            return Claim(agent=agent, status=answer.status_code, ticket_id=ticket_id)

        with ThreadPoolExecutor(max_workers=len(agents)) as pool:
            for n in range(ROUNDS):
                opened = open_ticket(key, base, f"{PREFIX}{n}", topic=desk.seed["claim_topic"])
                assert opened.status_code == 201, opened.text
                ticket_id = opened.json()["id"]
                wait_until(
                    lambda ticket_id=ticket_id: (
                        desk.pg.scalar(
                            "SELECT status FROM tickets_ticket WHERE id = %s", (ticket_id,)
                        )
                        == "queued"
                    ),
                    timeout=60,
                    interval=0.05,
                    what=f"ticket {ticket_id} queued",
                )
                claims = list(pool.map(claim, agents))
                outcomes.append(claims)
                winners = [c for c in claims if c.status == 200]
                statuses = Counter(c.status for c in claims)
                assert len(winners) == 1 and statuses[204] == len(agents) - 1, (n, statuses)
                assert winners[0].ticket_id == ticket_id
                # The winner solves it, so that nobody's capacity fills up over the rounds.
                solved = sessions[winners[0].agent].post(
                    f"{base}/api/v1/tickets/{ticket_id}/status/",
                    json={"status": "solved", "agent": winners[0].agent},
                    timeout=30,
                )
                assert solved.status_code == 200, solved.text

        # The database agrees: one assignment per ticket, to the agent who got the 200.
        rows = desk.pg.query(
            """
            SELECT t.id, u.username,
                   (SELECT count(*) FROM tickets_ticketevent e
                     WHERE e.ticket_id = t.id AND e.kind = 'assignee')
            FROM tickets_ticket t JOIN accounts_user u ON u.id = t.assignee_id
            WHERE t.subject LIKE %s
            """,
            (PREFIX + "%",),
        )
        assigned = {ticket_id: (username, events) for ticket_id, username, events in rows}
        winners_by_ticket = {
            c.ticket_id: c.agent for claims in outcomes for c in claims if c.status == 200
        }
        assert len(assigned) == ROUNDS
        assert {t: name for t, (name, _events) in assigned.items()} == winners_by_ticket
        assert all(events == 1 for _name, events in assigned.values())
        assert desk.pg.log_text().count("deadlock detected") == deadlocks_before
        # Several agents won over the rounds: the race was real, not served one by one.
        assert len(set(winners_by_ticket.values())) > 1
        figures(
            f"{ROUNDS} rounds of {len(agents)} claims: {ROUNDS} winners, "
            f"{ROUNDS * (len(agents) - 1)} told nothing waits, no 5xx, no deadlock; "
            f"{len(set(winners_by_ticket.values()))} different agents won; "
            f"{time.monotonic() - started:.0f} s"
        )
    finally:
        race.stop()
