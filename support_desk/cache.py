"""Django's Redis cache, reusing one Redis client per connection pool.

Django's client builds a new ``redis.Redis`` for every cache call; each one
sets up its response callbacks (a few hundred dict writes), which costs more
than the network round trip on a page with several cache reads. A client is
thread-safe and holds no per-call state, so one per pool is enough.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


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


class DeskRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

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


def glob_escape(text: str) -> str:
    """Escape Redis glob characters, so a prefix matches only itself."""
    return "".join(f"\\{char}" if char in "*?[]\\" else char for char in text)
