"""Every read of the help centre, in the reader's language with English as fallback."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from faq.models import FaqEntry, FaqEvent, FaqEventKind, FaqFeedback, FaqTranslation, Topic
from faq.search import SearchHit, faq_content_version, faq_search, faq_suggest


@dataclass(frozen=True)
class TopicView:
    topic: Topic
    name: str
    description: str


@dataclass(frozen=True)
class EntryView:
    """An entry as one reader sees it: the text in their language, or the fallback."""

    entry: FaqEntry
    translation: FaqTranslation
    is_fallback: bool

    @property
    def question(self) -> str:
        return self.translation.question


def _languages(language: str) -> list[str]:
    return [language] if language == settings.LANGUAGE_CODE else [language, settings.LANGUAGE_CODE]


def _topic_view(topic: Topic, language: str) -> TopicView:
    for translation in topic.translations.all():
        if translation.language == language:
            return TopicView(topic, translation.name, translation.description or topic.description)
    return TopicView(topic, topic.name, topic.description)


def topic_list(*, language: str) -> list[TopicView]:
    """Return the active topics in order, named in ``language``."""
    topics = Topic.objects.filter(is_active=True).prefetch_related("translations")
    return [_topic_view(topic, language) for topic in topics]


CACHE_SECONDS = 300
_MISSING = "missing"


def _cached[T](key: str, read: Callable[[], T | None]) -> T | None:
    """Return ``read()`` through the cache, under the current content version."""
    full_key = f"faq:sel:{faq_content_version()}:{key}"
    found = cache.get(full_key)
    if found is None:
        value = read()
        cache.set(full_key, _MISSING if value is None else value, CACHE_SECONDS)
        return value
    return None if found == _MISSING else found


def topic_get(*, slug: str, language: str) -> TopicView:
    """Return an active topic by slug; raise Http404 otherwise."""

    def read() -> TopicView | None:
        topic = (
            Topic.objects.filter(slug=slug, is_active=True).prefetch_related("translations").first()
        )
        return _topic_view(topic, language) if topic is not None else None

    view = _cached(f"topic:{language}:{slug}", read)
    if view is None:
        raise Http404("No such topic.")
    return view


def _published_entries(language: str) -> QuerySet[FaqEntry]:
    """Return published entries of active topics that have a published English text."""
    wanted = FaqTranslation.objects.filter(language__in=_languages(language), published=True)
    has_default_text = FaqTranslation.objects.filter(
        entry=OuterRef("pk"), language=settings.LANGUAGE_CODE, published=True
    )
    return (
        FaqEntry.objects.filter(published=True, topic__is_active=True)
        .filter(Exists(has_default_text))
        .select_related("topic")
        .prefetch_related(Prefetch("translations", queryset=wanted, to_attr="readable"))
    )


def _entry_view(entry: FaqEntry, language: str) -> EntryView | None:
    by_language = {t.language: t for t in entry.readable}  # type: ignore[attr-defined]
    if language in by_language:
        return EntryView(entry, by_language[language], is_fallback=False)
    if settings.LANGUAGE_CODE in by_language:
        return EntryView(entry, by_language[settings.LANGUAGE_CODE], is_fallback=True)
    return None


def _views(entries: QuerySet[FaqEntry] | list[FaqEntry], language: str) -> list[EntryView]:
    return [view for entry in entries if (view := _entry_view(entry, language)) is not None]


def entry_queryset_published(*, language: str, topic_slug: str | None = None) -> QuerySet[FaqEntry]:
    """Return the entries a reader sees (for paginated lists), readable translations loaded.

    Turn a page of them into what the reader sees with ``entry_views``.
    """
    entries = _published_entries(language)
    return entries.filter(topic__slug=topic_slug) if topic_slug else entries


def entry_views(*, entries: list[FaqEntry], language: str) -> list[EntryView]:
    """Return entries from ``entry_queryset_published`` as their reader sees them."""
    return _views(entries, language)


@dataclass(frozen=True)
class EntryPage:
    """One page of a topic's questions; pages are numbered from 1."""

    views: list[EntryView]
    number: int
    per_page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def first_position(self) -> int:
        return (self.number - 1) * self.per_page + 1


TOPIC_PAGE_SIZE = 30


def entry_list_for_topic(
    *, topic: Topic, language: str, page: int = 1, per_page: int = TOPIC_PAGE_SIZE
) -> EntryPage:
    """Return a page of a topic's published questions, most asked first.

    Reads one row more than a page to know whether another page follows, so
    no count of the whole topic is needed.
    """
    page = max(1, page)
    start = (page - 1) * per_page
    entries = list(
        _published_entries(language)
        .filter(topic=topic)
        .order_by("-sort_weight", "-view_count", "pk")[start : start + per_page + 1]
    )
    return EntryPage(
        views=_views(entries[:per_page], language),
        number=page,
        per_page=per_page,
        has_next=len(entries) > per_page,
    )


def entry_list_related(*, entry: FaqEntry, language: str, limit: int = 5) -> list[EntryView]:
    """Return the most asked other questions of an entry's topic."""
    entries = (
        _published_entries(language)
        .filter(topic_id=entry.topic_id)
        .exclude(pk=entry.pk)
        .order_by("-sort_weight", "-view_count", "pk")[:limit]
    )
    return _views(entries, language)


def entry_list_most_asked(*, language: str, limit: int = 8) -> list[EntryView]:
    """Return the questions asked most across all topics."""
    entries = _published_entries(language).order_by("-view_count", "-sort_weight", "pk")[:limit]
    return _views(entries, language)


