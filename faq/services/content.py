"""The help centre's content: topics, entries and translations, as the importer and admin write them."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from audit.services import audit_before, audit_change
from faq import tasks
from faq.markdown import render_answer_html, render_answer_text
from faq.models import FaqEntry, FaqTranslation, Topic, TopicTranslation
from faq.services._common import check_language, upsert
from support_desk.errors import DomainError


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
    topic, _ = upsert(
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
            upsert(
                TopicTranslation,
                {"topic": topic, "language": check_language(language)},
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
    check_language(translation.language)
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
    entry, _ = upsert(
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
