"""The words the agent workspace repeats on every row, translated once per language.

A workspace page draws up to ~50 rows, each with a status, a priority, an
SLA label and a month name. Translating each of them on every row took ~200
catalogue lookups a page; the catalogues do not change while the process
runs, so the words are looked up once for each language and kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.dates import MONTHS_3
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tickets.forms.agent import STATUS_LABELS
from tickets.models import Priority


@dataclass(frozen=True)
class RowWords:
    statuses: dict[str, str]
    priorities: dict[int, str]
    # Index 1 to 12, as the date filter's "M" draws them ("Nov").
    months: tuple[str, ...]
    first_response: str
    resolution: str
    paused: str
    late: str
    due_soon: str
    unassigned: str


def row_words() -> RowWords:
    """Return the row words in the active language."""
    return _row_words(get_language())


@cache
def _row_words(language: str | None) -> RowWords:
    # Called with the language active, so ``_`` translates into it.
    return RowWords(
        statuses={str(status): str(label) for status, label in STATUS_LABELS.items()},
        priorities={int(value): str(label) for value, label in Priority.choices},
        months=("", *(str(MONTHS_3[month]).title() for month in range(1, 13))),
        first_response=_("First response"),
        resolution=_("Resolution"),
        paused=_("Paused while pending"),
        late=_("late"),
        due_soon=_("due soon"),
        unassigned=_("unassigned"),
    )


@receiver(setting_changed)
def _forget_words(*, setting: str, **kwargs: Any) -> None:
    """Translate again when the languages or catalogues change (tests override them)."""
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _row_words.cache_clear()
