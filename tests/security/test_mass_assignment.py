"""Mass assignment: fields a caller may not set are ignored or refused by every write endpoint.

Every write rule of the access matrix (web forms and API POST/PUT/PATCH) is
sent twice by each principal it lets in: once as it is, once with extra fields
(``status``, ``assignee``, ``queue``, ``is_staff``, ``role``, ``outcome``,
another buyer's attachment ids, another ticket's id, ``buyer``, ``seller``,
``created_at``, ``id``…), the world rolled back after each. The extras must
make no difference: either the answer and every protected column end as with
the plain request (ignored), or the request is refused with a 4xx and nothing
changed at all (refused). A field the endpoint legitimately takes is not
sent as an extra.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.apps import apps
from django.db.models import Model
from django.http import HttpResponseBase
from django.urls import reverse

from tests.conftest import add_to_summary
from tests.security import policy
from tests.security.calls import body_text, call, rolled_back
from tests.security.policy import LOGIN, Rule
from tests.security.routes import all_routes
from tests.security.world import World

ROUTES = {route.key: route for route in all_routes()}
CHOSEN_ID = 424242  # an id a caller asks a new row to take; no world row has it

# What must not move unless the endpoint is meant to move it, by model.
PROTECTED: dict[str, tuple[str, ...]] = {
    "accounts.User": ("username", "role", "is_staff", "is_superuser", "is_active"),
    "tickets.Ticket": (
        "buyer_id",
        "topic_id",
        "status",
        "queue_id",
        "assignee_id",
        "priority",
        "channel",
        "order_id",
        "created_at",
    ),
    "tickets.Message": ("ticket_id", "kind", "author_id"),
    "tickets.Attachment": ("ticket_id", "message_id", "uploaded_by_id", "name"),
    "tickets.Rating": ("ticket_id", "agent_id", "score"),
    "disputes.Dispute": (
        "buyer_id",
        "order_id",
        "status",
        "wanted_outcome",
        "refund_amount",
        "counter_amount",
        "ticket_id",
        "decided_by_id",
    ),
    "disputes.WarrantyClaim": (
        "buyer_id",
        "item_id",
        "status",
        "remedy",
        "decided_remedy",
        "ticket_id",
        "decided_by_id",
    ),
    "disputes.Evidence": ("dispute_id", "claim_id", "uploaded_by_id"),
    "orders.Order": ("buyer_id", "shop_id", "status", "total"),
    "orders.Shop": ("seller_id", "slug"),
    "api.ApiKey": ("scopes", "seller_id", "revoked_at"),
    "webhooks.Subscription": ("api_key_id", "url", "active"),
    "faq.FaqEntry": ("topic_id", "slug", "published"),
}


def _extras(world: World) -> dict[str, Any]:
    """Fields nobody may set through the endpoints under test, with tempting values."""
    ids = world.ids
    other_ticket = ids["ticket_b"]
    return {
        "status": "closed",
        "assignee": world.people["agent_out"].username,
        "assignee_id": world.people["agent_out"].pk,
        "queue": "en-refund",
        "queue_id": ids["queue_pk:en-warranty"],
        "is_staff": "true",
        "is_superuser": "true",
        "role": "supervisor",
        "outcome": "full_refund",
        "decided_remedy": "refund",
        "refund_amount": "9999.00",
        "buyer": world.people["buyer_b"].username,
        "buyer_id": world.people["buyer_b"].pk,
        "seller": world.people["seller_b"].username,
        "created_at": "2001-01-01T00:00:00Z",
        "id": CHOSEN_ID,
        "pk": CHOSEN_ID,
        "ticket": other_ticket,
        "ticket_id": other_ticket,
        "attachments": [ids["attachment_b"]],
        "attachment_ids": [ids["attachment_b"]],
        "attachment": ids["attachment_b"],
        "scopes": ["agents:write"],
        "api_key": 1,
        "priority": 4,
        "published": "true",
    }


Known = dict[type[Model], set[Any]]


def known_rows() -> Known:
    """Return the primary keys of every row the world holds now, by model."""
    models = {apps.get_model(label) for label in PROTECTED}
    for label, fields in PROTECTED.items():
        model = apps.get_model(label)
        for name in fields:
            related = model._meta.get_field(name.removesuffix("_id")).related_model
            if isinstance(related, type):
                models.add(related)
    return {model: set(model._default_manager.values_list("pk", flat=True)) for model in models}


def _cell(model: type[Model], name: str, value: Any, known: Known) -> Any:
    # A new row's id is random and its times differ between two requests by moments:
    # what counts is whether it points at a row that was there before, and on which day.
    if isinstance(value, datetime):
        return value.date()
    related = model._meta.get_field(name.removesuffix("_id")).related_model
    if isinstance(related, type) and value is not None and value not in known[related]:
        return "a new row"
    return value


def snapshot(known: Known) -> dict[str, Any]:
    """Return every protected column of every row (new rows by content), and stolen ids."""
    state: dict[str, Any] = {}
    for label, fields in PROTECTED.items():
        model: type[Model] = apps.get_model(label)
        rows = model._default_manager.values_list(*fields)
        state[label] = sorted(
            (
                tuple(
                    _cell(model, name, value, known)
                    for name, value in zip(fields, row, strict=True)
                )
                for row in rows
            ),
            key=repr,
        )
        state[f"{label} #{CHOSEN_ID}"] = model._default_manager.filter(pk=CHOSEN_ID).exists()
    return state


def _success(outcome: policy.Outcome) -> bool:
    return outcome != LOGIN and isinstance(outcome, int) and 200 <= outcome < 400


def _writers(rule: Rule) -> list[str]:
    """The principals a rule lets write: the first person, and the first key, it lets in."""
    allowed = [name for name in rule.principals if _success(rule.expect[name])]
    people = [name for name in allowed if not name.startswith("key:")]
    keys = [name for name in allowed if name.startswith("key:")]
    return people[:1] + keys[:1]


def _documented_fields() -> dict[tuple[str, str], set[str]]:
    """Return the request body fields the OpenAPI schema documents, by (path, METHOD)."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    fields: dict[tuple[str, str], set[str]] = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            names: set[str] = set()
            for content in operation.get("requestBody", {}).get("content", {}).values():
                ref = content["schema"].get("$ref", "")
                body = components[ref.rsplit("/", 1)[-1]] if ref else content["schema"]
                names |= set(body.get("properties", {}))
            fields[(path, method.upper())] = names
    return fields


