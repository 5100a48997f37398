"""Every scenario in the order a run takes them, the issue's targets, and picking by name."""

from __future__ import annotations

import random

from bench.scenarios.base import Context, Request, Scenario, Target, pool
from bench.scenarios.desk import (
    agent_home,
    agent_ticket,
    api_list,
    buyer_list,
    buyer_ticket,
    reports,
    take_next,
    take_next_prepare,
    ticket_api,
    ticket_form,
)
from bench.scenarios.helpcentre import answer_page, help_home, search, suggest, topic_page
from bench.scenarios.live import live


def _bare(context: Context, rng: random.Random) -> list[Request]:
    return [Request("/bench/bare")]


# Targets of the issue (server-side p95 unless said): help-centre pages 20 ms, search 25 ms,
# the agent's queue list and the API list 30 ms at 1,000,000 tickets; ticket creation
# through the API at least 40 % of the bare view's req/s with a p99 of 100 ms at
# concurrency 8; one open live page at most 1 ms of server time per check.
PAGE_TARGET_MS = 20.0
SEARCH_TARGET_MS = 25.0
LIST_TARGET_MS = 30.0
LIVE_CHECK_TARGET_MS = 1.0
PAGE = (Target("server_p95", PAGE_TARGET_MS, "server p95 ≤ 20 ms"),)
SEARCH = (Target("server_p95", SEARCH_TARGET_MS, "server p95 ≤ 25 ms"),)
LIST = (Target("server_p95", LIST_TARGET_MS, "server p95 ≤ 30 ms"),)
CREATE = (
    Target("ratio", 0.4, "≥ 40 % of bare req/s"),
    Target("client_p99", 100.0, "p99 ≤ 100 ms"),
)
LIVE = (Target("solo", LIVE_CHECK_TARGET_MS, "≤ 1 ms server time per check"),)

SCENARIOS: list[Scenario] = [
    Scenario("bare", "bare Django JSON view (the ceiling)", _bare),
    Scenario("help_home", "/help/ topics and most asked", pool(help_home), targets=PAGE),
    Scenario("topic_page", "/help/<topic>/ a topic's questions", topic_page, targets=PAGE),
    Scenario(
        "answer_page",
        "/help/<topic>/<entry>/ an answer (+ view task)",
        answer_page,
        targets=PAGE,
    ),
    Scenario(
        "search", "/help/search/?q= 1-3 words, 20 % typos", search("/help/search/"), targets=SEARCH
    ),
    Scenario("suggest", "/help/suggest/?q= a question's prefix", suggest, targets=PAGE),
    Scenario(
        "search_api",
        "/api/v1/faq/?q= the search API",
        search("/api/v1/faq/"),
        optional=True,
        targets=SEARCH,
    ),
    Scenario("buyer_list", "/help/requests/ a buyer's requests", buyer_list),
    Scenario(
        "buyer_ticket",
        "/help/requests/<id>/ a buyer's request page",
        buyer_ticket,
    ),
    Scenario(
        "agent_home",
        "/agent/ the agent's queue list: own tickets, queues, SLA watch",
        agent_home,
        targets=LIST,
    ),
    Scenario(
        "agent_ticket",
        "/agent/tickets/<id>/ a ticket of the agent's queues",
        agent_ticket,
    ),
    Scenario(
        "take_next",
        "POST /agent/take-next/ (302 to the ticket taken)",
        take_next,
        expect=(302,),
        prepare=take_next_prepare,
    ),
    Scenario(
        "api_list",
        "/api/v1/tickets/ all, by status, by queue, changed since",
        api_list,
        targets=LIST,
    ),
    Scenario(
        "live_check",
        "a buyer's open request page asks: nothing new (204)",
        live("buyer"),
        targets=LIVE,
    ),
    Scenario(
        "live_agent_check",
        "an agent's open ticket page asks: nothing new (204, viewer heartbeat)",
        live("agent"),
        targets=LIVE,
    ),
    Scenario(
        "live_changed",
        "a buyer's open request page asks: changed, region drawn again",
        live("stale"),
    ),
    Scenario(
        "ticket_form",
        "POST /help/requests/new/<entry>/email/ a signed-in buyer's contact form (302)",
        ticket_form,
        expect=(302,),
    ),
    Scenario(
        "ticket_api",
        "POST /api/v1/tickets/ JSON, a tickets:write key naming the buyer (201)",
        ticket_api,
        expect=(201,),
        targets=CREATE,
    ),
    Scenario(
        "reports",
        "/agent/reports/?from=&to= one month, as a supervisor",
        reports,
        optional=True,
    ),
]

# Not HTTP: the routing pipeline measured from the bench process (bench.routingbench).
ROUTING = "routing"


def by_name(names: list[str] | None) -> list[Scenario]:
    """Return the scenarios named (all when ``names`` is empty); bare always comes first."""
    if not names:
        return list(SCENARIOS)
    known = {scenario.name: scenario for scenario in SCENARIOS}
    names = [name for name in names if name != ROUTING]
    unknown = [name for name in names if name not in known]
    if unknown:
        raise SystemExit(
            f"bench: unknown scenario(s) {', '.join(unknown)}; known: {', '.join(known)}"
        )
    return [known["bare"], *(known[name] for name in names if name != "bare")]


def wants_routing(names: list[str] | None) -> bool:
    """Return whether the routing pipeline is among the scenarios asked for."""
    return not names or ROUTING in names
