"""The routing pipeline: time from a ticket's commit to its assignment, and tickets routed per second.

Both run against the desk's own Celery workers and the generated desk, on
queues of their own: eight bench queues, each serving a bench topic that the
help centre does not show, with two agents each who are online only while
this runs. Nothing else routes to them, so the numbers are the pipeline's,
not a backlog's.

1. Latency: the bench process opens tickets through ``ticket_open`` (the
   service the form and the API call) at a steady rate while the desk's
   worker runs as in production, and watches the database: commit (an
   ``on_commit`` hook registered before the service's own) until the ticket is
   seen assigned; the ticket's own ``assigned_at - created_at`` is kept too.
2. Throughput: the desk's worker stops consuming the routing queue; for 1, 2
   and 4 processes, a batch of new tickets is enqueued (one routing message
   each), a worker with ``--concurrency N`` on the routing queue only is
   started and given at most DRAIN_TIMEOUT seconds, and the span from the
   first to the last routing decision (the tickets' ``queued_at``, stamped as
   each task starts) gives tickets routed per second, and per process. What
   the time left unrouted is closed, and its messages find it closed.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.load import percentiles
from bench.ticketdata import PREFIX

ROUTING_QUEUES = 8
AGENTS_PER_QUEUE = 2
TOPIC_PREFIX = f"{PREFIX}routing-"
POLL_SECONDS = 0.005
# Tickets a second while latency is measured: 18,000 an hour, a big marketplace's peak.
LATENCY_RATE = 5.0
BATCH_PER_PROCESS = 2000
# The longest a throughput measurement waits for its batch (after the worker starts).
DRAIN_TIMEOUT = 30.0


@dataclass(frozen=True)
class RoutingSetup:
    topics: list[Any]  # Topic instances, active in memory only (the service checks the instance)
    queue_ids: list[int]
    agent_ids: list[int]
    buyers: list[Any]


def setup() -> RoutingSetup:
    """Create (once) the bench topics, queues and agents of the routing measurements."""
    from accounts.models import Role, User
    from accounts.services import user_create
    from bench.deskdata import BIG_CAPACITY, hidden_topic
    from tickets.services.config import agent_configure, queue_upsert

    topics, queue_ids, agent_ids = [], [], []
    for number in range(1, ROUTING_QUEUES + 1):
        slug = f"{TOPIC_PREFIX}{number}"
        topic = hidden_topic(slug, f"Bench routing {number}")
        queue = queue_upsert(
            slug=slug, name=f"Bench routing {number}", language="en", topics=[topic], sort_order=0
        )
        for seat in range(AGENTS_PER_QUEUE):
            username = f"{TOPIC_PREFIX}agent-{number}-{seat}"
            agent = User.objects.filter(username=username).first() or user_create(
                username=username, password=None, role=Role.AGENT
            )
            agent_configure(agent=agent, queues=[queue], languages=["en"], capacity=BIG_CAPACITY)
            agent_ids.append(agent.pk)
        topics.append(topic)
        queue_ids.append(queue.pk)
    buyers = list(User.objects.filter(role=Role.BUYER, username__startswith=PREFIX)[:200])
    if not buyers:
        raise SystemExit("bench: no generated buyers; generate the desk first")
    return RoutingSetup(topics, queue_ids, agent_ids, buyers)


def _presence(agent_ids: list[int], presence: str) -> None:
    from django.utils import timezone

    from tickets.models import AgentProfile

    AgentProfile.objects.filter(user_id__in=agent_ids).update(
        presence=presence, presence_changed_at=timezone.now()
    )


def _close_routed(setup: RoutingSetup) -> None:
    """Close what the measurement opened, so the agents' counts start from nothing next time."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tickets_ticket SET status = 'closed', closed_at = now(), updated_at = now() "
            "WHERE topic_id = ANY(%s) AND status IN ('new', 'queued', 'assigned')",
            [[topic.pk for topic in setup.topics]],
        )


def latency(setup: RoutingSetup, *, duration: float, rate: float = LATENCY_RATE) -> dict[str, Any]:
    """Open tickets at ``rate`` a second for ``duration`` s; return commit-to-assignment times."""
    from django.db import connection, transaction

    from tickets.models import Channel
    from tickets.services.opening import TicketRequest, ticket_open

    _presence(setup.agent_ids, "online")
    committed: dict[int, float] = {}
    seen: dict[int, float] = {}
    count = max(1, int(duration * rate))
    started = time.perf_counter()
    try:
        for number in range(count):
            due = started + number / rate
            while time.perf_counter() < due:
                _poll(committed, seen)
                time.sleep(POLL_SECONDS)
            stamp: list[float] = []
            with transaction.atomic():
                # Registered before the service's own hooks: runs first, right after COMMIT.
                transaction.on_commit(lambda stamp=stamp: stamp.append(time.perf_counter()))
                ticket = ticket_open(
                    buyer=setup.buyers[number % len(setup.buyers)],
                    topic=setup.topics[number % len(setup.topics)],
                    request=TicketRequest(
                        subject=f"Routing measurement {number}",
                        description="Where is my parcel?",
                        language="en",
                        channel=Channel.API,
                        order_number="",
                        amount=Decimal("1.00"),
                        purchase_date=date(2026, 1, 1),
                    ),
                    now=_now(),
                )
            committed[ticket.pk] = stamp[0]
        deadline = time.perf_counter() + 30
        while len(seen) < len(committed) and time.perf_counter() < deadline:
            _poll(committed, seen)
            time.sleep(POLL_SECONDS)
        observed = [(seen[pk] - committed[pk]) * 1000 for pk in committed if pk in seen]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT EXTRACT(EPOCH FROM (assigned_at - created_at)) * 1000 FROM tickets_ticket "
                "WHERE id = ANY(%s) AND assigned_at IS NOT NULL",
                [list(committed)],
            )
            recorded = [float(row[0]) for row in cursor.fetchall()]
    finally:
        _presence(setup.agent_ids, "offline")
        _close_routed(setup)
    return {
        "tickets": len(committed),
        "assigned": len(seen),
        "rate_per_s": rate,
        "observed_ms": percentiles(observed),
        "recorded_ms": percentiles(recorded),
        "poll_ms": POLL_SECONDS * 1000,
    }


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()


