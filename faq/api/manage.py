"""Editing the help centre over the API: FAQ entries, drafts included, and their translations.

For supervisors' tools and content pipelines. Each view parses its input,
makes one call into ``faq.services`` and answers with the entry as editors
see it (every translation, published or not). Keys need ``faq:write``;
signed-in supervisors may call every operation; other roles may not.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from api.permissions import ScopedAccess
from api.serializers import ErrorSerializer
from faq import selectors, services
from faq.api.serializers import EntryPageUrlField
from faq.api.views import FaqEntryCursorPagination
from faq.models import FaqEntry, FaqTranslation
from faq.services import FaqEntryChanges, FaqText
from support_desk.errors import DomainError

TAGS = ["help centre: editing"]
QUESTION_MAX = FaqTranslation._meta.get_field("question").max_length or 300
ANSWER_MAX = 20_000
SLUG_MAX = FaqEntry._meta.get_field("slug").max_length or 120


class UnknownTopic(DomainError):
    code = "unknown_topic"


def _topic_named(slug: str) -> Any:
    topic = selectors.topic_get_for_editing(slug=slug)
    if topic is None:
        raise UnknownTopic(
            _("No topic %(slug)s.") % {"slug": slug},
            details={"topic": _("No topic with this slug.")},
        )
    return topic


def _language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


# --- Input -------------------------------------------------------------------


class TranslationInputSerializer(serializers.Serializer):
    """An entry's text in one language."""

    question = serializers.CharField(max_length=QUESTION_MAX)
    answer = serializers.CharField(
        max_length=ANSWER_MAX,
        help_text="Markdown; raw HTML is shown as text, and the rendered HTML is sanitised.",
    )
    published = serializers.BooleanField(
        default=True, help_text="Unpublished text is kept but not shown; readers get English."
    )


class LanguageTranslationInputSerializer(TranslationInputSerializer):
    language = serializers.ChoiceField(choices=_language_codes())


class EntryCreateInputSerializer(serializers.Serializer):
    """Body of faq_entries_create."""

    topic = serializers.SlugField(help_text="The topic's slug; inactive topics are allowed.")
    slug = serializers.SlugField(max_length=SLUG_MAX, help_text="Unique within the topic.")
    translations = LanguageTranslationInputSerializer(
        many=True,
        allow_empty=False,
        help_text=f"One per language; `{settings.LANGUAGE_CODE}` is required.",
    )
    sort_weight = serializers.IntegerField(
        default=0, min_value=-1_000_000, max_value=1_000_000, help_text="Higher comes first."
    )
    operator_resolvable = serializers.BooleanField(
        default=False, help_text="Offer 'Chat now' under the answer."
    )
    email_contact = serializers.BooleanField(
        default=None,
        allow_null=True,
        help_text="Offer 'Email us' under the answer; null follows the topic's default.",
    )
    published = serializers.BooleanField(default=True)

    def validate_translations(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        languages = [item["language"] for item in value]
        if len(set(languages)) != len(languages):
            raise serializers.ValidationError(_("One translation per language."))
        return value


class EntryUpdateInputSerializer(serializers.Serializer):
    """Body of faq_entries_partial_update: only the fields given change."""

    topic = serializers.SlugField(required=False)
    slug = serializers.SlugField(max_length=SLUG_MAX, required=False)
    sort_weight = serializers.IntegerField(
        required=False, min_value=-1_000_000, max_value=1_000_000
    )
    operator_resolvable = serializers.BooleanField(required=False)
    email_contact = serializers.BooleanField(
        required=False, allow_null=True, help_text="null follows the topic's default."
    )


class EntryListQuerySerializer(serializers.Serializer):
    topic = serializers.SlugField(required=False, help_text="Only this topic's entries.")
    published = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Only published or only drafts."
    )


# --- Output ------------------------------------------------------------------


