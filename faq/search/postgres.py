"""PostgreSQL search: a stored, GIN-indexed tsvector per translation in its
language's configuration, and a pg_trgm vocabulary that corrects typos.

The column, the vocabulary view and their indexes are made by the
``faq`` migrations (PostgreSQL only).
"""

from __future__ import annotations

from django.db import connection

from faq.search.backend import RawHit

# Closest known word for each term that is not in the vocabulary; and which
# terms are stop words (an empty tsquery) in the language's configuration.
_CORRECT_SQL = """
SELECT
    term,
    numnode(plainto_tsquery(faq_search_config(%(language)s), term)) > 0 AS meaningful,
    CASE WHEN EXISTS (SELECT 1 FROM faq_search_words w WHERE w.word = term) THEN NULL
         ELSE (SELECT w.word FROM faq_search_words w
               WHERE w.word %% term
               ORDER BY similarity(w.word, term) DESC, w.ndoc DESC, w.word
               LIMIT 1)
    END AS correction
FROM unnest(%(terms)s::text[]) WITH ORDINALITY AS t(term, position)
ORDER BY position
"""

_SEARCH_SQL = """
SELECT t.id, t.entry_id, ts_rank_cd(t.search_vector, q.query, 32) AS rank, t.question, t.answer_text
FROM faq_faqtranslation t
JOIN faq_faqentry e ON e.id = t.entry_id
JOIN faq_topic tp ON tp.id = e.topic_id,
     (SELECT to_tsquery(faq_search_config(%(language)s), %(tsquery)s) AS query) q
WHERE t.language = %(language)s
  AND t.published AND e.published AND tp.is_active
  AND t.search_vector @@ q.query
ORDER BY rank DESC, e.sort_weight DESC, e.id
LIMIT %(limit)s
"""

_SUGGEST_SQL = """
SELECT t.id
FROM faq_faqtranslation t
JOIN faq_faqentry e ON e.id = t.entry_id
JOIN faq_topic tp ON tp.id = e.topic_id
WHERE t.language = %(language)s
  AND t.published AND e.published AND tp.is_active
  AND t.search_vector @@ to_tsquery(faq_search_config(%(language)s), %(tsquery)s)
ORDER BY e.sort_weight DESC, e.view_count DESC, e.id
LIMIT %(limit)s
"""


def _lexemes(words: list[str]) -> str:
    """Quote words as tsquery operands; they are \\w+ only, quoting guards the rest."""
    return " | ".join("'" + word.replace("'", "") + "'" for word in words)


def search(*, terms: list[str], language: str, limit: int) -> tuple[list[RawHit], list[str]]:
    """Return ranked hits and the meaningful terms they were matched on (corrected)."""
    with connection.cursor() as cursor:
        cursor.execute(_CORRECT_SQL, {"terms": terms, "language": language})
        corrections = cursor.fetchall()
        effective: list[str] = []
        operands: list[str] = []
        for term, meaningful, correction in corrections:
            words = [term] + ([correction] if correction and correction != term else [])
            operands.extend(words)
            if meaningful or correction:
                effective.append(correction or term)
        if not operands:
            return [], []
        cursor.execute(
            _SEARCH_SQL,
            {"language": language, "tsquery": _lexemes(operands), "limit": limit},
        )
        rows = cursor.fetchall()
    hits = [
        RawHit(tid, eid, float(rank), question, text) for tid, eid, rank, question, text in rows
    ]
    return hits, effective


def suggest(*, terms: list[str], language: str, limit: int) -> list[int]:
    """Return ids of translations whose question has every term, the last as a prefix."""
    *complete, partial = terms
    operands = [f"'{word}':A" for word in complete] + [f"'{partial}':*A"]
    with connection.cursor() as cursor:
        cursor.execute(
            _SUGGEST_SQL,
            {"language": language, "tsquery": " & ".join(operands), "limit": limit},
        )
        return [row[0] for row in cursor.fetchall()]


def refresh_vocabulary() -> None:
    """Rebuild the typo-correction vocabulary from the published translations."""
    with connection.cursor() as cursor:
        cursor.execute("REFRESH MATERIALIZED VIEW faq_search_words")
