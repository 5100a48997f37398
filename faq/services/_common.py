"""Shared by the help centre's services: their errors, input checks and upsert."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from faq.visitors import VISITOR_MAX_CHARS
from support_desk.errors import DomainError


class UnknownLanguage(DomainError):
    code = "unknown_language"


class InvalidVisitor(DomainError):
    code = "invalid_visitor"


def check_visitor(visitor: str) -> str:
    """Return a visitor key that fits its column; faq.visitors makes them."""
    if not visitor or len(visitor) > VISITOR_MAX_CHARS:
        raise InvalidVisitor(f"A visitor key has 1 to {VISITOR_MAX_CHARS} characters.")
    return visitor


def check_language(language: str) -> str:
    if language not in dict(settings.LANGUAGES):
        raise UnknownLanguage(f"Language {language!r} is not one of the desk's languages.")
    return language


def upsert[M: models.Model](
    model: type[M], lookup: dict[str, Any], values: dict[str, Any]
) -> tuple[M, bool]:
    """Create the row or update only the fields that differ; return it and whether it was written."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values), True
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    for field in changed:
        setattr(obj, field, values[field])
    if changed:
        obj.save(update_fields=changed)
    return obj, bool(changed)
