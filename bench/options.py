"""The options of ``python -m bench.run``: scale, load, the quiet the machine needs, the budget."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from bench.servers import ROOT

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/support_desk_bench"
# Database 12: the test suite's settings use 14 (cache, flushed between tests) and 15
# (broker); a suite running beside the bench would flush its queues and cache.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"
CORES = os.cpu_count() or 1
# As the desk is deployed (Dockerfile, docker-compose.yml: 3 sync workers on its
# 2-core machines). The views are CPU-bound and PostgreSQL, the Celery worker
# and beat share the cores: more workers than that only time-slice the CPU
# (gunicorn's 2 × cores + 1 is a rule of thumb for workers that wait on I/O).
DEFAULT_WORKERS = CORES + 1


DESCRIPTION = "Benchmark the desk end to end: ``python -m bench.run`` (or ``make bench``)."


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Return the run's options; exit with a usage error when they make no sense."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=DESCRIPTION)
    parser.add_argument("--entries", type=int, default=100_000, help="FAQ entries (default 100000)")
    parser.add_argument(
        "--tickets",
        type=int,
        default=1_000_000,
        help="tickets of the generated desk, ~5 messages each (default 1000000)",
    )
    parser.add_argument(
        "--routing-processes",
        default="1,2,4",
        help="Celery worker processes to measure routing throughput with (default 1,2,4)",
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per scenario (15)")
    parser.add_argument("--concurrency", type=int, default=8, help="client connections (8)")
    parser.add_argument(
        "--workers",
        type=int,
        default=DEFAULT_WORKERS,
        help=f"gunicorn sync workers (default cores + 1 = {DEFAULT_WORKERS}, as the desk is deployed)",
    )
    parser.add_argument(
        "--reuse-data",
        action="store_true",
        help="skip generation when the database already holds --entries entries "
        "and a complete desk of --tickets tickets",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--seed", type=int, default=2026, help="data and request seed (2026)")
    parser.add_argument(
        "--scenarios", nargs="*", default=None, help="run only these (bare always runs)"
    )
    parser.add_argument(
        "--max-background-cpu",
        type=float,
        default=25.0,
        help="before each scenario, wait until other processes use less than this %% of "
        "the machine's CPU (default 25)",
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=120.0,
        help="longest wait in seconds for that quiet moment (default 120; 0: don't wait)",
    )
    parser.add_argument(
        "--max-other-cpu",
        type=float,
        default=10.0,
        help="run a scenario again when other processes took more than this %% of the "
        "machine's CPU while it ran (default 10)",
    )
    parser.add_argument(
        "--busy-retries",
        type=int,
        default=2,
        help="how many times a scenario disturbed by other work is run again (default 2); "
        "the least disturbed attempt counts, all are recorded",
    )
    parser.add_argument(
        "--budget-minutes",
        type=float,
        default=28.0,
        help="the whole run's time budget (default 28): waiting for quiet moments and runs "
        "again stop when the scenarios left would not fit in it otherwise",
    )
    args = parser.parse_args(argv)
    if (
        args.entries < 1
        or args.tickets < 1_000
        or args.duration <= 0
        or args.concurrency < 1
        or args.workers < 1
    ):
        parser.error(
            "--entries, --duration, --concurrency and --workers must be positive, "
            "--tickets at least 1000"
        )
    try:
        args.routing_processes = [int(n) for n in args.routing_processes.split(",") if n]
    except ValueError:
        parser.error("--routing-processes is a comma-separated list of numbers, e.g. 1,2,4")
    return args
