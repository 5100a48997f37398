"""Every list page and list endpoint costs the same number of queries for 1 item as for 50.

One desk is built for the module (tests/perf/world.py): each URL below is asked
once to warm what a process keeps (content types, the key's last use...),
then asked again with an empty cache while its queries are counted. The desk
then grows — 49 more tickets, messages with files, ratings, queues, topics,
answers, cases with evidence and events, agents, keys, deliveries... — and
every URL is counted again. A list that reads its rows' related objects one
query per row costs more the second time.

The API's rows are checked against the OpenAPI schema: every GET operation
without a path parameter, and every one whose answer holds a list, needs a
row here, so a new list endpoint without one fails this module.
The Django admin's rows are checked the same way against the admin site.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator

from reports.selectors import figure_slugs
from tests.perf.world import SEARCH_WORD, World, build_world, grow_world

# The desk's database is set up only for modules that ask for it.
pytestmark = pytest.mark.django_db

# The perf tests count queries, not cache round trips: a local-memory cache is
# as good as the real one for that and much faster to fill while the desk grows.
LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

URL = Callable[[World, bool], str]


def fixed(path: str) -> URL:
    """Return a URL that is the same before and after the desk grows."""
    return lambda _world, _grown: path


def ids(template: str) -> URL:
    """Return a URL filled from the world (``{thread}``, ``{dispute}``...)."""
    return lambda world, _grown: template.format(**world_ids(world))


def world_ids(world: World) -> dict[str, Any]:
    return {
        "thread": world.thread.pk,
        "dispute": world.dispute.pk,
        "claim": world.claim.pk,
        "dispute_ticket": world.dispute.ticket_id,
        "claim_ticket": world.claim.ticket_id,
        "entry": world.entry.pk,
        "topic": world.payment.slug,
        "queue": world.queues[0].slug,
        "agent": world.agent.username,
        "policy": world.policy.pk,
        "subscription": world.subscription_id,
        "number": "MP-P0",
        "buyer": world.buyer.username,
        "since": (world.now - timedelta(days=400)).isoformat().replace("+00:00", "Z"),
    }


def report_range(path: str) -> URL:
    """Return a report URL over the small desk's days (its last three hours) or 50 days."""

    def url(world: World, grown: bool) -> str:
        last = world.today
        first = last - timedelta(days=49 if grown else 1)
        return f"{path}?start={first.isoformat()}&end={last.isoformat()}"

    return url


@dataclass(frozen=True)
class Row:
    """One URL asked by one kind of caller; ``grows`` says its list gets longer with the desk."""

    key: str
    who: str
    url: URL
    grows: bool = True


# --- Pages -------------------------------------------------------------------

PAGE_ROWS = [
    Row("help home", "anonymous", fixed("/help/")),
    Row("help home (buyer)", "buyer", fixed("/help/")),
    Row("topic page", "anonymous", ids("/help/{topic}/")),
    Row("search results", "anonymous", fixed(f"/help/search/?q={SEARCH_WORD}")),
    Row("search suggest", "anonymous", fixed(f"/help/suggest/?q={SEARCH_WORD[:4]}")),
    Row("buyer's request list", "buyer", fixed("/help/requests/")),
    Row("buyer's ticket page", "buyer", ids("/help/requests/{thread}/")),
    Row("buyer's ticket live check", "buyer", ids("/help/requests/{thread}/live/")),
    Row("buyer's disputes and claims", "buyer", fixed("/help/disputes/")),
    Row("buyer's dispute page", "buyer", ids("/help/disputes/{dispute}/")),
    Row("buyer's claim page", "buyer", ids("/help/disputes/claims/{claim}/")),
    Row("buyer's new dispute (orders)", "buyer", fixed("/help/disputes/new/")),
    Row("buyer's new claim (items)", "buyer", fixed("/help/disputes/warranty/new/")),
    Row("seller home", "seller", fixed("/seller/")),
    Row("seller's dispute page", "seller", ids("/seller/disputes/{dispute}/")),
    Row("seller's claim page", "seller", ids("/seller/claims/{claim}/")),
    Row("agent home", "agent", fixed("/agent/")),
    Row("agent home (supervisor)", "supervisor", fixed("/agent/")),
    Row("agent home live check", "agent", fixed("/agent/live/")),
    Row("agent ticket page", "agent", ids("/agent/tickets/{thread}/")),
    Row("agent ticket live check", "agent", ids("/agent/tickets/{thread}/live/")),
    Row("agent ticket page of a dispute", "agent", ids("/agent/tickets/{dispute_ticket}/")),
    Row("agent ticket page of a claim", "agent", ids("/agent/tickets/{claim_ticket}/")),
    Row("agent board", "supervisor", fixed("/agent/board/")),
    Row("agent board live check", "supervisor", fixed("/agent/board/live/")),
    Row("reports page", "supervisor", report_range("/agent/reports/")),
    Row("reports page (agent's own)", "agent", report_range("/agent/reports/")),
    *(
        Row(f"reports csv {slug}", "supervisor", report_range(f"/agent/reports/{slug}.csv"))
        for slug in figure_slugs(own=False)
    ),
]

