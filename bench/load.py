"""Closed-loop HTTP load against 127.0.0.1, in its own process: ``python -m bench.load SPEC OUT``.

Standard library only (asyncio streams; neither httpx nor aiohttp is in the
venv). ``concurrency`` connections each send a request, wait for the whole
response, and send the next, first for ``warmup`` seconds (not measured),
then for ``duration`` seconds. Every request has a timeout and the run has a
request cap, so it always ends by itself.

SPEC is JSON: host, port, duration, warmup, concurrency, timeout,
max_requests, seed, expect (the statuses that count as success; empty: any
2xx), requests ([[method, path, {header: value}, body or null], ...]; each
request carries its own cookies and CSRF token in its headers). OUT gets the
JSON summary: counts, throughput, client latency and the server's own time
(from the ``Server-Timing`` header set by ``bench.middleware``).
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import json
import random
import re
import sys
import time
from array import array
from dataclasses import dataclass, field
from typing import Any

SLOWEST_KEPT = 10
_SERVER_TIMING = re.compile(r"(\w+);dur=([0-9.]+)")
_NUMBER = re.compile(r"\d+")
ALLOWED_HOSTS = {"127.0.0.1", "localhost", "::1"}


class ProtocolError(Exception):
    pass


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    size: int


class Connection:
    """One HTTP/1.1 connection, reopened when the server closes it (gunicorn's sync workers do)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def send(
        self, method: str, path: str, headers: dict[str, str], body: bytes | None
    ) -> Response:
        reused = self.writer is not None
        try:
            return await self._send(method, path, headers, body)
        except (asyncio.IncompleteReadError, ConnectionResetError, BrokenPipeError):
            await self.close()
            if not reused:
                raise
            # The kept-alive connection had gone stale before the server read anything.
            return await self._send(method, path, headers, body)

    async def _send(
        self, method: str, path: str, headers: dict[str, str], body: bytes | None
    ) -> Response:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "User-Agent: support-desk-bench",
            "Accept: text/html,application/json;q=0.9",
            "Accept-Encoding: identity",
            *(f"{name}: {value}" for name, value in headers.items()),
        ]
        if body is not None:
            lines.append(f"Content-Length: {len(body)}")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.writer.write(head + body if body is not None else head)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/"):
            raise ProtocolError(f"bad status line {status_line!r}")
        status = int(parts[1])
        response_headers: dict[str, str] = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                response_headers[name.strip().lower()] = value.strip()
        size = await self._body(response_headers)
        if (
            response_headers.get("connection", "").lower() == "close"
            or parts[0] == "HTTP/1.0"
            or (
                "content-length" not in response_headers
                and "chunked" not in response_headers.get("transfer-encoding", "")
            )
        ):
            await self.close()
        return Response(status, response_headers, size)

    async def _body(self, headers: dict[str, str]) -> int:
        assert self.reader is not None
        if "chunked" in headers.get("transfer-encoding", "").lower():
            size = 0
            while True:
                length = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if length == 0:
                    await self.reader.readuntil(b"\r\n")
                    return size
                size += len(await self.reader.readexactly(length + 2)) - 2
        if "content-length" in headers:
            return len(await self.reader.readexactly(int(headers["content-length"])))
        return len(await self.reader.read())


