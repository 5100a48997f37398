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

# Candidates are read unranked (a GIN bitmap scan that stops at the limit)
# and only they are ranked: ranking every match of a common word is what
# makes full-text search slow on a large table.
_SEARCH_SQL = """
SELECT r.id, r.entry_id, r.rank, t.question, t.answer_text
FROM (
    SELECT c.id, c.entry_id, e.sort_weight,
           ts_rank_cd(c.search_vector, to_tsquery(faq_search_config(%(language)s), %(rank_query)s), 32) AS rank
    FROM (
        SELECT t.id, t.entry_id, t.search_vector
        FROM faq_faqtranslation t
        WHERE t.language = %(language)s AND t.published
          AND t.search_vector @@ to_tsquery(faq_search_config(%(language)s), %(match_query)s)
        LIMIT %(candidates)s
    ) c
    JOIN faq_faqentry e ON e.id = c.entry_id
    JOIN faq_topic tp ON tp.id = e.topic_id
    WHERE e.published AND tp.is_active
    ORDER BY rank DESC, e.sort_weight DESC, c.entry_id
    LIMIT %(limit)s
) r
JOIN faq_faqtranslation t ON t.id = r.id
ORDER BY r.rank DESC, r.sort_weight DESC, r.entry_id
"""
# How many matches of one tier are ranked.
CANDIDATES = 100
# With this many answers holding every word, answers holding only some are not read.
ENOUGH_PRECISE_HITS = 3

# Matches are found through the GIN index first (at most SUGGEST_CANDIDATES),
# then put in weight order: ordering first would walk every entry when a
# prefix matches little or nothing.
_SUGGEST_SQL = """
WITH matches AS MATERIALIZED (
    SELECT t.id, t.entry_id
    FROM faq_faqtranslation t
    WHERE t.language = %(language)s AND t.published
      AND t.question_vector @@ to_tsquery(faq_search_config(%(language)s), %(tsquery)s)
    LIMIT %(candidates)s
)
SELECT m.id
FROM matches m
JOIN faq_faqentry e ON e.id = m.entry_id
JOIN faq_topic tp ON tp.id = e.topic_id
WHERE e.published AND tp.is_active
ORDER BY e.sort_weight DESC, e.view_count DESC, e.id
LIMIT %(limit)s
"""
SUGGEST_CANDIDATES = 500


def _quoted(word: str) -> str:
    """Quote a word as a tsquery operand; words are \\w+ only, quoting guards the rest."""
    return "'" + word.replace("'", "") + "'"


def _tiers(groups: list[list[str]]) -> list[str]:
    """Return the match queries to try, most precise first: every term, then any term.

    Each group is a term and its correction.
    """

    def group(words: list[str]) -> str:
        return "(" + " | ".join(_quoted(w) for w in words) + ")"

    every_term = " & ".join(group(g) for g in groups)
    any_term = " | ".join(group(g) for g in groups)
    return [every_term, any_term] if len(groups) > 1 else [every_term]


def search(*, terms: list[str], language: str, limit: int) -> tuple[list[RawHit], list[str]]:
    """Return ranked hits and the meaningful terms they were matched on (corrected)."""
    with connection.cursor() as cursor:
        cursor.execute(_CORRECT_SQL, {"terms": terms, "language": language})
        groups: list[list[str]] = []
        effective: list[str] = []
        for term, meaningful, correction in cursor.fetchall():
            if not (meaningful or correction):
                continue  # a stop word: it would only empty an AND
            groups.append([term] + ([correction] if correction and correction != term else []))
            effective.append(correction or term)
        if not groups:
            return [], []
        rank_query = " | ".join(_quoted(word) for words in groups for word in words)
        hits: dict[int, RawHit] = {}
        for match_query in _tiers(groups):
            cursor.execute(
                _SEARCH_SQL,
                {
                    "language": language,
                    "match_query": match_query,
                    "rank_query": rank_query,
                    "candidates": CANDIDATES,
                    "limit": limit,
                },
            )
            for tid, eid, rank, question, text in cursor.fetchall():
                hits.setdefault(tid, RawHit(tid, eid, float(rank), question, text))
            if len(hits) >= min(limit, ENOUGH_PRECISE_HITS):
                break  # answers with every word beat a longer list with some of them
    return list(hits.values())[:limit], effective


def suggest(*, terms: list[str], language: str, limit: int) -> list[int]:
    """Return ids of translations whose question has every term, the last as a prefix."""
    *complete, partial = terms
    operands = [_quoted(word) for word in complete] + [_quoted(partial) + ":*"]
    with connection.cursor() as cursor:
        cursor.execute(
            _SUGGEST_SQL,
            {
                "language": language,
                "tsquery": " & ".join(operands),
                "candidates": SUGGEST_CANDIDATES,
                "limit": limit,
            },
        )
        return [row[0] for row in cursor.fetchall()]


def refresh_vocabulary() -> None:
    """Rebuild the typo-correction vocabulary from the published translations."""
    with connection.cursor() as cursor:
        cursor.execute("REFRESH MATERIALIZED VIEW faq_search_words")
