"""Statements sent many times a second, prepared once per PostgreSQL connection.

An open page asks every few seconds whether anything changed, and the
answer is one written-out statement. PostgreSQL plans a statement each time
it receives one, and planning the live checks (a ticket table with many
indexes, a subquery or two) took longer than running them: ~0.2 ms of a
~0.35 ms statement. A statement prepared on the connection is planned once
(PostgreSQL keeps a generic plan once it is no worse than the custom ones)
and only executed afterwards.

``fetch_one`` prepares its statement the first time a connection sees it
and executes it from then on. ``PREPARE`` is not undone by a rollback, and a
new connection (``connection_created``) starts with nothing prepared. Other
databases (SQLite in the embedded desk) run the statement as it is, and so
does PostgreSQL with ``DATABASE_PREPARED_STATEMENTS=false``: needed behind a
pooler in transaction mode (PgBouncer), where two statements of one request
may reach different server connections.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.utils.dateparse import parse_datetime

_PLACEHOLDER = "%s"
# Set on the connection wrapper: the statement names prepared on its current connection.
_ATTRIBUTE = "desk_prepared_statements"


def statement_name(sql: str) -> str:
    """Return the name a statement is prepared under: a digest of its text."""
    return "desk_" + hashlib.sha256(sql.encode()).hexdigest()[:16]


def numbered(sql: str) -> str:
    """Return ``sql`` with its ``%s`` placeholders numbered ($1, $2, …) as PREPARE wants."""
    parts = sql.split(_PLACEHOLDER)
    text = parts[0]
    for number, part in enumerate(parts[1:], start=1):
        text += f"${number}{part}"
    if "%" in text:
        raise ValueError("A prepared statement's text holds no % but its %s placeholders.")
    return text


def _prepared_on(wrapper: BaseDatabaseWrapper) -> set[str]:
    names: set[str] | None = getattr(wrapper, _ATTRIBUTE, None)
    if names is None:
        names = set()
        setattr(wrapper, _ATTRIBUTE, names)
    return names


@receiver(connection_created)
def _nothing_prepared_yet(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    setattr(connection, _ATTRIBUTE, set())


def _enabled() -> bool:
    return connection.vendor == "postgresql" and settings.DATABASE_PREPARED_STATEMENTS


def fetch_one(sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
    """Run ``sql`` (``%s`` placeholders) with ``params``; return its first row or None."""
    with connection.cursor() as cursor:
        if _enabled():
            name = statement_name(sql)
            prepared = _prepared_on(connection)
            if name not in prepared:
                # The name is a digest and the text is the caller's own statement, never input.
                cursor.execute(f"PREPARE {name} AS {numbered(sql)}")
                prepared.add(name)
            arguments = ", ".join([_PLACEHOLDER] * len(params))
            cursor.execute(f"EXECUTE {name} ({arguments})" if params else f"EXECUTE {name}", params)
        else:
            cursor.execute(sql, params)
        row: tuple[Any, ...] | None = cursor.fetchone()
    return row


def code_literal(value: str) -> str:
    """Return one of the code's constants (a status, a message kind) as an SQL string literal.

    Written-out statements put only such constants into their text; anything
    else is a parameter.
    """
    if not re.fullmatch(r"[a-z_]+", str(value)):
        raise ValueError(f"not a code constant: {value!r}")
    return f"'{value}'"


def as_datetime(value: datetime | str) -> datetime:
    """Return a datetime read by a written-out statement as Django would (SQLite hands back text in UTC)."""
    if isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is None:
            raise ValueError(f"not a datetime: {value!r}")
        value = parsed
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
