"""The Redis cache of full mode works and reuses its client."""

from __future__ import annotations

import pytest

from support_desk.cache import DeskRedisCache

pytestmark = pytest.mark.integration


def test_redis_cache_round_trip_with_one_client(redis_url: str) -> None:
    cache = DeskRedisCache(redis_url, {"KEY_PREFIX": "test-cache"})
    cache.set("answer", {"n": 42}, timeout=30)
    assert cache.get("answer") == {"n": 42}
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    cache.delete("answer")
    assert cache.get("answer") is None


def test_clearing_a_prefixed_cache_leaves_other_prefixes_alone(redis_url: str) -> None:
    mine = DeskRedisCache(redis_url, {"KEY_PREFIX": "test-cache-mine"})
    theirs = DeskRedisCache(redis_url, {"KEY_PREFIX": "test-cache-theirs"})
    mine.set("topic", 1, timeout=30)
    theirs.set("topic", 2, timeout=30)

    mine.clear()

    assert mine.get("topic") is None
    assert theirs.get("topic") == 2
    theirs.delete("topic")
