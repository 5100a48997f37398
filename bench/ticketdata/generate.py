"""Writing the desk: pools of processes COPY the closed tickets, then the recent ones."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from collections.abc import Callable, Iterator
from typing import Any

from bench.ticketdata.people import people, world
from bench.ticketdata.rows import (
    CHUNK,
    EVENT_COLUMNS,
    MARKER_TABLE,
    MESSAGE_COLUMNS,
    RATING_COLUMNS,
    TICKET_COLUMNS,
    TICKET_TABLES,
    Clock,
    Rows,
    World,
    closed_plan,
    draw,
    recent_count,
    recent_plans,
    write_ticket,
)

# --- Worker processes -----------------------------------------------------------

_WORLD: World | None = None
_DSN: dict[str, Any] = {}


def _pool_init(world: World, dsn: dict[str, Any]) -> None:
    # A forked child inherits the command's handler, which turns SIGTERM into
    # KeyboardInterrupt: the pool's own shutdown would print a traceback.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    global _WORLD, _DSN
    _WORLD, _DSN = world, dsn


def _connect(dsn: dict[str, Any]) -> Any:
    import psycopg2

    connection = psycopg2.connect(**dsn)
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        # The rows are consistent by construction: skip the per-row foreign key
        # triggers when the database user may (a superuser, as on a bench machine).
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET session_replication_role = replica")
    return connection


def copy_rows(connection: Any, rows: Rows) -> None:
    """COPY the chunk's rows in one transaction."""
    with connection.cursor() as cursor:
        for table, columns, buffer in (
            ("tickets_ticket", TICKET_COLUMNS, rows.tickets),
            ("tickets_message", MESSAGE_COLUMNS, rows.messages),
            ("tickets_ticketevent", EVENT_COLUMNS, rows.events),
            ("tickets_rating", RATING_COLUMNS, rows.ratings),
        ):
            buffer.seek(0)
            cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
    connection.commit()


def _closed_chunk(bounds: tuple[int, int]) -> dict[str, int]:
    """Build and COPY the closed tickets numbered ``first``..``last`` (runs in a pool worker)."""
    assert _WORLD is not None
    first, last = bounds
    rng = random.Random(f"{_WORLD.seed}:tickets:{first}")  # noqa: S311 (test data)
    clock, rows = Clock(), Rows()
    for number in range(first, last + 1):
        basics = draw(_WORLD, rng)
        plan = closed_plan(_WORLD, number, basics.queue, rng)
        write_ticket(_WORLD, rows, clock, number, basics, plan, rng)
    connection = _connect(_DSN)
    try:
        copy_rows(connection, rows)
    finally:
        connection.close()
    return rows.counts


def _chunks(first: int, last: int) -> Iterator[tuple[int, int]]:
    for start in range(first, last + 1, CHUNK):
        yield start, min(last, start + CHUNK - 1)


# --- Generation -------------------------------------------------------------------


def _dsn() -> dict[str, Any]:
    from django.db import connection

    s = connection.settings_dict
    return {
        "dbname": s["NAME"],
        "user": s.get("USER") or None,
        "password": s.get("PASSWORD") or None,
        "host": s.get("HOST") or None,
        "port": s.get("PORT") or None,
    }


def _secondary_indexes(cursor: Any) -> list[tuple[str, str]]:
    """Return (name, CREATE statement) of the ticket tables' indexes that no constraint owns."""
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid::regclass::text = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """,
        [list(TICKET_TABLES)],
    )
    return [(name, definition) for name, definition in cursor.fetchall()]


def clear() -> None:
    """Remove every person, ticket and queue (the help centre stays)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE accounts_user, tickets_queue, tickets_businesshours, tickets_slapolicy, "
            "django_session RESTART IDENTITY CASCADE"
        )
        cursor.execute(f"DROP TABLE IF EXISTS {MARKER_TABLE}")


