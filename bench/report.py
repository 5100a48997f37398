"""The machine a run happened on, and its results as JSON and as a Markdown table."""

from __future__ import annotations

import json
import platform
import subprocess
from pathlib import Path
from typing import Any

from bench.servers import ROOT


def _cpuinfo_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _git() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + (" (uncommitted changes)" if dirty else "")


def machine() -> dict[str, Any]:
    """Describe the machine and the software versions (needs Django set up)."""
    import os

    import django
    import gunicorn
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (postgres,) = cursor.fetchone()
    return {
        "cpu_model": _cpuinfo_model(),
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "postgresql": postgres,
        "git": _git(),
    }


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def add_ratios(results: list[dict[str, Any]]) -> None:
    """Give each scenario its throughput ÷ bare throughput and bare p50 ÷ its p50."""
    bare = next((r for r in results if r["name"] == "bare" and "load" in r), None)
    for result in results:
        load = result.get("load")
        if bare is None or not load or not load["ok"]:
            result["ratio_throughput"] = result["ratio_p50"] = None
            continue
        result["ratio_throughput"] = round(
            load["throughput_rps"] / bare["load"]["throughput_rps"], 3
        )
        result["ratio_p50"] = round(
            bare["load"]["latency_ms"]["p50"] / load["latency_ms"]["p50"], 3
        )


def verdict(result: dict[str, Any]) -> str:
    target = result.get("target_p95_ms")
    load = result.get("load")
    if target is None or not load:
        return "–"
    p95 = load["server_ms"]["p95"]
    if p95 is None:
        return "no data"
    if p95 <= target and not load["errors"]:
        return f"≤ {target:.0f} ms: ok"
    if load["errors"]:
        return f"≤ {target:.0f} ms: **errors**"
    return f"≤ {target:.0f} ms: **miss** ({p95 / target:.1f}×)"


HEADER = (
    "| scenario | requests | errors | req/s | ÷ bare req/s | p50 ms | p95 ms | p99 ms "
    "| server p50 | server p95 | server p99 | bare p50 ÷ p50 | solo ms | SQL cold / warm "
    "| target (server p95) |"
)


def table(results: list[dict[str, Any]]) -> str:
    lines = [HEADER, "|" + "---|" * HEADER.count(" | ") + "---|"]
    for result in results:
        load = result.get("load")
        if not load:
            lines.append(
                f"| {result['name']} | skipped: {result.get('skipped', '')} "
                "| | | | | | | | | | | | | |"
            )
            continue
        client, server = load["latency_ms"], load["server_ms"]
        queries = result.get("queries", {})
        sql = (
            "–"
            if queries.get("count") is None
            else f"{queries['count']} / {queries.get('warm_count', '–')}"
        )
        lines.append(
            "| "
            + " | ".join(
                [
                    result["name"],
                    f"{load['requests']:,}",
                    str(load["errors"]),
                    f"{load['throughput_rps']:,.0f}",
                    _ratio(result.get("ratio_throughput")),
                    _ms(client["p50"]),
                    _ms(client["p95"]),
                    _ms(client["p99"]),
                    _ms(server["p50"]),
                    _ms(server["p95"]),
                    _ms(server["p99"]),
                    _ratio(result.get("ratio_p50")),
                    _ms(result.get("solo", {}).get("median_ms")),
                    sql,
                    verdict(result),
                ]
            )
            + " |"
        )
    return "\n".join(lines)


# Open live pages ask every this many seconds (tickets.live.POLL_SECONDS).
LIVE_POLL_SECONDS = 3


def live_capacity(results: list[dict[str, Any]], cores: int | None) -> str:
    """Say what one open live page costs and how many pages the machine carries.

    Two bounds: the whole machine at saturation (gunicorn, PostgreSQL,
    Redis and the load client sharing its cores), and the web process's own
    CPU per check (mean), as open pages per core.
    """
    per_minute = 60 // LIVE_POLL_SECONDS
    parts = []
    for result in results:
        load = result["load"]
        cpu_mean = load["server_cpu_ms"]["mean"]
        per_core = (
            f"{1000 / cpu_mean:,.0f} checks/s = {1000 * LIVE_POLL_SECONDS / cpu_mean:,.0f} open "
            "pages per core of the web process"
            if cpu_mean
            else "no CPU timing"
        )
        parts.append(
            f"{result['name']}: server time p50 {_ms(load['server_ms']['p50'])} ms, CPU mean "
            f"{_ms(cpu_mean)} ms per check → {per_core}; the whole {cores}-core machine "
            f"answered {load['throughput_rps']:,.0f} checks/s = "
            f"{load['throughput_rps'] * LIVE_POLL_SECONDS:,.0f} open pages"
        )
    return (
        f"Live pages: an open page asks every {LIVE_POLL_SECONDS} s, {per_minute} requests a "
        "minute (none while its tab is hidden). " + "; ".join(parts) + "."
    )


