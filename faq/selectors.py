"""Every read of the help centre, in the reader's language with English as fallback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.conf import settings
from django.db import connection
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
from faq.search import SearchHit, Suggestion, faq_cached, faq_search, faq_suggest
from faq.search.links import entry_path


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

    @property
    def topic_slug(self) -> str:
        return self.entry.topic.slug

    @property
    def entry_slug(self) -> str:
        return self.entry.slug

    @property
    def url(self) -> str:
        """Return the path of the answer's page."""
        return entry_path(self.entry.topic.slug, self.entry.slug)


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


def topic_get(*, slug: str, language: str) -> TopicView:
    """Return an active topic by slug; raise Http404 otherwise."""

    def read() -> TopicView | None:
        topic = (
            Topic.objects.filter(slug=slug, is_active=True).prefetch_related("translations").first()
        )
        return _topic_view(topic, language) if topic is not None else None

    view = faq_cached(f"faq:topic:{language}:{slug}", read)
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


def entry_list_most_asked(*, language: str, limit: int = 8) -> list[EntryView]:
    """Return the questions asked most across all topics."""
    entries = _published_entries(language).order_by("-view_count", "-sort_weight", "pk")[:limit]
    return _views(entries, language)


def entry_get(*, topic_slug: str, entry_slug: str, language: str) -> EntryView:
    """Return a published entry with its model rows; raise Http404 when it is not shown.

    For what acts on an entry (feedback, contact); the answer page reads ``entry_page``.
    """

    def read() -> EntryView | None:
        entry = _published_entries(language).filter(topic__slug=topic_slug, slug=entry_slug).first()
        return _entry_view(entry, language) if entry is not None else None

    view = faq_cached(f"faq:entry:{language}:{topic_slug}:{entry_slug}", read)
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


def entry_question_any(*, entry_id: int, language: str) -> str | None:
    """Return an entry's question, published or not: what names it on a ticket opened from it.

    The question in ``language``, else in the desk's default language, else
    in any; an entry with no translation is named by its topic and slug.
    None when the entry is gone.
    """
    entry = FaqEntry.objects.select_related("topic").filter(pk=entry_id).first()
    if entry is None:
        return None
    questions = dict(entry.translations.values_list("language", "question"))
    for wanted in _languages(language):
        if wanted in questions:
            return questions[wanted]
    return min(questions.items())[1] if questions else str(entry)


def entry_views_by_id(*, ids: list[int], language: str) -> dict[int, EntryView]:
    """Return the published entries among ``ids``, keyed by entry id."""
    entries = _published_entries(language).filter(pk__in=ids)
    return {view.entry.pk: view for view in _views(entries, language)}


# --- The answer page -----------------------------------------------------------
# The most read page of the help centre reads plain rows in two short queries
# (no model instances, prefetches or ORM query building) and keeps the result
# in the cache under the content version.


@dataclass(frozen=True, slots=True)
class QuestionLink:
    """A question to link to: its entry's address and its text in the reader's language."""

    topic_slug: str
    entry_slug: str
    question: str

    @property
    def url(self) -> str:
        """Return the path of the answer's page."""
        return entry_path(self.topic_slug, self.entry_slug)


@dataclass(frozen=True, slots=True)
class AnswerPage:
    """An answer as one reader sees it, with its topic's name and the related questions."""

    entry_id: int
    topic_id: int
    topic_slug: str
    topic_name: str
    entry_slug: str
    question: str
    answer_html: str
    language: str
    is_fallback: bool
    operator_resolvable: bool
    allows_email: bool
    related: tuple[QuestionLink, ...]


