"""Input and output shapes of the help-centre API.

Input serializers validate shape only; output serializers read what the
selectors already loaded (topics with their translations, entries with their
topic and readable translations) and never query per row. The hot lists
(search results, suggestions, the assistant's answers) are built as plain
dicts by the ``*_output`` functions at the end, a serializer's cost being
many times a dict's per row; their serializers describe the same shape for
the schema, and a test keeps the two in step.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from faq.models import FaqEntry
from faq.search import SearchHit, Suggestion
from faq.search.query import MAX_QUERY_CHARS

QUESTION_MAX_CHARS = 2000
SEARCH_LIMIT_DEFAULT = 10
SEARCH_LIMIT_MAX = 50
BUYER_VISITOR_MAX_CHARS = 64


READ_LANGUAGE_HELP = (
    "Language of the text returned; defaults to the request's language (Accept-Language, or "
    "the signed-in person's choice). Entries without text in it come in English."
)
BUYER_LANGUAGE_HELP = (
    "Language the buyer reads in; defaults to the request's language (Accept-Language, or "
    "the signed-in person's choice)."
)


def language_field(*, help_text: str = READ_LANGUAGE_HELP) -> serializers.ChoiceField:
    """Return an optional field taking one of the desk's languages (settings.LANGUAGES)."""
    # Codes only: the (code, name) pairs would be the choice set of accounts' preferred
    # language under another enum name, which drf-spectacular warns about.
    codes = [code for code, _name in settings.LANGUAGES]
    return serializers.ChoiceField(choices=codes, required=False, help_text=help_text)


def buyer_visitor_field() -> serializers.CharField:
    return serializers.CharField(
        max_length=BUYER_VISITOR_MAX_CHARS,
        required=False,
        help_text="API keys only, and required for them: your stable id of the end buyer "
        "(up to 64 characters), so that their votes and questions are told apart. "
        "Ignored for signed-in people and anonymous callers, who are known by session "
        "or by the `sd_visitor` cookie.",
    )


class BuyerVisitorMixin(serializers.Serializer):
    """Require ``visitor`` when the caller is an API key (``context["api_key"]``)."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.context.get("api_key") is not None and not attrs.get("visitor"):
            raise serializers.ValidationError(
                {"visitor": ["Required when calling with an API key."]}, code="required"
            )
        return attrs


# --- Input -----------------------------------------------------------------


class TopicListQuerySerializer(serializers.Serializer):
    """Query of topics_list."""

    language = language_field()


class FaqEntryListQuerySerializer(serializers.Serializer):
    """Query of faq_list: filters, and search when ``q`` is given."""

    topic = serializers.SlugField(required=False, help_text="Only this topic's entries (slug).")
    language = language_field()
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_QUERY_CHARS,
        help_text="Search: answer the best `limit` entries for these words, ranked, "
        "instead of the paginated list.",
    )
    limit = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=SEARCH_LIMIT_MAX,
        default=SEARCH_LIMIT_DEFAULT,
        help_text="With `q` only: how many results at most.",
    )


class FaqEntryQuerySerializer(serializers.Serializer):
    """Query of faq_retrieve."""

    language = language_field()


class FaqSuggestQuerySerializer(serializers.Serializer):
    """Query of faq_suggest."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,  # "refund c" suggests on the last, partial word
        max_length=MAX_QUERY_CHARS,
        help_text="What the buyer has typed so far.",
    )
    language = language_field()


class FaqFeedbackInputSerializer(BuyerVisitorMixin):
    """A buyer's answer to "Did this solve your problem?"."""

    helpful = serializers.BooleanField(help_text="Did the answer solve the problem?")
    language = language_field(help_text=BUYER_LANGUAGE_HELP)
    visitor = buyer_visitor_field()


class AssistantAskInputSerializer(BuyerVisitorMixin):
    """A buyer's question to the assistant."""

    question = serializers.CharField(
        max_length=QUESTION_MAX_CHARS, help_text="The buyer's question in their own words."
    )
    language = language_field(help_text=BUYER_LANGUAGE_HELP)
    visitor = buyer_visitor_field()


class AssistantFeedbackInputSerializer(BuyerVisitorMixin):
    """Whether the assistant's answers helped."""

    helpful = serializers.BooleanField(help_text="Did the assistant's answers help?")
    visitor = buyer_visitor_field()


# --- Output ----------------------------------------------------------------


@extend_schema_field(OpenApiTypes.URI)
class EntryPageUrlField(serializers.Field):
    """The absolute address of an entry's help-centre page, from an entry with its topic."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        kwargs.setdefault("help_text", "The answer's page in the help centre.")
        super().__init__(**kwargs)

    def to_representation(self, value: FaqEntry) -> str:
        path = reverse("help:entry", args=[value.topic.slug, value.slug])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class TopicOutputSerializer(serializers.Serializer):
    """A topic as a selectors.TopicView: names in the reader's language."""

    slug = serializers.SlugField(source="topic.slug")
    name = serializers.CharField()
    description = serializers.CharField()
    icon = serializers.CharField(source="topic.icon")
    email_contact = serializers.BooleanField(
        source="topic.email_contact", help_text="Answers of this topic offer 'Email us' by default."
    )


