"""A Redis list that holds funnel events until a beat task stores them in bulk.

Recording a view is then one RPUSH on the request's path, and the database
sees one bulk insert every few seconds instead of a task and two writes per
view. Used in full mode (``REDIS_URL``); the embedded desk sends each event
to a Celery task instead. Events are analytics: a Redis restart may lose
the few seconds not yet stored.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import redis
from django.conf import settings

KEY = "faq:events"


def _key() -> str:
    """Return the buffer's key, under the cache's key prefix when one is set.

    Desks (or test processes) sharing one Redis database with their own
    cache prefix then keep their own buffers too.
    """
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    return f"{prefix}:{KEY}" if prefix else KEY


@cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def enabled() -> bool:
    """Return whether events are buffered in Redis (full mode)."""
    return bool(settings.REDIS_URL)


def push(event: dict[str, Any]) -> None:
    """Append one event to the buffer."""
    _client(settings.REDIS_URL).rpush(_key(), json.dumps(event))


def drain(*, max_events: int) -> list[dict[str, Any]]:
    """Take up to ``max_events`` of the oldest events out of the buffer, atomically."""
    pipe = _client(settings.REDIS_URL).pipeline(transaction=True)
    key = _key()
    pipe.lrange(key, 0, max_events - 1)
    pipe.ltrim(key, max_events, -1)
    raw, _ = pipe.execute()
    return [json.loads(item) for item in raw]
