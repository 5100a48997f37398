"""Limits on password guesses and account mail, counted atomically in the cache.

A log-in attempt takes a slot in two counters before its password is
checked: one for the username tried, one for the client's address. A counter
lives ``DESK_LOGIN_LIMIT_WINDOW_SECONDS`` from its first attempt; once it
holds more than its limit (``DESK_LOGIN_LIMIT_PER_ACCOUNT``,
``DESK_LOGIN_LIMIT_PER_IP``) every further attempt is refused unchecked until
the window ends, the right password too. A successful log-in gives its slots
back: the account's count starts again, the address keeps only its failures.
Whether an account exists changes nothing here, so the limits reveal nothing.

Sign-up and password-reset requests take a slot of the address's counter as
well, and the mail they send is limited per recipient
(``DESK_LOGIN_LIMIT_MAILS_PER_EMAIL``), so the forms cannot flood a mailbox.

Taking a slot is one atomic step, so concurrent attempts cannot slip past a
limit: a Lua script on Redis (full mode); elsewhere a lock around the read and
the write, a file lock beside the file cache (which the embedded desk's
processes share) together with a thread lock. While Redis is unreachable
nothing is counted and attempts pass, each logged, as the rest of the cache
fails soft: an outage must not lock every person out of the desk.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

KEY_PREFIX = "login-limit"

# INCR, and on a counter's first attempt EXPIRE: the window runs from there.
# Returns the count and the seconds the window has left.
_TAKE_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
local left = redis.call('TTL', KEYS[1])
if left < 0 then
    redis.call('EXPIRE', KEYS[1], ARGV[1])
    left = tonumber(ARGV[1])
end
return {count, left}
"""
# DECR only a counter that still exists: a new one must not start below zero.
_GIVE_BACK_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 1 then
    return redis.call('DECR', KEYS[1])
end
return 0
"""

_thread_lock = threading.Lock()
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


@dataclass(frozen=True)
class LoginLock:
    """A refusal: the limit is reached until ``retry_after`` seconds have passed."""

    retry_after: int

    @property
    def minutes(self) -> int:
        """Return the wait in whole minutes, at least one."""
        return max(1, math.ceil(self.retry_after / 60))


def login_attempt_take(*, username: str, address: str, now: float) -> LoginLock | None:
    """Count a log-in attempt for ``username`` from ``address``; return a lock when over a limit.

    Call before checking the password, and check it only when this returns
    None. Both counters count the attempt either way.
    """
    locks = [
        _take(_key("account", _normal(username)), settings.DESK_LOGIN_LIMIT_PER_ACCOUNT, now),
        _take(_key("ip", address), settings.DESK_LOGIN_LIMIT_PER_IP, now),
    ]
    return _longest(locks)


def login_attempt_succeeded(*, username: str, address: str, now: float) -> None:
    """Give back a successful log-in's slots: the account starts again, the address forgets it."""
    _forget(_key("account", _normal(username)))
    _give_back(_key("ip", address), now)


def address_attempt_take(*, address: str, now: float) -> LoginLock | None:
    """Count a sign-up or password-reset request from ``address``; return a lock when over."""
    return _take(_key("ip", address), settings.DESK_LOGIN_LIMIT_PER_IP, now)


def account_mail_allowed(*, email: str, now: float) -> bool:
    """Count a sign-up or password-reset mail to ``email``; return False when over the limit.

    Over the limit the mail is not sent, and the page says the same as ever.
    """
    lock = _take(_key("mail", _normal(email)), settings.DESK_LOGIN_LIMIT_MAILS_PER_EMAIL, now)
    return lock is None


# --- Counters -------------------------------------------------------------------


def _normal(text: str) -> str:
    return text.strip().casefold()


def _key(kind: str, value: str) -> str:
    # A digest: cache keys then never hold a person's name or address, nor odd characters.
    return f"{KEY_PREFIX}:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


def _longest(locks: list[LoginLock | None]) -> LoginLock | None:
    found = [lock for lock in locks if lock is not None]
    return max(found, key=lambda lock: lock.retry_after) if found else None


def _take(key: str, limit: int, now: float) -> LoginLock | None:
    count, left = _increment(key, settings.DESK_LOGIN_LIMIT_WINDOW_SECONDS, now)
    return LoginLock(retry_after=max(1, left)) if count > limit else None


def _increment(key: str, window: int, now: float) -> tuple[int, int]:
    """Add one to the counter ``key``; return its count and the seconds its window has left."""
    cache = _cache()
    if isinstance(cache, RedisCache):
        try:
            client = _redis_client(cache, key)
            count, left = client.eval(_TAKE_SCRIPT, 1, cache.make_and_validate_key(key), window)
        except _UNREACHABLE as error:
            logger.warning("Log-in attempt not counted: Redis is unreachable (%s).", error)
            return 0, window
        return int(count), int(left)
    with _locked(cache):
        entry = cache.get(key)
        count, until = entry if _current(entry, now) else (0, now + window)
        count += 1
        # At most the window: another thread may have opened it a moment "after" this now.
        left = min(window, math.ceil(until - now))
        cache.set(key, (count, until), timeout=max(1, left))
    return count, left


def _give_back(key: str, now: float) -> None:
    """Take one off the counter ``key`` if its window still runs."""
    cache = _cache()
    if isinstance(cache, RedisCache):
        try:
            client = _redis_client(cache, key)
            client.eval(_GIVE_BACK_SCRIPT, 1, cache.make_and_validate_key(key))
        except _UNREACHABLE as error:
            logger.warning("Log-in slot not given back: Redis is unreachable (%s).", error)
        return
    with _locked(cache):
        entry = cache.get(key)
        if _current(entry, now) and entry[0] > 0:
            count, until = entry
            cache.set(key, (count - 1, until), timeout=max(1, math.ceil(until - now)))


def _forget(key: str) -> None:
    try:
        _cache().delete(key)
    except _UNREACHABLE as error:
        logger.warning("Log-in count not reset: Redis is unreachable (%s).", error)


def _current(entry: Any, now: float) -> bool:
    return isinstance(entry, tuple) and len(entry) == 2 and entry[1] > now


def _cache() -> BaseCache:
    # The backend itself: django.core.cache.cache is a proxy, which isinstance does not see through.
    return caches["default"]


def _redis_client(cache: RedisCache, key: str) -> Any:
    # Django's Redis cache has no atomic increment with expiry; its client
    # (holding the cache's connection pool) runs the script instead.
    return cache._cache.get_client(key, write=True)


@contextmanager
def _locked(cache: BaseCache) -> Iterator[None]:
    """Hold the counters' lock: across threads, and across processes for the file cache."""
    with _thread_lock:
        if not isinstance(cache, FileBasedCache):
            yield
            return
        path = Path(cache._dir) / f"{KEY_PREFIX}.lock"  # type: ignore[attr-defined]
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
