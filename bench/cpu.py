"""How much of the machine other work took while a scenario ran (Linux /proc).

The bench shares the machine with whatever else runs there (test suites,
builds). CPU is sampled per process before and after a scenario: the desk's
own processes (gunicorn, the Celery worker and beat, the load client, this
process, PostgreSQL's backends of the bench database, its background
processes and the postmaster with the backends it has reaped, and Redis)
against the machine's total. What is left is other work, which makes a
scenario's numbers pessimistic.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    total: int  # jiffies of all CPUs
    busy: int
    desk: int  # jiffies of the desk's processes (cumulative, per process)
    per_pid: dict[int, int]


def _machine() -> tuple[int, int]:
    """Return all CPU time so far, and the user and system time of processes in it."""
    user, nice, system, idle, iowait, irq, softirq, steal = (
        int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    # Guest time is already in user. Interrupts and time stolen by the hypervisor
    # belong to no process: they count in the total only.
    return user + nice + system + idle + iowait + irq + softirq + steal, user + nice + system


def _processes(sessions: set[int], database: str) -> dict[int, int]:
    """Return the CPU jiffies of the desk's processes (and their waited-for children), by pid."""
    found: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # gone meanwhile
        fields = stat[stat.rindex(")") + 2 :].split()
        pgid, session = int(fields[2]), int(fields[3])
        # utime + stime, plus cutime + cstime: the children it waited for (the load
        # client, which has exited by the time the scenario is sampled again).
        jiffies = sum(int(value) for value in fields[11:15])
        ours = pgid in sessions or session in sessions
        postgres = (
            cmdline.startswith("postgres:")
            and (
                f" {database} " in cmdline  # a backend of the bench database
                or ("(" not in cmdline and "[local]" not in cmdline)  # no client: a background
            )
        ) or (
            # The postmaster: it forks each backend, and a backend's CPU counts in
            # its children's time once the backend has ended and been waited for.
            cmdline.split(" ", 1)[0].endswith("/postgres") and " -D " in cmdline
        )
        if ours or postgres or cmdline.startswith("redis-server"):  # cache and broker
            found[int(entry.name)] = jiffies
    return found


def sample(*, sessions: set[int], database: str) -> Sample:
    """Sample the machine and the desk's processes now."""
    per_pid = _processes(sessions | {os.getpgid(0)}, database)
    total, busy = _machine()
    return Sample(total=total, busy=busy, desk=sum(per_pid.values()), per_pid=per_pid)


def other_work_percent(before: Sample, after: Sample) -> float:
    """Return the % of the machine's CPU that other work took between two samples."""
    total = max(1, after.total - before.total)
    busy = after.busy - before.busy
    desk = sum(
        jiffies - before.per_pid.get(pid, 0)
        for pid, jiffies in after.per_pid.items()
        if jiffies >= before.per_pid.get(pid, 0)
    )
    return round(max(0.0, 100.0 * (busy - desk) / total), 1)
