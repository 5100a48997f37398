"""Editing entries one change at a time (the integrators' API)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from django.conf import settings
from django.db import IntegrityError, transaction

from audit.services import audit_change
from audit.snapshot import audit_snapshot
from faq.models import FaqEntry, FaqTranslation, Topic
from faq.services._common import check_language
from faq.services.content import faq_search_refresh_on_commit, faq_translation_save
from support_desk.errors import DomainError


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
        check_language(language)
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
    check_language(language)
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