def _legitimate(rule: Rule, documented: dict[tuple[str, str], set[str]]) -> set[str]:
    """Fields the endpoint takes by contract: the API's documented body fields."""
    if not rule.surface.startswith("api"):
        return set()
    return documented.get((ROUTES[rule.route].schema_path(), rule.method), set())


def _with_extras(
    body: dict[str, Any], extras: dict[str, Any], *, form: bool, legitimate: set[str]
) -> dict[str, Any]:
    """Add each extra the body does not already carry (also under the body's form prefixes)."""
    sent = dict(body)
    prefixes = {key.split("-", 1)[0] + "-" for key in body if "-" in key} if form else set()
    for name, value in extras.items():
        if name in legitimate:
            continue
        for key in (name, *(prefix + name for prefix in prefixes)):
            if key in body:
                continue
            if form and isinstance(value, bool):
                value = "on" if value else ""
            sent[key] = value
    return sent


WRITE_RULES = [
    rule
    for rule in policy.rules()
    if rule.method in ("POST", "PUT", "PATCH")
    and not rule.route.startswith("admin")
    and rule.route not in ("accounts:logout",)
    and _writers(rule)
]
CASES = [(rule, principal) for rule in WRITE_RULES for principal in _writers(rule)]
DOCUMENTED = _documented_fields()


def _send(
    world: World, rule: Rule, principal: str, body: dict[str, Any] | None, known: Known
) -> tuple[HttpResponseBase, dict[str, Any]]:
    """Send the request, take the snapshot it leaves, then roll it all back."""
    route = ROUTES[rule.route]
    kwargs = {
        name: value(world) if callable(value) else world.ids.get(value, value)
        for name, value in rule.args.items()
    }
    with rolled_back():
        response = call(
            world,
            principal,
            rule.method,
            route.path(kwargs),
            data=body,
            as_json=rule.json,
            keep=True,
        )
        return response, snapshot(known)


