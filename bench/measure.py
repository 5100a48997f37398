"""What a run measures with.

The desk processes' environment and database, one request timed and counted
in-process, a quiet machine before each scenario, the load from a process of
its own, and the Celery worker's backlog after it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.servers import ROOT

WARMUP_SECONDS = 2.0
# Long enough to time the slowest pages at 1,000,000 tickets rather than only count them.
REQUEST_TIMEOUT_SECONDS = 30.0
MAX_REQUESTS = 1_000_000
DRAIN_TIMEOUT_SECONDS = 120.0


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


# --- Environment and database ------------------------------------------------


def environment(args: argparse.Namespace) -> dict[str, str]:
    """Return the environment of every desk process (and set it for this one)."""
    env = dict(os.environ)
    env.pop("DJANGO_DEBUG", None)  # DEBUG off, as in production
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        DJANGO_STATIC_ROOT=str(ROOT / "var" / "bench-static"),
        PYTHONUNBUFFERED="1",
    )
    os.environ.clear()
    os.environ.update(env)
    return env


def ensure_database(url: str) -> bool:
    """Create the database of ``url`` if it does not exist; return whether it was created."""
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        raise SystemExit("bench: --database-url must be a PostgreSQL URL")
    connection = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
            if cursor.fetchone():
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            return True
    finally:
        connection.close()


def manage(env: dict[str, str], *command: str) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True
    )


# --- Measuring ---------------------------------------------------------------


# Requests timed one at a time before the load: at least SOLO_REQUESTS, more
# while SOLO_SECONDS last, at most SOLO_MAX_REQUESTS. The median of five
# moved by half between runs on a busy machine; the live checks' target is
# read from it.
SOLO_REQUESTS = 5
SOLO_MAX_REQUESTS = 25
SOLO_SECONDS = 1.0
SLOW_REQUEST_MS = 1_000.0
# Scenarios that open tickets, and so leave routing work for the Celery worker.
OPENING_SCENARIOS = ("ticket_form", "ticket_api")
BENCH_KEY_NAME = "bench load client"


def bench_api_authorization(notes: list[str]) -> str | None:
    """Issue a read-only API key for the API scenarios (earlier bench keys are revoked)."""
    try:
        from django.utils import timezone

        from api.models import ApiKey
        from api.services import api_key_issue

        ApiKey.objects.filter(name=BENCH_KEY_NAME, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        _, raw_key = api_key_issue(name=BENCH_KEY_NAME, scopes=["faq:read"])
    except Exception as exc:  # the API scenarios then probe 401 and are skipped
        notes.append(f"no API key for the API scenarios: {type(exc).__name__}: {exc}")
        return None
    return f"Bearer {raw_key}"


def send(client: Any, request: Any) -> Any:
    """Send one request of a pool through the test client, as the load client sends it."""
    headers = {k: v for k, v in request.headers.items() if k.lower() != "content-type"}
    content_type = request.headers.get("Content-Type", "application/octet-stream")
    return client.generic(
        request.method,
        request.path,
        data=(request.body or "").encode(),
        content_type=content_type,
        headers=headers,
    )


def solo_timings(pool: list[Any], *, slow: bool = False) -> dict[str, float]:
    """Time requests of the pool one at a time, in-process: the cost with no queueing.

    A ``slow`` scenario (its cold request took seconds) is timed once.
    """
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    if not slow:
        send(client, pool[0])
    timings: list[float] = []
    wanted = 1 if slow else SOLO_REQUESTS
    began = time.perf_counter()
    while len(timings) < wanted or (
        not slow and len(timings) < SOLO_MAX_REQUESTS and time.perf_counter() - began < SOLO_SECONDS
    ):
        request = pool[(len(timings) + 1) % len(pool)]
        started = time.perf_counter()
        send(client, request)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "median_ms": round(timings[len(timings) // 2], 3),
        "max_ms": round(timings[-1], 3),
        "requests": len(timings),
    }


def count_queries(request: Any) -> dict[str, Any]:
    """Return the SQL of one request, in-process: first with nothing cached, then again.

    The first (cold) request is what a cache miss costs; the second (warm)
    what a repeated request costs. The cold request's SQL is kept.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/bench/bare")  # connect to the database first
    runs = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = send(client, request)
            wall_ms = (time.perf_counter() - started) * 1000
        runs.append((captured.captured_queries, wall_ms))
    (cold, cold_ms), (warm, warm_ms) = runs
    queries = [
        {"ms": round(float(query["time"]) * 1000, 3), "sql": query["sql"][:4000]} for query in cold
    ]
    return {
        "path": request.path,
        "headers": request.headers,
        "status": response.status_code,
        "count": len(queries),
        "warm_count": len(warm),
        "wall_ms": round(cold_ms, 3),
        "warm_wall_ms": round(warm_ms, 3),
        "sql_ms": round(sum(query["ms"] for query in queries), 3),
        "queries": queries,
    }