# The entry's text in the reader's language, else in the default language
# (which a shown entry must have); its topic's name in the reader's language.
_ANSWER_SQL = """
SELECT e.id, e.topic_id, tp.slug, COALESCE(tt.name, tp.name), e.slug,
       COALESCE(r.question, d.question), COALESCE(r.answer_html, d.answer_html),
       COALESCE(r.language, d.language),
       e.operator_resolvable, COALESCE(e.email_contact, tp.email_contact)
FROM faq_faqentry e
JOIN faq_topic tp ON tp.id = e.topic_id
JOIN faq_faqtranslation d ON d.entry_id = e.id AND d.language = %s AND d.published
LEFT JOIN faq_faqtranslation r ON r.entry_id = e.id AND r.language = %s AND r.published
LEFT JOIN faq_topictranslation tt ON tt.topic_id = tp.id AND tt.language = %s
WHERE tp.slug = %s AND tp.is_active AND e.slug = %s AND e.published
"""
# The most asked other questions of the topic, in the topic's order (index faq_entry_topic_order).
_RELATED_SQL = """
SELECT e.slug, COALESCE(r.question, d.question)
FROM faq_faqentry e
JOIN faq_faqtranslation d ON d.entry_id = e.id AND d.language = %s AND d.published
LEFT JOIN faq_faqtranslation r ON r.entry_id = e.id AND r.language = %s AND r.published
WHERE e.topic_id = %s AND e.published AND e.id <> %s
ORDER BY e.sort_weight DESC, e.view_count DESC, e.id
LIMIT %s
"""
RELATED_QUESTIONS = 5


def _answer_page_read(*, topic_slug: str, entry_slug: str, language: str) -> AnswerPage | None:
    default = settings.LANGUAGE_CODE
    with connection.cursor() as cursor:
        cursor.execute(_ANSWER_SQL, [default, language, language, topic_slug, entry_slug])
        row = cursor.fetchone()
        if row is None:
            return None
        (entry_id, topic_id, topic, topic_name, slug, question, answer_html, shown_language) = row[
            :8
        ]
        operator_resolvable, allows_email = row[8:]
        cursor.execute(_RELATED_SQL, [default, language, topic_id, entry_id, RELATED_QUESTIONS])
        related = tuple(QuestionLink(topic, s, q) for s, q in cursor.fetchall())
    return AnswerPage(
        entry_id=entry_id,
        topic_id=topic_id,
        topic_slug=topic,
        topic_name=topic_name,
        entry_slug=slug,
        question=question,
        answer_html=answer_html,
        language=shown_language,
        is_fallback=shown_language != language,
        operator_resolvable=bool(operator_resolvable),
        allows_email=bool(allows_email),
        related=related,
    )


def entry_page(*, topic_slug: str, entry_slug: str, language: str) -> AnswerPage:
    """Return a published entry's answer page in ``language``; raise Http404 when it is not shown."""
    page = faq_cached(
        f"faq:page:{language}:{topic_slug}:{entry_slug}",
        partial(_answer_page_read, topic_slug=topic_slug, entry_slug=entry_slug, language=language),
    )
    if page is None:
        raise Http404("No such question.")
    return page


# --- Search --------------------------------------------------------------------


def entry_search(*, query: str, language: str, limit: int = 10) -> list[SearchHit]:
    """Return the best answers for a query, each with its highlighted snippet.

    The hits carry what a result list shows; ``faq.search`` caches them.
    """
    return faq_search(query=query, language=language, limit=limit)


def entry_suggest(*, query: str, language: str, limit: int = 5) -> list[Suggestion]:
    """Return questions matching what is being typed, for suggestions."""
    return faq_suggest(query=query, language=language, limit=limit)


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


# --- Editing ---------------------------------------------------------------------


def entry_list_for_editing(
    *, topic_slug: str | None = None, published: bool | None = None
) -> QuerySet[FaqEntry]:
    """Return every entry, drafts too, with its topic and all its translations (for editors)."""
    entries = FaqEntry.objects.select_related("topic").prefetch_related(
        Prefetch("translations", queryset=FaqTranslation.objects.order_by("language"))
    )
    if topic_slug:
        entries = entries.filter(topic__slug=topic_slug)
    if published is not None:
        entries = entries.filter(published=published)
    return entries


def entry_get_for_editing(*, entry_id: int) -> FaqEntry:
    """Return any entry, drafts too, with all its translations; raise Http404 when there is none."""
    entry = entry_list_for_editing().filter(pk=entry_id).first()
    if entry is None:
        raise Http404("No such FAQ entry.")
    return entry


def topic_get_for_editing(*, slug: str) -> Topic | None:
    """Return the topic ``slug``, active or not, or None."""
    return Topic.objects.filter(slug=slug).first()
