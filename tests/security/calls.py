"""Make one request as one principal of the world, and leave the world as it was."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client

from tests.security.world import World

_shared: list[Client] = []


def client_for(world: World, principal: str) -> tuple[Client, dict[str, str]]:
    """Return the client, holding only ``principal``'s cookie, and the headers to send.

    One client serves every request: building one loads the middleware, and
    WhiteNoise then indexes every static file, which costs more than most
    requests.
    """
    if not _shared:
        _shared.append(Client())
    client = _shared[0]
    client.cookies = SimpleCookie()
    if principal in world.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[principal]
    headers: dict[str, str] = {}
    if principal in world.raw_keys:
        headers["Authorization"] = f"Bearer {world.raw_keys[principal]}"
    return client, headers


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run the block in a savepoint that is always rolled back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def call(
    world: World,
    principal: str,
    method: str,
    path: str,
    *,
    data: dict[str, Any] | None = None,
    as_json: bool = False,
    keep: bool = False,
) -> HttpResponseBase:
    """Send ``method path`` as ``principal``; roll back what it wrote unless ``keep``."""
    client, headers = client_for(world, principal)
    kwargs: dict[str, Any] = {"headers": headers}
    if data is not None:
        if as_json and method != "GET":
            kwargs |= {"data": json.dumps(data), "content_type": "application/json"}
        else:
            # GET: a query string; POST: a multipart form, as a browser sends one.
            kwargs |= {"data": data}
    elif as_json and method in ("POST", "PUT", "PATCH"):
        kwargs |= {"data": "{}", "content_type": "application/json"}
    send = getattr(client, method.lower())
    if keep:
        return send(path, **kwargs)
    with rolled_back():
        return send(path, **kwargs)


def body_text(response: HttpResponseBase) -> str:
    """Return everything a response says: its headers and its body, streamed or not."""
    headers = "\n".join(f"{k}: {v}" for k, v in response.items())
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    else:
        content = response.content  # type: ignore[attr-defined]
    return headers + "\n" + content.decode("utf-8", "replace")
