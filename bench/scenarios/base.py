"""What every scenario is made of: its requests, the context they aim at, its targets."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.deskdata import DeskSample
from bench.faqdata import LANGUAGE_MIX, FaqSample

POOL_SIZE = 2_000


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    method: str = "GET"
    body: str | None = None


@dataclass(frozen=True)
class Context:
    """Everything scenarios may aim at."""

    faq: FaqSample
    # "Bearer <key>" of a bench API key with the read scopes, None when none could be made.
    api_authorization: str | None = None
    # Signed-in buyers, agents and a supervisor, their tickets, API keys; None: no desk data.
    desk: DeskSample | None = None


@dataclass(frozen=True)
class Target:
    """One limit of the issue: ``metric`` of the scenario's numbers at most (or least) ``limit``.

    Metrics: ``server_p95`` / ``client_p99`` (ms under load), ``solo`` (ms of one
    request with no queueing, in-process), ``cpu_mean`` (web-process CPU ms per
    request), ``ratio`` (req/s ÷ the bare view's, at least ``limit``).
    """

    metric: str
    limit: float
    label: str


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    build: Callable[[Context, random.Random], list[Request]]
    # Server-side p95 the scenario must stay under, in milliseconds (None: no target).
    target_p95_ms: float | None = None
    # Run only when its first request answers 200 (endpoints still being built).
    optional: bool = False
    # Statuses that count as success (empty: any 2xx): a form answers 302 to where it leads.
    expect: tuple[int, ...] = ()
    # Called before each attempt (e.g. put back what an earlier attempt used up).
    prepare: Callable[[], None] | None = None
    targets: tuple[Target, ...] = ()


def pick_language(rng: random.Random) -> str:
    return rng.choices(list(LANGUAGE_MIX), weights=list(LANGUAGE_MIX.values()))[0]


def pool(make: Callable[[random.Random], Request]) -> Callable[[Context, random.Random], list]:
    def build(context: Context, rng: random.Random) -> list[Request]:
        return [make(rng) for _ in range(POOL_SIZE)]

    return build