# --- The Django admin's changelists ------------------------------------------

# Changelists whose rows the world does not grow, and why.
ADMIN_NOT_GROWN = {
    "tickets.inboundmail": "rows come from the mail intake; the changelist reads no relation",
    "api.idempotencyrecord": "rows come from retried POSTs; the changelist reads no relation",
    "support_desk.parkedtask": "rows are tasks parked while the broker was down; no relation",
}
# Changelists a supervisor may not open, and why.
ADMIN_SKIPPED = {
    "auth.group": "Django's own; the desk gives rights by role, not by group",
}


def admin_rows() -> list[Row]:
    rows = []
    for model in admin.site._registry:
        label = model._meta.label_lower
        if label in ADMIN_SKIPPED:
            continue
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        rows.append(Row(f"admin {label}", "supervisor", fixed(url), label not in ADMIN_NOT_GROWN))
    return sorted(rows, key=lambda row: row.key)


# --- The API -----------------------------------------------------------------

KEY, SELLER_KEY = "key", "seller-key"


@dataclass(frozen=True)
class Api:
    """How one schema operation is asked: by whom and with which query strings."""

    who: tuple[str, ...] = (KEY,)
    queries: tuple[str, ...] = ("",)
    # Bounded lists (an entry's languages...): asked for a constant count, not for growth.
    grows: bool = True


MARKET = (KEY, SELLER_KEY, "buyer", "seller", "agent")
PEOPLE_AND_KEY = (KEY, "buyer", "agent", "supervisor")

API: dict[str, Api] = {
    "/api/v1/agents/": Api(queries=("", "?queue={queue}", "?presence=offline")),
    "/api/v1/agents/{username}/": Api(),
    "/api/v1/buyers/": Api(),
    "/api/v1/disputes/": Api(who=MARKET, queries=("", "?updated_since={since}")),
    "/api/v1/disputes/{case_id}/": Api(who=MARKET),
    "/api/v1/faq/": Api(
        who=(KEY, "buyer"), queries=("?page_size=200", f"?q={SEARCH_WORD}&limit=50")
    ),
    "/api/v1/faq/entries/": Api(queries=("?page_size=200", "?topic={topic}")),
    "/api/v1/faq/entries/{entry_id}/": Api(grows=False),
    "/api/v1/faq/suggest": Api(who=(KEY, "buyer"), queries=(f"?q={SEARCH_WORD[:4]}",)),
    "/api/v1/macros/": Api(who=(KEY, "agent"), queries=("", "?ticket={thread}")),
    "/api/v1/me": Api(who=(KEY, "buyer", "agent"), grows=False),
    "/api/v1/orders/": Api(who=MARKET, queries=("", "?buyer={buyer}")),
    "/api/v1/orders/{number}/": Api(who=MARKET, grows=False),
    "/api/v1/queues/": Api(who=(KEY, "agent")),
    "/api/v1/queues/{slug}/": Api(),
    "/api/v1/queues/{slug}/hours/": Api(),
    "/api/v1/queues/{slug}/hours/holidays/": Api(),
    "/api/v1/sla-policies/": Api(),
    "/api/v1/sla-policies/{policy_id}/": Api(grows=False),
    "/api/v1/tickets/": Api(
        who=PEOPLE_AND_KEY,
        queries=(
            "",
            "?status=assigned",
            "?topic={topic}",
            "?queue={queue}",
            "?buyer={buyer}",
            "?updated_since={since}",
        ),
    ),
    "/api/v1/tickets/{ticket_id}/": Api(who=PEOPLE_AND_KEY),
    "/api/v1/tickets/{ticket_id}/events/": Api(who=(KEY, "agent")),
    "/api/v1/topics/": Api(who=(KEY, "buyer")),
    "/api/v1/warranty-claims/": Api(who=MARKET, queries=("", "?updated_since={since}")),
    "/api/v1/warranty-claims/{case_id}/": Api(who=MARKET),
    "/api/v1/webhooks/": Api(),
    "/api/v1/webhooks/{subscription_id}/": Api(grows=False),
    "/api/v1/webhooks/{subscription_id}/deliveries/": Api(),
}

# What fills each path parameter of the operations above.
PATH_ARGS = {
    "username": "agent",
    "case_id": None,  # the dispute or the claim, by path
    "entry_id": "entry",
    "number": "number",
    "slug": "queue",
    "policy_id": "policy",
    "ticket_id": "thread",
    "subscription_id": "subscription",
}


