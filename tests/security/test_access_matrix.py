"""The access matrix: every route × method × principal answers as tests/security/policy/ says.

One world serves the whole module (tests/security/conftest.py); every request
runs in a savepoint that is rolled back, so each sees the same world. For each
rule the test also asks for a missing object wherever the URL names one: a
refusal must read the same whether the object exists or not, and an allowed
caller must get 404. Every answer to someone without an agent's eyes is
searched for the agent-only markers the world planted.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

import pytest
from django.http import HttpResponseBase
from django.urls import reverse

from tests.conftest import add_to_summary
from tests.security import policy
from tests.security.calls import body_text, call
from tests.security.policy import ADMIN_LOGIN, LOGIN, Outcome, Rule
from tests.security.routes import Route, all_routes, schema_operations
from tests.security.world import (
    ANONYMOUS,
    B_FILE_NAME,
    B_SUBJECT,
    KEY_REVOKED,
    PRINCIPALS,
    World,
)

ROUTES = {route.key: route for route in all_routes()}
RULES = policy.rules()
# A refusal that does not depend on the object: the same for a missing one.
REFUSALS = frozenset({LOGIN, ADMIN_LOGIN, 401, 403, 405})
MISSING_INT = 2**52 + 7919  # far beyond any id the world's rows get
B_TICKET = (B_SUBJECT, B_FILE_NAME)


def _outcome_of(response: HttpResponseBase) -> Outcome:
    """Return the status, or LOGIN/ADMIN_LOGIN for a redirect to a log-in page."""
    if response.status_code == 302:
        target = urlsplit(response["Location"]).path
        if target == reverse("accounts:login"):
            return LOGIN
        if target == reverse("admin:login"):
            return ADMIN_LOGIN
    return response.status_code


def _missing_value(world: World, route: Route, name: str) -> object:
    converter = route.converters().get(name, "str")
    if converter == "int":
        return MISSING_INT
    if converter == "uuid":
        return world.ids["missing_uuid"]
    if converter == "path":
        return str(MISSING_INT)
    return "no-such-thing-q7v"


def _missing_outcome(rule: Rule, principal: str, expected: Outcome) -> Outcome:
    """Return what ``principal`` must get for a missing object."""
    if isinstance(rule.missing, Mapping) and principal in rule.missing:
        return rule.missing[principal]
    # Refusals and "not yours" read the same whether the object exists or not.
    if expected in REFUSALS or expected == 404:
        return expected
    return rule.missing if not isinstance(rule.missing, Mapping) else 404


def _kwargs(world: World, rule: Rule) -> dict[str, object]:
    return {
        name: value(world) if callable(value) else world.ids.get(value, value)
        for name, value in rule.args.items()
    }


def _leaks(world: World, principal: str, text: str) -> list[str]:
    """Return the markers in ``text`` that ``principal`` must never see."""
    secret: list[str] = []
    if principal not in policy.AGENT_EYES:
        secret += world.agent_only
    if principal not in policy.B_TICKET_EYES:
        secret += B_TICKET
    return [marker for marker in secret if marker in text]


def check(world: World, rule: Rule) -> tuple[int, list[str]]:
    """Make every request the rule implies; return how many and what went wrong."""
    route = ROUTES[rule.route]
    kwargs = _kwargs(world, rule)
    path = route.path(kwargs)
    problems: list[str] = []
    checks = 0
    for principal in rule.principals:
        expected = rule.expect[principal]
        data = rule.data(world, principal) if rule.data else None
        response = call(world, principal, rule.method, path, data=data, as_json=rule.json)
        checks += 1
        got = _outcome_of(response)
        text = body_text(response)
        if got != expected:
            problems.append(f"{principal}: {rule.method} {path} answered {got}, not {expected}")
        if leaked := _leaks(world, principal, text):
            problems.append(f"{principal}: {rule.method} {path} shows {leaked}")
        for marker in rule.reveals.get(principal, ()):
            if marker not in text:
                problems.append(f"{principal}: {rule.method} {path} does not show {marker}")
        for name in rule.objects:
            missing = route.path({**kwargs, name: _missing_value(world, route, name)})
            data = rule.data(world, principal) if rule.data else None
            response = call(world, principal, rule.method, missing, data=data, as_json=rule.json)
            checks += 1
            want = _missing_outcome(rule, principal, expected)
            if (got_missing := _outcome_of(response)) != want:
                problems.append(
                    f"{principal}: {rule.method} {missing} (no such {name}) answered "
                    f"{got_missing}, not {want}"
                )
    return checks, problems


@pytest.mark.parametrize("rule", RULES, ids=[rule.label for rule in RULES])
def test_access(rule: Rule, world: World, db: None, request: pytest.FixtureRequest) -> None:
    """Every principal gets what the policy says, for the object and for a missing one."""
    checks, problems = check(world, rule)
    add_to_summary(request.config, "access matrix", {"checks": checks})
    assert not problems, "\n".join(problems)


def test_every_route_has_a_rule() -> None:
    """A route nobody thought about fails here: add its rule to tests/security/policy/."""
    covered = {rule.route for rule in RULES}
    missing = sorted(key for key in ROUTES if key not in covered)
    assert not missing, "routes without a policy rule:\n" + "\n".join(missing)
    stale = sorted(covered - set(ROUTES))
    assert not stale, "rules for routes that no longer exist:\n" + "\n".join(stale)


def test_every_api_operation_has_a_rule() -> None:
    """Each operation of the OpenAPI schema has a rule for its route and method."""
    by_schema_path = {route.schema_path(): route.key for route in ROUTES.values()}
    ruled = {(rule.route, rule.method) for rule in RULES}
    missing = sorted(
        f"{method} {path}"
        for path, method in schema_operations()
        if (by_schema_path.get(path), method) not in ruled
    )
    assert not missing, "API operations without a policy rule:\n" + "\n".join(missing)


def test_every_rule_says_what_each_principal_gets() -> None:
    """A rule that forgets a principal is a hole in the matrix."""
    for rule in RULES:
        if rule.surface == "api-sampled":
            assert {ANONYMOUS, KEY_REVOKED} <= set(rule.expect) <= set(PRINCIPALS), rule.label
            continue
        wanted = set(PRINCIPALS if rule.surface == "api" else policy.PAGE_PRINCIPALS)
        assert set(rule.expect) == wanted, (rule.label, wanted ^ set(rule.expect))


def test_feedback_on_someone_elses_question_changes_nothing(world: World, db: None) -> None:
    """The assistant's feedback form answers alike for anyone, but records only the asker's."""
    from faq.models import AssistantQuestion

    question = AssistantQuestion.objects.get(pk=world.ids["question"])
    assert question.helpful is None
    path = reverse("help:assistant-feedback", args=[question.pk])
    for stranger in ("buyer_b", "seller", "agent_in", "anonymous"):
        call(world, stranger, "POST", path, data={"helpful": "no"}, keep=True)
        question.refresh_from_db()
        assert question.helpful is None, stranger
    call(world, "buyer_a", "POST", path, data={"helpful": "yes"}, keep=True)
    question.refresh_from_db()
    assert question.helpful is True