@dataclass
class Tally:
    latency_ms: array = field(default_factory=lambda: array("d"))
    server_ms: array = field(default_factory=lambda: array("d"))
    server_cpu_ms: array = field(default_factory=lambda: array("d"))
    ok: int = 0
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    bytes: int = 0
    last_finish: float = 0.0
    slowest: list[tuple[float, float, str]] = field(default_factory=list)  # min-heap
    locations: dict[str, int] = field(default_factory=dict)  # where successful redirects went

    def keep_if_slow(self, server_ms: float, client_ms: float, path: str) -> None:
        if len(self.slowest) < SLOWEST_KEPT:
            heapq.heappush(self.slowest, (server_ms, client_ms, path))
        elif server_ms > self.slowest[0][0]:
            heapq.heapreplace(self.slowest, (server_ms, client_ms, path))

    def error(self, what: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(what)


def percentiles(values: array | list[float]) -> dict[str, float | None]:
    """Return p50/p95/p99 (nearest rank), mean and max, rounded to microseconds."""
    if not values:
        return {"p50": None, "p95": None, "p99": None, "mean": None, "max": None}
    ordered = sorted(values)

    def rank(q: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]

    return {
        "p50": round(rank(0.50), 3),
        "p95": round(rank(0.95), 3),
        "p99": round(rank(0.99), 3),
        "mean": round(sum(ordered) / len(ordered), 3),
        "max": round(ordered[-1], 3),
    }


async def _client(spec: dict[str, Any], tally: Tally, clock: dict[str, float], seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 (request mix, not secrets)
    requests = [
        (method, path, headers, None if body is None else body.encode())
        for method, path, headers, body in spec["requests"]
    ]
    expect = set(spec.get("expect") or ())
    connection = Connection(spec["host"], spec["port"])
    try:
        while True:
            started = time.perf_counter()
            if started >= clock["end"] or tally.ok + tally.errors >= spec["max_requests"]:
                return
            measured = started >= clock["start"]
            method, path, headers, body = rng.choice(requests)
            try:
                response = await asyncio.wait_for(
                    connection.send(method, path, headers, body), timeout=spec["timeout"]
                )
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ProtocolError) as exc:
                await connection.close()
                if measured:
                    tally.error(f"{type(exc).__name__}: {exc} on {path}")
                    tally.statuses["exception"] = tally.statuses.get("exception", 0) + 1
                    tally.last_finish = time.perf_counter()
                continue
            finished = time.perf_counter()
            if not measured:
                continue
            tally.last_finish = finished
            client_ms = (finished - started) * 1000
            tally.latency_ms.append(client_ms)
            tally.bytes += response.size
            key = str(response.status)
            tally.statuses[key] = tally.statuses.get(key, 0) + 1
            if response.status in expect or (not expect and 200 <= response.status < 300):
                tally.ok += 1
                location = response.headers.get("location")
                if location is not None:  # by shape: /agent/tickets/<n>/ counts as one
                    shape = _NUMBER.sub("<n>", location)
                    tally.locations[shape] = tally.locations.get(shape, 0) + 1
            else:
                tally.error(f"HTTP {response.status} on {path}")
            timing = dict(_SERVER_TIMING.findall(response.headers.get("server-timing", "")))
            if "app" in timing:
                tally.server_ms.append(float(timing["app"]))
                tally.keep_if_slow(float(timing["app"]), client_ms, path)
            if "cpu" in timing:
                tally.server_cpu_ms.append(float(timing["cpu"]))
    finally:
        await connection.close()


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    """Run the load described by ``spec`` and return its summary."""
    if spec["host"] not in ALLOWED_HOSTS:
        raise SystemExit(f"bench.load: refusing to load {spec['host']!r}; 127.0.0.1 only")
    now = time.perf_counter()
    cpu_started = time.process_time()
    clock = {"start": now + spec["warmup"], "end": now + spec["warmup"] + spec["duration"]}
    tally = Tally()
    clients = [
        _client(spec, tally, clock, seed=spec["seed"] * 1000 + number)
        for number in range(spec["concurrency"])
    ]
    await asyncio.gather(*clients)
    # How much of one core the client itself took (it shares the machine with the server).
    client_cpu_percent = 100 * (time.process_time() - cpu_started) / (time.perf_counter() - now)
    requests = tally.ok + tally.errors
    elapsed = max(1e-9, (tally.last_finish or clock["end"]) - clock["start"])
    return {
        "requests": requests,
        "ok": tally.ok,
        "errors": tally.errors,
        "statuses": tally.statuses,
        "error_samples": tally.error_samples,
        "elapsed_s": round(elapsed, 3),
        "throughput_rps": round(tally.ok / elapsed, 1),
        "bytes_per_response": round(tally.bytes / requests) if requests else 0,
        "latency_ms": percentiles(tally.latency_ms),
        "server_ms": percentiles(tally.server_ms),
        "server_cpu_ms": percentiles(tally.server_cpu_ms),
        "server_timed": len(tally.server_ms),
        "client_cpu_percent": round(client_cpu_percent, 1),
        "redirects": dict(sorted(tally.locations.items(), key=lambda item: -item[1])[:20]),
        "slowest": [
            {"server_ms": round(server, 3), "client_ms": round(client, 3), "path": path}
            for server, client, path in sorted(tally.slowest, reverse=True)
        ],
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m bench.load SPEC.json OUT.json", file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as file:
        spec = json.load(file)
    result = asyncio.run(run(spec))
    with open(argv[1], "w", encoding="utf-8") as file:
        json.dump(result, file, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