def generate(
    *, tickets: int, seed: int, progress_factory: Callable[[str, int], Any]
) -> dict[str, Any]:
    """Replace people, queues and tickets with a generated desk; return counts and timings."""
    from django.db import connection, connections, transaction

    timings: dict[str, float] = {}
    started = time.perf_counter()
    clear()
    with transaction.atomic():
        built = people(seed)
    timings["people_s"] = time.perf_counter() - started
    data, agents = world(tickets, seed, built)
    rng = random.Random(f"{seed}:recent")  # noqa: S311 (test data)
    first_recent = tickets - recent_count(tickets) + 1
    recent = recent_plans(data, agents, first_recent, rng)

    dsn = _dsn()
    with connection.cursor() as cursor:
        indexes = _secondary_indexes(cursor)
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    counts = {"tickets": 0, "messages": 0, "events": 0, "ratings": 0}
    connections.close_all()  # the pool forks: no connection is shared with it
    bar = progress_factory("tickets", tickets)
    try:
        processes = max(1, min(os.cpu_count() or 1, 4))
        context = multiprocessing.get_context("fork")
        with context.Pool(processes, initializer=_pool_init, initargs=(data, dsn)) as pool:
            for chunk_counts in pool.imap_unordered(_closed_chunk, _chunks(1, first_recent - 1)):
                for key, value in chunk_counts.items():
                    counts[key] += value
                bar.update(chunk_counts["tickets"])
        rows, clock = Rows(), Clock()
        for number, (basics, plan) in enumerate(recent, start=first_recent):
            write_ticket(data, rows, clock, number, basics, plan, rng)
        own = _connect(dsn)
        try:
            copy_rows(own, rows)
        finally:
            own.close()
        for key, value in rows.counts.items():
            counts[key] += value
        bar.update(rows.counts["tickets"])
        timings["copy_s"] = bar.close()
    finally:
        index_started = time.perf_counter()
        index_bar = progress_factory("indexes", len(indexes))
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _, definition in indexes:
                cursor.execute(definition.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
                index_bar.update(1)
        index_bar.close()
        timings["indexes_s"] = time.perf_counter() - index_started
    analyze_started = time.perf_counter()
    with connection.cursor() as cursor:
        # Tickets have random ids (support_desk.ids) and no sequence: the numbers
        # written here lie below every random one. The other tables count on.
        for table in ("tickets_message", "tickets_ticketevent", "tickets_rating"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608  # nosec B608  # table names from the tuple above
                f"(SELECT max(id) FROM {table}))"
            )
        cursor.execute(
            "VACUUM (ANALYZE) accounts_user, tickets_ticket, tickets_message, tickets_ticketevent, "
            "tickets_rating, tickets_agentprofile, tickets_agentprofile_queues, tickets_queue, "
            "tickets_queue_topics"
        )
        cursor.execute(
            f"CREATE TABLE {MARKER_TABLE} (tickets integer, seed integer, at timestamptz)"
        )
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} VALUES (%s, %s, now())",  # noqa: S608  # nosec B608  # MARKER_TABLE is a constant
            [tickets, seed],
        )
    timings["vacuum_analyze_s"] = time.perf_counter() - analyze_started
    timings["total_s"] = time.perf_counter() - started
    return {**counts, "timings": timings}


def generated() -> int | None:
    """Return how many tickets a completed generation wrote into this database, else None."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT tickets FROM {MARKER_TABLE}")  # noqa: S608  # nosec B608  # MARKER_TABLE is a constant
        row = cursor.fetchone()
    return int(row[0]) if row else None


def reset_to_generated() -> int:
    """Delete the tickets earlier runs opened, so a reused desk is the generated one again.

    Scenarios open tickets (the contact form, the API, the routing pipeline,
    the live pages) that join the waiting lines and the SLA watch; kept, each
    run would measure longer lines than the last. Everything opened after the
    generation finished goes, with its messages, history and mail, and the
    tables are vacuumed and analysed again, as the generation leaves them.
    Returns how many tickets were deleted.
    """
    from django.db import connection

    from tickets.models import Ticket

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT at FROM {MARKER_TABLE}")  # noqa: S608  # nosec B608  # MARKER_TABLE is a constant
        (generated_at,) = cursor.fetchone()
    _total, by_model = Ticket.objects.filter(created_at__gt=generated_at).delete()
    removed = int(by_model.get("tickets.Ticket", 0))
    if removed:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {', '.join(TICKET_TABLES)}")
    return removed


def counts() -> dict[str, Any]:
    """Return what the desk holds now: people, queues, tickets by status, table sizes.

    Messages, events and ratings are the planner's row estimates (fresh after ANALYZE).
    """
    from django.db import connection

    result: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for table in TICKET_TABLES:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
            result[table.removeprefix("tickets_")] = int(cursor.fetchone()[0])
        cursor.execute(
            "SELECT status, count(*) FROM tickets_ticket GROUP BY status ORDER BY status"
        )
        result["by_status"] = dict(cursor.fetchall())
        result["ticket"] = sum(result["by_status"].values())  # exact, not the planner's estimate
        cursor.execute("SELECT role, count(*) FROM accounts_user GROUP BY role ORDER BY role")
        result["people"] = dict(cursor.fetchall())
        cursor.execute("SELECT count(*) FROM tickets_queue")
        result["queues"] = cursor.fetchone()[0]
        cursor.execute("SELECT presence, count(*) FROM tickets_agentprofile GROUP BY presence")
        result["agents_by_presence"] = dict(cursor.fetchall())
        cursor.execute(
            "SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_class c "
            "WHERE c.relname = ANY(%s)",
            [list(TICKET_TABLES)],
        )
        result["tickets_tables_size"] = cursor.fetchone()[0]
    return result
