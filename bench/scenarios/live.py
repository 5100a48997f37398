"""Live pages: what one open ticket page costs while it waits."""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from bench.scenarios.base import POOL_SIZE, Context, Request

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
    browser gets it. The tickets are in a topic and queue of their own; the
    queue has no SLA policy and its agent stays offline, so nothing changes
    the tickets while the load runs.
    """
    from datetime import date
    from decimal import Decimal

    from django.test import Client
    from django.utils import timezone

    from accounts.models import Role, User
    from accounts.services import user_create
    from bench.deskdata import hidden_topic
    from tickets.models import Channel, Ticket
    from tickets.services.assistant import ticket_assistant_reply
    from tickets.services.config import agent_configure, queue_upsert
    from tickets.services.opening import TicketRequest, ticket_open
    from tickets.services.routing import ticket_route
    from tickets.status import OPEN_STATUSES

    now = timezone.now()
    topic = hidden_topic(LIVE_PREFIX, "Bench live pages")
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
    opened = []
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
            # What the desk's worker does for every new ticket, done here so
            # the page is drawn as it stays: a reply posted later by the
            # worker would make every version the load sends stale.
            ticket_route(ticket_id=ticket.pk, now=now)
            ticket_assistant_reply(ticket_id=ticket.pk, now=now)
        opened.append((buyer, ticket))
    # Drawn once every chat is open: a chat opened later can take a place
    # ahead in the queue, which the buyer's page shows.
    for buyer, ticket in opened:
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
    _check_unchanged(buyers + agents)
    return LivePages(buyer=buyers, agent=agents)


def _check_unchanged(checks: list[Request]) -> None:
    """Refuse to measure "nothing new" checks that would draw their region again."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for check in checks:
        extra = {
            "HTTP_" + name.upper().replace("-", "_"): value
            for name, value in check.headers.items()
            if name != "Cookie"
        }
        client.cookies.load(check.headers["Cookie"])
        status = client.get(check.path, **extra).status_code
        if status != 204:
            raise SystemExit(f"bench: the live check {check.path} answers {status}, not 204")


def live(kind: str) -> Callable[[Context, random.Random], list[Request]]:
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
