"""Each refused access leaves exactly one record on ``desk.security``: who, what and when.

Who is the user id or the API key's prefix and the client address; what is
the method, the path, the status and a stable reason; when is the record's
time. Django's own "Forbidden"/"Not Found" lines for the same answers are
not written a second time.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from api import services as api_services
from disputes.models import DisputeReason, WantedOutcome
from disputes.services import dispute_open
from orders.models import Order
from orders.services import shop_upsert
from support_desk.security_log import Refusal
from tests.disputes.conftest import delivered_order
from tests.factories import PASSWORD, SellerFactory, SupervisorFactory, api_key_with
from tests.tickets.conftest import Desk, build_desk, open_ticket
from tickets.models import Ticket
from webhooks.services import subscription_create

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
# Django's own loggers for answers the desk refused.
DJANGO_LOGGERS = ("django.request", "django.security.csrf")


@pytest.fixture
def desk(db: None) -> Desk:
    return build_desk()


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Capture every record the desk and Django write, from DEBUG up."""
    caplog.set_level(logging.DEBUG)
    for name in ("desk.security", *DJANGO_LOGGERS):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def refusals(logs: pytest.LogCaptureFixture) -> list[Refusal]:
    records = [record for record in logs.records if record.name == "desk.security"]
    assert all(record.levelno == logging.WARNING for record in records)
    return [record.refusal for record in records]  # type: ignore[attr-defined]


def django_copies(logs: pytest.LogCaptureFixture) -> list[str]:
    """Return the messages Django logged about 401, 403 and 404 answers."""
    return [
        record.getMessage()
        for record in logs.records
        if record.name in DJANGO_LOGGERS and getattr(record, "status_code", None) in (401, 403, 404)
    ]


def the_refusal(logs: pytest.LogCaptureFixture) -> Refusal:
    """Return the one refusal logged, failing if there is none or more than one."""
    found = refusals(logs)
    assert len(found) == 1, found
    assert django_copies(logs) == [], "Django logged the same refusal again"
    return found[0]


def logged_in(user: Any, **client_options: Any) -> Client:
    client = Client(**client_options)
    client.force_login(user)
    return client


# --- Pages ---------------------------------------------------------------------------------------


def test_buyer_opening_another_buyers_ticket_is_logged_once(
    desk: Desk, logs: pytest.LogCaptureFixture
) -> None:
    ticket = open_ticket(desk, now=NOW, buyer=desk.buyer)
    before = timezone.now()

    response = logged_in(desk.other_buyer).get(f"/help/requests/{ticket.pk}/")

    assert response.status_code == 404
    refusal = the_refusal(logs)
    assert refusal.status == 404
    assert refusal.reason == "ticket_not_yours"
    assert (refusal.method, refusal.path) == ("GET", f"/help/requests/{ticket.pk}/")
    assert refusal.user_id == desk.other_buyer.pk
    assert refusal.api_key_prefix is None
    assert refusal.ip == "127.0.0.1"
    assert refusal.request_id
    record = next(r for r in logs.records if r.name == "desk.security")
    assert record.created >= before.timestamp()
    message = record.getMessage()
    assert f"user={desk.other_buyer.pk}" in message and "ticket_not_yours" in message


def test_a_ticket_that_does_not_exist_is_not_a_refusal(
    desk: Desk, logs: pytest.LogCaptureFixture
) -> None:
    missing = 987_654_321
    assert not Ticket.objects.filter(pk=missing).exists()

    response = logged_in(desk.other_buyer).get(f"/help/requests/{missing}/")

    assert response.status_code == 404
    assert refusals(logs) == []


def buyers_order(desk: Desk) -> Order:
    """Return an order of ``desk.buyer``, delivered three days ago."""
    shop = shop_upsert(slug="kitchen-shop", name="Kitchen shop", seller=SellerFactory())
    return delivered_order(
        shop, desk.buyer, "MP-5001", delivered=timezone.now() - timedelta(days=3)
    )


def test_a_buyer_opening_another_buyers_dispute_is_logged_once(
    desk: Desk, logs: pytest.LogCaptureFixture
) -> None:
    order = buyers_order(desk)
    dispute = dispute_open(
        buyer=desk.buyer,
        order_number=order.number,
        reason=DisputeReason.DAMAGED,
        wanted_outcome=WantedOutcome.FULL_REFUND,
        description="The kettle arrived cracked.",
        now=timezone.now(),
    )

    response = logged_in(desk.other_buyer).get(f"/help/disputes/{dispute.pk}/")

    assert response.status_code == 404
    refusal = the_refusal(logs)
    assert (refusal.status, refusal.reason, refusal.user_id) == (
        404,
        "dispute_not_yours",
        desk.other_buyer.pk,
    )


