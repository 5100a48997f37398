"""SQLite search for the embedded desk: an FTS5 index kept in step by triggers.

Matches words and word prefixes (so some word forms), ranked by bm25; it does
not correct typos.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from faq.search.backend import RawHit, Suggestion
from faq.search.query import term_stem

# A shown entry is published, in an active topic, and has published text in
# the default language; rows carry what a result list shows, in the reader's
# language when the entry has published text in it (the LEFT JOIN).
_SEARCH_SQL = """
SELECT t.id, t.entry_id, bm25(faq_translation_fts, 4.0, 1.0) AS rank, t.answer_text,
       tp.slug, e.slug,
       COALESCE(d.question, t.question), COALESCE(d.language, t.language),
       COALESCE(d.answer_html, t.answer_html),
       e.operator_resolvable, COALESCE(e.email_contact, tp.email_contact)
FROM faq_translation_fts
JOIN faq_faqtranslation t ON t.id = faq_translation_fts.rowid
JOIN faq_faqentry e ON e.id = t.entry_id
JOIN faq_topic tp ON tp.id = e.topic_id
LEFT JOIN faq_faqtranslation d ON d.entry_id = t.entry_id AND d.language = %s AND d.published
WHERE faq_translation_fts MATCH %s
  AND t.language = %s AND t.published AND e.published AND tp.is_active
  AND EXISTS (
      SELECT 1 FROM faq_faqtranslation dt
      WHERE dt.entry_id = t.entry_id AND dt.language = %s AND dt.published
  )
ORDER BY rank, e.sort_weight DESC, e.id
LIMIT %s
"""

_SUGGEST_SQL = """
SELECT t.id, t.entry_id, tp.slug, e.slug, t.question, t.language
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


def search(
    *, terms: list[str], language: str, limit: int, display_language: str
) -> tuple[list[RawHit], list[str]]:
    """Return hits for any of the terms, or of their word forms (a shared prefix), best first."""
    match = " OR ".join(_phrase(term_stem(term), prefix=len(term) > 3) for term in terms)
    with connection.cursor() as cursor:
        cursor.execute(
            _SEARCH_SQL, [display_language, match, language, settings.LANGUAGE_CODE, limit]
        )
        rows = cursor.fetchall()
    # bm25 is negative, more negative is better: map it onto 0..1.
    hits = [
        RawHit(
            tid,
            eid,
            -float(rank) / (1.0 - float(rank)),
            text,
            topic,
            slug,
            question,
            shown,
            html,
            bool(op),
            bool(em),
        )
        for tid, eid, rank, text, topic, slug, question, shown, html, op, em in rows
    ]
    return hits, terms


def suggest(*, terms: list[str], language: str, limit: int) -> list[Suggestion]:
    """Return questions that have every term, the last as a prefix, in weight order."""
    *complete, partial = terms
    phrases = [_phrase(word, prefix=False) for word in complete] + [_phrase(partial, prefix=True)]
    match = " AND ".join(f"question : {phrase}" for phrase in phrases)
    with connection.cursor() as cursor:
        cursor.execute(_SUGGEST_SQL, [match, language, limit])
        return [Suggestion(*row) for row in cursor.fetchall()]


def refresh_vocabulary() -> None:
    """Nothing to do: the triggers keep the FTS5 index current."""
