"""Writing the help centre: its topics, then its entries in batches, counted after.

``make_batch`` builds and renders a batch in a pool of spawned processes (set
up by ``_pool_init``) while the main process writes the previous one; the
pool finds both by name, so they stay at the top level of this module.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bench.faqdata.texts import _seed, entry_texts
from bench.faqdata.words import CORE_TOPICS, EXTRA_TOPICS

BATCH = 5_000


@dataclass
class EntrySpec:
    topic_index: int
    slug: str
    sort_weight: int
    view_count: int
    published: bool
    # language -> (question, answer, answer_html, answer_text)
    texts: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)


def _languages(rng: random.Random) -> list[str]:
    # en always (the fallback); ru on 2 in 7 entries, el on 1 in 7 (some have all three).
    roll = rng.randrange(7)
    return ["en", "ru"] if roll == 0 else ["en", "ru", "el"] if roll == 1 else ["en"]


def make_batch(args: tuple[int, int, int, int, list[float]]) -> list[EntrySpec]:
    """Build and render one batch of entries (runs in a pool worker; pure, no database).

    Deterministic for a (seed, batch number): the same run makes the same help centre.
    """
    from django.utils.text import slugify

    from faq.models import FaqTranslation
    from faq.services import faq_translation_render

    seed, number, start, count, topic_weights = args
    rng = random.Random(f"{seed}:{number}")  # noqa: S311 (test data)
    topics = range(len(topic_weights))
    specs = []
    for index in range(start, start + count):
        entry_seed = _seed(rng)
        texts = entry_texts(entry_seed, _languages(rng))
        spec = EntrySpec(
            topic_index=rng.choices(topics, weights=topic_weights)[0],
            slug=f"{slugify(texts['en'][0])[:100].strip('-')}-{index}",
            sort_weight=rng.randint(1, 10) if rng.random() < 0.05 else 0,
            view_count=min(10**6, int(rng.paretovariate(1.1) * 5) - 5),
            published=rng.random() >= 0.01,
        )
        for language, (question, answer) in texts.items():
            rendered = faq_translation_render(
                translation=FaqTranslation(language=language, question=question, answer=answer)
            )
            spec.texts[language] = (question, answer, rendered.answer_html, rendered.answer_text)
        specs.append(spec)
    return specs


def _pool_init() -> None:
    import django

    django.setup()


def _batches(seed: int, total: int, weights: list[float]) -> Iterator[tuple]:
    for number, start in enumerate(range(0, total, BATCH)):
        yield (seed, number, start, min(BATCH, total - start), weights)


def faq_tables() -> list[str]:
    from django.apps import apps

    return [model._meta.db_table for model in apps.get_app_config("faq").get_models()]


def generate(*, entries: int, seed: int, progress_factory: Callable[[str, int], Any]) -> dict:
    """Replace the help centre with ``entries`` generated entries; return counts and timings."""
    from django.db import connection, transaction

    from faq import services
    from faq.models import FaqEntry, FaqTranslation, Topic

    timings: dict[str, float] = {}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(faq_tables())} RESTART IDENTITY CASCADE")
    topics: list[Topic] = []
    for order, (slug, en, ru, el, icon) in enumerate(CORE_TOPICS):
        topics.append(
            services.topic_upsert(
                slug=slug,
                name={"en": en, "ru": ru, "el": el},
                description={"en": f"{en}: questions buyers ask most."},
                icon=icon,
                sort_order=10 * (order + 1),
                email_contact=slug == "dispute",
            )
        )
    for order, slug in enumerate(EXTRA_TOPICS):
        name = slug.replace("-", " ").capitalize()
        topics.append(
            services.topic_upsert(
                slug=slug,
                name={"en": name},
                description={"en": f"{name}: answers for buyers."},
                icon="❓",
                sort_order=100 + order,
            )
        )
    # The desk's own four topics get three times the entries of the others.
    weights = [3.0 if index < len(CORE_TOPICS) else 1.0 for index in range(len(topics))]
    timings["topics_s"] = time.perf_counter() - started

    insert_started = time.perf_counter()
    bar = progress_factory("entries", entries)
    translations = 0
    processes = max(1, min(os.cpu_count() or 1, 4))
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes, initializer=_pool_init) as pool:
        for specs in pool.imap(make_batch, _batches(seed, entries, weights)):
            with transaction.atomic():
                rows = FaqEntry.objects.bulk_create(
                    [
                        FaqEntry(
                            topic=topics[spec.topic_index],
                            slug=spec.slug,
                            sort_weight=spec.sort_weight,
                            view_count=spec.view_count,
                            published=spec.published,
                        )
                        for spec in specs
                    ],
                    batch_size=BATCH,
                )
                texts = [
                    FaqTranslation(
                        entry_id=row.pk,
                        language=language,
                        question=question,
                        answer=answer,
                        answer_html=answer_html,
                        answer_text=answer_text,
                    )
                    for row, spec in zip(rows, specs, strict=True)
                    for language, (question, answer, answer_html, answer_text) in spec.texts.items()
                ]
                FaqTranslation.objects.bulk_create(texts, batch_size=BATCH)
            translations += len(texts)
            bar.update(len(specs))
    timings["entries_s"] = bar.close()
    timings["insert_s"] = time.perf_counter() - insert_started

    refresh_started = time.perf_counter()
    from faq.search import faq_search_refresh

    faq_search_refresh()
    timings["vocabulary_s"] = time.perf_counter() - refresh_started

    analyze_started = time.perf_counter()
    with connection.cursor() as cursor:
        # Settle the GIN index's pending list and the planner's statistics,
        # as autovacuum would on a live desk.
        for table in [*faq_tables(), "faq_search_words"]:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    timings["vacuum_analyze_s"] = time.perf_counter() - analyze_started
    timings["total_s"] = time.perf_counter() - started
    return {"entries": entries, "translations": translations, "timings": timings}


def counts() -> dict[str, Any]:
    """Return what the database holds now."""
    from django.db import connection
    from django.db.models import Count

    from faq.models import FaqEntry, FaqTranslation, Topic

    by_language = dict(
        FaqTranslation.objects.values_list("language").annotate(n=Count("pk")).order_by()
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM faq_search_words")
        (words,) = cursor.fetchone()
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('faq_faqtranslation')), "
            "pg_size_pretty(sum(pg_relation_size(indexrelid))) FROM pg_index "
            "WHERE indexrelid::regclass::text LIKE 'faq_translation_search%%'"
        )
        table_size, gin_size = cursor.fetchone()
    return {
        "topics": Topic.objects.count(),
        "entries": FaqEntry.objects.count(),
        "published_entries": FaqEntry.objects.filter(published=True).count(),
        "translations": sum(by_language.values()),
        "translations_by_language": by_language,
        "vocabulary_words": words,
        "translation_table_size": table_size,
        "search_index_size": gin_size,
    }