def _components(schema: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _holds_a_list(schema: dict[str, Any], node: Any) -> bool:
    node = _components(schema, node)
    if not isinstance(node, dict):
        return False
    if node.get("type") == "array":
        return True
    alternatives = node.get("oneOf", []) + node.get("anyOf", []) + node.get("allOf", [])
    if any(_holds_a_list(schema, alternative) for alternative in alternatives):
        return True
    return any(
        _components(schema, value).get("type") == "array"
        for value in node.get("properties", {}).values()
    )


def schema_list_operations() -> set[str]:
    """Return the GET paths of the schema that list things: no path id, or a list in the answer."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = set()
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if get is None:
            continue
        content = get["responses"].get("200", {}).get("content", {})
        answer = content.get("application/json", {}).get("schema")
        if "{" not in path or _holds_a_list(schema, answer):
            found.add(path)
    return found


def _api_path(path: str, world: World) -> str:
    values = world_ids(world)

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "case_id":
            return str(values["claim" if "warranty" in path else "dispute"])
        return str(values[PATH_ARGS[name]])

    return re.sub(r"\{(\w+)\}", fill, path)


def api_rows() -> list[Row]:
    rows = []
    for path, spec in API.items():
        for who in spec.who:
            for query in spec.queries:

                def url(world: World, _grown: bool, path: str = path, query: str = query) -> str:
                    return _api_path(path, world) + query.format(**world_ids(world))

                rows.append(Row(f"GET {path}{query} as {who}", who, url, spec.grows))
    return rows


ROWS = {row.key: row for row in (*PAGE_ROWS, *admin_rows(), *api_rows())}


# --- Measuring ---------------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    status: int
    queries: list[str]
    items: int


def _items(response: Any) -> int:
    """Return how much a response shows: the length of its lists (JSON) or of its body."""
    if response.get("Content-Type", "").startswith("application/json"):
        body = response.json()
        found = body if isinstance(body, list) else list(body.values())
        return sum(len(value) for value in found if isinstance(value, list))
    return len(response.content)


def _clients(world: World) -> dict[str, Client]:
    clients = {"anonymous": Client()}
    for who in ("buyer", "seller", "agent", "supervisor"):
        clients[who] = Client()
        clients[who].force_login(getattr(world, who))
    clients[KEY] = Client(HTTP_AUTHORIZATION=f"Bearer {world.raw_all}")
    clients[SELLER_KEY] = Client(HTTP_AUTHORIZATION=f"Bearer {world.raw_seller}")
    return clients


def measure(clients: dict[str, Client], world: World, grown: bool) -> dict[str, Measured]:
    """Ask every row's URL twice; count the second time, with an empty cache."""
    found = {}
    for row in ROWS.values():
        client, url = clients[row.who], row.url(world, grown)
        client.get(url)
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        found[row.key] = Measured(
            status=response.status_code,
            queries=[query["sql"] for query in captured.captured_queries],
            items=_items(response) if response.status_code == 200 else 0,
        )
    return found


@pytest.fixture(scope="module")
def counted(
    django_db_setup: None, django_db_blocker: Any
) -> Iterator[tuple[dict[str, Measured], dict[str, Measured]]]:
    """Measure every row in the small desk, grow it, measure again; roll it all back."""
    settings = override_settings(CACHES=LOCAL_CACHE, DESK_WEBHOOKS_ALLOW_PRIVATE=True)
    with django_db_blocker.unblock(), settings, transaction.atomic():
        world = build_world()
        clients = _clients(world)
        small = measure(clients, world, grown=False)
        grow_world(world)
        big = measure(clients, world, grown=True)
        yield small, big
        transaction.set_rollback(True)


def _shape(sql: str) -> str:
    """Return a query without its literals, so repeats of one query per row show as one shape."""
    sql = re.sub(r"\b\d+\b|'[^']*'|%s", "?", sql)
    return re.sub(r"IN \(\(?\?\)?(?:, \(?\?\)?)*\)", "IN (...)", sql)[:300]


def _extra_queries(small: list[str], big: list[str]) -> str:
    extra = Counter(map(_shape, big))
    extra.subtract(Counter(map(_shape, small)))
    return "\n".join(f"{n:+d} x {shape}" for shape, n in extra.most_common() if n)


@pytest.mark.parametrize("key", list(ROWS))
def test_query_count_does_not_grow_with_the_list(
    counted: tuple[dict[str, Measured], dict[str, Measured]], key: str
) -> None:
    small, big = counted[0][key], counted[1][key]
    assert (small.status, big.status) == (200, 200), f"{key}: answered {small.status}/{big.status}"
    if ROWS[key].grows:
        assert big.items > small.items, f"{key}: the list did not grow ({small.items})"
    assert len(big.queries) == len(small.queries), (
        f"{key}: {len(small.queries)} queries for the small desk, {len(big.queries)} grown:\n"
        + _extra_queries(small.queries, big.queries)
    )


def test_every_api_list_operation_has_a_row() -> None:
    listed = schema_list_operations()
    assert sorted(listed - API.keys()) == [], "list operations without a row in API"
    assert sorted(API.keys() - listed) == [], "rows for operations the schema does not list"


def test_every_admin_changelist_has_a_row() -> None:
    registered = {model._meta.label_lower for model in admin.site._registry}
    rows = {key.removeprefix("admin ") for key in ROWS if key.startswith("admin ")}
    assert rows | ADMIN_SKIPPED.keys() == registered
    assert set(ADMIN_NOT_GROWN) <= rows