def markdown(report: dict[str, Any]) -> str:
    m, run, data = report["machine"], report["run"], report["data"]
    gen = data.get("generation")
    generation = (
        f"generated in {gen['timings']['total_s']:.0f} s "
        f"(rows {gen['timings']['insert_s']:.0f} s, vocabulary {gen['timings']['vocabulary_s']:.0f} s, "
        f"vacuum/analyze {gen['timings']['vacuum_analyze_s']:.0f} s)"
        if gen
        else "reused from an earlier run"
    )
    by_language = ", ".join(
        f"{language} {count:,}"
        for language, count in sorted(data["translations_by_language"].items())
    )
    lines = [
        f"# Benchmark run {report['timestamp']}",
        "",
        f"- Machine: {m['cpu_model']}, {m['cores']} cores, {m['memory_gib']} GiB; "
        f"Python {m['python']}, Django {m['django']}, gunicorn {m['gunicorn']}, "
        f"PostgreSQL {m['postgresql']}; code at {m['git']}",
        f"- Command: `{run['command']}`",
        f"- Load: {run['concurrency']} closed-loop connections, {run['duration']} s per scenario "
        f"after {run['warmup']} s warm-up; gunicorn {run['workers']} sync workers; a Celery "
        "worker (concurrency 2) and Celery beat; load client, server, worker, beat and PostgreSQL share the machine",
        f"- Data: {data['entries']:,} entries in {data['topics']} topics, "
        f"{data['translations']:,} translations ({by_language}), "
        f"{data['vocabulary_words']:,} vocabulary words; {generation}",
        "",
        table(report["scenarios"]),
        "",
        "Latencies are milliseconds: client-side (connect to last byte) and server-side "
        "(`Server-Timing`, all middleware and the view). req/s counts 2xx answers. "
        "solo ms: median of 5 requests sent one at a time in-process before the load "
        "(the cost with no queueing); SQL cold / warm: queries of one request with nothing "
        "cached, then of the same request again, measured in-process. Each run starts with a "
        "new content version, so nothing cached by an earlier run is read.",
    ]
    loaded = [r for r in report["scenarios"] if r.get("load")]
    if loaded:
        lines += [
            "",
            "Server CPU per request (process time, p50 / p95 ms), the load client's own CPU "
            "(% of one core) and other work on the machine during the scenario (% of its CPU, "
            "not the desk's processes): "
            + "; ".join(
                f"{r['name']} {_ms(r['load']['server_cpu_ms']['p50'])} / "
                f"{_ms(r['load']['server_cpu_ms']['p95'])}, client "
                f"{r['load'].get('client_cpu_percent', '–')} %, other "
                f"{r['load'].get('other_work_percent', '–')} %"
                + (f" ({len(r['attempts'])} attempts)" if len(r.get("attempts", [])) > 1 else "")
                for r in loaded
            )
            + ".",
        ]
    live = [r for r in loaded if r["name"].startswith("live_")]
    if live:
        lines += ["", live_capacity(live, m.get("cores"))]
    notes = report.get("notes") or []
    if notes:
        lines += ["", "Notes:", "", *(f"- {note}" for note in notes)]
    return "\n".join(lines) + "\n"


def write(report: dict[str, Any], output: Path) -> tuple[Path, Path]:
    output.mkdir(parents=True, exist_ok=True)
    json_path = output / f"{report['timestamp']}.json"
    md_path = output / f"{report['timestamp']}.md"
    json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    text = markdown(report)
    md_path.write_text(text)
    (output / "LATEST.md").write_text(text)
    return json_path, md_path
