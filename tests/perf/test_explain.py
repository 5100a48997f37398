"""No query of the workspace or the API reads the tickets, messages or cases tables end to end.

PostgreSQL only. Each scenario makes the real request (a page, a live check,
take-next, an API list with a filter...) and captures the SQL it sent. Every
captured SELECT that reads a large-growing table is explained again with
``enable_seqscan`` off: the planner then picks a sequential scan only when no
index can serve the query, which at a million tickets means reading them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from tests.conftest import require_service
from tests.perf.test_query_counts import KEY, LOCAL_CACHE, SELLER_KEY, world_ids
from tests.perf.world import World, build_world, grow_world

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# Elsewhere every test skips: no test database is made for them.
pytestmark = [pytest.mark.django_db] if ON_POSTGRES else []

# The tables that grow with the marketplace: a scan of any of them is a scan of millions.
LARGE_TABLES = (
    "tickets_ticket",
    "tickets_message",
    "tickets_attachment",
    "tickets_ticketevent",
    "disputes_dispute",
    "disputes_warrantyclaim",
    "disputes_evidence",
    "disputes_disputeevent",
    "disputes_claimevent",
)
_TABLES = "|".join(LARGE_TABLES)
# Quoted by the ORM, bare in the statements written out (the live checks).
_READS = re.compile(rf"\b({_TABLES})\b")
_SCANS = re.compile(rf"Seq Scan on ({_TABLES})\b")


@dataclass(frozen=True)
class Scenario:
    """One request as a user or an integrator makes it; ``follow`` pages on through ``next``."""

    key: str
    who: str
    path: str
    method: str = "GET"
    follow: bool = False

    def url(self, world: World) -> str:
        return self.path.format(**world_ids(world))


def _api_list(path: str, who: tuple[str, ...], *queries: str) -> list[Scenario]:
    return [
        Scenario(f"GET {path}{query} as {person}", person, f"{path}{query}")
        for person in who
        for query in ("", *queries)
    ]


SCENARIOS = [
    Scenario("agent home (queue list, SLA watch, own tickets)", "agent", "/agent/"),
    Scenario("agent home (supervisor)", "supervisor", "/agent/"),
    Scenario("agent home live check", "agent", "/agent/live/"),
    Scenario("agent ticket page", "agent", "/agent/tickets/{thread}/"),
    Scenario("agent ticket page of a dispute", "agent", "/agent/tickets/{dispute_ticket}/"),
    Scenario("agent ticket live check", "agent", "/agent/tickets/{thread}/live/"),
    Scenario("agent take-next", "agent", "/agent/take-next/", method="POST"),
    Scenario("API take-next", "agent", "/api/v1/tickets/take-next/", method="POST"),
    Scenario("agent board", "supervisor", "/agent/board/"),
    Scenario("buyer's request list", "buyer", "/help/requests/"),
    Scenario("buyer's ticket page", "buyer", "/help/requests/{thread}/"),
    Scenario("buyer's ticket live check", "buyer", "/help/requests/{thread}/live/"),
    Scenario("buyer's disputes and claims", "buyer", "/help/disputes/"),
    Scenario("buyer's dispute page", "buyer", "/help/disputes/{dispute}/"),
    Scenario("seller home", "seller", "/seller/"),
    Scenario("seller's dispute page", "seller", "/seller/disputes/{dispute}/"),
    *_api_list(
        "/api/v1/tickets/",
        (KEY, "agent", "buyer"),
        "?status=queued",
        "?status=assigned",
        "?status=closed",
        "?topic={topic}",
        "?queue={queue}",
        "?buyer={buyer}",
        "?updated_since={since}",
    ),
    Scenario(
        "API ticket sync, followed page by page",
        KEY,
        "/api/v1/tickets/?updated_since={since}&page_size=2",
        follow=True,
    ),
    Scenario(
        "API ticket list, followed page by page", KEY, "/api/v1/tickets/?page_size=2", follow=True
    ),
    Scenario("API ticket (its messages)", KEY, "/api/v1/tickets/{thread}/"),
    Scenario("API ticket (its messages) as agent", "agent", "/api/v1/tickets/{thread}/"),
    Scenario("API ticket events", KEY, "/api/v1/tickets/{thread}/events/"),
    *_api_list(
        "/api/v1/disputes/",
        (KEY, SELLER_KEY, "buyer"),
        "?status=escalated",
        "?status=resolved",
        "?order={number}",
        "?updated_since={since}",
    ),
    Scenario(
        "API dispute sync, followed page by page",
        KEY,
        "/api/v1/disputes/?updated_since={since}&page_size=2",
        follow=True,
    ),
    Scenario("API dispute (evidence, events)", KEY, "/api/v1/disputes/{dispute}/"),
    *_api_list(
        "/api/v1/warranty-claims/",
        (KEY, SELLER_KEY, "buyer"),
        "?status=escalated",
        "?status=cancelled",
        "?order={number}",
        "?updated_since={since}",
    ),
    Scenario("API claim (evidence, events)", KEY, "/api/v1/warranty-claims/{claim}/"),
]


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Build a desk with a few of everything once; each test's changes roll back after it."""
    # Before building anything: the ``postgres`` fixture of each test comes too late.
    if not ON_POSTGRES:
        require_service("database", None)
    local = override_settings(CACHES=LOCAL_CACHE, DESK_WEBHOOKS_ALLOW_PRIVATE=True)
    with django_db_blocker.unblock(), local, transaction.atomic():
        built = build_world()
        grow_world(built, more=6)
        yield built
        transaction.set_rollback(True)


