"""Search over FAQ translations in the buyer's language, on PostgreSQL or SQLite.

``faq_search`` ranks answers for a query (typo-tolerant on PostgreSQL);
``faq_suggest`` finds questions as a buyer types. Both answer an empty list
for a query with nothing to search for.
"""

from __future__ import annotations

from types import ModuleType

from django.conf import settings
from django.db import connection

from faq.search.query import SearchHit, query_terms, snippet_html, terms_matched

__all__ = ["SearchHit", "faq_search", "faq_search_refresh", "faq_suggest"]

# How much of a hit's score comes from covering the query's words (the rest
# is the engine's rank): a confident answer matches what was asked.
COVERAGE_WEIGHT = 0.7


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
    hits = _search_language(query=query, language=language, limit=limit)
    if not hits and language != settings.LANGUAGE_CODE:
        hits = _search_language(query=query, language=settings.LANGUAGE_CODE, limit=limit)
    return hits


def faq_suggest(*, query: str, language: str, limit: int = 5) -> list[int]:
    """Return ids of translations whose question starts to match what is typed."""
    terms = query_terms(query, language) or query_terms(query)
    if not terms:
        return []
    ids = _backend().suggest(terms=terms, language=language, limit=limit)
    if not ids and language != settings.LANGUAGE_CODE:
        ids = _backend().suggest(terms=terms, language=settings.LANGUAGE_CODE, limit=limit)
    return ids


def faq_search_refresh() -> None:
    """Bring derived search structures (the typo vocabulary) up to date."""
    _backend().refresh_vocabulary()
