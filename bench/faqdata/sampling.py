"""Sampling the help centre for the scenarios: real rows to aim requests at."""

from __future__ import annotations

from dataclasses import dataclass

from bench.faqdata.texts import query_vocabulary
from bench.faqdata.words import BRANDS, LANGUAGE_MIX


@dataclass(frozen=True)
class FaqSample:
    """Real rows to aim requests at: topic slugs, entry paths, questions per language."""

    topics: list[str]
    entries: list[tuple[str, str]]  # (topic slug, entry slug)
    questions: dict[str, list[str]]  # language -> questions
    vocabulary: dict[str, list[str]]  # language -> words the generator writes
    brands: list[str]


def sample(*, size: int = 2_000, seed: int = 1) -> FaqSample:
    """Return a deterministic sample of what the help centre shows."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT slug FROM faq_topic WHERE is_active ORDER BY sort_order, slug")
        topics = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            """
            SELECT tp.slug, e.slug FROM faq_faqentry e JOIN faq_topic tp ON tp.id = e.topic_id
            WHERE e.published AND tp.is_active
            ORDER BY md5(e.id::text || %s) LIMIT %s
            """,
            [str(seed), size],
        )
        entries = [(topic, slug) for topic, slug in cursor.fetchall()]
        questions: dict[str, list[str]] = {}
        for language in LANGUAGE_MIX:
            cursor.execute(
                """
                SELECT t.question FROM faq_faqtranslation t
                JOIN faq_faqentry e ON e.id = t.entry_id
                WHERE t.language = %s AND t.published AND e.published
                ORDER BY md5(t.id::text || %s) LIMIT %s
                """,
                [language, str(seed), size],
            )
            questions[language] = [row[0] for row in cursor.fetchall()]
    return FaqSample(
        topics=topics,
        entries=entries,
        questions=questions,
        vocabulary={language: query_vocabulary(language) for language in LANGUAGE_MIX},
        brands=BRANDS,
    )
