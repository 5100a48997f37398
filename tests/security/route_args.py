"""Fill every route the resolver knows with objects of the security world, and ask it.

Shared by the walks over every route (safe methods, CSRF): each URL
argument gets an object the world holds (the ticket with files and notes,
the open dispute and claim with evidence, the webhook delivery, …), so the
views run on real rows rather than answering "not found".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.services import SignUpInvite, signup_link_token
from reports.selectors.report import figure_slugs
from tests.conftest import add_to_summary
from tests.security.routes import Route, all_routes
from tests.security.world import World
from tickets.models import Ticket


def _admin_model(route: Route) -> Any:
    """Return the model an admin route is about (admin/<app>/<model>/…), or None."""
    match = re.match(r"admin/(\w+)/(\w+)/", route.pattern)
    if match is None:
        return None
    try:
        model = apps.get_model(match[1], match[2])
    except LookupError:
        return None
    return model if admin.site.is_registered(model) else None


def _first_pk(model: Any) -> Any:
    pk = model.objects.order_by("pk").values_list("pk", flat=True).first()
    assert pk is not None, f"the world has no {model._meta.label} to open in the admin"
    return pk


def _arguments(route: Route, world: World) -> Iterator[dict[str, Any]]:
    """Yield each set of URL arguments worth asking ``route`` with (one, or one per choice)."""
    ids = world.ids
    names = route.converters()
    pattern = route.pattern
    claims = "warranty-claims/" in pattern or "claims/<" in pattern
    values: dict[str, Any] = {}
    choices: dict[str, list[Any]] = {}
    for name in names:
        if name == "ticket_id":
            values[name] = ids["ticket"]
        elif name == "attachment_id":
            values[name] = ids["attachment"]
        elif name == "entry_id":
            values[name] = ids["assistant_entry"] if "answers/" in pattern else ids["entry"]
        elif name == "way":
            choices[name] = ["chat", "email", "hotline"]
        elif name in ("dispute_id", "claim_id", "case_id"):
            values[name] = ids["claim" if claims else "dispute"]
        elif name == "evidence_id":
            values[name] = ids["claim_evidence" if claims else "evidence"]
        elif name == "question_id":
            values[name] = ids["question"]
        elif name in ("topic_slug", "topic"):
            values[name] = ids["topic"]
        elif name == "entry_slug":
            values[name] = ids["entry_slug"]
        elif name == "figure":
            choices[name] = figure_slugs(own=False)
        elif name == "username":
            values[name] = ids["agent" if "agents/" in pattern else "buyer"]
        elif name == "language":
            values[name] = "en"
        elif name == "slug":
            values[name] = ids["queue"]
        elif name == "day":
            values[name] = ids["holiday"]
        elif name == "policy_id":
            values[name] = ids["sla_policy"]
        elif name == "macro_id":
            values[name] = ids["macro"]
        elif name == "number":
            values[name] = ids["order"]
        elif name == "subscription_id":
            values[name] = ids["subscription"]
        elif name == "delivery_id":
            values[name] = ids["delivery"]
        elif name in ("user_id", "id"):
            values[name] = ids["user"]
        elif name == "app_label":
            choices[name] = re.search(r"\(\?P<app_label>([^)]*)\)", pattern)[1].split("|")  # type: ignore[index]
        elif name == "content_type_id":
            values[name] = ContentType.objects.get_for_model(Ticket).pk
        elif name == "object_id":
            model = _admin_model(route)
            values[name] = _first_pk(model) if model is not None else ids["ticket"]
        elif name == "url":
            values[name] = "no-such-page/"
        elif name == "token" and "signup" in pattern:
            invite = SignUpInvite(email="new.buyer@example.com", next_url="", language="en")
            values[name] = signup_link_token(invite)
        elif name == "token":
            values[name] = default_token_generator.make_token(world.people["buyer_a"])
        elif name == "uidb64":
            values[name] = urlsafe_base64_encode(force_bytes(world.people["buyer_a"].pk))
        else:
            raise AssertionError(f"{route.pattern}: nothing fills <{name}>; add it here")
    if not choices:
        yield values
        return
    [(name, options)] = choices.items()
    for option in options:
        yield {**values, name: option}


def every_path(world: World) -> list[tuple[Route, str]]:
    """Return every route with each path it is asked at."""
    return [
        (route, route.path(args)) for route in all_routes() for args in _arguments(route, world)
    ]


_clients: dict[bool, Client] = {}


def ask(
    world: World,
    principal: str,
    method: str,
    path: str,
    *,
    enforce_csrf: bool = False,
    headers: dict[str, str] | None = None,
    **kwargs: Any,
) -> Any:
    """Send ``method path`` as ``principal`` (a session, a key or "anonymous").

    One client per CSRF mode serves every request: building one loads the
    middleware, and WhiteNoise then indexes every static file, which costs
    more than most requests.
    """
    if enforce_csrf not in _clients:
        _clients[enforce_csrf] = Client(enforce_csrf_checks=enforce_csrf)
    client = _clients[enforce_csrf]
    client.cookies = SimpleCookie()
    headers = dict(headers or {})
    if principal in world.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[principal]
    elif principal in world.raw_keys:
        headers["Authorization"] = f"Bearer {world.raw_keys[principal]}"
    return getattr(client, method.lower())(path, headers=headers, **kwargs)


def count_checks(config: pytest.Config, what: str, n: int) -> None:
    """Add ``n`` to the checks of ``what`` shown in the test run's summary."""
    add_to_summary(config, what, {"checks": n})
