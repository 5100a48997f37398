"""Routing's view of the desk's configuration, kept in each process until it changes.

Every routing decision needs every active queue with its topics, language and
calendar, and the SLA targets of the chosen queue. Reading and building those
each time costs more than the rest of the decision, and they change only when
a supervisor edits the configuration. So each process keeps what it built,
stamped with a configuration version held in the shared cache; a change of a
queue, its hours, holidays, topics or SLA policy sets a new version (at once,
and again once its transaction commits, so a process that rebuilt from the
old rows in between builds again). When the cache cannot be read, routing
reads the database every time, as before.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

logger = logging.getLogger(__name__)

VERSION_KEY = "tickets:routing-config-version"

_lock = threading.Lock()
_version: str | None = None
_built: dict[str, Any] = {}


def _current_version() -> str | None:
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            fresh = uuid.uuid4().hex
            # add() keeps the version another process set first.
            cache.add(VERSION_KEY, fresh, None)
            version = cache.get(VERSION_KEY) or fresh
    except Exception:  # the cache is down: read the database every time
        logger.warning("Routing cannot read the configuration version.", exc_info=True)
        return None
    return str(version)


# Inside ``one_version()``: the version read once for a whole batch of decisions
# ("" when the cache could not be read).
_pinned: ContextVar[str | None] = ContextVar("routing_config_version", default=None)


@contextmanager
def one_version() -> Iterator[None]:
    """Read the configuration version once for everything ``cached`` is asked inside."""
    token = _pinned.set(_current_version() or "")
    try:
        yield
    finally:
        _pinned.reset(token)


def cached[T](name: str, build: Callable[[], T]) -> T:
    """Return what ``build`` returns, built again only after the configuration changed."""
    global _version
    pinned = _pinned.get()
    version = _current_version() if pinned is None else (pinned or None)
    if version is None:
        return build()
    with _lock:
        if version != _version:
            _built.clear()
            _version = version
        if name in _built:
            return _built[name]
    value = build()
    with _lock:
        if _version == version:
            _built[name] = value
    return value


def config_changed() -> None:
    """Make every process build routing's configuration again (now and after commit)."""

    def bump() -> None:
        try:
            cache.set(VERSION_KEY, uuid.uuid4().hex, None)
        except Exception:  # the cache is down: nobody can use a stale copy then
            logger.warning("Routing cannot record a configuration change.", exc_info=True)

    bump()
    transaction.on_commit(bump)


def _on_change(**_kwargs: Any) -> None:
    config_changed()


def connect() -> None:
    """Watch the models routing's configuration is built from (called by the app's ready())."""
    from tickets.models import BusinessHours, Holiday, Queue, SlaPolicy, SlaTarget

    for model in (Queue, BusinessHours, Holiday, SlaPolicy, SlaTarget):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"routing-config-{model.__name__}")
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"routing-config-del-{model.__name__}"
        )
    m2m_changed.connect(
        _on_change, sender=Queue.topics.through, dispatch_uid="routing-config-queue-topics"
    )
