"""No GET or HEAD changes anything: every route the resolver knows, as everyone, with real objects.

Each route is filled with objects of the security world (a ticket with
files, notes and history, disputes and claims with evidence, webhook
deliveries, …) and asked with GET and HEAD by an anonymous visitor, a
buyer, a seller, an agent, a supervisor and an integrator key. Every SQL
statement each request sends is captured: none may write (INSERT, UPDATE,
DELETE) and none may leave work for after the commit (a task or a mail),
except the read-side records listed in ``READ_SIDE_WRITES``, each with why
it is written. Capturing the statements catches what a row count or a
``post_save`` counter would miss (``QuerySet.update()``, bulk writes, raw
SQL).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.security.route_args import ask, count_checks, every_path
from tests.security.world import KEY_ALL, World

pytestmark = pytest.mark.django_db

PRINCIPALS = ("anonymous", "buyer_a", "seller", "agent_in", "supervisor", KEY_ALL)

# The only writes a read may make: records of the read itself, never of the desk's data.
# Table -> (why, the routes that may write it; empty: any route).
READ_SIDE_WRITES: dict[str, tuple[str, tuple[str, ...]]] = {
    # An integrator key's "last used" time shows supervisors which keys are alive.
    "api_apikey": ("the key's last use, shown to supervisors", ()),
    # A mailed link's secret moves from the address into the visitor's session, so the
    # page it leads to has no secret in its URL (Django's password reset does the same).
    "django_session": (
        "a mailed link's token kept in the session",
        ("accounts:signup-link", "accounts:password-reset-confirm"),
    ),
}


# After-commit work a read may leave, by the callback's name: records of the read itself.
READ_SIDE_HOOKS: dict[str, str] = {
    # Each view of an answer and each move from an answer to contacting support is a
    # step of the deflection funnel; it is sent to the event buffer (or a task) after
    # the request, never written on the request's path.
    "faq_event_record.<locals>.send_faq_event": "deflection funnel: an answer was viewed",
}


@dataclass(frozen=True)
class Write:
    table: str
    sql: str


WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?',
    re.IGNORECASE,
)


def writes_of(queries: list[dict[str, str]]) -> list[Write]:
    """Return the writing statements among ``queries`` and the table each writes."""
    found = []
    for query in queries:
        match = WRITE.match(query["sql"])
        if match is not None:
            found.append(Write(match[1].lower(), query["sql"][:200]))
    return found


# Routes where HEAD may answer otherwise than GET, and why.
HEAD_NOT_GET = {
    # Django's own view sends a signed-in person on only for GET; HEAD shows the
    # log-in form's headers. Nothing changes either way.
    "admin:login": "Django's admin log-in redirects a signed-in GET only",
}


def test_no_get_or_head_changes_anything(
    world: World, db: None, request: pytest.FixtureRequest
) -> None:
    failures: list[str] = []
    answered: dict[str, set[int]] = {}
    read_side: set[str] = set()
    asked = 0
    head_differs: list[str] = []
    for route, path in every_path(world):
        for principal in PRINCIPALS:
            statuses: dict[str, int] = {}
            for method in ("GET", "HEAD"):
                hooks_before = len(connection.run_on_commit)
                with CaptureQueriesContext(connection) as queries:
                    response = ask(world, principal, method, path)
                asked += 1
                statuses[method] = response.status_code
                answered.setdefault(route.pattern, set()).add(response.status_code)
                where = f"{method} {path} as {principal}"
                if response.status_code >= 500:
                    failures.append(f"{where}: answered {response.status_code}")
                for write in writes_of(queries.captured_queries):
                    _why, routes = READ_SIDE_WRITES.get(write.table, ("", ("-",)))
                    if not routes or route.name in routes:
                        read_side.add(write.table)
                    else:
                        failures.append(f"{where}: wrote {write.table}: {write.sql}")
                for _savepoints, hook, _robust in connection.run_on_commit[hooks_before:]:
                    if hook.__qualname__ in READ_SIDE_HOOKS:
                        read_side.add(hook.__qualname__)
                    else:
                        failures.append(f"{where}: left {hook.__qualname__} for after the commit")
                del connection.run_on_commit[hooks_before:]
            if statuses["HEAD"] != statuses["GET"] and route.name not in HEAD_NOT_GET:
                head_differs.append(f"{path} as {principal}: {statuses}")
    count_checks(request.config, "safe methods (GET/HEAD requests)", asked)
    assert not failures, "\n".join(failures)
    # HEAD is GET without the body: whatever GET answers, HEAD answers too.
    assert head_differs == [], head_differs
    # The walk reached real objects: every route answered someone with more than "not found".
    unreached = sorted(p for p, statuses in answered.items() if statuses <= {404})
    assert unreached == [], unreached
    # Each allowed exception is still needed (else it should go from the list).
    assert read_side == set(READ_SIDE_WRITES) | set(READ_SIDE_HOOKS), read_side