def test_a_dispute_on_another_buyers_order_is_refused_once(
    desk: Desk, logs: pytest.LogCaptureFixture
) -> None:
    order = buyers_order(desk)
    client = APIClient()
    client.force_login(desk.other_buyer)

    response = client.post(
        "/api/v1/disputes/",
        {
            "order": order.number,
            "reason": DisputeReason.DAMAGED,
            "wanted_outcome": WantedOutcome.FULL_REFUND,
            "description": "Someone else's kettle.",
        },
        format="json",
    )

    assert response.status_code == 404
    refusal = the_refusal(logs)
    assert (refusal.reason, refusal.user_id) == ("order_not_yours", desk.other_buyer.pk)


def test_a_buyer_on_the_agent_workspace_is_refused_once(
    desk: Desk, logs: pytest.LogCaptureFixture
) -> None:
    response = logged_in(desk.buyer).get("/agent/")

    assert response.status_code == 403
    refusal = the_refusal(logs)
    assert (refusal.status, refusal.reason, refusal.path) == (403, "permission_denied", "/agent/")
    assert refusal.user_id == desk.buyer.pk


def test_a_page_form_posted_without_csrf_token_is_refused_once(
    desk: Desk, logs: pytest.LogCaptureFixture
) -> None:
    ticket = open_ticket(desk, now=NOW, buyer=desk.buyer)
    client = logged_in(desk.buyer, enforce_csrf_checks=True)

    response = client.post(f"/help/requests/{ticket.pk}/reply/", {"body": "Any news?"})

    assert response.status_code == 403
    refusal = the_refusal(logs)
    assert (refusal.status, refusal.reason, refusal.method) == (403, "csrf_failed", "POST")
    assert refusal.detail == "CSRF cookie not set."
    assert refusal.user_id == desk.buyer.pk


def test_a_failed_log_in_is_logged_once_without_the_password(
    desk: Desk, logs: pytest.LogCaptureFixture
) -> None:
    wrong = "not-the-password-" + PASSWORD
    response = Client().post(
        "/accounts/login/", {"username": desk.buyer.username, "password": wrong}
    )

    assert response.status_code == 200  # the form again, with its error
    refusal = the_refusal(logs)
    assert (refusal.reason, refusal.method, refusal.path) == (
        "login_failed",
        "POST",
        "/accounts/login/",
    )
    assert refusal.user_id is None
    assert refusal.detail == f"account {desk.buyer.pk}"
    assert all(wrong not in record.getMessage() for record in logs.records)


def test_a_log_in_lockout_is_refused_once_per_attempt(
    desk: Desk, logs: pytest.LogCaptureFixture, settings: Any
) -> None:
    settings.DESK_LOGIN_LIMIT_PER_ACCOUNT = 2
    client = Client()
    for _attempt in range(2):
        client.post("/accounts/login/", {"username": desk.buyer.username, "password": "wrong-1"})
    logs.clear()

    locked = client.post(
        "/accounts/login/", {"username": desk.buyer.username, "password": PASSWORD}
    )

    assert locked.status_code == 429
    refusal = the_refusal(logs)
    assert (refusal.reason, refusal.method, refusal.path) == (
        "login_locked",
        "POST",
        "/accounts/login/",
    )


def test_an_admin_log_in_lockout_is_refused_once(
    desk: Desk, logs: pytest.LogCaptureFixture, settings: Any
) -> None:
    settings.DESK_LOGIN_LIMIT_PER_ACCOUNT = 1
    supervisor = SupervisorFactory()
    client = Client()
    client.post("/admin/login/", {"username": supervisor.username, "password": "wrong-1"})
    logs.clear()

    client.post("/admin/login/", {"username": supervisor.username, "password": PASSWORD})

    refusal = the_refusal(logs)
    assert (refusal.reason, refusal.path) == ("login_locked", "/admin/login/")
    assert refusal.detail == f"account {supervisor.pk}"


def test_a_path_cannot_forge_a_second_log_line(desk: Desk, logs: pytest.LogCaptureFixture) -> None:
    # A username in the path may hold anything, a line break too.
    response = APIClient().get("/api/v1/buyers/x%0A2026-01-01 WARNING desk.security forged/")

    assert response.status_code == 401
    refusal = the_refusal(logs)
    assert refusal.path == "/api/v1/buyers/x\\x0a2026-01-01 WARNING desk.security forged/"
    for record in logs.records:
        assert "\n" not in record.getMessage()


# --- API -----------------------------------------------------------------------------------------


