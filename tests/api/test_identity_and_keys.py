"""API keys: who is calling, scopes, revocation, and the JSON error envelope."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api import services
from api.models import ApiKey
from api.scopes import UnknownScope
from tests.factories import AgentFactory, BuyerFactory, api_key_with

pytestmark = pytest.mark.django_db


def bearer(raw_key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    return client


def test_me_names_the_key_and_its_scopes() -> None:
    api_key, raw_key = api_key_with("tickets:read", "buyers:read", name="marketplace")
    response = bearer(raw_key).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json() == {
        "kind": "api_key",
        "username": None,
        "role": None,
        "language": None,
        "api_key": {
            "name": "marketplace",
            "prefix": api_key.prefix,
            "scopes": ["buyers:read", "tickets:read"],
        },
    }


def test_me_names_the_signed_in_person() -> None:
    agent = AgentFactory(username="sam", preferred_language="el")
    client = APIClient()
    client.force_login(agent)
    body = client.get("/api/v1/me").json()
    assert body == {
        "kind": "user",
        "username": "sam",
        "role": "agent",
        "language": "el",
        "api_key": None,
    }


def test_key_is_stored_only_as_a_hash() -> None:
    api_key, raw_key = api_key_with("buyers:read")
    stored = ApiKey.objects.get(pk=api_key.pk)
    assert raw_key not in {stored.key_hash, stored.prefix, stored.name}
    assert raw_key.startswith(f"sdk_{stored.prefix}_")
    assert len(stored.key_hash) == 64


def test_no_credentials_is_json_401() -> None:
    response = APIClient().get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("raw_key", ["sdk_deadbeef_nope", "garbage", "sdk_short_x", "sdk_"])
def test_unknown_or_malformed_key_is_json_401(raw_key: str) -> None:
    api_key_with("buyers:read")
    response = bearer(raw_key).get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "invalid_api_key",
        "message": "The API key is unknown, malformed or revoked.",
        "details": None,
    }


def test_a_key_with_a_wrong_secret_but_right_prefix_is_refused() -> None:
    _, raw_key = api_key_with("buyers:read")
    forged = raw_key[:-4] + ("AAAA" if not raw_key.endswith("AAAA") else "BBBB")
    response = bearer(forged).get("/api/v1/me")
    assert response.status_code == 401


def test_revoked_key_is_json_401_and_stays_revoked() -> None:
    api_key, raw_key = api_key_with("buyers:read")
    assert bearer(raw_key).get("/api/v1/me").status_code == 200
    assert services.api_key_revoke(api_key=api_key, now=timezone.now()) is True
    assert services.api_key_revoke(api_key=api_key, now=timezone.now()) is False
    response = bearer(raw_key).get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_api_key"


def test_missing_scope_is_json_403_with_stable_code() -> None:
    _, raw_key = api_key_with("tickets:read")
    response = bearer(raw_key).get("/api/v1/buyers/")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "missing_scope"
    assert "buyers:read" in error["message"]


def test_key_with_scope_lists_buyers_only() -> None:
    BuyerFactory(username="ann")
    AgentFactory(username="sam")
    _, raw_key = api_key_with("buyers:read")
    response = bearer(raw_key).get("/api/v1/buyers/")
    assert response.status_code == 200
    assert [b["username"] for b in response.json()["results"]] == ["ann"]


def test_buyer_lookup_by_email_and_unknown_username_is_json_404() -> None:
    BuyerFactory(username="ann", email="Ann@Example.com")
    _, raw_key = api_key_with("buyers:read")
    client = bearer(raw_key)
    found = client.get("/api/v1/buyers/", {"email": "ann@example.com"}).json()["results"]
    assert [b["username"] for b in found] == ["ann"]
    assert client.get("/api/v1/buyers/ann/").json()["username"] == "ann"
    missing = client.get("/api/v1/buyers/nobody/")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_buyer_list_is_cursor_paginated() -> None:
    for n in range(5):
        BuyerFactory(username=f"b{n}")
    _, raw_key = api_key_with("buyers:read")
    client = bearer(raw_key)
    first = client.get("/api/v1/buyers/", {"page_size": 2}).json()
    assert [b["username"] for b in first["results"]] == ["b4", "b3"]
    second = client.get(first["next"]).json()
    assert [b["username"] for b in second["results"]] == ["b2", "b1"]
    assert "cursor=" in first["next"]


def test_session_buyer_may_not_list_buyers() -> None:
    buyer = BuyerFactory()
    client = APIClient()
    client.force_login(buyer)
    response = client.get("/api/v1/buyers/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "role_not_allowed"


def test_session_agent_may_list_buyers() -> None:
    BuyerFactory(username="ann")
    client = APIClient()
    client.force_login(AgentFactory())
    assert [b["username"] for b in client.get("/api/v1/buyers/").json()["results"]] == ["ann"]


def test_unknown_api_url_is_json_404() -> None:
    response = APIClient().get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


def test_wrong_method_is_json_405() -> None:
    _, raw_key = api_key_with("buyers:read")
    response = bearer(raw_key).post("/api/v1/me", {}, format="json")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_issue_refuses_unknown_scopes() -> None:
    with pytest.raises(UnknownScope, match="unknown scope"):
        services.api_key_issue(name="x", scopes=["tickets:read", "root"])
    assert not ApiKey.objects.exists()


def test_last_used_is_recorded_without_a_write_per_request() -> None:
    api_key, raw_key = api_key_with("buyers:read")
    client = bearer(raw_key)
    client.get("/api/v1/me")
    first_use = ApiKey.objects.get(pk=api_key.pk).last_used_at
    assert first_use is not None
    client.get("/api/v1/me")
    assert ApiKey.objects.get(pk=api_key.pk).last_used_at == first_use