class TranslationOutputSerializer(serializers.Serializer):
    language = serializers.CharField()
    question = serializers.CharField()
    answer = serializers.CharField(help_text="As written (Markdown).")
    answer_html = serializers.CharField(help_text="As shown: rendered and sanitised.")
    published = serializers.BooleanField()
    updated_at = serializers.DateTimeField()


class EditorEntryOutputSerializer(serializers.Serializer):
    """An entry as editors see it, read with its topic and translations loaded."""

    id = serializers.IntegerField()
    topic = serializers.SlugField(source="topic.slug")
    slug = serializers.SlugField()
    sort_weight = serializers.IntegerField()
    operator_resolvable = serializers.BooleanField()
    email_contact = serializers.BooleanField(
        allow_null=True, help_text="null: follows the topic's default."
    )
    published = serializers.BooleanField()
    view_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    translations = TranslationOutputSerializer(source="translations.all", many=True)
    url = EntryPageUrlField(source="*", help_text="The answer's page (shown once published).")


class EditorEntryPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = EditorEntryOutputSerializer(many=True)


# --- Schema ------------------------------------------------------------------

ACCESS = (
    "\n\n**Access:** scope `faq:write` (keys); signed-in supervisors. Other roles get 403 "
    "`role_not_allowed`."
)
_ERRORS = {
    400: "`validation_error` (`details` maps fields to their errors); `invalid_faq_entry`: "
    "the entry would be published without published English text, or the English text is "
    "removed; `unknown_topic`; `unknown_language`; `invalid_cursor` (lists): a `cursor` the "
    "list did not give.",
    401: "No credentials (`not_authenticated`), or an unknown or revoked key (`invalid_api_key`).",
    403: "The key lacks `faq:write` (`missing_scope`), or the person is not a supervisor "
    "(`role_not_allowed`).",
    404: "No such entry (`not_found`), or no translation in that language "
    "(`faq_translation_not_found`).",
    409: "`faq_entry_exists`: the topic already has an entry with that slug.",
}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ErrorSerializer, description=_ERRORS[code]) for code in codes}


_ENTRY = {
    "id": 42,
    "topic": "refund",
    "slug": "refund-to-gift-card",
    "sort_weight": 10,
    "operator_resolvable": False,
    "email_contact": None,
    "published": False,
    "view_count": 0,
    "created_at": "2026-05-04T09:30:00Z",
    "updated_at": "2026-05-04T09:30:00Z",
    "translations": [
        {
            "language": "en",
            "question": "Can my refund go to a gift card?",
            "answer": "Yes: choose **Gift card** when you ask for the refund.",
            "answer_html": "<p>Yes: choose <strong>Gift card</strong> when you ask for the "
            "refund.</p>",
            "published": True,
            "updated_at": "2026-05-04T09:30:00Z",
        }
    ],
    "url": "https://desk.example/help/refund/refund-to-gift-card/",
}
ENTRY_EXAMPLE = OpenApiExample("An entry", value=_ENTRY, response_only=True)
CREATE_EXAMPLE = OpenApiExample(
    "A draft in English and Russian",
    request_only=True,
    value={
        "topic": "refund",
        "slug": "refund-to-gift-card",
        "sort_weight": 10,
        "published": False,
        "translations": [
            {
                "language": "en",
                "question": "Can my refund go to a gift card?",
                "answer": "Yes: choose **Gift card** when you ask for the refund.",
            },
            {
                "language": "ru",
                "question": "Можно ли вернуть деньги на подарочную карту?",
                "answer": "Да: выберите **Подарочная карта** при запросе возврата.",
            },
        ],
    },
)
EXISTS_EXAMPLE = OpenApiExample(
    "Slug taken",
    response_only=True,
    status_codes=["409"],
    value={
        "error": {
            "code": "faq_entry_exists",
            "message": "Topic 'refund' already has an entry 'refund-to-gift-card'.",
            "details": {"slug": "Taken in this topic."},
        }
    },
)
LANGUAGE_PARAM = OpenApiParameter(
    "language",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=_language_codes(),
    description="The translation's language.",
)
ENTRY_ID_PARAM = OpenApiParameter(
    "entry_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The entry's id."
)


