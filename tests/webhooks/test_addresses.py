"""Webhooks go only to public http(s) addresses, checked at subscription and again at each send."""

from __future__ import annotations

import ipaddress
import re
import socket
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import api_key_with
from tests.tickets.conftest import Desk, open_ticket
from tests.webhooks.conftest import Receiver, build_payloads, deliveries_of, subscribe
from webhooks.addresses import WebhookUrlRefused, address_is_public, url_check
from webhooks.models import DeliveryState
from webhooks.services import delivery_send

REFUSED_URLS = [
    "http://127.0.0.1:8000/hooks",
    "http://127.1/hooks",
    "http://10.1.2.3/hooks",
    "http://172.16.0.9/hooks",
    "http://192.168.1.20/hooks",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/",
    "http://0.0.0.0:9000/",
    "http://224.0.0.1/",
    "http://240.0.0.1/",
    "http://[::1]:8000/hooks",
    "http://[::]/",
    "http://[fe80::1]/",
    "http://[fd00::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[64:ff9b::a00:1]/",
    "http://localhost:8000/hooks",
]


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_loopback_private_link_local_and_special_addresses_are_refused(url: str) -> None:
    with pytest.raises(WebhookUrlRefused, match="not a public address"):
        url_check(url, allow_private=False)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/hooks", "http://[::1]/", "http://10.0.0.7/"]
)
def test_the_setting_lets_private_addresses_through(url: str) -> None:
    assert url_check(url, allow_private=True).address in ("127.0.0.1", "::1", "10.0.0.7")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://93.184.215.14/hooks", "http or https"),
        ("file:///etc/passwd", "http or https"),
        ("https://", "no host"),
        ("hooks.example.com/desk", "http or https"),
        ("http://user:secret@93.184.215.14/", "credentials"),
        ("http://93.184.215.14:99999/", "not a URL"),
    ],
)
def test_only_plain_http_and_https_urls_are_taken(url: str, reason: str) -> None:
    with pytest.raises(WebhookUrlRefused, match=reason):
        url_check(url, allow_private=True)


def test_public_addresses_are_taken_and_the_checked_address_is_the_one_used() -> None:
    target = url_check("https://93.184.215.14/hooks/desk?x=1", allow_private=False)
    assert (target.scheme, target.host, target.port) == ("https", "93.184.215.14", 443)
    assert (target.path, target.address) == ("/hooks/desk?x=1", "93.184.215.14")
    assert url_check("http://[2606:4700:4700::1111]:8080/", allow_private=False).port == 8080


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("169.254.1.1", False),
        ("::ffff:10.0.0.1", False),
        ("2002:7f00:1::", False),  # 6to4 around 127.0.0.1
        ("ff02::1", False),
    ],
)
def test_address_is_public(address: str, public: bool) -> None:
    assert address_is_public(ipaddress.ip_address(address)) is public


def _resolving_to(monkeypatch: pytest.MonkeyPatch, answers: dict[str, str]) -> None:
    """Make DNS answer ``answers`` for these names (and really resolve any other)."""
    real = socket.getaddrinfo

    def fake(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)


def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    _resolving_to(monkeypatch, {"hooks.internal.example": "10.20.30.40"})
    with pytest.raises(WebhookUrlRefused, match=re.escape("10.20.30.40")):
        url_check("https://hooks.internal.example/desk", allow_private=False)


def test_a_url_to_127_0_0_1_is_refused_by_the_api_when_the_setting_is_off(
    db: None, settings: Any
) -> None:
    settings.DESK_WEBHOOKS_ALLOW_PRIVATE = False
    _key, raw = api_key_with("tickets:read", "webhooks:write")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    for url in ("http://127.0.0.1:9000/hooks", "http://[::1]/", "http://localhost/"):
        response = client.post(
            "/api/v1/webhooks/", {"url": url, "events": ["ticket.created"]}, format="json"
        )
        assert response.status_code == 400, url
        error = response.json()["error"]
        assert error["code"] == "webhook_url_refused"
        assert "public address" in error["details"]["url"]
    settings.DESK_WEBHOOKS_ALLOW_PRIVATE = True
    response = client.post(
        "/api/v1/webhooks/",
        {"url": "http://127.0.0.1:9000/hooks", "events": ["ticket.created"]},
        format="json",
    )
    assert response.status_code == 201, response.json()


def test_dns_that_changes_to_a_private_address_is_refused_at_send_time(
    desk: Desk,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A name that was public when subscribed and points inside later gets nothing sent."""
    port = receiver.url.split(":")[2].split("/")[0]
    _resolving_to(monkeypatch, {"hooks.partner.example": "93.184.215.14"})
    subscription, _secret = subscribe(
        f"http://hooks.partner.example:{port}/desk", ["ticket.created"]
    )
    with django_capture_on_commit_callbacks() as callbacks:
        open_ticket(desk, now=timezone.now())
    build_payloads(callbacks)
    _resolving_to(monkeypatch, {"hooks.partner.example": "127.0.0.1"})

    [delivery] = deliveries_of(subscription)
    assert delivery_send(delivery_id=delivery.pk, now=timezone.now()) == "retry"
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING
    assert "127.0.0.1, which is not a public address" in delivery.last_error
    assert delivery.response_code is None
    assert receiver.received == []
