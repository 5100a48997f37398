"""What the load client asks for: one ``Scenario`` per kind of request.

A scenario builds a pool of concrete requests from a ``Context`` (samples of
real rows, and signed-in people's sessions); the load client picks from the
pool at random. To add scenarios: add a sample to ``Context`` (``base``) and
``Scenario`` objects to ``SCENARIOS`` (``table``); a scenario's ``targets``
are the issue's limits, checked in the report.

The help centre's scenarios are in ``helpcentre``, the tickets' and agent
workspace's in ``desk``, the open live pages' in ``live``.
"""

from bench.scenarios.base import POOL_SIZE, Context, Request, Scenario, Target
from bench.scenarios.helpcentre import TYPO_RATE, search_query, suggest_prefix, typo
from bench.scenarios.live import (
    LIVE_PAGES,
    LIVE_POLL_SECONDS,
    LIVE_PREFIX,
    LivePages,
    live_pages,
)
from bench.scenarios.table import (
    CREATE,
    LIST,
    LIST_TARGET_MS,
    LIVE,
    LIVE_CHECK_TARGET_MS,
    PAGE,
    PAGE_TARGET_MS,
    ROUTING,
    SCENARIOS,
    SEARCH,
    SEARCH_TARGET_MS,
    by_name,
    wants_routing,
)

__all__ = [
    "CREATE",
    "LIST",
    "LIST_TARGET_MS",
    "LIVE",
    "LIVE_CHECK_TARGET_MS",
    "LIVE_PAGES",
    "LIVE_POLL_SECONDS",
    "LIVE_PREFIX",
    "PAGE",
    "PAGE_TARGET_MS",
    "POOL_SIZE",
    "ROUTING",
    "SCENARIOS",
    "SEARCH",
    "SEARCH_TARGET_MS",
    "TYPO_RATE",
    "Context",
    "LivePages",
    "Request",
    "Scenario",
    "Target",
    "by_name",
    "live_pages",
    "search_query",
    "suggest_prefix",
    "typo",
    "wants_routing",
]
