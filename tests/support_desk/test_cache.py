"""The Redis cache of full mode works, reuses its client and counts in one round trip."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache.backends.locmem import LocMemCache

from support_desk.cache import DeskRedisCache, cache_count


@pytest.mark.integration
def test_redis_cache_round_trip_with_one_client(redis_url: str) -> None:
    cache = DeskRedisCache(redis_url, {"KEY_PREFIX": "test-cache"})
    cache.set("answer", {"n": 42}, timeout=30)
    assert cache.get("answer") == {"n": 42}
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    cache.delete("answer")
    assert cache.get("answer") is None


@pytest.mark.integration
def test_clearing_a_prefixed_cache_leaves_other_prefixes_alone(redis_url: str) -> None:
    mine = DeskRedisCache(redis_url, {"KEY_PREFIX": "test-cache-mine"})
    theirs = DeskRedisCache(redis_url, {"KEY_PREFIX": "test-cache-theirs"})
    mine.set("topic", 1, timeout=30)
    theirs.set("topic", 2, timeout=30)

    mine.clear()

    assert mine.get("topic") is None
    assert theirs.get("topic") == 2
    theirs.delete("topic")


@pytest.mark.integration
def test_a_counter_counts_once_per_call_and_expires_with_its_window(redis_url: str) -> None:
    cache = DeskRedisCache(redis_url, {"KEY_PREFIX": "test-cache-count"})
    cache.delete("calls")

    counts = [cache_count(cache, key="calls", timeout=30) for _ in range(3)]

    assert counts == [1, 2, 3]
    assert cache.get("calls") == 3
    client = cache._cache.get_client(write=True)
    assert 0 < client.ttl(cache.make_key("calls")) <= 30  # counting keeps the window's end
    cache.delete("calls")


@pytest.mark.integration
def test_parallel_counts_each_get_their_own_number(redis_url: str) -> None:
    cache = DeskRedisCache(redis_url, {"KEY_PREFIX": "test-cache-count"})
    cache.delete("parallel")

    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = list(
            pool.map(lambda _: cache_count(cache, key="parallel", timeout=30), range(200))
        )

    assert sorted(counts) == list(range(1, 201))
    cache.delete("parallel")


@pytest.mark.integration
def test_the_default_cache_counts_in_one_round_trip(
    redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.cache import cache  # a proxy of the settings' Redis cache

    def three_round_trips(*args: object, **kwargs: object) -> None:
        raise AssertionError("counted with add and incr")

    monkeypatch.setattr(DeskRedisCache, "add", three_round_trips)
    cache.delete("proxied")

    assert [cache_count(cache, key="proxied", timeout=30) for _ in range(2)] == [1, 2]
    cache.delete("proxied")


def test_other_caches_count_with_add_and_incr() -> None:
    cache = LocMemCache("counting", {})

    assert [cache_count(cache, key="calls", timeout=30) for _ in range(3)] == [1, 2, 3]
    assert cache.get("calls") == 3
