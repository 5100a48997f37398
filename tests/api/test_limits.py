"""Rate limits per API key and scope (429 with Retry-After) and the request size limit."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from api import throttling
from support_desk.env import EnvError, env_rates
from tests.factories import BuyerFactory, api_key_with
from tests.tickets.conftest import Desk, build_desk

pytestmark = pytest.mark.django_db

TICKETS = "/api/v1/tickets/"
# 10:00:30 into a minute window: 30 s are left of it.
FROZEN = 1_800_000_030.0


@pytest.fixture
def desk(db: None) -> Desk:
    return build_desk()


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(throttling.time, "time", lambda: FROZEN)


def _client(*scopes: str) -> APIClient:
    _key, raw = api_key_with(*scopes)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def _ticket_body(n: int) -> dict[str, Any]:
    return {
        "topic": "payment",
        "subject": f"Charged twice #{n}",
        "description": "Two charges for one order.",
        "language": "en",
        "order_number": "MP-1001",
        "transaction_id": f"TX-{n}",
        "amount": "59.90",
        "buyer_email": f"buyer{n}@example.com",
    }


def test_a_key_over_its_read_rate_gets_429_with_retry_after_and_others_go_on(
    desk: Desk, settings: Any
) -> None:
    settings.DESK_API_RATES = {**settings.DESK_API_RATES, "read": "3/min", "tickets:read": "3/min"}
    busy, quiet = _client("tickets:read"), _client("tickets:read")
    assert [busy.get(TICKETS).status_code for _ in range(3)] == [200, 200, 200]

    refused = busy.get(TICKETS)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"
    assert refused["Retry-After"] == "30"
    assert quiet.get(TICKETS).status_code == 200


def test_each_scope_has_its_own_budget(desk: Desk, settings: Any) -> None:
    settings.DESK_API_RATES = {
        **settings.DESK_API_RATES,
        "tickets:write": "2/min",
        "tickets:read": "100/min",
    }
    client = _client("tickets:read", "tickets:write")
    created = [client.post(TICKETS, _ticket_body(n), format="json").status_code for n in range(3)]
    assert created == [201, 201, 429]
    # Reading is counted apart from writing.
    assert client.get(TICKETS).status_code == 200


def test_signed_in_people_have_a_budget_too(desk: Desk, settings: Any) -> None:
    settings.DESK_API_RATES = {**settings.DESK_API_RATES, "tickets:read": "1/min"}
    client = APIClient()
    client.force_authenticate(BuyerFactory())
    assert client.get(TICKETS).status_code == 200
    assert client.get(TICKETS).status_code == 429


def test_an_oversized_request_is_refused_before_it_is_read(desk: Desk, settings: Any) -> None:
    settings.DESK_API_MAX_BODY_MB = 1
    client = _client("tickets:write")
    body = {**_ticket_body(1), "description": "x" * (1024 * 1024 + 10)}
    refused = client.post(TICKETS, body, format="json")
    assert refused.status_code == 413
    assert refused.json()["error"] == {
        "code": "request_too_large",
        "message": "A request to the API may hold at most 1 MB.",
        "details": {"max_mb": 1},
    }


def test_rates_come_from_the_environment_and_bad_ones_stop_the_start() -> None:
    rates = env_rates(
        "DESK_API_RATES",
        {"read": "1200/min", "write": "300/min"},
        environ={"DESK_API_RATES": "read=50/s, tickets:write=60/min"},
    )
    assert rates == {"read": "50/s", "write": "300/min", "tickets:write": "60/min"}
    with pytest.raises(EnvError, match="tickets:write"):
        env_rates("DESK_API_RATES", {}, environ={"DESK_API_RATES": "tickets:write=lots"})
