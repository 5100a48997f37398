"""/healthz and /readyz, as a load balancer sees them."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from support_desk import health


def test_healthz_answers_without_touching_the_database(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_200_and_names_each_check(client: Client) -> None:
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ready"
    assert {"database", "broker"} <= set(body["checks"])
    assert all(check["ok"] for check in body["checks"].values())


@pytest.mark.django_db
def test_readyz_is_503_when_a_check_fails(
    client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise ConnectionError("Error 111 connecting to 10.0.0.7:6399. Connection refused.")

    monkeypatch.setattr(health, "_check_broker", broken)
    with caplog.at_level(logging.WARNING, logger="support_desk.health"):
        response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    # The public answer names no host or port; the log says what failed.
    assert "10.0.0.7" not in response.content.decode()
    assert "Connection refused" in caplog.text


@pytest.mark.django_db
def test_readyz_reports_an_unreachable_broker(client: Client, settings: Settings) -> None:
    """A real connection attempt to a port where nothing listens fails the check."""
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


@pytest.mark.integration
@pytest.mark.django_db
def test_readyz_in_full_mode_checks_redis_cache_and_broker(client: Client, redis_url: str) -> None:
    body = client.get("/readyz").json()
    assert body["mode"] == "full"
    assert body["checks"]["cache"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
