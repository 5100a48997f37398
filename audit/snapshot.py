"""What a configuration row looks like, as plain JSON values, and what changed between two looks.

Secrets never enter a snapshot: fields whose name says password, secret,
hash or token are left out, whatever the model.
"""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import models

SECRET_WORDS = ("password", "secret", "hash", "token")
EMPTY: tuple[Any, ...] = (None, "", [], {})
# Bookkeeping every row keeps of itself: when it was made and last written, not configuration.
BOOKKEEPING = ("created_at", "updated_at")


@dataclass(frozen=True)
class Audited:
    """How a model is shown in the audit trail."""

    # Reverse foreign keys whose rows belong to the object (holidays of business hours).
    children: tuple[str, ...] = ()
    # Fields left out: set by other people or by the desk, not configuration.
    exclude: tuple[str, ...] = ()
    # When given, only these fields are shown.
    only: tuple[str, ...] = ()


AUDITED: dict[str, Audited] = {
    "tickets.businesshours": Audited(children=("holidays",)),
    "tickets.slapolicy": Audited(children=("targets",)),
    "tickets.agentprofile": Audited(
        exclude=("presence", "presence_changed_at", "last_assigned_at", "notify_on_assignment")
    ),
    "faq.topic": Audited(children=("translations",)),
    "faq.faqentry": Audited(children=("translations",)),
    "accounts.user": Audited(
        only=("role", "is_active", "is_staff", "is_superuser", "groups", "user_permissions")
    ),
}


def audited(model: type[models.Model]) -> Audited:
    return AUDITED.get(model._meta.label_lower, Audited())


def _is_secret(name: str) -> bool:
    return any(word in name.lower() for word in SECRET_WORDS)


def plain(value: Any) -> Any:
    """Return ``value`` as something JSON holds: text for dates, times, decimals and rows."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(item) for item in value]
    return str(value)


def _fields(model: type[models.Model], how: Audited) -> list[models.Field[Any, Any]]:
    fields = []
    for field in model._meta.get_fields():
        if not isinstance(field, models.Field) or field.auto_created or not field.editable:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        if field.name in BOOKKEEPING:
            continue
        if how.only and field.name not in how.only:
            continue
        if field.name in how.exclude or _is_secret(field.name):
            continue
        fields.append(field)
    return fields


def _row(obj: models.Model, *, skip: str = "") -> dict[str, Any]:
    """Return a child row's own fields (not its key, nor its link to the parent)."""
    values = {}
    for field in _fields(type(obj), Audited()):
        if field.name == skip or field.primary_key:
            continue
        if field.is_relation and field.many_to_many:
            continue
        values[field.name] = plain(getattr(obj, field.name))
    return values


def audit_snapshot(obj: models.Model | None) -> dict[str, Any]:
    """Return the configuration ``obj`` holds as ``{field: value}``; empty for no object.

    Many-to-many fields are sorted lists of names; children (see AUDITED) are
    sorted lists of their rows. Reads the database for relations: pass a row
    as stored, not one a form has changed in memory.
    """
    if obj is None or obj.pk is None:
        return {}
    model = type(obj)
    how = audited(model)
    values: dict[str, Any] = {}
    for field in _fields(model, how):
        if field.primary_key:
            continue
        if field.many_to_many:
            values[field.name] = sorted(str(item) for item in getattr(obj, field.name).all())
        else:
            values[field.name] = plain(getattr(obj, field.name))
    for name in how.children:
        relation = model._meta.get_field(name)
        parent_link = relation.field.name  # type: ignore[union-attr]
        rows = [_row(child, skip=parent_link) for child in getattr(obj, name).all()]
        values[name] = sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))
    return values


def audit_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return ``{field: [before, after]}`` for the fields whose value differs.

    A field missing on one side (a created or deleted object) counts as None,
    and is left out when the other side is empty too.
    """
    changes: dict[str, list[Any]] = {}
    for name in [*before, *(name for name in after if name not in before)]:
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if (name not in before or name not in after) and old in EMPTY and new in EMPTY:
            continue
        changes[name] = [old, new]
    return changes
