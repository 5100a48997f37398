"""Django's Redis cache, reusing one Redis client per connection pool, failing soft.

Django's client builds a new ``redis.Redis`` for every cache call; each one
sets up its response callbacks (a few hundred dict writes), which costs more
than the network round trip on a page with several cache reads. A client is
thread-safe and holds no per-call state, so one per pool is enough.

``cache_count`` counts in a window (the API's rate limits): one round trip
to Redis, where ``add`` then ``incr`` took three.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("support_desk.cache")


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own (private) helpers, not in the type stubs.
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
            client = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            self._clients[index] = client
        return client


class FailSoftRedisCacheClient(ReusingRedisCacheClient):
    """Answer as an empty cache while Redis is unreachable, instead of failing the request.

    A cache holds nothing that cannot be recomputed: with Redis down a read
    misses, a write is dropped, ``add`` adds nothing and ``incr`` finds no
    key (so the API's rate counters let calls through rather than answer
    500). Each failed call is logged as a warning.
    """

    def get(self, key: Any, default: Any) -> Any:
        with _soft("get"):
            return super().get(key, default)
        return default

    def get_many(self, keys: Any) -> dict[Any, Any]:
        with _soft("get_many"):
            return dict(super().get_many(keys))
        return {}

    def has_key(self, key: Any) -> bool:
        with _soft("has_key"):
            return bool(super().has_key(key))
        return False

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        with _soft("add"):
            return bool(super().add(key, value, timeout))
        return False

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        with _soft("set"):
            super().set(key, value, timeout)

    def set_many(self, data: Any, timeout: Any) -> None:
        with _soft("set_many"):
            super().set_many(data, timeout)

    def touch(self, key: Any, timeout: Any) -> bool:
        with _soft("touch"):
            return bool(super().touch(key, timeout))
        return False

    def delete(self, key: Any) -> bool:
        with _soft("delete"):
            return bool(super().delete(key))
        return False

    def delete_many(self, keys: Any) -> None:
        with _soft("delete_many"):
            super().delete_many(keys)

    def incr(self, key: Any, delta: int) -> int:
        with _soft("incr"):
            return int(super().incr(key, delta))
        raise ValueError(f"Key {key!r} not found (the cache is unreachable).")

    def count_in_window(self, key: Any, timeout: int) -> int:
        """Add one to the counter ``key``, started with ``timeout`` when new; return its count.

        One transaction (MULTI/EXEC): SET NX starts the counter with its
        expiry, INCR adds one and keeps the expiry. Django's ``incr`` asks
        whether the key exists first, so ``add`` then ``incr`` took three
        round trips. Returns 0 while Redis is unreachable: nothing counted.
        """
        with _soft("count_in_window"):
            pipeline = self.get_client(key, write=True).pipeline(transaction=True)
            pipeline.set(key, 0, ex=timeout, nx=True)
            pipeline.incr(key)
            return int(pipeline.execute()[1])
        return 0


@contextmanager
def _soft(operation: str) -> Iterator[None]:
    """Swallow and log Redis' connection errors (not others: a bug must still show)."""
    try:
        yield
    except (RedisConnectionError, RedisTimeoutError, OSError) as error:
        logger.warning("Cache %s skipped: Redis is unreachable (%s).", operation, error)


class DeskRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = FailSoftRedisCacheClient

    def clear(self) -> None:
        """Delete this cache's own keys; the whole database only when it has no KEY_PREFIX.

        Processes sharing a Redis database under their own prefixes (test
        runs side by side) then never wipe each other's entries.
        """
        if not self.key_prefix:
            super().clear()
            return
        client = self._cache.get_client(write=True)
        pattern = glob_escape(self.key_prefix) + ":*"
        batch: list[bytes] = []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) == 1000:
                client.delete(*batch)
                batch.clear()
        if batch:
            client.delete(*batch)

    def count_in_window(self, key: str, timeout: int, version: int | None = None) -> int:
        """Add one to the counter ``key`` (see ``cache_count``) and return its count."""
        client = cast(FailSoftRedisCacheClient, self._cache)
        return client.count_in_window(self.make_and_validate_key(key, version=version), timeout)


def cache_count(cache: BaseCache, *, key: str, timeout: int) -> int:
    """Add one to the counter ``key`` of ``cache`` and return its count.

    A new counter starts at 0 and expires ``timeout`` seconds later; the
    count is atomic, so parallel callers each get their own number. Redis
    does it in one round trip; other caches (the embedded desk's files) with
    ``add`` and ``incr``.
    """
    # Asked of the object, not its class: ``django.core.cache.cache`` is a proxy.
    count_in_window = getattr(cache, "count_in_window", None)
    if count_in_window is not None:
        return int(count_in_window(key, timeout))
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: this call starts the counter
        cache.set(key, 1, timeout=timeout)
        return 1


def glob_escape(text: str) -> str:
    """Escape Redis glob characters, so a prefix matches only itself."""
    return "".join(f"\\{char}" if char in "*?[]\\" else char for char in text)