def entry_get(*, topic_slug: str, entry_slug: str, language: str) -> EntryView:
    """Return a published entry for the page; raise Http404 when it is not shown."""

    def read() -> EntryView | None:
        entry = _published_entries(language).filter(topic__slug=topic_slug, slug=entry_slug).first()
        return _entry_view(entry, language) if entry is not None else None

    view = _cached(f"entry:{language}:{topic_slug}:{entry_slug}", read)
    if view is None:
        raise Http404("No such question.")
    return view


def entry_get_by_id(*, entry_id: int, language: str) -> EntryView:
    """Return a published entry by id; raise Http404 when it is not shown."""
    entry = _published_entries(language).filter(pk=entry_id).first()
    view = _entry_view(entry, language) if entry is not None else None
    if view is None:
        raise Http404("No such question.")
    return view


def entry_views_by_id(*, ids: list[int], language: str) -> dict[int, EntryView]:
    """Return the published entries among ``ids``, keyed by entry id."""
    entries = _published_entries(language).filter(pk__in=ids)
    return {view.entry.pk: view for view in _views(entries, language)}


@dataclass(frozen=True)
class SearchResult:
    view: EntryView
    hit: SearchHit


def _query_key(query: str) -> str:
    return hashlib.sha256(" ".join(query.lower().split()).encode()).hexdigest()[:32]


def entry_search(*, query: str, language: str, limit: int = 10) -> list[SearchResult]:
    """Return the best answers for a query, each with its highlighted snippet."""

    def read() -> list[SearchResult]:
        hits = faq_search(query=query, language=language, limit=limit)
        views = entry_views_by_id(ids=[hit.entry_id for hit in hits], language=language)
        return [SearchResult(views[hit.entry_id], hit) for hit in hits if hit.entry_id in views]

    return _cached(f"search:{language}:{limit}:{_query_key(query)}", read) or []


def entry_suggest(*, query: str, language: str, limit: int = 5) -> list[EntryView]:
    """Return questions matching what is being typed, for suggestions."""

    def read() -> list[EntryView]:
        translation_ids = faq_suggest(query=query, language=language, limit=limit)
        translations = FaqTranslation.objects.filter(pk__in=translation_ids).select_related(
            "entry__topic"
        )
        by_id = {t.pk: t for t in translations}
        return [
            EntryView(by_id[pk].entry, by_id[pk], by_id[pk].language != language)
            for pk in translation_ids
            if pk in by_id
        ]

    return _cached(f"suggest:{language}:{limit}:{_query_key(query)}", read) or []


# --- The deflection funnel -------------------------------------------------


@dataclass(frozen=True)
class FunnelRow:
    """The funnel of one topic or entry: views → not solved → contact → tickets."""

    key: int
    label: str
    views: int
    helpful: int
    not_helpful: int
    contacts: int
    tickets: int

    @property
    def helpful_rate(self) -> float | None:
        answered = self.helpful + self.not_helpful
        return self.helpful / answered if answered else None

    @property
    def contact_rate(self) -> float | None:
        return self.contacts / self.views if self.views else None

    @property
    def ticket_rate(self) -> float | None:
        return self.tickets / self.views if self.views else None


def _count_subquery(
    model: type[FaqEvent] | type[FaqFeedback], field: str, **filters: object
) -> Coalesce:
    counted = (
        model.objects.filter(**{field: OuterRef("pk")}, **filters)
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _period(since: datetime | None, until: datetime | None, field: str) -> dict[str, datetime]:
    filters = {}
    if since is not None:
        filters[f"{field}__gte"] = since
    if until is not None:
        filters[f"{field}__lt"] = until
    return filters


def _funnel_annotations(
    field: str, since: datetime | None, until: datetime | None
) -> dict[str, Coalesce]:
    events = _period(since, until, "created_at")
    feedback = _period(since, until, "updated_at")
    return {
        "n_views": _count_subquery(FaqEvent, field, kind=FaqEventKind.VIEW, **events),
        "n_contacts": _count_subquery(FaqEvent, field, kind=FaqEventKind.CONTACT, **events),
        "n_tickets": _count_subquery(FaqEvent, field, kind=FaqEventKind.TICKET, **events),
        "n_helpful": _count_subquery(FaqFeedback, field, helpful=True, **feedback),
        "n_not_helpful": _count_subquery(FaqFeedback, field, helpful=False, **feedback),
    }


def _row(obj: Topic | FaqEntry, label: str) -> FunnelRow:
    return FunnelRow(
        key=obj.pk,
        label=label,
        views=obj.n_views,  # type: ignore[union-attr]
        helpful=obj.n_helpful,  # type: ignore[union-attr]
        not_helpful=obj.n_not_helpful,  # type: ignore[union-attr]
        contacts=obj.n_contacts,  # type: ignore[union-attr]
        tickets=obj.n_tickets,  # type: ignore[union-attr]
    )


def funnel_by_topic(
    *, since: datetime | None = None, until: datetime | None = None
) -> list[FunnelRow]:
    """Return the funnel of every topic over a period, in topic order."""
    topics = Topic.objects.annotate(**_funnel_annotations("topic", since, until))
    return [_row(topic, topic.slug) for topic in topics]


def funnel_by_entry(
    *, topic: Topic | None = None, since: datetime | None = None, until: datetime | None = None
) -> list[FunnelRow]:
    """Return the funnel of every entry (of one topic, if given) over a period."""
    entries = FaqEntry.objects.select_related("topic").annotate(
        **_funnel_annotations("entry", since, until)
    )
    if topic is not None:
        entries = entries.filter(topic=topic)
    return [_row(entry, str(entry)) for entry in entries]


def entry_funnel_annotations() -> dict[str, Coalesce]:
    """Return annotations giving each entry its all-time funnel counts (for the admin list)."""
    return _funnel_annotations("entry", None, None)
