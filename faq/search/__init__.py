"""Search over FAQ translations in the buyer's language, on PostgreSQL or SQLite.

``faq_search`` ranks answers for a query (typo-tolerant on PostgreSQL);
``faq_suggest`` finds questions as a buyer types. Both answer an empty list
for a query with nothing to search for, and both keep their answers in the
cache under the help centre's content version (``faq_cached``).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from faq.search.backend import Suggestion
from faq.search.query import SearchHit, query_terms, snippet_html, terms_matched

__all__ = [
    "SearchHit",
    "Suggestion",
    "faq_cached",
    "faq_content_version",
    "faq_search",
    "faq_search_refresh",
    "faq_suggest",
]

# How much of a hit's score comes from covering the query's words (the rest
# is the engine's rank): a confident answer matches what was asked.
COVERAGE_WEIGHT = 0.7
# Buyers ask the same things: answers to a query are kept this long, and
# ignored at once when content changes (the version below moves).
CACHE_SECONDS = 300
_VERSION_KEY = "faq:search:version"
_MISSING = object()


def _start_version() -> int:
    """Set a version when there is none (a new or flushed cache) and return the current one.

    It starts from the clock rather than 1, so that answers cached under an
    earlier version whose key was lost are never taken for current ones.
    """
    cache.add(_VERSION_KEY, time.time_ns() // 1_000_000, timeout=None)
    return int(cache.get(_VERSION_KEY) or 1)


def faq_content_version() -> int:
    """Return the help centre's content version: cached answers and pages carry it."""
    version = cache.get(_VERSION_KEY)
    return int(version) if version is not None else _start_version()


def faq_cached[T](key: str, read: Callable[[], T]) -> T:
    """Return what ``read()`` returns, kept in the cache for the current content version.

    The version and the cached value come in one round trip: the value is
    stored with the version it was read under, and one stored under another
    version is read again. ``read`` may return None (e.g. "no such page").
    """
    found = cache.get_many([_VERSION_KEY, key])
    version = found.get(_VERSION_KEY)
    stored: Any = found.get(key, _MISSING)
    if version is None:
        version, stored = _start_version(), _MISSING
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == version:
        return stored[1]
    value = read()
    cache.set(key, (version, value), CACHE_SECONDS)
    return value


def _cache_key(kind: str, language: str, terms: list[str], limit: int) -> str:
    digest = hashlib.sha256("\x1f".join(terms).encode()).hexdigest()[:32]
    return f"faq:{kind}:{language}:{limit}:{digest}"


def _backend() -> ModuleType:
    if connection.vendor == "postgresql":
        from faq.search import postgres

        return postgres
    from faq.search import sqlite

    return sqlite


def _search_language(
    *, query: str, language: str, limit: int, reader_language: str
) -> list[SearchHit]:
    terms = query_terms(query, language)
    if not terms:
        return []
    raw_hits, effective_terms = _backend().search(
        terms=terms, language=language, limit=limit, display_language=reader_language
    )
    hits = []
    for raw in raw_hits:
        text = f"{raw.question} {raw.answer_text}"
        coverage = (
            terms_matched(text, effective_terms) / len(effective_terms) if effective_terms else 0.0
        )
        score = COVERAGE_WEIGHT * coverage + (1 - COVERAGE_WEIGHT) * raw.rank
        hits.append(
            SearchHit(
                translation_id=raw.translation_id,
                entry_id=raw.entry_id,
                score=round(score, 3),
                snippet_html=snippet_html(raw.answer_text, effective_terms),
                topic_slug=raw.topic_slug,
                entry_slug=raw.entry_slug,
                question=raw.question,
                language=raw.language,
                is_fallback=raw.language != reader_language,
                answer_html=raw.answer_html,
                operator_resolvable=raw.operator_resolvable,
                email_contact=raw.email_contact,
            )
        )
    hits.sort(key=lambda hit: hit.score, reverse=True)
    return hits


def faq_search(*, query: str, language: str, limit: int = 10) -> list[SearchHit]:
    """Return the best answers for ``query`` in ``language``, else in the default language."""
    terms = query_terms(query, language) or query_terms(query)
    if not terms:
        return []

    def read() -> list[SearchHit]:
        hits = _search_language(
            query=query, language=language, limit=limit, reader_language=language
        )
        if not hits and language != settings.LANGUAGE_CODE:
            hits = _search_language(
                query=query,
                language=settings.LANGUAGE_CODE,
                limit=limit,
                reader_language=language,
            )
        return hits

    return faq_cached(_cache_key("search", language, terms, limit), read)


def faq_suggest(*, query: str, language: str, limit: int = 5) -> list[Suggestion]:
    """Return questions that start to match what is typed, in the reader's language or English."""
    terms = query_terms(query, language) or query_terms(query)
    if not terms:
        return []

    def read() -> list[Suggestion]:
        found: list[Suggestion] = _backend().suggest(terms=terms, language=language, limit=limit)
        if not found and language != settings.LANGUAGE_CODE:
            found = _backend().suggest(terms=terms, language=settings.LANGUAGE_CODE, limit=limit)
        return found

    return faq_cached(_cache_key("suggest", language, terms, limit), read)


def faq_search_refresh() -> None:
    """Bring derived search structures (the typo vocabulary) up to date; forget cached answers."""
    _backend().refresh_vocabulary()
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:  # no version yet: nothing is cached under one
        _start_version()