# --- Endpoints ---------------------------------------------------------------


class FaqWriteApi(APIView):
    """An editing operation: scope ``faq:write`` for keys, supervisors for people."""

    permission_classes = [ScopedAccess]
    required_scopes = {"*": ["faq:write"]}
    allowed_roles = (Role.SUPERVISOR,)


def _entry_answer(request: Request, entry_id: int, code: int = status.HTTP_200_OK) -> Response:
    entry = selectors.entry_get_for_editing(entry_id=entry_id)
    return Response(EditorEntryOutputSerializer(entry, context={"request": request}).data, code)


class FaqEntryManageListApi(FaqWriteApi):
    """List every entry for editors, or create one."""

    pagination_class = FaqEntryCursorPagination

    @extend_schema(
        operation_id="faq_entries_list",
        summary="List FAQ entries for editing",
        description="Every entry, drafts and unpublished translations included, in creation "
        "order, cursor-paginated (`cursor`, `page_size` up to 200)." + ACCESS,
        parameters=[
            EntryListQuerySerializer,
            OpenApiParameter("cursor", OpenApiTypes.STR, description="From `next`/`previous`."),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Up to 200."),
        ],
        responses={200: EditorEntryPageSerializer, **_errors(400, 401, 403)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        params = EntryListQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        entries = selectors.entry_list_for_editing(
            topic_slug=params.validated_data.get("topic"),
            published=params.validated_data.get("published"),
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(entries, request, view=self) or []
        return paginator.get_paginated_response(
            EditorEntryOutputSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(
        operation_id="faq_entries_create",
        summary="Create an FAQ entry",
        description="Create an entry with its translations (English required). Search and "
        "the help centre's pages show it at once when published." + ACCESS,
        request=EntryCreateInputSerializer,
        responses={201: EditorEntryOutputSerializer, **_errors(400, 401, 403, 409)},
        examples=[CREATE_EXAMPLE, ENTRY_EXAMPLE, EXISTS_EXAMPLE],
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        body = EntryCreateInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        entry = services.faq_entry_create(
            topic=_topic_named(data["topic"]),
            slug=data["slug"],
            texts={
                item["language"]: FaqText(item["question"], item["answer"], item["published"])
                for item in data["translations"]
            },
            sort_weight=data["sort_weight"],
            operator_resolvable=data["operator_resolvable"],
            email_contact=data["email_contact"],
            published=data["published"],
        )
        return _entry_answer(request, entry.pk, status.HTTP_201_CREATED)


class FaqEntryManageDetailApi(FaqWriteApi):
    """Show an entry for editing, or change its topic, slug, weight or contact flags."""

    @extend_schema(
        operation_id="faq_entries_retrieve",
        summary="Show an FAQ entry for editing",
        description="The entry with every translation, published or not." + ACCESS,
        parameters=[ENTRY_ID_PARAM],
        responses={200: EditorEntryOutputSerializer, **_errors(401, 403, 404)},
        examples=[ENTRY_EXAMPLE],
        tags=TAGS,
    )
    def get(self, request: Request, entry_id: int) -> Response:
        return _entry_answer(request, entry_id)

    @extend_schema(
        operation_id="faq_entries_partial_update",
        summary="Change an FAQ entry",
        description="Change the fields given; the others stay. Text is changed per language "
        "with `PUT …/translations/{language}/`; publishing with `…/publish/`." + ACCESS,
        parameters=[ENTRY_ID_PARAM],
        request=EntryUpdateInputSerializer,
        responses={200: EditorEntryOutputSerializer, **_errors(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "Move up and offer chat",
                request_only=True,
                value={"sort_weight": 100, "operator_resolvable": True},
            ),
            ENTRY_EXAMPLE,
        ],
        tags=TAGS,
    )
    def patch(self, request: Request, entry_id: int) -> Response:
        body = EntryUpdateInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes: FaqEntryChanges = {**body.validated_data}
        if "topic" in changes:
            changes["topic"] = _topic_named(body.validated_data["topic"])
        services.faq_entry_update(entry_id=entry_id, changes=changes)
        return _entry_answer(request, entry_id)


class FaqEntryPublishApi(FaqWriteApi):
    """Show an entry in the help centre."""

    @extend_schema(
        operation_id="faq_entries_publish",
        summary="Publish an FAQ entry",
        description="Show the entry in the help centre, search and suggestions. Publishing "
        "a published entry changes nothing. The English translation must be published "
        "(`invalid_faq_entry`)." + ACCESS,
        parameters=[ENTRY_ID_PARAM],
        request=None,
        responses={200: EditorEntryOutputSerializer, **_errors(400, 401, 403, 404)},
        tags=TAGS,
    )
    def post(self, request: Request, entry_id: int) -> Response:
        services.faq_entry_set_published(entry_id=entry_id, published=True)
        return _entry_answer(request, entry_id)


class FaqEntryUnpublishApi(FaqWriteApi):
    """Hide an entry from the help centre, keeping it as a draft."""

    @extend_schema(
        operation_id="faq_entries_unpublish",
        summary="Unpublish an FAQ entry",
        description="Hide the entry from the help centre, search and suggestions; it stays "
        "here as a draft. Unpublishing a draft changes nothing." + ACCESS,
        parameters=[ENTRY_ID_PARAM],
        request=None,
        responses={200: EditorEntryOutputSerializer, **_errors(401, 403, 404)},
        tags=TAGS,
    )
    def post(self, request: Request, entry_id: int) -> Response:
        services.faq_entry_set_published(entry_id=entry_id, published=False)
        return _entry_answer(request, entry_id)


class FaqTranslationManageApi(FaqWriteApi):
    """Create, replace or remove an entry's text in one language."""

    @extend_schema(
        operation_id="faq_entries_translation_put",
        summary="Write an FAQ entry's translation",
        description="Create or replace the entry's question and answer in `language`; the "
        "same text again changes nothing. Unpublishing the English text of a published "
        "entry is refused (`invalid_faq_entry`): unpublish the entry instead." + ACCESS,
        parameters=[ENTRY_ID_PARAM, LANGUAGE_PARAM],
        request=TranslationInputSerializer,
        responses={200: EditorEntryOutputSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Greek text",
                request_only=True,
                value={
                    "question": "Μπορεί η επιστροφή να γίνει σε δωροκάρτα;",
                    "answer": "Ναι: επιλέξτε **Δωροκάρτα** όταν ζητάτε την επιστροφή.",
                    "published": True,
                },
            ),
            ENTRY_EXAMPLE,
        ],
        tags=TAGS,
    )
    def put(self, request: Request, entry_id: int, language: str) -> Response:
        body = TranslationInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.faq_translation_put(
            entry_id=entry_id,
            language=language,
            text=FaqText(data["question"], data["answer"], data["published"]),
        )
        return _entry_answer(request, entry_id)

    @extend_schema(
        operation_id="faq_entries_translation_destroy",
        summary="Remove an FAQ entry's translation",
        description="Delete the entry's text in `language`; its readers then get English. "
        "English itself cannot be removed (`invalid_faq_entry`)." + ACCESS,
        parameters=[ENTRY_ID_PARAM, LANGUAGE_PARAM],
        responses={200: EditorEntryOutputSerializer, **_errors(400, 401, 403, 404)},
        tags=TAGS,
    )
    def delete(self, request: Request, entry_id: int, language: str) -> Response:
        services.faq_translation_remove(entry_id=entry_id, language=language)
        return _entry_answer(request, entry_id)
