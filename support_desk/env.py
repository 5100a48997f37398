"""Typed readers for settings that come from the environment.

Every reader fails loudly with :class:`EnvError` naming the variable and what
was wrong, so that a bad value stops the start with one clear line instead of
surfacing later as a confusing crash.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class EnvError(ImproperlyConfigured):
    """An environment variable is missing or holds a value that cannot be used."""


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    value = (os.environ if environ is None else environ).get(name)
    return None if value is None else value.strip()


def env_str(
    name: str,
    default: str | None = None,
    *,
    required: bool = False,
    environ: Mapping[str, str] | None = None,
) -> str:
    """Return the variable as a string, or ``default`` when it is unset or empty."""
    value = _raw(name, environ)
    if value:
        return value
    if required or default is None:
        raise EnvError(f"{name} must be set")
    return default


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    """Return the variable as a boolean; accept 1/0, true/false, yes/no, on/off."""
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise EnvError(f"{name} must be a boolean (true/false, 1/0, yes/no), got {value!r}")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Return the variable as an integer no smaller than ``minimum``."""
    value = _raw(name, environ)
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise EnvError(f"{name} must be a whole number, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise EnvError(f"{name} must be at least {minimum}, got {number}")
    return number


def env_list(
    name: str, default: list[str], *, environ: Mapping[str, str] | None = None
) -> list[str]:
    """Return a comma-separated variable as a list of non-empty, stripped items."""
    value = _raw(name, environ)
    if value is None or value == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_database(
    name: str, default: str, *, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Return a Django ``DATABASES`` entry parsed from a database URL.

    Accept ``postgres://``/``postgresql://`` and ``sqlite:///path`` URLs; raise
    :class:`EnvError` for anything else or for a URL that cannot be parsed.
    """
    import dj_database_url

    url = _raw(name, environ) or default
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise EnvError(f"{name} must be a postgres:// or sqlite:/// URL, got {_redact(url)!r}")
    if scheme != "sqlite":
        parts = urlsplit(url)
        try:
            parts.port  # noqa: B018 - raises ValueError on a malformed port
        except ValueError:
            raise EnvError(f"{name} has an invalid port: {_redact(url)!r}") from None
        if not parts.hostname or not parts.path.strip("/"):
            raise EnvError(
                f"{name} must name a host and a database, e.g. "
                f"postgres://user@127.0.0.1:5432/support_desk; got {_redact(url)!r}"
            )
    try:
        return dict(dj_database_url.parse(url, conn_max_age=0))
    except (ValueError, KeyError, TypeError):
        raise EnvError(f"{name} is not a valid database URL: {_redact(url)!r}") from None


def env_redis_url(name: str, *, environ: Mapping[str, str] | None = None) -> str | None:
    """Return a ``redis://`` or ``rediss://`` URL, or ``None`` when unset."""
    value = _raw(name, environ)
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in {"redis", "rediss"} or not parts.hostname:
        raise EnvError(f"{name} must be a redis://host:port/db URL, got {_redact(value)!r}")
    try:
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise EnvError(f"{name} has an invalid port: {_redact(value)!r}") from None
    db = parts.path.lstrip("/")
    if db and not db.isdigit():
        raise EnvError(f"{name} must end with a database number, got {_redact(value)!r}")
    return value


def _redact(url: str) -> str:
    """Hide a password in a URL before it is printed."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable>"
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


RATE_PERIODS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
}


def rate_parse(rate: str) -> tuple[int, int]:
    """Return (requests, seconds) of a rate like ``600/min``; raise ValueError if it is not one."""
    count, _slash, period = rate.partition("/")
    if not count.strip().isdigit() or period.strip().lower() not in RATE_PERIODS:
        raise ValueError(f"not a rate: {rate!r} (use e.g. 600/min, 10/s, 5000/hour)")
    return int(count), RATE_PERIODS[period.strip().lower()]


def env_rates(
    name: str, defaults: Mapping[str, str], *, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Return ``defaults`` updated by the variable, a list like ``read=1200/min,tickets:write=60/min``."""
    rates = dict(defaults)
    for item in filter(None, (part.strip() for part in (_raw(name, environ) or "").split(","))):
        bucket, _equals, rate = item.partition("=")
        try:
            rate_parse(rate)
        except ValueError as error:
            raise EnvError(f"{name}: {bucket.strip() or item!r}: {error}") from None
        rates[bucket.strip()] = rate.strip()
    return rates