class TopicListOutputSerializer(serializers.Serializer):
    results = TopicOutputSerializer(many=True)


class FaqEntryOutputSerializer(serializers.Serializer):
    """An entry as a selectors.EntryView: its text in the reader's language, or in English."""

    id = serializers.IntegerField(source="entry.pk")
    topic = serializers.SlugField(source="entry.topic.slug", help_text="The topic's slug.")
    slug = serializers.SlugField(source="entry.slug")
    language = serializers.CharField(
        source="translation.language", help_text="Language of `question` and `answer_html`."
    )
    is_fallback = serializers.BooleanField(
        help_text="True when the entry has no text in the requested language and English is given."
    )
    question = serializers.CharField(source="translation.question")
    answer_html = serializers.CharField(
        source="translation.answer_html", help_text="The answer as sanitised HTML."
    )
    operator_resolvable = serializers.BooleanField(
        source="entry.operator_resolvable", help_text="An agent can solve it in chat."
    )
    email_contact = serializers.BooleanField(
        source="entry.allows_email", help_text="'Email us' is offered under this answer."
    )
    url = EntryPageUrlField(source="entry")


class FaqEntryPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page, or null.")
    previous = serializers.URLField(allow_null=True, help_text="The previous page, or null.")
    results = FaqEntryOutputSerializer(many=True)


class FaqSearchHitOutputSerializer(FaqEntryOutputSerializer):
    """A search result: the entry, its score and a snippet (built by ``search_output``)."""

    score = serializers.FloatField(help_text="0 to 1; higher is a better match.")
    snippet_html = serializers.CharField(
        help_text="An escaped excerpt of the answer with the matched words in `<mark>`."
    )


class FaqSearchOutputSerializer(serializers.Serializer):
    query = serializers.CharField(help_text="The `q` searched for.")
    results = FaqSearchHitOutputSerializer(many=True, help_text="Best first; not paginated.")


class FaqSuggestionOutputSerializer(serializers.Serializer):
    """A suggested question (built by ``suggest_output``)."""

    id = serializers.IntegerField()
    question = serializers.CharField()
    topic = serializers.SlugField()
    url = serializers.URLField(help_text="The answer's page in the help centre.")


class FaqSuggestListOutputSerializer(serializers.Serializer):
    results = FaqSuggestionOutputSerializer(many=True)


class FaqFeedbackOutputSerializer(serializers.Serializer):
    entry = serializers.IntegerField(source="entry_id")
    helpful = serializers.BooleanField()


class AssistantAnswerOutputSerializer(serializers.Serializer):
    """One answer offered by the assistant (built by ``assistant_reply_output``)."""

    entry = serializers.IntegerField(help_text="The entry's id.")
    question = serializers.CharField()
    url = serializers.URLField(help_text="The answer's page in the help centre.")
    score = serializers.FloatField()
    snippet_html = serializers.CharField()


class AssistantReplyOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The question's id, for its feedback.")
    answered = serializers.BooleanField(
        help_text="False when nothing matched well enough: offer to contact support."
    )
    answers = AssistantAnswerOutputSerializer(many=True, help_text="Best first, at most 3.")


class AssistantFeedbackOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    helpful = serializers.BooleanField(allow_null=True)


# --- Lean output of the hot lists ----------------------------------------------


def _origin(request: Any) -> str:
    """Return scheme and host of the request ("" without one): what page paths are joined to."""
    return request.build_absolute_uri("/")[:-1] if request is not None else ""


def search_output(*, query: str, hits: list[SearchHit], request: Any) -> dict[str, Any]:
    """Return the body of a search (FaqSearchOutputSerializer's shape)."""
    origin = _origin(request)
    return {
        "query": query,
        "results": [
            {
                "id": hit.entry_id,
                "topic": hit.topic_slug,
                "slug": hit.entry_slug,
                "language": hit.language,
                "is_fallback": hit.is_fallback,
                "question": hit.question,
                "answer_html": hit.answer_html,
                "operator_resolvable": hit.operator_resolvable,
                "email_contact": hit.email_contact,
                "url": origin + hit.url,
                "score": hit.score,
                "snippet_html": hit.snippet_html,
            }
            for hit in hits
        ],
    }


def suggest_output(*, suggestions: list[Suggestion], request: Any) -> dict[str, Any]:
    """Return the body of suggestions (FaqSuggestListOutputSerializer's shape)."""
    origin = _origin(request)
    return {
        "results": [
            {
                "id": suggestion.entry_id,
                "question": suggestion.question,
                "topic": suggestion.topic_slug,
                "url": origin + suggestion.url,
            }
            for suggestion in suggestions
        ]
    }


def assistant_reply_output(
    *, question_id: int, answered: bool, hits: list[SearchHit], request: Any
) -> dict[str, Any]:
    """Return the assistant's reply (AssistantReplyOutputSerializer's shape)."""
    origin = _origin(request)
    return {
        "id": question_id,
        "answered": answered,
        "answers": [
            {
                "entry": hit.entry_id,
                "question": hit.question,
                "url": origin + hit.url,
                "score": hit.score,
                "snippet_html": hit.snippet_html,
            }
            for hit in hits
        ],
    }
