"""Every write of the help centre: content, the funnel's records, the assistant."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypedDict

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F

from audit.services import audit_before, audit_change
from audit.snapshot import audit_snapshot
from faq import event_buffer, tasks
from faq.markdown import render_answer_html, render_answer_text
from faq.models import (
    AssistantQuestion,
    FaqEntry,
    FaqEvent,
    FaqEventKind,
    FaqFeedback,
    FaqTranslation,
    Topic,
    TopicTranslation,
)
from faq.search import SearchHit, faq_search
from faq.visitors import VISITOR_MAX_CHARS
from support_desk.errors import DomainError

# Below this score the assistant says it found nothing rather than guess.
ASSISTANT_MIN_CONFIDENCE = 0.45
ASSISTANT_MAX_ANSWERS = 3


class UnknownLanguage(DomainError):
    code = "unknown_language"


class InvalidVisitor(DomainError):
    code = "invalid_visitor"


def _check_visitor(visitor: str) -> str:
    """Return a visitor key that fits its column; faq.visitors makes them."""
    if not visitor or len(visitor) > VISITOR_MAX_CHARS:
        raise InvalidVisitor(f"A visitor key has 1 to {VISITOR_MAX_CHARS} characters.")
    return visitor


def _check_language(language: str) -> str:
    if language not in dict(settings.LANGUAGES):
        raise UnknownLanguage(f"Language {language!r} is not one of the desk's languages.")
    return language


def _upsert[M: models.Model](
    model: type[M], lookup: dict[str, Any], values: dict[str, Any]
) -> tuple[M, bool]:
    """Create the row or update only the fields that differ; return it and whether it was written."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values), True
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    for field in changed:
        setattr(obj, field, values[field])
    if changed:
        obj.save(update_fields=changed)
    return obj, bool(changed)


@transaction.atomic
def topic_upsert(
    *,
    slug: str,
    name: dict[str, str],
    description: dict[str, str],
    icon: str = "",
    sort_order: int = 100,
    email_contact: bool = False,
) -> Topic:
    """Create or update a topic and its names; ``name``/``description`` map language to text."""
    default = settings.LANGUAGE_CODE
    before = audit_before(Topic, slug=slug)
    topic, _ = _upsert(
        Topic,
        {"slug": slug},
        {
            "name": name[default],
            "description": description.get(default, ""),
            "icon": icon,
            "sort_order": sort_order,
            "email_contact": email_contact,
        },
    )
    for language, text in name.items():
        if language != default:
            _upsert(
                TopicTranslation,
                {"topic": topic, "language": _check_language(language)},
                {"name": text, "description": description.get(language, "")},
            )
    audit_change(obj=topic, before=before)
    return topic


def faq_translation_render(*, translation: FaqTranslation) -> FaqTranslation:
    """Derive the sanitised HTML and the plain text of a translation from its Markdown."""
    translation.answer_html = render_answer_html(translation.answer)
    translation.answer_text = render_answer_text(translation.answer)
    return translation


def faq_search_refresh_on_commit() -> None:
    """Refresh the search vocabulary once the current transaction commits."""
    transaction.on_commit(tasks.refresh_faq_search.delay)


@transaction.atomic
def faq_translation_save(*, translation: FaqTranslation) -> FaqTranslation:
    """Save a translation with its derived HTML and text.

    Callers refresh search once their whole change is made
    (``faq_search_refresh_on_commit``).
    """
    _check_language(translation.language)
    faq_translation_render(translation=translation)
    translation.save()
    return translation


@transaction.atomic
def faq_entry_upsert(
    *,
    topic: Topic,
    slug: str,
    texts: dict[str, tuple[str, str]],
    sort_weight: int = 0,
    operator_resolvable: bool = False,
    email_contact: bool | None = None,
    published: bool = True,
) -> FaqEntry:
    """Create or update an entry and its translations; ``texts`` maps language to (question, answer).

    Writes nothing that is already as asked; refreshes search after commit when text changed.
    """
    if settings.LANGUAGE_CODE not in texts:
        raise DomainError(f"An entry needs its {settings.LANGUAGE_CODE!r} text.")
    entry, _ = _upsert(
        FaqEntry,
        {"topic": topic, "slug": slug},
        {
            "sort_weight": sort_weight,
            "operator_resolvable": operator_resolvable,
            "email_contact": email_contact,
            "published": published,
        },
    )
    existing = {t.language: t for t in entry.translations.all()}
    text_changed = False
    for language, (question, answer) in texts.items():
        translation = existing.get(language) or FaqTranslation(entry=entry, language=language)
        if translation.pk and (translation.question, translation.answer) == (question, answer):
            continue
        translation.question, translation.answer = question, answer
        faq_translation_save(translation=translation)
        text_changed = True
    if text_changed:
        faq_search_refresh_on_commit()
    return entry