def forget_cached_pages() -> None:
    """Start from a cold cache: move the help centre's content version, as a content change does.

    Answers and pages cached by an earlier run (within their 5 minutes) are
    then not read, so every run measures the same thing.
    """
    from django.core.cache import cache

    from faq.search import faq_content_version

    faq_content_version()  # there is one to move
    cache.incr("faq:search:version")


def probe(request: Any) -> int:
    """Return the status the desk answers ``request`` with, in-process."""
    from django.test import Client

    return send(Client(HTTP_HOST="127.0.0.1", raise_request_exception=False), request).status_code


def celery_backlog(redis_url: str) -> int:
    """Return how many messages wait in the desk's Celery queues."""
    import redis

    from bench.servers import CELERY_QUEUES

    client = redis.Redis.from_url(redis_url)
    try:
        return sum(int(client.llen(queue)) for queue in CELERY_QUEUES.split(","))
    finally:
        client.close()


def _cpu_times() -> tuple[int, int]:
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields), fields[3] + fields[4]  # all jiffies, idle + iowait


def cpu_busy(seconds: float = 1.0) -> float:
    """Return the % of the machine's CPU in use over ``seconds`` (all processes)."""
    total, idle = _cpu_times()
    time.sleep(seconds)
    total2, idle2 = _cpu_times()
    return round(100.0 * (1 - (idle2 - idle) / max(1, total2 - total)), 1)


def wait_until_quiet(limit: float, wait: float) -> tuple[float, float]:
    """Wait (bounded) until the machine is mostly idle; return the CPU % last seen and the wait.

    Runs while the desk's own processes are idle, so what it sees is other work on
    the machine (test suites, builds), which would otherwise skew the scenario.
    """
    started = time.monotonic()
    busy = cpu_busy()
    while busy > limit and time.monotonic() - started < wait:
        busy = cpu_busy(2.0)
    return busy, round(time.monotonic() - started, 1)


def settle(database: str, timeout: float = 90.0) -> float:
    """Wait (bounded) until no statement runs on the bench database; return the wait.

    A sync gunicorn worker finishes a request whose client gave up; without
    this, the slow requests of one scenario would hold the workers during the next.
    """
    from django.db import connection

    started = time.monotonic()
    try:
        while time.monotonic() - started < timeout:
            with connection.cursor() as cursor:
                cursor.execute(
                    # Long statements only: the Celery worker's short ones do not hold a page.
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND state = 'active' "
                    "AND pid <> pg_backend_pid() AND now() - query_start > interval '0.5 s'",
                    [database],
                )
                if not cursor.fetchone()[0]:
                    break
            time.sleep(0.5)
    finally:
        connection.close()
    return round(time.monotonic() - started, 1)


def drain(redis_url: str) -> tuple[int, float]:
    """Wait (bounded) for the worker to empty its queues; return the backlog found and the wait."""
    backlog = celery_backlog(redis_url)
    started = time.monotonic()
    while celery_backlog(redis_url) and time.monotonic() - started < DRAIN_TIMEOUT_SECONDS:
        time.sleep(0.5)
    return backlog, round(time.monotonic() - started, 1)


def load(
    *,
    port: int,
    pool: list[Any],
    expect: tuple[int, ...],
    args: argparse.Namespace,
    seed: int,
    work: Path,
) -> dict[str, Any]:
    """Run ``bench.load`` in its own process against the pool of requests."""
    spec = {
        "host": "127.0.0.1",
        "port": port,
        "duration": args.duration,
        "warmup": WARMUP_SECONDS,
        "concurrency": args.concurrency,
        "timeout": REQUEST_TIMEOUT_SECONDS,
        "max_requests": MAX_REQUESTS,
        "seed": seed,
        "expect": list(expect),
        "requests": [
            [request.method, request.path, request.headers, request.body] for request in pool
        ],
    }
    spec_path, out_path = work / "spec.json", work / "out.json"
    spec_path.write_text(json.dumps(spec))
    out_path.unlink(missing_ok=True)
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.load", str(spec_path), str(out_path)],
        cwd=ROOT,
        check=True,
        timeout=WARMUP_SECONDS + args.duration + REQUEST_TIMEOUT_SECONDS + 60,
    )
    return json.loads(out_path.read_text())
