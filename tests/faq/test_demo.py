"""The demo help centre: every seeded topic, three languages, loaded once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from faq.models import FaqEntry, FaqTranslation, Topic, TopicTranslation
from faq.search import faq_search_refresh
from support_desk.demo import demo_load

pytestmark = pytest.mark.django_db


def snapshot() -> list[object]:
    return [
        list(Topic.objects.order_by("pk").values()),
        list(TopicTranslation.objects.order_by("pk").values()),
        list(FaqEntry.objects.order_by("pk").values()),
        list(FaqTranslation.objects.order_by("pk").values()),
    ]


def test_demo_help_centre_is_complete_and_loads_once() -> None:
    demo_load(now=timezone.now())
    first = snapshot()
    demo_load(now=timezone.now())
    assert snapshot() == first

    assert set(Topic.objects.values_list("slug", flat=True)) >= {
        "payment",
        "refund",
        "dispute",
        "warranty",
    }
    for topic in Topic.objects.all():
        english = FaqTranslation.objects.filter(entry__topic=topic, language="en").count()
        russian = FaqTranslation.objects.filter(entry__topic=topic, language="ru").count()
        greek = FaqTranslation.objects.filter(entry__topic=topic, language="el").count()
        assert english >= 8, topic.slug
        assert russian > english / 2 and greek > english / 2, topic.slug
    assert not FaqTranslation.objects.filter(answer_html="").exists()
    email_topics = set(Topic.objects.filter(email_contact=True).values_list("slug", flat=True))
    assert email_topics == {"payment", "refund"}


def test_demo_answers_are_found_by_the_buyer_cases() -> None:
    from faq.search import faq_search

    demo_load(now=timezone.now())
    faq_search_refresh()
    cases = {
        "refund not received after the seller cancelled": "refund-not-received-after-cancellation",
        "payment failed money taken": "payment-failed-money-taken",
        "item broke warranty seller refuses repair": "warranty-seller-refuses-repair",
    }
    for query, slug in cases.items():
        entry_ids = [hit.entry_id for hit in faq_search(query=query, language="en")[:3]]
        assert FaqEntry.objects.get(slug=slug).pk in entry_ids, query


def test_bench_topics_are_not_reserved_paths() -> None:
    from bench.faqdata import CORE_TOPICS, EXTRA_TOPICS
    from faq.models import RESERVED_TOPIC_SLUGS

    slugs = {slug for slug, *_ in CORE_TOPICS} | set(EXTRA_TOPICS)
    assert not slugs & RESERVED_TOPIC_SLUGS