def _poll(committed: dict[int, float], seen: dict[int, float]) -> None:
    from django.db import connection

    waiting = [pk for pk in committed if pk not in seen]
    if not waiting:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM tickets_ticket WHERE id = ANY(%s) AND assignee_id IS NOT NULL",
            [waiting],
        )
        now = time.perf_counter()
        for (pk,) in cursor.fetchall():
            seen[pk] = now


def _new_tickets(setup: RoutingSetup, count: int) -> list[int]:
    """Save ``count`` tickets as the opening service leaves them (new, not routed yet)."""
    from tickets.models import Channel, Ticket

    now = _now()
    rows = [
        Ticket(
            buyer=setup.buyers[number % len(setup.buyers)],
            topic=setup.topics[number % len(setup.topics)],
            channel=Channel.API,
            language="en",
            subject=f"Routing throughput {number}",
            description="Where is my parcel?",
            created_at=now,
            updated_at=now,
        )
        for number in range(count)
    ]
    return [ticket.pk for ticket in Ticket.objects.bulk_create(rows, batch_size=1000)]


def throughput(
    setup: RoutingSetup,
    *,
    processes: list[int],
    env: dict[str, str],
    logs: Path,
    desk_worker: str,
    sessions: set[int],
) -> list[dict[str, Any]]:
    """Route a batch with 1, 2, 4 … worker processes on the routing queue only.

    Each worker's session id goes into ``sessions``: its CPU is the desk's, not other work.
    """
    from django.db import connection

    from bench.servers import start_routing_worker
    from support_desk.celery import app
    from tickets.tasks import route_ticket

    results = []
    app.control.cancel_consumer("routing", destination=[desk_worker], reply=True, timeout=5)
    _presence(setup.agent_ids, "online")
    try:
        for count in processes:
            batch = BATCH_PER_PROCESS * count
            ids = _new_tickets(setup, batch)
            for ticket_id in ids:
                route_ticket.apply_async(kwargs={"ticket_id": ticket_id})
            hostname = f"bench-routing-{count}-{time.monotonic_ns()}@{socket.gethostname()}"
            started = time.perf_counter()
            worker = start_routing_worker(
                env=env, concurrency=count, hostname=hostname, log=logs / f"routing-{count}.log"
            )
            sessions.add(worker.popen.pid)
            try:
                left = batch
                while left and time.perf_counter() - started < DRAIN_TIMEOUT:
                    time.sleep(0.2)
                    with connection.cursor() as cursor:
                        cursor.execute(
                            "SELECT count(*) FROM tickets_ticket WHERE id = ANY(%s) AND status = 'new'",
                            [ids],
                        )
                        left = cursor.fetchone()[0]
                wall = time.perf_counter() - started
            finally:
                worker.stop()
            _purge_routing(app)
            with connection.cursor() as cursor:
                cursor.execute(
                    """
                    SELECT count(*), count(assignee_id),
                           EXTRACT(EPOCH FROM max(queued_at) - min(queued_at))
                    FROM tickets_ticket WHERE id = ANY(%s) AND queued_at IS NOT NULL
                    """,
                    [ids],
                )
                routed, assigned, span = cursor.fetchone()
            span = float(span or 0.0)
            rate = (routed - 1) / span if span > 0 and routed > 1 else None
            results.append(
                {
                    "processes": count,
                    "batch": batch,
                    "routed": routed,
                    "assigned": assigned,
                    "not_routed": left,
                    "span_s": round(span, 3),
                    "wall_s": round(wall, 2),
                    "tickets_per_s": None if rate is None else round(rate, 1),
                    "per_process_per_s": None if rate is None else round(rate / count, 1),
                }
            )
            _close_routed(setup)
    finally:
        _presence(setup.agent_ids, "offline")
        app.control.add_consumer("routing", destination=[desk_worker], reply=True, timeout=5)
    return results


def _purge_routing(app: Any) -> None:
    """Drop routing messages left for tickets the time ran out on (they are closed next)."""
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge("routing")


def run(
    *,
    duration: float,
    processes: list[int],
    env: dict[str, str],
    logs: Path,
    desk_worker: str,
    sessions: set[int],
    say: Any,
) -> dict[str, Any]:
    """Measure latency, then throughput; return both."""
    found = setup()
    _close_routed(found)
    say(f"routing latency: {max(1, int(duration * LATENCY_RATE))} tickets at {LATENCY_RATE:g}/s")
    measured = latency(found, duration=duration)
    say(
        f"  commit to assignment p50 {measured['observed_ms']['p50']} ms, "
        f"p95 {measured['observed_ms']['p95']} ms, p99 {measured['observed_ms']['p99']} ms"
    )
    say(f"routing throughput with {', '.join(map(str, processes))} worker processes")
    rates = throughput(
        found,
        processes=processes,
        env=env,
        logs=logs,
        desk_worker=desk_worker,
        sessions=sessions,
    )
    for row in rates:
        say(
            f"  {row['processes']} process(es): {row['tickets_per_s']} tickets/s, "
            f"{row['per_process_per_s']} per process ({row['routed']}/{row['batch']} routed)"
        )
    return {"latency": measured, "throughput": rates}
