"""The soak run's report: per-second counts (CSV) and a Markdown summary.

Written to ``$DESK_CHAOS_REPORT_DIR`` (default ``var/chaos/``) as
``soak-<UTC time>.csv`` and ``.md``, and copied to ``soak-latest.csv`` and
``soak-latest.md``.
"""

from __future__ import annotations

import csv
import math
import os
import platform
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.chaos.harness import ROOT

# Latency is "back to normal" when the 95th percentile of a 5-second window
# is at most this many times the baseline's, or the baseline's plus this much.
NORMAL_FACTOR = 3.0
NORMAL_SLACK_S = 0.5
WINDOW_S = 5


def report_dir() -> Path:
    path = Path(os.environ.get("DESK_CHAOS_REPORT_DIR", str(ROOT / "var" / "chaos")))
    path.mkdir(parents=True, exist_ok=True)
    return path


def percentile(values: list[float], share: float) -> float:
    """Return the nearest-rank percentile (share in 0..1); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


@dataclass
class Fault:
    """One fault of the run: what, and when it started and ended (seconds from the start)."""

    name: str
    start: float
    end: float
    recovered_after: float | None = None  # seconds after ``end`` until latency was normal
    p95_after_30s: float = math.nan


@dataclass
class Soak:
    rows: list[dict[str, Any]]
    started_at: float
    faults: list[Fault]
    grace_s: float
    tickets: dict[str, Any] = field(default_factory=dict)

    def t(self, row: dict[str, Any]) -> float:
        return float(row["scheduled_at"]) - self.started_at

    def in_fault(self, row: dict[str, Any]) -> bool:
        """Whether the request overlapped a fault window (its start to its end plus the grace)."""
        begin = self.t(row)
        finish = begin + float(row["latency_s"])
        return any(
            finish >= fault.start and begin <= fault.end + self.grace_s for fault in self.faults
        )

    @property
    def outside(self) -> list[dict[str, Any]]:
        return [row for row in self.rows if not self.in_fault(row)]

    @property
    def errors_outside(self) -> list[dict[str, Any]]:
        return [row for row in self.outside if not row["ok"]]

    @property
    def error_rate_outside(self) -> float:
        return len(self.errors_outside) / max(1, len(self.outside))

    @property
    def baseline_p95(self) -> float:
        first = min((fault.start for fault in self.faults), default=math.inf)
        return percentile([r["latency_s"] for r in self.rows if self.t(r) < first], 0.95)

    @property
    def normal_p95(self) -> float:
        return max(self.baseline_p95 * NORMAL_FACTOR, self.baseline_p95 + NORMAL_SLACK_S)

    def window_p95(self, begin: float) -> float:
        return percentile(
            [r["latency_s"] for r in self.rows if begin <= self.t(r) < begin + WINDOW_S], 0.95
        )

    def measure_recovery(self) -> None:
        """Fill in, per fault, when latency was back to normal and the p95 30 s after it ended."""
        for fault in self.faults:
            fault.p95_after_30s = self.window_p95(fault.end + 30)
            second = 0
            while fault.end + second + WINDOW_S <= self.duration:
                window = [r for r in self.rows if 0 <= self.t(r) - (fault.end + second) < WINDOW_S]
                calm = window and all(r["ok"] for r in window)
                if calm and percentile([r["latency_s"] for r in window], 0.95) <= self.normal_p95:
                    fault.recovered_after = float(second)
                    break
                second += 1

    @property
    def duration(self) -> float:
        return max((self.t(r) for r in self.rows), default=0.0)

    def per_second(self) -> list[dict[str, Any]]:
        seconds: dict[int, list[dict[str, Any]]] = {}
        for row in self.rows:
            seconds.setdefault(int(self.t(row)), []).append(row)
        lines = []
        for second in range(int(self.duration) + 1):
            rows = seconds.get(second, [])
            latencies = [r["latency_s"] for r in rows]
            faults = [f.name for f in self.faults if f.start <= second <= f.end]
            lines.append(
                {
                    "second": second,
                    "requests": len(rows),
                    "ok": sum(r["ok"] for r in rows),
                    "errors": sum(not r["ok"] for r in rows),
                    "p50_ms": round(percentile(latencies, 0.5) * 1000) if rows else "",
                    "p95_ms": round(percentile(latencies, 0.95) * 1000) if rows else "",
                    "max_ms": round(max(latencies) * 1000) if rows else "",
                    "fault": "+".join(faults),
                }
            )
        return lines

    def write(self, *, config: dict[str, Any]) -> Path:
        """Write the CSV and the summary; return the summary's path."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        folder = report_dir()
        csv_path = folder / f"soak-{stamp}.csv"
        lines = self.per_second()
        with csv_path.open("w", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=list(lines[0]))
            writer.writeheader()
            writer.writerows(lines)
        md_path = folder / f"soak-{stamp}.md"
        md_path.write_text(self.markdown(stamp=stamp, csv_name=csv_path.name, config=config))
        shutil.copyfile(csv_path, folder / "soak-latest.csv")
        shutil.copyfile(md_path, folder / "soak-latest.md")
        return md_path

    def markdown(self, *, stamp: str, csv_name: str, config: dict[str, Any]) -> str:
        kinds: dict[str, list[dict[str, Any]]] = {}
        for row in self.rows:
            kinds.setdefault(row["kind"], []).append(row)
        load = os.getloadavg()
        out = [
            f"# Soak run {stamp}",
            "",
            f"{len(self.rows)} requests in {self.duration:.0f} s "
            f"({config['rate']:g} a second, mix {config['weights']}) against gunicorn, one "
            "Celery worker (2 processes) and beat, on the run's own PostgreSQL 15 and Redis; "
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}, load average "
            f"{load[0]:.1f} at the end. Per-second counts: `{csv_name}`.",
            "",
            "## Faults",
            "",
            "| fault | from | to | p95 30 s after | latency normal again after |",
            "|---|---|---|---|---|",
        ]
        for fault in self.faults:
            recovered = (
                f"{fault.recovered_after:.0f} s" if fault.recovered_after is not None else "never"
            )
            out.append(
                f"| {fault.name} | {fault.start:.0f} s | {fault.end:.0f} s | "
                f"{fault.p95_after_30s * 1000:.0f} ms | {recovered} |"
            )
        errors_in = sum(not r["ok"] for r in self.rows if self.in_fault(r))
        out += [
            "",
            f"Normal latency: p95 of a {WINDOW_S}-second window at most "
            f"{self.normal_p95 * 1000:.0f} ms (baseline p95 {self.baseline_p95 * 1000:.0f} ms "
            f"before the first fault × {NORMAL_FACTOR:g}, or + {NORMAL_SLACK_S * 1000:.0f} ms).",
            "",
            "## Requests",
            "",
            "| kind | requests | errors | p50 | p95 | p99 |",
            "|---|---|---|---|---|---|",
        ]
        for kind, rows in sorted(kinds.items()):
            latencies = [r["latency_s"] for r in rows]
            out.append(
                f"| {kind} | {len(rows)} | {sum(not r['ok'] for r in rows)} | "
                f"{percentile(latencies, 0.5) * 1000:.0f} ms | "
                f"{percentile(latencies, 0.95) * 1000:.0f} ms | "
                f"{percentile(latencies, 0.99) * 1000:.0f} ms |"
            )
        out += [
            "",
            f"Errors outside the fault windows (fault plus {self.grace_s:g} s): "
            f"{len(self.errors_outside)} of {len(self.outside)} "
            f"({self.error_rate_outside:.3%}); inside them: {errors_in}.",
            "",
            "## Tickets",
            "",
            *(f"- {name}: {value}" for name, value in self.tickets.items()),
            "",
        ]
        return "\n".join(out)