@pytest.mark.parametrize(
    ("rule", "principal"), CASES, ids=[f"{rule.label} as {who}" for rule, who in CASES]
)
def test_extra_fields_are_ignored_or_refused(
    rule: Rule, principal: str, world: World, db: None, request: pytest.FixtureRequest
) -> None:
    """The extras change nothing the plain request would not, or are refused outright."""

    def body() -> dict[str, Any]:
        return rule.data(world, principal) if rule.data else {}

    known = known_rows()
    before = snapshot(known)
    plain, after_plain = _send(world, rule, principal, body(), known)
    assert plain.status_code == rule.expect[principal], (
        f"the plain request answered {plain.status_code}: {body_text(plain)[-400:]}"
    )
    extras = _with_extras(
        body(), _extras(world), form=not rule.json, legitimate=_legitimate(rule, DOCUMENTED)
    )
    loaded, after_extras = _send(world, rule, principal, extras, known)
    add_to_summary(request.config, "mass assignment", {"checks": 2})
    assert loaded.status_code < 500, body_text(loaded)[-400:]
    if 400 <= loaded.status_code < 500:
        assert after_extras == before, "refused, yet something changed"
        if rule.surface.startswith("api"):
            assert '"code"' in body_text(loaded), "an API refusal names its error code"
        return
    assert loaded.status_code == plain.status_code, body_text(loaded)[-400:]
    changed = {
        label: (after_plain[label], after_extras[label])
        for label in after_plain
        if after_plain[label] != after_extras[label]
    }
    assert not changed, f"extra fields changed: {changed}"


def test_every_write_route_is_tried() -> None:
    """Each write route of the matrix is sent extras by at least one principal."""
    tried = {rule.route for rule in WRITE_RULES}
    wanted = {
        rule.route
        for rule in policy.rules()
        if rule.method in ("POST", "PUT", "PATCH")
        and not rule.route.startswith("admin")
        and rule.route != "accounts:logout"
        and any(_success(outcome) for outcome in rule.expect.values())
    }
    assert wanted <= tried, sorted(wanted - tried)


def test_a_supervisor_cannot_make_anyone_a_superuser_in_the_admin(world: World, db: None) -> None:
    """The user form of the admin leaves superuser status, groups and permissions alone."""
    from accounts.models import User

    target = world.people["agent_in"]
    path = reverse("admin:accounts_user_change", args=[target.pk])
    form = call(world, "supervisor", "GET", path)
    assert form.status_code == 200
    data = {
        "username": target.username,
        "email": target.email,
        "first_name": target.first_name,
        "last_name": "",
        "role": "agent",
        "preferred_language": "",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "date_joined_0": date.today().isoformat(),
        "date_joined_1": "10:00:00",
    }
    with rolled_back():
        response = call(world, "supervisor", "POST", path, data=data, keep=True)
        assert response.status_code in (200, 302)
        changed = User.objects.get(pk=target.pk)
        assert not changed.is_superuser
        assert not changed.is_staff  # staff follows the role, which stays agent


def test_a_supervisor_cannot_take_over_a_superusers_account(world: World, db: None) -> None:
    """The site owner's address and password are changed by superusers only."""
    from accounts.models import User

    owner = User.objects.create_superuser("site-owner-q7v", "owner@example.com", "an-owner-pass-7")
    change = reverse("admin:accounts_user_change", args=[owner.pk])
    assert call(world, "supervisor", "GET", change).status_code == 200  # may look
    taken = {"username": owner.username, "email": "supervisor@example.com", "role": "buyer"}
    assert call(world, "supervisor", "POST", change, data=taken).status_code == 403
    password = reverse("admin:auth_user_password_change", args=[owner.pk])
    assert call(world, "supervisor", "GET", password).status_code == 403
    delete = reverse("admin:accounts_user_delete", args=[owner.pk])
    assert call(world, "supervisor", "GET", delete).status_code == 403
    owner.refresh_from_db()
    assert (owner.email, owner.is_superuser) == ("owner@example.com", True)