def faq_event_record(
    *,
    kind: FaqEventKind,
    entry: FaqEntry,
    language: str,
    visitor: str,
    now: datetime,
    channel: str = "",
) -> None:
    """Record a funnel step without a database write on the request's path.

    After the request's transaction commits, the event is pushed to the Redis
    buffer (full mode; ``faq_events_flush`` stores it in bulk) or sent to a
    Celery task (embedded mode; ``faq_event_store``).
    """
    event: dict[str, Any] = {
        "kind": str(kind),
        "entry_id": entry.pk,
        "language": language,
        "visitor": _check_visitor(visitor),
        "at": now.isoformat(),
        "channel": channel,
    }

    # Robust: a funnel event lost to a Redis or broker outage must never
    # fail the page or the ticket that recorded it.
    # (A named function: Django's robust on_commit logs the callback's __qualname__.)
    def send_faq_event() -> None:
        if event_buffer.enabled():
            event_buffer.push(event)
        else:
            tasks.record_faq_event.delay(**event)

    transaction.on_commit(send_faq_event, robust=True)


@transaction.atomic
def faq_events_flush(*, max_events: int = 5000) -> int:
    """Store buffered funnel events in bulk and count the views; return how many were stored.

    Events of entries deleted in the meantime are dropped.
    """
    events = event_buffer.drain(max_events=max_events)
    if not events:
        return 0
    topics = dict(
        FaqEntry.objects.filter(pk__in={e["entry_id"] for e in events}).values_list(
            "pk", "topic_id"
        )
    )
    rows = [
        FaqEvent(
            kind=FaqEventKind(e["kind"]),
            entry_id=e["entry_id"],
            topic_id=topics[e["entry_id"]],
            language=e["language"][:8],
            visitor=e["visitor"][:VISITOR_MAX_CHARS],
            channel=e.get("channel", "")[:16],
            created_at=datetime.fromisoformat(e["at"]),
        )
        for e in events
        if e["entry_id"] in topics
    ]
    FaqEvent.objects.bulk_create(rows, batch_size=1000)
    views = Counter(row.entry_id for row in rows if row.kind == FaqEventKind.VIEW)
    for entry_id, count in views.items():
        FaqEntry.objects.filter(pk=entry_id).update(view_count=F("view_count") + count)
    return len(rows)


@transaction.atomic
def faq_event_store(
    *, kind: str, entry_id: int, language: str, visitor: str, at: datetime, channel: str = ""
) -> bool:
    """Store one funnel event and count views on the entry; False when the entry is gone."""
    entry = FaqEntry.objects.filter(pk=entry_id).only("pk", "topic_id").first()
    if entry is None:
        return False
    FaqEvent.objects.create(
        kind=FaqEventKind(kind),
        entry_id=entry.pk,
        topic_id=entry.topic_id,
        language=language[:8],
        visitor=_check_visitor(visitor),
        channel=channel[:16],
        created_at=at,
    )
    if kind == FaqEventKind.VIEW:
        FaqEntry.objects.filter(pk=entry.pk).update(view_count=F("view_count") + 1)
    return True


def faq_feedback_record(
    *, entry: FaqEntry, visitor: str, language: str, helpful: bool, now: datetime
) -> FaqFeedback:
    """Record a visitor's yes/no on an answer; a second answer replaces the first."""
    feedback, _ = FaqFeedback.objects.update_or_create(
        entry=entry,
        visitor=_check_visitor(visitor),
        defaults={
            "topic_id": entry.topic_id,
            "language": language,
            "helpful": helpful,
            "updated_at": now,
        },
        create_defaults={
            "topic_id": entry.topic_id,
            "language": language,
            "helpful": helpful,
            "created_at": now,
            "updated_at": now,
        },
    )
    return feedback


