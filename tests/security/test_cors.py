"""Another site's scripts get no cross-origin access: no origin is echoed, no credentials allowed.

The desk serves its pages and its API to its own origin only (integrators
call the API from their servers, where CORS does not apply). Every route
the resolver knows is asked with a foreign ``Origin``: by a signed-in
supervisor (a browser sends the session cookie along), by an API key,
and as a CORS preflight (``OPTIONS`` with ``Access-Control-Request-*``).
No answer may carry an ``Access-Control-Allow-*`` header or name the
foreign origin anywhere in its headers.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.security.route_args import ask, count_checks, every_path
from tests.security.world import KEY_ALL, World

pytestmark = pytest.mark.django_db

ORIGINS = ("https://evil.example", "null", "https://support-desk.test.evil.example")


def cors_problems(response: Any, origin: str) -> list[str]:
    """Return the cross-origin permissions ``response`` grants ``origin`` (empty: none)."""
    found = [
        f"{name}: {value}"
        for name, value in response.items()
        if name.lower().startswith("access-control-")
    ]
    if origin != "null":
        found += [f"{name} names the origin" for name, value in response.items() if origin in value]
    return found


def test_no_route_grants_a_foreign_origin_anything(
    world: World, db: None, request: pytest.FixtureRequest
) -> None:
    failures: list[str] = []
    asked = 0
    for n, (_route, path) in enumerate(every_path(world)):
        origin = ORIGINS[n % len(ORIGINS)]
        asks = [
            ("GET", "supervisor", {"Origin": origin}),
            (
                "OPTIONS",
                "anonymous",
                {
                    "Origin": origin,
                    "Access-Control-Request-Method": "POST",
                    "Access-Control-Request-Headers": "authorization, content-type, x-csrftoken",
                },
            ),
        ]
        if path.startswith("/api/"):
            asks.append(("GET", KEY_ALL, {"Origin": origin}))
        for method, principal, headers in asks:
            asked += 1
            response = ask(world, principal, method, path, headers=headers)
            failures += [
                f"{method} {path} as {principal} from {origin}: {problem}"
                for problem in cors_problems(response, origin)
            ]
    count_checks(request.config, "CORS (foreign-origin requests)", asked)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("principal", ["buyer_a", KEY_ALL])
def test_a_cross_origin_write_is_not_allowed_either(world: World, db: None, principal: str) -> None:
    path = f"/api/v1/tickets/{world.ids['ticket']}/messages/"

    response = ask(
        world,
        principal,
        "POST",
        path,
        data={"body": "From another site."},
        content_type="application/json",
        headers={"Origin": "https://evil.example"},
    )

    assert cors_problems(response, "https://evil.example") == []
