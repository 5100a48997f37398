"""With Redis unreachable the cache answers as an empty one, and the API keeps answering.

Found by the chaos group (tests/chaos/test_redis_outage.py): every API call
answered 500 while Redis was down, because the rate limit's counter raised.
Runs everywhere: the cache points at a port where nothing listens.
"""

from __future__ import annotations

import logging

import pytest
from rest_framework.test import APIClient

from support_desk.cache import DeskRedisCache
from tests.factories import api_key_with

DEAD = "redis://127.0.0.1:9/0"


def test_an_unreachable_cache_misses_drops_writes_and_logs() -> None:
    cache = DeskRedisCache(DEAD, {})
    cache.set("answer", 42, timeout=30)
    assert cache.get("answer", "missing") == "missing"
    assert cache.get_many(["answer", "other"]) == {}
    assert cache.add("counter", 0, timeout=30) is False
    with pytest.raises(ValueError):
        cache.incr("counter")
    assert (
        cache.count_in_window("counter", 30) == 0
    )  # nothing counted: the API's limits let calls through
    assert cache.delete("answer") is False
    assert cache.has_key("answer") is False


def test_a_cache_error_that_is_not_about_the_connection_still_raises() -> None:
    cache = DeskRedisCache(DEAD, {})
    with pytest.raises(TypeError):
        cache.get_many(42)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_the_api_answers_while_its_rate_counters_are_unreachable(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from api import throttling

    monkeypatch.setattr(throttling, "cache", DeskRedisCache(DEAD, {}))
    _key, raw = api_key_with("faq:read")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    with caplog.at_level(logging.WARNING, logger="support_desk.cache"):
        answer = client.get("/api/v1/topics/")
    assert answer.status_code == 200
    assert any("Redis is unreachable" in r.getMessage() for r in caplog.records)
