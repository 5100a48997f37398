"""Sign and post one webhook body: no database.

The body is signed with HMAC-SHA256 over ``"<timestamp>.<body>"``, so a
receiver knows the desk sent it and can refuse an old one replayed. The
request goes to the address ``webhooks.addresses.url_check`` approved (no
second DNS look-up for an attacker to answer differently), follows no
redirect and uses no proxy.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import socket
import ssl
from dataclasses import dataclass
from typing import Any

from webhooks.addresses import Target, WebhookUrlRefused, url_check

USER_AGENT = "SupportDesk-Webhooks/1"
# Enough of an answer to read for the connection to close cleanly; the rest is ignored.
READ_AT_MOST = 64 * 1024


def payload_body(payload: dict[str, Any]) -> bytes:
    """Return the bytes sent for a payload (and signed): compact UTF-8 JSON."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def signature_header(*, secret: str, timestamp: int, body: bytes) -> str:
    """Return ``X-Desk-Signature``: ``t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">``."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to a checked address, while the Host header names the URL's host."""

    def __init__(self, target: Target, *, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a checked address; the certificate is checked against the URL's host."""

    def __init__(self, target: Target, *, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address
        self._tls = ssl.create_default_context()

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to: the answer's status, or why there was none."""

    status: int | None
    error: str = ""

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def webhook_post(
    *,
    url: str,
    body: bytes,
    headers: dict[str, str],
    timeout: float,
    allow_private: bool,
) -> Outcome:
    """POST ``body`` to ``url`` once; return the outcome, never raise for the network's faults.

    The URL is checked again first (WebhookUrlRefused becomes an outcome too).
    """
    try:
        target = url_check(url, allow_private=allow_private)
    except WebhookUrlRefused as refused:
        return Outcome(status=None, error=refused.message)
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target, timeout=timeout)
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                **headers,
            },
        )
        response = connection.getresponse()
        response.read(READ_AT_MOST)
    except (OSError, http.client.HTTPException) as error:
        return Outcome(status=None, error=f"{type(error).__name__}: {error}"[:300])
    finally:
        connection.close()
    if 200 <= response.status < 300:
        return Outcome(status=response.status)
    return Outcome(
        status=response.status,
        error=f"HTTP {response.status} {response.reason}"[:300],
    )
