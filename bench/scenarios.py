"""What the load client asks for: one ``Scenario`` per kind of request.

A scenario builds a pool of concrete requests from a ``Context`` (samples of
real rows); the load client picks from the pool at random. To add scenarios
(tickets, the agent workspace, …): add a sample to ``Context`` and
``Scenario`` objects to ``SCENARIOS``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from bench.faqdata import LANGUAGE_MIX, FaqSample

POOL_SIZE = 2_000
TYPO_RATE = 0.2


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Context:
    """Everything scenarios may aim at; later samples (tickets, agents) go here."""

    faq: FaqSample
    # "Bearer <key>" of a bench API key with the read scopes, None when none could be made.
    api_authorization: str | None = None


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    build: Callable[[Context, random.Random], list[Request]]
    # Server-side p95 the scenario must stay under, in milliseconds (None: no target).
    target_p95_ms: float | None = None
    # Run only when its first request answers 200 (endpoints still being built).
    optional: bool = False


def _language(rng: random.Random) -> str:
    return rng.choices(list(LANGUAGE_MIX), weights=list(LANGUAGE_MIX.values()))[0]


def _as(language: str) -> dict[str, str]:
    return {"Accept-Language": language}


def _pool(make: Callable[[random.Random], Request]) -> Callable[[Context, random.Random], list]:
    def build(context: Context, rng: random.Random) -> list[Request]:
        return [make(rng) for _ in range(POOL_SIZE)]

    return build


def typo(word: str, rng: random.Random) -> str:
    """Return ``word`` with one slip of the finger: a letter dropped, doubled or swapped."""
    if len(word) < 5:
        return word
    at = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:at] + word[at + 1 :]
    if kind == 1:
        return word[:at] + word[at] + word[at:]
    return word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]


def search_query(sample: FaqSample, language: str, rng: random.Random) -> str:
    """Return 1-3 words the help centre holds (a brand now and then), sometimes with a typo."""
    words = []
    for _ in range(rng.choice((1, 2, 2, 3))):
        if rng.random() < 0.3:
            words.append(rng.choice(sample.brands).lower())
        else:
            words.append(rng.choice(sample.vocabulary[language]))
    if rng.random() < TYPO_RATE:
        at = rng.randrange(len(words))
        words[at] = typo(words[at], rng)
    return " ".join(words)


def suggest_prefix(question: str, rng: random.Random) -> str:
    """Return what a buyer has typed so far of ``question``: 40-90 % of it, maybe mid-word."""
    cut = max(3, int(len(question) * rng.uniform(0.4, 0.9)))
    return question[:cut].rstrip(" ?;:,")


def _bare(context: Context, rng: random.Random) -> list[Request]:
    return [Request("/bench/bare")]


def _help_home(rng: random.Random) -> Request:
    return Request("/help/", _as(_language(rng)))


def _topic_page(context: Context, rng: random.Random) -> list[Request]:
    topics = context.faq.topics
    return [Request(f"/help/{rng.choice(topics)}/", _as(_language(rng))) for _ in range(POOL_SIZE)]


def _answer_page(context: Context, rng: random.Random) -> list[Request]:
    entries = context.faq.entries
    return [
        Request(f"/help/{topic}/{entry}/", _as(_language(rng)))
        for topic, entry in (rng.choice(entries) for _ in range(POOL_SIZE))
    ]


def _search(path: str) -> Callable[[Context, random.Random], list[Request]]:
    def build(context: Context, rng: random.Random) -> list[Request]:
        requests = []
        for _ in range(POOL_SIZE):
            language = _language(rng)
            query = search_query(context.faq, language, rng)
            headers = _as(language)
            if path.startswith("/api/") and context.api_authorization:
                headers["Authorization"] = context.api_authorization
            requests.append(Request(f"{path}?q={quote(query)}", headers))
        return requests

    return build


def _suggest(context: Context, rng: random.Random) -> list[Request]:
    requests = []
    for _ in range(POOL_SIZE):
        language = _language(rng)
        prefix = suggest_prefix(rng.choice(context.faq.questions[language]), rng)
        requests.append(Request(f"/help/suggest/?q={quote(prefix)}", _as(language)))
    return requests


# Targets of the issue: help-centre pages p95 <= 20 ms, search p95 <= 25 ms (server-side).
PAGE_TARGET_MS = 20.0
SEARCH_TARGET_MS = 25.0

SCENARIOS: list[Scenario] = [
    Scenario("bare", "bare Django JSON view (the ceiling)", _bare),
    Scenario("help_home", "/help/ topics and most asked", _pool(_help_home), PAGE_TARGET_MS),
    Scenario("topic_page", "/help/<topic>/ a topic's questions", _topic_page, PAGE_TARGET_MS),
    Scenario(
        "answer_page",
        "/help/<topic>/<entry>/ an answer (+ view task)",
        _answer_page,
        PAGE_TARGET_MS,
    ),
    Scenario(
        "search",
        "/help/search/?q= 1-3 words, 20 % typos",
        _search("/help/search/"),
        SEARCH_TARGET_MS,
    ),
    Scenario("suggest", "/help/suggest/?q= a question's prefix", _suggest, PAGE_TARGET_MS),
    Scenario(
        "search_api",
        "/api/v1/faq/?q= the search API",
        _search("/api/v1/faq/"),
        SEARCH_TARGET_MS,
        optional=True,
    ),
]


def by_name(names: list[str] | None) -> list[Scenario]:
    """Return the scenarios named (all when ``names`` is empty); bare always comes first."""
    if not names:
        return list(SCENARIOS)
    known = {scenario.name: scenario for scenario in SCENARIOS}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise SystemExit(
            f"bench: unknown scenario(s) {', '.join(unknown)}; known: {', '.join(known)}"
        )
    return [known["bare"], *(known[name] for name in names if name != "bare")]