@dataclass(frozen=True)
class AssistantReply:
    question: AssistantQuestion
    hits: list[SearchHit]

    @property
    def answered(self) -> bool:
        return self.question.answered


def assistant_ask(*, question: str, language: str, visitor: str, now: datetime) -> AssistantReply:
    """Answer a free-text question with the best matching entries, or honestly none.

    Only hits scoring at least ASSISTANT_MIN_CONFIDENCE are offered; what was
    asked and what was offered is recorded.
    """
    _check_language(language)
    hits = [
        hit
        for hit in faq_search(query=question, language=language, limit=10)
        if hit.score >= ASSISTANT_MIN_CONFIDENCE
    ][:ASSISTANT_MAX_ANSWERS]
    record = AssistantQuestion.objects.create(
        question=question[:2000],
        language=language,
        visitor=_check_visitor(visitor),
        best_entry_id=hits[0].entry_id if hits else None,
        confidence=hits[0].score if hits else 0.0,
        answered=bool(hits),
        created_at=now,
    )
    return AssistantReply(question=record, hits=hits)


class AssistantQuestionNotFound(DomainError):
    code = "not_found"
    status = 404


def assistant_feedback(*, question_id: int, visitor: str, helpful: bool) -> AssistantQuestion:
    """Record whether the assistant's answer helped; only its asker may say so."""
    updated = AssistantQuestion.objects.filter(pk=question_id, visitor=visitor).update(
        helpful=helpful
    )
    if not updated:
        raise AssistantQuestionNotFound("No such question of yours.")
    return AssistantQuestion.objects.get(pk=question_id)


# --- Editing entries one change at a time (the integrators' API) ---------------


class InvalidFaqEntry(DomainError):
    code = "invalid_faq_entry"


class FaqEntryNotFound(DomainError):
    code = "not_found"
    status = 404


class FaqEntryExists(DomainError):
    code = "faq_entry_exists"
    status = 409


class FaqTranslationNotFound(DomainError):
    code = "faq_translation_not_found"
    status = 404


@dataclass(frozen=True)
class FaqText:
    """An entry's question and answer (Markdown) in one language."""

    question: str
    answer: str
    published: bool = True


class FaqEntryChanges(TypedDict, total=False):
    """What ``faq_entry_update`` may change; a key left out is left as it is."""

    topic: Topic
    slug: str
    sort_weight: int
    operator_resolvable: bool
    email_contact: bool | None


def _lock_entry(entry_id: int) -> FaqEntry:
    entry = FaqEntry.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None:
        raise FaqEntryNotFound("No such FAQ entry.")
    return entry


def _check_publishable(entry: FaqEntry) -> None:
    """Refuse a published entry without published text in the default language: it would not show."""
    default = settings.LANGUAGE_CODE
    if entry.published and not entry.translations.filter(language=default, published=True).exists():
        raise InvalidFaqEntry(
            f"A published entry needs its published {default!r} text.",
            details={"published": f"Publish the {default!r} translation first."},
        )


def _touch(entry: FaqEntry) -> None:
    entry.save(update_fields=["updated_at"])  # auto_now: the entry's text changed


@transaction.atomic
def faq_entry_create(
    *,
    topic: Topic,
    slug: str,
    texts: dict[str, FaqText],
    sort_weight: int = 0,
    operator_resolvable: bool = False,
    email_contact: bool | None = None,
    published: bool = True,
) -> FaqEntry:
    """Create an entry with its translations; search is refreshed after commit.

    Raises FaqEntryExists when the topic already has an entry with ``slug``
    (the unique constraint decides, so two creating at once get one entry),
    UnknownLanguage, and InvalidFaqEntry without text in the default language.
    """
    default = settings.LANGUAGE_CODE
    if default not in texts:
        raise InvalidFaqEntry(
            f"An entry needs its {default!r} text.",
            details={"translations": f"Give the {default!r} question and answer."},
        )
    for language in texts:
        _check_language(language)
    try:
        with transaction.atomic():
            entry = FaqEntry.objects.create(
                topic=topic,
                slug=slug,
                sort_weight=sort_weight,
                operator_resolvable=operator_resolvable,
                email_contact=email_contact,
                published=published,
            )
    except IntegrityError:
        raise FaqEntryExists(
            f"Topic {topic.slug!r} already has an entry {slug!r}.",
            details={"slug": "Taken in this topic."},
        ) from None
    for language, text in texts.items():
        faq_translation_save(
            translation=FaqTranslation(
                entry=entry,
                language=language,
                question=text.question,
                answer=text.answer,
                published=text.published,
            )
        )
    _check_publishable(entry)
    audit_change(obj=entry, before={})
    faq_search_refresh_on_commit()
    return entry


