"""Every write of the help centre: content, the funnel's records, the assistant, editing.

Views, API views, admin actions, tasks and commands call these and nothing else.
"""

from faq.services._common import InvalidVisitor, UnknownLanguage
from faq.services.assistant import (
    ASSISTANT_MAX_ANSWERS,
    ASSISTANT_MIN_CONFIDENCE,
    AssistantQuestionNotFound,
    AssistantReply,
    assistant_ask,
    assistant_feedback,
)
from faq.services.content import (
    faq_entry_upsert,
    faq_search_refresh_on_commit,
    faq_translation_render,
    faq_translation_save,
    topic_upsert,
)
from faq.services.editing import (
    FaqEntryChanges,
    FaqEntryExists,
    FaqEntryNotFound,
    FaqText,
    FaqTranslationNotFound,
    InvalidFaqEntry,
    faq_entry_create,
    faq_entry_set_published,
    faq_entry_update,
    faq_translation_put,
    faq_translation_remove,
)
from faq.services.funnel import (
    faq_event_record,
    faq_event_store,
    faq_events_flush,
    faq_feedback_record,
)

__all__ = [
    "ASSISTANT_MAX_ANSWERS",
    "ASSISTANT_MIN_CONFIDENCE",
    "AssistantQuestionNotFound",
    "AssistantReply",
    "FaqEntryChanges",
    "FaqEntryExists",
    "FaqEntryNotFound",
    "FaqText",
    "FaqTranslationNotFound",
    "InvalidFaqEntry",
    "InvalidVisitor",
    "UnknownLanguage",
    "assistant_ask",
    "assistant_feedback",
    "faq_entry_create",
    "faq_entry_set_published",
    "faq_entry_update",
    "faq_entry_upsert",
    "faq_event_record",
    "faq_event_store",
    "faq_events_flush",
    "faq_feedback_record",
    "faq_search_refresh_on_commit",
    "faq_translation_put",
    "faq_translation_remove",
    "faq_translation_render",
    "faq_translation_save",
    "topic_upsert",
]
