"""The machine a run happened on, and its results as JSON and as a Markdown table."""

from __future__ import annotations

import json
import platform
import re
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
            # Files git does not track (a virtualenv link, earlier reports) are not the code.
            ["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
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


# Limits of the issue that are not one scenario's.
RSS_TARGET_MIB = 150.0
ROUTING_P95_TARGET_MS = 150.0
ROUTING_RATE_TARGET = 200.0  # tickets a second per worker process


def metric(result: dict[str, Any], name: str) -> float | None:
    """Return a scenario's number a target is about (see bench.scenarios.Target)."""
    load = result.get("load") or {}
    if name == "server_p95":
        return (load.get("server_ms") or {}).get("p95")
    if name == "client_p99":
        return (load.get("latency_ms") or {}).get("p99")
    if name == "cpu_mean":
        return (load.get("server_cpu_ms") or {}).get("mean")
    if name == "solo":
        return (result.get("solo") or {}).get("median_ms")
    if name == "ratio":
        return result.get("ratio_throughput")
    raise ValueError(f"unknown metric {name!r}")


def _check(label: str, value: float | None, limit: float, *, at_least: bool = False) -> dict:
    if value is None:
        return {"target": label, "value": None, "met": False, "gap": "no data"}
    met = value >= limit if at_least else value <= limit
    if met:
        gap = ""
    elif at_least:
        gap = f"{value:.2f} < {limit:g} ({value / limit:.0%} of it)"
    else:
        gap = f"{value:.1f} > {limit:g} ({value / limit:.1f}×)"
    return {"target": label, "value": value, "met": met, "gap": gap}


def checks(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Check a scenario against its targets; errors fail every one."""
    found = []
    load = result.get("load") or {}
    for target in result.get("targets", []):
        value = metric(result, target["metric"])
        check = _check(
            target["label"], value, target["limit"], at_least=target["metric"] == "ratio"
        )
        if load.get("errors"):
            check["met"] = False
            check["gap"] = (
                check["gap"] + "; " if check["gap"] else ""
            ) + f"{load['errors']} errors"
        found.append(check)
    return found


def verdict(result: dict[str, Any]) -> str:
    if not result.get("load") or not result.get("targets"):
        return "–"
    return "; ".join(
        f"{c['target']}: ok" if c["met"] else f"{c['target']}: **not met** ({c['gap']})"
        for c in checks(result)
    )


def targets(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target of the issue with what this run measured: met, or the gap."""
    rows = []
    for result in report["scenarios"]:
        if result.get("load"):
            rows += [{"scenario": result["name"], **c} for c in checks(result)]
    rss = (report.get("memory") or {}).get("web_worker_rss_mb") or []
    rows.append(
        {
            "scenario": "web workers",
            **_check("RSS ≤ 150 MB after the run", max(rss, default=None), RSS_TARGET_MIB),
        }
    )
    routing = report.get("routing")
    if routing:
        p95 = routing["latency"]["observed_ms"]["p95"]
        rows.append(
            {
                "scenario": "routing",
                **_check("commit to assignment p95 ≤ 150 ms", p95, ROUTING_P95_TARGET_MS),
            }
        )
        for row in routing["throughput"]:
            rows.append(
                {
                    "scenario": "routing",
                    **_check(
                        f"≥ 200 tickets/s per worker process ({row['processes']} processes)",
                        row["per_process_per_s"],
                        ROUTING_RATE_TARGET,
                        at_least=True,
                    ),
                }
            )
    return rows


HEADER = (
    "| scenario | requests | errors | req/s | ÷ bare req/s | p50 ms | p95 ms | p99 ms "
    "| server p50 | server p95 | server p99 | bare p50 ÷ p50 | solo ms | SQL cold / warm "
    "| targets |"
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
        *desk_lines(data),
        "",
        table(report["scenarios"]),
        "",
        "Latencies are milliseconds: client-side (connect to last byte) and server-side "
        "(`Server-Timing`, all middleware and the view). req/s counts successful answers "
        "(2xx; 302 for a form and take-next, 201 for the API's creation). "
        "solo ms: median of 5 to 25 requests (as many as a second allows) sent one at a time in-process before the load "
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
    lines += routing_lines(report.get("routing"))
    rss = (report.get("memory") or {}).get("web_worker_rss_mb")
    if rss:
        lines += [
            "",
            f"Web worker memory after the load (VmRSS of each gunicorn worker): {', '.join(f'{v:g}' for v in rss)} MB.",
        ]
    lines += ["", "## Targets", "", *target_table(targets(report))]
    notes = report.get("notes") or []
    if notes:
        lines += ["", "Notes:", "", *(f"- {note}" for note in notes)]
    return "\n".join(lines) + "\n"


def desk_lines(data: dict[str, Any]) -> list[str]:
    desk = data.get("desk")
    if not desk:
        return []
    gen = data.get("desk_generation")
    how = (
        f"generated in {gen['timings']['total_s']:.0f} s (people and queues "
        f"{gen['timings']['people_s']:.0f} s, rows {gen['timings']['copy_s']:.0f} s, indexes "
        f"{gen['timings']['indexes_s']:.0f} s, vacuum/analyze {gen['timings']['vacuum_analyze_s']:.0f} s)"
        if gen
        else "reused from an earlier run"
    )
    statuses = ", ".join(
        f"{status} {count:,}" for status, count in sorted(desk["by_status"].items())
    )
    people = ", ".join(f"{role} {count:,}" for role, count in sorted(desk["people"].items()))
    presence = ", ".join(
        f"{presence} {count}" for presence, count in sorted(desk["agents_by_presence"].items())
    )
    return [
        f"- Desk: {desk['ticket']:,} tickets ({statuses}), {desk['message']:,} messages, "
        f"{desk['ticketevent']:,} events, {desk['rating']:,} ratings ({desk['tickets_tables_size']}); "
        f"{desk['queues']} queues; people: {people}; agent profiles: {presence}; {how}"
    ]


def routing_lines(routing: dict[str, Any] | None) -> list[str]:
    if not routing:
        return []
    latency = routing["latency"]
    observed, recorded = latency["observed_ms"], latency["recorded_ms"]
    lines = [
        "",
        "## Routing pipeline",
        "",
        f"Commit to assignment, {latency['tickets']:,} tickets opened through the service at "
        f"{latency['rate_per_s']:g}/s with the desk's worker (concurrency 2), "
        f"{latency['assigned']:,} assigned: p50 {_ms(observed['p50'])} ms, p95 "
        f"{_ms(observed['p95'])} ms, p99 {_ms(observed['p99'])} ms, max {_ms(observed['max'])} ms "
        f"(seen by polling every {latency['poll_ms']:g} ms; the tickets' own assigned_at − "
        f"created_at: p50 {_ms(recorded['p50'])}, p95 {_ms(recorded['p95'])}, p99 "
        f"{_ms(recorded['p99'])} ms).",
        "",
        "| worker processes | tickets | routed | assigned | span s | tickets/s | per process |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in routing["throughput"]:
        lines.append(
            f"| {row['processes']} | {row['batch']:,} | {row['routed']:,} | {row['assigned']:,} "
            f"| {row['span_s']:.2f} | {row['tickets_per_s'] or '–'} | {row['per_process_per_s'] or '–'} |"
        )
    lines += [
        "",
        f"Other work on the machine during the routing measurements: "
        f"{routing.get('other_work_percent', '–')} % of its CPU.",
    ]
    return lines


def target_table(rows: list[dict[str, Any]]) -> list[str]:
    lines = ["| scenario | target | measured | met |", "|---|---|---|---|"]
    for row in rows:
        value = row["value"]
        shown = "–" if value is None else f"{value:.2f}" if value < 10 else f"{value:.1f}"
        lines.append(
            f"| {row['scenario']} | {row['target']} | {shown} | "
            + ("yes" if row["met"] else f"**no**: {row['gap']}")
            + " |"
        )
    return lines


# Credentials of the bench database's people and keys: never written to a report.
_SECRET_HEADERS = {"authorization", "cookie", "x-csrftoken"}


def redact(value: Any) -> Any:
    """Return ``value`` with the values of credential headers replaced, at any depth."""
    if isinstance(value, dict):
        return {
            key: "<redacted>" if str(key).lower() in _SECRET_HEADERS else redact(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact(item) for item in value]
    if isinstance(value, str):
        value = re.sub(r"csrfmiddlewaretoken=[^&]*", "csrfmiddlewaretoken=<redacted>", value)
        # The session store's read names the column with or without quotes.
        return re.sub(r"(\"?session_key\"? = )'[^']*'", r"\1'<redacted>'", value)
    return value


def write(report: dict[str, Any], output: Path) -> tuple[Path, Path]:
    output.mkdir(parents=True, exist_ok=True)
    json_path = output / f"{report['timestamp']}.json"
    md_path = output / f"{report['timestamp']}.md"
    report["targets"] = targets(report)
    json_path.write_text(json.dumps(redact(report), indent=2, ensure_ascii=False) + "\n")
    text = markdown(report)
    md_path.write_text(text)
    (output / "LATEST.md").write_text(text)
    return json_path, md_path