@transaction.atomic
def faq_entry_update(*, entry_id: int, changes: FaqEntryChanges) -> FaqEntry:
    """Change an entry's topic, slug, weight or contact flags; the rest stays as it is.

    Locks the entry. Raises FaqEntryNotFound, and FaqEntryExists when the
    new topic already has the slug.
    """
    entry = _lock_entry(entry_id)
    changed = [field for field, value in changes.items() if getattr(entry, field) != value]
    if not changed:
        return entry
    before = audit_snapshot(entry)
    for field in changed:
        setattr(entry, field, changes[field])  # type: ignore[literal-required]
    try:
        with transaction.atomic():
            entry.save(update_fields=[*changed, "updated_at"])
    except IntegrityError:
        raise FaqEntryExists(
            f"Topic {entry.topic.slug!r} already has an entry {entry.slug!r}.",
            details={"slug": "Taken in this topic."},
        ) from None
    audit_change(obj=entry, before=before)
    faq_search_refresh_on_commit()
    return entry


@transaction.atomic
def faq_entry_set_published(*, entry_id: int, published: bool) -> FaqEntry:
    """Show an entry in the help centre or hide it; doing it twice changes nothing.

    Raises FaqEntryNotFound, and InvalidFaqEntry when publishing an entry
    without published text in the default language.
    """
    entry = _lock_entry(entry_id)
    if entry.published == published:
        return entry
    before = audit_snapshot(entry)
    entry.published = published
    _check_publishable(entry)
    entry.save(update_fields=["published", "updated_at"])
    audit_change(obj=entry, before=before)
    faq_search_refresh_on_commit()
    return entry


@transaction.atomic
def faq_translation_put(*, entry_id: int, language: str, text: FaqText) -> FaqTranslation:
    """Create or replace an entry's text in ``language``; the same text again changes nothing.

    Raises FaqEntryNotFound, UnknownLanguage, and InvalidFaqEntry when the
    default-language text of a published entry would be unpublished.
    """
    entry = _lock_entry(entry_id)
    _check_language(language)
    translation = entry.translations.filter(language=language).first() or FaqTranslation(
        entry=entry, language=language
    )
    wanted = (text.question, text.answer, text.published)
    if (
        translation.pk
        and (translation.question, translation.answer, translation.published) == wanted
    ):
        return translation
    before = audit_snapshot(entry)
    translation.question, translation.answer, translation.published = wanted
    faq_translation_save(translation=translation)
    _check_publishable(entry)
    _touch(entry)
    audit_change(obj=entry, before=before)
    faq_search_refresh_on_commit()
    return translation


@transaction.atomic
def faq_translation_remove(*, entry_id: int, language: str) -> FaqEntry:
    """Delete an entry's text in ``language``; readers of that language then get the default.

    Raises FaqEntryNotFound, FaqTranslationNotFound, and InvalidFaqEntry for
    the default language, which every entry keeps.
    """
    entry = _lock_entry(entry_id)
    if language == settings.LANGUAGE_CODE:
        raise InvalidFaqEntry(
            f"Every entry keeps its {language!r} text; change it instead.",
            details={"language": "The default language cannot be removed."},
        )
    before = audit_snapshot(entry)
    deleted, _ = entry.translations.filter(language=language).delete()
    if not deleted:
        raise FaqTranslationNotFound(f"The entry has no {language!r} text.")
    _touch(entry)
    audit_change(obj=entry, before=before)
    faq_search_refresh_on_commit()
    return entry
