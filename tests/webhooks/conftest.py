"""A local HTTP receiver for webhooks, and subscriptions made through the service."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone

from api.models import ApiKey
from tests.disputes.conftest import Market, market  # noqa: F401  (market: a fixture)
from tests.factories import api_key_with
from tests.tickets.conftest import Desk, build_desk
from webhooks import services
from webhooks.models import Delivery, Subscription
from webhooks.services import _PayloadFill

__all__ = ["Market"]


@dataclass
class Received:
    """One request the receiver got."""

    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """An integrator's endpoint on 127.0.0.1 that answers 503 to its first ``failures`` requests."""

    url: str
    failures: int = 0
    status: int = 204
    received: list[Received] = field(default_factory=list)
    refused: int = 0


def _handler(receiver: Receiver, lock: threading.Lock) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with lock:
                receiver.received.append(Received(self.path, dict(self.headers.items()), body))
                if receiver.failures:
                    receiver.failures -= 1
                    receiver.refused += 1
                    status = 503
                else:
                    status = receiver.status
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """Serve webhooks on a free port of 127.0.0.1 until the test ends."""
    lock = threading.Lock()
    holder = Receiver(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(holder, lock))
    holder.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/desk?source=support"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def closed_port_url() -> str:
    """Return a URL on 127.0.0.1 where nothing listens: a receiver that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hooks"


@pytest.fixture
def allow_private(settings: Any) -> None:
    """Let webhooks go to 127.0.0.1, as in local development."""
    settings.DESK_WEBHOOKS_ALLOW_PRIVATE = True


@pytest.fixture
def desk(db: None) -> Desk:
    return build_desk()


def subscribe(
    url: str, events: list[str], *scopes: str, api_key: ApiKey | None = None
) -> tuple[Subscription, str]:
    """Subscribe a key (a new one with ``scopes`` unless given) through the service."""
    if api_key is None:
        api_key, _raw = api_key_with(*(scopes or ("tickets:read", "disputes:read")))
    return services.subscription_create(api_key=api_key, url=url, events=events, now=timezone.now())


def build_payloads(callbacks: list[Any]) -> None:
    """Run what builds payloads after commit, and not the sends to the broker."""
    for callback in callbacks:
        if isinstance(callback, _PayloadFill):
            callback()


def verify_signature(secret: str, received: Received, *, at: datetime) -> dict[str, Any]:
    """Check a delivery as a receiver must (HMAC over "<t>.<body>", recent t); return its JSON."""
    fields = dict(part.split("=", 1) for part in received.headers["X-Desk-Signature"].split(","))
    timestamp = int(fields["t"])
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + received.body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(expected, fields["v1"]), "signature does not match"
    assert abs(at.timestamp() - timestamp) <= 300, "signature too old"
    return dict(received.json())


def deliveries_of(subscription: Subscription) -> list[Delivery]:
    return list(Delivery.objects.filter(subscription=subscription).order_by("id"))