def bearer(raw_key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    return client


def test_a_revoked_key_is_refused_and_logged_by_its_prefix(
    desk: Desk, logs: pytest.LogCaptureFixture
) -> None:
    api_key, raw_key = api_key_with("tickets:read")
    api_services.api_key_revoke(api_key=api_key, now=timezone.now())

    response = bearer(raw_key).get("/api/v1/tickets/", REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 401
    refusal = the_refusal(logs)
    assert (refusal.status, refusal.reason) == (401, "api_key_revoked")
    assert refusal.api_key_prefix == api_key.prefix
    assert (refusal.user_id, refusal.ip) == (None, "203.0.113.9")
    assert all(raw_key not in record.getMessage() for record in logs.records)


@pytest.mark.parametrize(
    ("presented", "reason"),
    [
        (lambda raw: raw[:-4] + "AAAA", "api_key_wrong_secret"),
        (lambda raw: "sdk_zzzzzzzz_" + raw.rsplit("_", 1)[1], "api_key_unknown"),
        (lambda raw: "not-a-key", "api_key_malformed"),
    ],
)
def test_a_refused_key_says_why(
    desk: Desk, logs: pytest.LogCaptureFixture, presented: Any, reason: str
) -> None:
    _api_key, raw_key = api_key_with("tickets:read")

    response = bearer(presented(raw_key)).get("/api/v1/tickets/")

    assert response.status_code == 401
    assert the_refusal(logs).reason == reason


def test_a_key_without_the_scope_is_refused_once(
    desk: Desk, logs: pytest.LogCaptureFixture
) -> None:
    api_key, raw_key = api_key_with("faq:read")

    response = bearer(raw_key).get("/api/v1/tickets/")

    assert response.status_code == 403
    refusal = the_refusal(logs)
    assert (refusal.reason, refusal.api_key_prefix) == ("missing_scope", api_key.prefix)


def test_an_api_call_over_the_rate_limit_is_refused_once(
    desk: Desk, logs: pytest.LogCaptureFixture, settings: Any
) -> None:
    settings.DESK_API_RATES = {**settings.DESK_API_RATES, "read": "1/min", "tickets:read": "1/min"}
    api_key, raw_key = api_key_with("tickets:read")
    client = bearer(raw_key)
    assert client.get("/api/v1/tickets/").status_code == 200
    logs.clear()

    response = client.get("/api/v1/tickets/")

    assert response.status_code == 429
    refusal = the_refusal(logs)
    assert (refusal.reason, refusal.api_key_prefix) == ("throttled", api_key.prefix)


def test_an_anonymous_api_call_is_refused_once(desk: Desk, logs: pytest.LogCaptureFixture) -> None:
    response = APIClient().get("/api/v1/tickets/")

    assert response.status_code == 401
    refusal = the_refusal(logs)
    assert (refusal.reason, refusal.user_id, refusal.api_key_prefix) == (
        "not_authenticated",
        None,
        None,
    )


def test_an_agent_outside_the_tickets_queue_is_refused_once_over_the_api(
    desk: Desk, logs: pytest.LogCaptureFixture
) -> None:
    # The Russian queue is not sam's: its tickets are not his to open.
    ticket = open_ticket(desk, now=NOW, buyer=desk.buyer, language="ru")
    ticket.refresh_from_db()
    ticket.queue = desk.ru_payment_refund
    ticket.save(update_fields=["queue"])
    client = APIClient()
    client.force_login(desk.agent)

    response = client.get(f"/api/v1/tickets/{ticket.pk}/")

    assert response.status_code == 404
    refusal = the_refusal(logs)
    assert (refusal.status, refusal.reason, refusal.user_id) == (
        404,
        "ticket_not_yours",
        desk.agent.pk,
    )


def test_a_key_asking_for_another_keys_webhook_is_refused_once(
    desk: Desk, logs: pytest.LogCaptureFixture, settings: Any
) -> None:
    settings.DESK_WEBHOOKS_ALLOW_PRIVATE = True
    owner, _raw = api_key_with("webhooks:read", "tickets:read")
    subscription, _secret = subscription_create(
        api_key=owner, url="http://127.0.0.1:9/hooks", events=["ticket.created"], now=NOW
    )
    other, other_raw = api_key_with("webhooks:read")

    response = bearer(other_raw).get(f"/api/v1/webhooks/{subscription.pk}/")

    assert response.status_code == 404
    refusal = the_refusal(logs)
    assert (refusal.reason, refusal.api_key_prefix) == ("webhook_not_yours", other.prefix)


def test_an_agent_using_a_buyers_operation_is_refused_once(
    desk: Desk, logs: pytest.LogCaptureFixture
) -> None:
    client = APIClient()
    client.force_login(desk.agent)

    response = client.post("/api/v1/tickets/", {"topic": "payment"}, format="json")

    assert response.status_code == 403
    refusal = the_refusal(logs)
    assert (refusal.reason, refusal.user_id) == ("role_not_allowed", desk.agent.pk)


def test_an_api_call_with_a_session_and_no_csrf_token_is_refused_once(
    desk: Desk, logs: pytest.LogCaptureFixture
) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(desk.buyer)

    response = client.post("/api/v1/tickets/", {"topic": "payment"}, format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    refusal = the_refusal(logs)
    assert (refusal.reason, refusal.user_id) == ("csrf_failed", desk.buyer.pk)
