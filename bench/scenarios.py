"""What the load client asks for: one ``Scenario`` per kind of request.

A scenario builds a pool of concrete requests from a ``Context`` (samples of
real rows); the load client picks from the pool at random. To add scenarios
(tickets, the agent workspace, …): add a sample to ``Context`` and
``Scenario`` objects to ``SCENARIOS``.
"""

from __future__ import annotations

import functools
import random
import re
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


# --- Live pages: what one open ticket page costs while it waits -------------

# Open request pages the load client plays (buyers with a waiting chat each).
LIVE_PAGES = 40
LIVE_PREFIX = "bench-live"
# How often an open page asks (tickets.live.POLL_SECONDS; the templates say 3 s).
LIVE_POLL_SECONDS = 3


@dataclass(frozen=True)
class LivePages:
    """The checks of open pages, each with the version its page holds and its session."""

    buyer: list[Request]
    agent: list[Request]


def _live_check(page: str, region: str) -> str:
    import html
    import re

    match = re.search(rf'id="{region}"[^>]*hx-get="([^"]+)"', page)
    if match is None:
        raise SystemExit(f"bench: the page has no live region {region!r}")
    return html.unescape(match.group(1))


@functools.cache
def live_pages() -> LivePages:
    """Open (once per bench database) waiting chats of bench buyers; log them and an agent in.

    Each check is the URL the page itself asks, read from the page as a
    browser gets it. The bench queue has no SLA policy and its agent stays
    offline, so nothing changes the tickets while the load runs.
    """
    from datetime import date
    from decimal import Decimal

    from django.test import Client
    from django.utils import timezone

    from accounts.models import Role, User
    from accounts.services import user_create
    from faq.models import Topic
    from tickets.models import Channel, Ticket
    from tickets.services.config import agent_configure, queue_upsert
    from tickets.services.opening import TicketRequest, ticket_open
    from tickets.services.routing import ticket_route
    from tickets.status import OPEN_STATUSES

    now = timezone.now()
    topic = Topic.objects.order_by("pk").first()
    if topic is None:
        raise SystemExit("bench: no topic to open tickets in")
    queue = queue_upsert(
        slug=LIVE_PREFIX, name="Bench live pages", language="en", topics=[topic], sort_order=0
    )

    def person(username: str, role: Role) -> User:
        found = User.objects.filter(username=username).first()
        return found or user_create(username=username, password=None, role=role)

    agent = person(f"{LIVE_PREFIX}-agent", Role.AGENT)
    agent_configure(agent=agent, queues=[queue], languages=["en"], capacity=1)
    buyers, agents = [], []
    agent_client = Client(HTTP_HOST="127.0.0.1")
    agent_client.force_login(agent)
    agent_cookie = f"sessionid={agent_client.cookies['sessionid'].value}"
    for number in range(LIVE_PAGES):
        buyer = person(f"{LIVE_PREFIX}-{number}", Role.BUYER)
        ticket = Ticket.objects.filter(buyer=buyer, status__in=OPEN_STATUSES).first()
        if ticket is None:
            request = TicketRequest(
                subject=f"Bench chat {number}",
                description="Waiting for an agent.",
                language="en",
                channel=Channel.CHAT,
                order_number=f"MP-{number:06d}",
                transaction_id=f"TX-{number}",
                amount=Decimal("10.00"),
                product="Kettle",
                purchase_date=date(2026, 1, 1),
            )
            ticket = ticket_open(buyer=buyer, topic=topic, request=request, now=now)
            ticket_route(ticket_id=ticket.pk, now=now)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(buyer)
        headers = {
            "Cookie": f"sessionid={client.cookies['sessionid'].value}",
            "HX-Request": "true",
            "Accept-Language": "en",
        }
        page = client.get(f"/help/requests/{ticket.pk}/").content.decode()
        buyers.append(Request(_live_check(page, "request-live"), headers))
        page = agent_client.get(f"/agent/tickets/{ticket.pk}/").content.decode()
        agents.append(
            Request(_live_check(page, "ticket-live"), {**headers, "Cookie": agent_cookie})
        )
    return LivePages(buyer=buyers, agent=agents)


def _live(kind: str) -> Callable[[Context, random.Random], list[Request]]:
    def build(context: Context, rng: random.Random) -> list[Request]:
        pages = live_pages()
        if kind == "buyer":
            return [rng.choice(pages.buyer) for _ in range(POOL_SIZE)]
        if kind == "agent":
            return [rng.choice(pages.agent) for _ in range(POOL_SIZE)]
        # A version the server never has: every check draws the region again.
        return [
            Request(re.sub(r"\?v=[^&]*", "?v=stale", request.path), request.headers)
            for request in (rng.choice(pages.buyer) for _ in range(POOL_SIZE))
        ]

    return build


# Targets of the issue: help-centre pages p95 <= 20 ms, search p95 <= 25 ms (server-side).
PAGE_TARGET_MS = 20.0
SEARCH_TARGET_MS = 25.0
# A check with nothing new must stay near the bare view: hundreds of pages ask.
LIVE_CHECK_TARGET_MS = 5.0

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
    Scenario(
        "live_check",
        "a buyer's open request page asks: nothing new (204)",
        _live("buyer"),
        LIVE_CHECK_TARGET_MS,
    ),
    Scenario(
        "live_agent_check",
        "an agent's open ticket page asks: nothing new (204, viewer heartbeat)",
        _live("agent"),
        LIVE_CHECK_TARGET_MS,
    ),
    Scenario(
        "live_changed",
        "a buyer's open request page asks: changed, region drawn again",
        _live("stale"),
        PAGE_TARGET_MS,
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