def _client(world: World, who: str) -> Client:
    if who == KEY:
        return Client(HTTP_AUTHORIZATION=f"Bearer {world.raw_all}")
    if who == SELLER_KEY:
        return Client(HTTP_AUTHORIZATION=f"Bearer {world.raw_seller}")
    client = Client()
    client.force_login(getattr(world, who))
    return client


def _requests(client: Client, scenario: Scenario, world: World) -> Iterator[Any]:
    """Make the scenario's request(s), yielding each response."""
    url = scenario.url(world)
    if scenario.method == "POST":
        response = client.post(url, {}, content_type="application/json")
    else:
        response = client.get(url)
    yield response
    pages = 0
    while scenario.follow and response.json().get("next") and pages < 20:
        parts = urlsplit(response.json()["next"])
        response = client.get(f"{parts.path}?{parts.query}")
        pages += 1
        yield response
    if scenario.follow:
        assert pages >= 2, f"{scenario.key}: expected several pages, got {pages + 1}"


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            cursor.execute("EXPLAIN " + sql)
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("SET LOCAL enable_seqscan = on")


def _prepared_text(sql: str) -> str:
    """Return the statement an ``EXECUTE name (…)`` runs (support_desk.prepared), else ""."""
    name = sql.split()[1].split("(")[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE name = %s", [name])
        row = cursor.fetchone()
    assert row is not None, f"{sql}: no such prepared statement"
    return str(row[0]).split(" AS ", 1)[1]


def _reads_large_table(sql: str) -> bool:
    start = sql.lstrip("( ").upper()
    if start.startswith("EXECUTE "):
        # A live check's prepared statement: explained as executed, with its values.
        sql, start = _prepared_text(sql), "SELECT"
    return start.startswith(("SELECT", "WITH")) and _READS.search(sql) is not None


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.key)
def test_no_sequential_scan_on_large_tables(
    postgres: None, world: World, scenario: Scenario
) -> None:
    client = _client(world, scenario.who)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        statuses = [response.status_code for response in _requests(client, scenario, world)]
    assert set(statuses) <= {200, 204, 302}, f"{scenario.key}: answered {statuses}"
    explained = [query["sql"] for query in captured.captured_queries]
    checked = [sql for sql in explained if _reads_large_table(sql)]
    assert checked, f"{scenario.key}: no query read the large tables"
    scans = []
    for sql in checked:
        plan = _plan(sql)
        found = sorted(set(_SCANS.findall(plan)))
        if found:
            scans.append(f"{', '.join(found)}:\n{sql}\n{plan}")
    assert not scans, f"{scenario.key}: sequential scans:\n\n" + "\n\n".join(scans)


def test_tickets_statistics_follow_the_open_tickets(postgres: None) -> None:
    # The waiting line is a small, fast-moving part of the tickets table: its
    # statistics are refreshed after 1 % of the rows change, not PostgreSQL's 10 %.
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'tickets_ticket'")
        (options,) = cursor.fetchone()
    assert "autovacuum_analyze_scale_factor=0.01" in options
    assert "autovacuum_vacuum_scale_factor=0.05" in options
