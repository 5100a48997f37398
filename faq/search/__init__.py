"""Search over FAQ translations in the buyer's language, on PostgreSQL or SQLite.

``faq_search`` ranks answers for a query (typo-tolerant on PostgreSQL);
``faq_suggest`` finds questions as a buyer types. Both answer an empty list
for a query with nothing to search for.
"""

from __future__ import annotations

import hashlib
from types import ModuleType

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from faq.search.query import SearchHit, query_terms, snippet_html, terms_matched

__all__ = [
    "SearchHit",
    "faq_content_version",
    "faq_search",
    "faq_search_refresh",
    "faq_suggest",
]

# How much of a hit's score comes from covering the query's words (the rest
# is the engine's rank): a confident answer matches what was asked.
COVERAGE_WEIGHT = 0.7
# Buyers ask the same things: answers to a query are kept this long, and
# dropped at once when content changes (the version below moves).
CACHE_SECONDS = 300
_VERSION_KEY = "faq:search:version"


def faq_content_version() -> int:
    """Return the help centre's content version: cached answers and pages carry it."""
    return int(cache.get_or_set(_VERSION_KEY, 1, timeout=None) or 1)


def _cache_key(kind: str, language: str, terms: list[str], limit: int) -> str:
    version = faq_content_version()
    digest = hashlib.sha256("\x1f".join(terms).encode()).hexdigest()[:32]
    return f"faq:{kind}:{version}:{language}:{limit}:{digest}"


def _backend() -> ModuleType:
    if connection.vendor == "postgresql":
        from faq.search import postgres

        return postgres
    from faq.search import sqlite

    return sqlite


def _search_language(*, query: str, language: str, limit: int) -> list[SearchHit]:
    terms = query_terms(query, language)
    if not terms:
        return []
    raw_hits, effective_terms = _backend().search(terms=terms, language=language, limit=limit)
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
            )
        )
    hits.sort(key=lambda hit: hit.score, reverse=True)
    return hits


def faq_search(*, query: str, language: str, limit: int = 10) -> list[SearchHit]:
    """Return the best answers for ``query`` in ``language``, else in the default language."""
    terms = query_terms(query, language) or query_terms(query)
    if not terms:
        return []
    key = _cache_key("search", language, terms, limit)
    hits: list[SearchHit] | None = cache.get(key)
    if hits is None:
        hits = _search_language(query=query, language=language, limit=limit)
        if not hits and language != settings.LANGUAGE_CODE:
            hits = _search_language(query=query, language=settings.LANGUAGE_CODE, limit=limit)
        cache.set(key, hits, CACHE_SECONDS)
    return hits


def faq_suggest(*, query: str, language: str, limit: int = 5) -> list[int]:
    """Return ids of translations whose question starts to match what is typed."""
    terms = query_terms(query, language) or query_terms(query)
    if not terms:
        return []
    key = _cache_key("suggest", language, terms, limit)
    ids: list[int] | None = cache.get(key)
    if ids is None:
        ids = _backend().suggest(terms=terms, language=language, limit=limit)
        if not ids and language != settings.LANGUAGE_CODE:
            ids = _backend().suggest(terms=terms, language=settings.LANGUAGE_CODE, limit=limit)
        cache.set(key, ids, CACHE_SECONDS)
    return ids


def faq_search_refresh() -> None:
    """Bring derived search structures (the typo vocabulary) up to date; forget cached answers."""
    _backend().refresh_vocabulary()
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:  # no version yet: nothing is cached under one
        cache.set(_VERSION_KEY, 1, timeout=None)
