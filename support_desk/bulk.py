"""Writing the fields of many saved rows in one statement, cheaply.

Django's ``bulk_update`` builds a ``When(pk=…)`` expression for every row and
field and resolves each through the query machinery; for a routing batch (50
tickets, 10 fields) that took longer than everything else the batch does.
:func:`rows_update` writes the same statement, ``SET column = CASE pk WHEN …
THEN … END``, as text with parameters, each value prepared by its field as
Django prepares it for a save. Like ``bulk_update`` it calls no ``save()``, no
signals and no ``pre_save`` (``auto_now`` fields are written as they are).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Field, Model

# Rows per statement: two parameters per row and field, well under SQLite's
# limit of 32,766 for the widest update the desk makes.
ROWS_PER_STATEMENT = 500


def rows_update(objs: Sequence[Model], fields: Sequence[str]) -> int:
    """Write ``fields`` of the saved model instances ``objs`` (one model); return rows changed."""
    if not objs or not fields:
        return 0
    model = type(objs[0])
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    pk = meta.pk
    assert pk is not None and pk.column is not None
    key_column = quote(pk.column)
    columns: list[tuple[Field[Any, Any], str]] = []
    for name in fields:
        field = meta.get_field(name)
        if not isinstance(field, Field) or not field.concrete or field.column is None:
            raise ValueError(f"{model.__name__}.{name} is not a column of its table.")
        columns.append((field, quote(field.column)))
    # PostgreSQL types a CASE of literals as text; the column's type is given back.
    cast = connection.features.requires_casted_case_in_updates
    changed = 0
    for start in range(0, len(objs), ROWS_PER_STATEMENT):
        chunk = objs[start : start + ROWS_PER_STATEMENT]
        keys = [pk.get_db_prep_value(obj.pk, connection) for obj in chunk]
        sets: list[str] = []
        params: list[Any] = []
        for field, column in columns:
            case = f"CASE {key_column}{' WHEN %s THEN %s' * len(chunk)} END"
            if cast:
                case = f"CAST({case} AS {field.cast_db_type(connection)})"
            sets.append(f"{column} = {case}")
            for key, obj in zip(keys, chunk, strict=True):
                params += [key, field.get_db_prep_save(getattr(obj, field.attname), connection)]
        params += keys
        sql = (
            f"UPDATE {quote(meta.db_table)} SET {', '.join(sets)} "  # noqa: S608  # nosec B608  # names from the model
            f"WHERE {key_column} IN ({', '.join(['%s'] * len(chunk))})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            changed += cursor.rowcount
    return changed
