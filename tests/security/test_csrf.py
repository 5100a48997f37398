"""No state change rides on a session without its CSRF token, on any route the resolver knows.

Every route is sent POST, PUT, PATCH and DELETE without a token by a client
that checks CSRF as a browser's would be checked (``enforce_csrf_checks``),
signed in as a buyer and as the supervisor (and anonymous, for the pages:
log-in and sign-up forms are protected too). Each must be refused as a CSRF
failure before the view runs: Django's 403 on pages, DRF's
``CSRF Failed`` 403 in the API (SessionAuthentication checks the token of
session callers). No request may write anything.

By design, API-key requests carry no session and need no token, and the
inbound-mail endpoint is called by a mail provider that signs each body
with a shared secret instead (``CSRF_EXEMPT``).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from tests.security.route_args import ask, count_checks, every_path
from tests.security.world import KEY_ALL, World
from tickets.models import Message

pytestmark = pytest.mark.django_db

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
# The refusal comes before any view runs and is told apart by its reason, so the
# role does not matter; a buyer and the supervisor (whose session could do most).
PEOPLE = ("buyer_a", "supervisor")
# Route names that take no CSRF token, and why.
CSRF_EXEMPT = {
    "inbound-mail": "called by the mail provider with an HMAC-SHA256 signature of the body "
    "made with a shared secret; it reads no session",
}
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def refused_for_csrf(response: Any, *, api: bool, logged: list[logging.LogRecord] = ()) -> bool:
    """Return whether ``response`` is a refusal for a missing or foreign CSRF token.

    Django's failure page and DRF's "CSRF Failed" say so in the body (JSON, or
    the schema view's own format); the API docs page draws the desk's plain 403
    page, and the refusal's ``csrf_failed`` record on desk.security says why.
    """
    if response.status_code != 403:
        return False
    if (b"CSRF Failed" if api else b"CSRF verification failed") in response.content:
        return True
    return any("csrf_failed" in record.getMessage() for record in logged)


def test_every_unsafe_method_on_every_route_needs_the_csrf_token(
    world: World, db: None, caplog: pytest.LogCaptureFixture, request: pytest.FixtureRequest
) -> None:
    caplog.set_level(logging.WARNING, logger="desk.security")
    failures: list[str] = []
    exempt_seen: set[str] = set()
    asked = 0
    for route, path in every_path(world):
        if route.name in CSRF_EXEMPT:
            exempt_seen.add(route.name)
            continue
        api = path.startswith("/api/")
        # DRF checks the token of session callers only: an anonymous API call has no
        # session to ride on. Every page checks it, log-in and sign-up included.
        principals = PEOPLE if api else ("anonymous", *PEOPLE)
        for principal in principals:
            for method in UNSAFE:
                asked += 1
                caplog.clear()
                with CaptureQueriesContext(connection) as queries:
                    response = ask(world, principal, method, path, enforce_csrf=True)
                where = f"{method} {path} as {principal}"
                if not refused_for_csrf(response, api=api, logged=caplog.records):
                    failures.append(f"{where}: answered {response.status_code}, not a CSRF 403")
                writes = [q["sql"][:120] for q in queries.captured_queries if WRITE.match(q["sql"])]
                if writes:
                    failures.append(f"{where}: wrote {writes}")
    count_checks(request.config, "CSRF (unsafe requests without a token)", asked)
    assert not failures, "\n".join(failures)
    assert exempt_seen == set(CSRF_EXEMPT), "an exempt route is gone: drop it from CSRF_EXEMPT"


def test_the_exempt_mail_endpoint_takes_nothing_unsigned(world: World, db: None) -> None:
    mail = b"From: buyer.a@example.com\r\nSubject: hi\r\n\r\nHello\r\n"
    with override_settings(DESK_INBOUND_SECRET="csrf-test-secret"):
        unsigned = ask(
            world, "buyer_a", "POST", "/api/inbound-mail/", data=mail, content_type="message/rfc822"
        )
        forged = hmac.new(b"another-secret", mail, hashlib.sha256).hexdigest()
        wrongly_signed = ask(
            world,
            "buyer_a",
            "POST",
            "/api/inbound-mail/",
            data=mail,
            content_type="message/rfc822",
            headers={"X-Desk-Signature": f"sha256={forged}"},
        )
    for response in (unsigned, wrongly_signed):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "bad_signature"


def _token(client: Client) -> str:
    """Return the CSRF token a page hands out (the cookie Django sets with a form)."""
    client.get("/help/")
    return str(client.cookies["csrftoken"].value)


def test_the_same_requests_with_the_token_go_through(world: World, db: None) -> None:
    # The refusals above are about the token: with it, the same session writes.
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["buyer_a"])
    token = _token(client)
    ticket = world.ids["ticket"]
    before = Message.objects.filter(ticket_id=ticket).count()

    page = client.post(
        f"/help/requests/{ticket}/reply/",
        {"body": "Sent from the page.", "csrfmiddlewaretoken": token},
    )
    api = client.post(
        f"/api/v1/tickets/{ticket}/messages/",
        {"body": "Sent from the app."},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )

    assert page.status_code == 302
    assert api.status_code == 201, api.content
    assert Message.objects.filter(ticket_id=ticket).count() == before + 2


def test_api_keys_need_no_token_and_a_session_api_write_does(world: World, db: None) -> None:
    path = f"/api/v1/tickets/{world.ids['ticket']}/messages/"
    body = {"body": "From the marketplace back end."}

    by_key = ask(
        world, KEY_ALL, "POST", path, enforce_csrf=True, data=body, content_type="application/json"
    )
    by_session = ask(
        world,
        "buyer_a",
        "POST",
        path,
        enforce_csrf=True,
        data=body,
        content_type="application/json",
    )

    assert by_key.status_code == 201, by_key.content
    assert by_session.status_code == 403
    assert by_session.json()["error"]["code"] == "csrf_failed"
    assert by_session.json()["error"]["message"].startswith("CSRF Failed")


@pytest.mark.parametrize(
    ("path", "api"),
    [("/help/requests/{ticket}/reply/", False), ("/api/v1/tickets/{ticket}/messages/", True)],
)
def test_a_valid_token_from_a_foreign_origin_is_refused(
    world: World, db: None, path: str, api: bool
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["buyer_a"])
    token = _token(client)
    before = Message.objects.count()

    response = client.post(
        path.format(**world.ids),
        {"body": "Posted by another site.", "csrfmiddlewaretoken": token},
        headers={"Origin": "https://evil.example", "X-CSRFToken": token},
    )

    assert refused_for_csrf(response, api=api)
    assert Message.objects.count() == before
