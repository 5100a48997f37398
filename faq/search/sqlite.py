"""SQLite search for the embedded desk: an FTS5 index kept in step by triggers.

Matches words and word prefixes (so some word forms), ranked by bm25; it does
not correct typos.
"""

from __future__ import annotations

from django.db import connection

from faq.search.backend import RawHit
from faq.search.query import term_stem

_SEARCH_SQL = """
SELECT t.id, t.entry_id, bm25(faq_translation_fts, 4.0, 1.0) AS rank, t.question, t.answer_text
FROM faq_translation_fts
JOIN faq_faqtranslation t ON t.id = faq_translation_fts.rowid
JOIN faq_faqentry e ON e.id = t.entry_id
JOIN faq_topic tp ON tp.id = e.topic_id
WHERE faq_translation_fts MATCH %s
  AND t.language = %s AND t.published AND e.published AND tp.is_active
ORDER BY rank, e.sort_weight DESC, e.id
LIMIT %s
"""

_SUGGEST_SQL = """
SELECT t.id
FROM faq_translation_fts
JOIN faq_faqtranslation t ON t.id = faq_translation_fts.rowid
JOIN faq_faqentry e ON e.id = t.entry_id
JOIN faq_topic tp ON tp.id = e.topic_id
WHERE faq_translation_fts MATCH %s
  AND t.language = %s AND t.published AND e.published AND tp.is_active
ORDER BY e.sort_weight DESC, e.view_count DESC, e.id
LIMIT %s
"""


def _phrase(term: str, *, prefix: bool) -> str:
    # Terms are \w+ only; quoting makes FTS5 read them as strings, not syntax.
    return '"' + term.replace('"', "") + '"' + ("*" if prefix else "")


def search(*, terms: list[str], language: str, limit: int) -> tuple[list[RawHit], list[str]]:
    """Return hits for any of the terms, or of their word forms (a shared prefix), best first."""
    match = " OR ".join(_phrase(term_stem(term), prefix=len(term) > 3) for term in terms)
    with connection.cursor() as cursor:
        cursor.execute(_SEARCH_SQL, [match, language, limit])
        rows = cursor.fetchall()
    # bm25 is negative, more negative is better: map it onto 0..1.
    hits = [
        RawHit(tid, eid, -float(rank) / (1.0 - float(rank)), question, text)
        for tid, eid, rank, question, text in rows
    ]
    return hits, terms


def suggest(*, terms: list[str], language: str, limit: int) -> list[int]:
    """Return ids of translations whose question has every term, the last as a prefix."""
    *complete, partial = terms
    phrases = [_phrase(word, prefix=False) for word in complete] + [_phrase(partial, prefix=True)]
    match = " AND ".join(f"question : {phrase}" for phrase in phrases)
    with connection.cursor() as cursor:
        cursor.execute(_SUGGEST_SQL, [match, language, limit])
        return [row[0] for row in cursor.fetchall()]


def refresh_vocabulary() -> None:
    """Nothing to do: the triggers keep the FTS5 index current."""
