"""Help-centre endpoints: topics, answers, search and suggestions, feedback, the assistant.

Each view parses its input, makes one call into ``faq.selectors`` or
``faq.services`` and serializes the result. Keys need ``faq:read``; signed-in
people of any role may call every operation; anonymous callers may give
feedback and ask the assistant (throttled by client address).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.models import Role
from api.models import ApiKey
from api.pagination import DeskCursorPagination
from api.permissions import ScopedAccess
from api.serializers import ErrorSerializer
from api.throttling import CallerRateThrottle
from faq import selectors, services
from faq.api import serializers as s
from faq.visitors import api_visitor_key, visitor_key

TAGS = ["help centre"]
ALL_ROLES = tuple(Role)
FAQ_READ = {"*": ["faq:read"]}

# --- Access ------------------------------------------------------------------


class ScopedAccessOrAnonymous(ScopedAccess):
    """Let anonymous callers in; check keys' scopes and people's roles as ScopedAccess does."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return True
        return super().has_permission(request, view)


class AnonymousScopedRateThrottle(ScopedRateThrottle):
    """Throttle anonymous callers by address under the view's ``throttle_scope``.

    Keys and signed-in people are not throttled here: they are accountable.
    """

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.user and request.user.is_authenticated:
            return True
        return super().allow_request(request, view)


def _visitor(request: Request, buyer: str | None) -> str:
    """Tell visitors apart: a key's end buyer, else the person or the browser's cookie."""
    if isinstance(request.auth, ApiKey):
        if not buyer:  # the input serializers already refuse this
            raise ValidationError({"visitor": ["Required when calling with an API key."]})
        return api_visitor_key(key_prefix=request.auth.prefix, buyer=buyer)
    return visitor_key(request)


def _language(params: dict[str, Any]) -> str:
    """Return the requested language, else the request's (LocaleMiddleware), else English."""
    language = params.get("language") or get_language() or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _context(request: Request) -> dict[str, Any]:
    return {
        "request": request,
        "api_key": request.auth if isinstance(request.auth, ApiKey) else None,
    }


class FaqEntryCursorPagination(DeskCursorPagination):
    # Creation order: unique and unchanging (view counts and weights move), and an
    # integrator following `next` reaches entries added since it started.
    ordering = "pk"


# --- Schema ------------------------------------------------------------------

PAGE_PARAMS = [
    OpenApiParameter(
        "cursor", OpenApiTypes.STR, description="Without `q`: the page, from `next` or `previous`."
    ),
    OpenApiParameter(
        "page_size", OpenApiTypes.INT, description="Without `q`: entries a page (up to 200)."
    ),
]
READ_SCOPE = "Scope `faq:read` (keys); any signed-in person may call it; anonymous callers may not."
OPEN_SCOPE = (
    "Scope `faq:read` (keys; no write scope is needed: it records the end buyer's action, "
    "named by `visitor`); any signed-in person; anonymous callers too, throttled per "
    "client address (HTTP 429 `throttled` with Retry-After). Anonymous callers are told apart "
    "by the `sd_visitor` cookie the answer sets."
)
# Security requirements, the empty one meaning "no credentials needed". extend_schema's
# type hint says a list of names, but the list is written to the schema as it is.
ANONYMOUS_AUTH: Any = [{"ApiKey": []}, {"cookieAuth": []}, {}]


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    described = {
        400: "Invalid input (`validation_error`); `details` maps fields to their errors.",
        401: "No credentials (`not_authenticated`), or an unknown or revoked key "
        "(`invalid_api_key`).",
        403: "The key lacks `faq:read` (`missing_scope`).",
        404: "No such published entry (`not_found`).",
        429: "Too many calls from this anonymous client (`throttled`); see Retry-After.",
    }
    return {code: OpenApiResponse(ErrorSerializer, description=described[code]) for code in codes}


# --- Endpoints ---------------------------------------------------------------


class FaqReadApi(APIView):
    """A help-centre operation: scope ``faq:read`` for keys, any role for people."""

    permission_classes = [ScopedAccess]
    required_scopes = FAQ_READ
    allowed_roles = ALL_ROLES


class OpenToBuyersApi(FaqReadApi):
    """An operation anonymous buyers may call too: throttled per address under ``throttle_scope``."""

    permission_classes = [ScopedAccessOrAnonymous]
    # Anonymous callers by address; keys and people by their own budget, as everywhere.
    throttle_classes = [AnonymousScopedRateThrottle, CallerRateThrottle]


class TopicListApi(FaqReadApi):
    """List the active topics in order, named in the reader's language."""

    @extend_schema(
        operation_id="topics_list",
        summary="List topics",
        description=f"The help centre's active topics in their order. Not paginated. {READ_SCOPE}",
        parameters=[s.TopicListQuerySerializer],
        responses={200: s.TopicListOutputSerializer, **_errors(400, 401, 403)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        params = s.TopicListQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        topics = selectors.topic_list(language=_language(params.validated_data))
        return Response(s.TopicListOutputSerializer({"results": topics}).data)


class FaqEntryListApi(FaqReadApi):
    """List published entries page by page, or search them when ``q`` is given."""

    pagination_class = FaqEntryCursorPagination

    @extend_schema(
        operation_id="faq_list",
        summary="List or search FAQ entries",
        description=(
            "Without `q`: the published entries in creation order, cursor-paginated "
            "(`{next, previous, results}`; `cursor`, `page_size` up to 200). "
            "With `q`: the best `limit` entries for the words, ranked, as "
            "`{query, results}` with each result's `score` and `snippet_html`; a ranked "
            "list is not paginated. `topic` narrows either. " + READ_SCOPE
        ),
        parameters=[s.FaqEntryListQuerySerializer, *PAGE_PARAMS],
        responses={
            200: PolymorphicProxySerializer(
                component_name="FaqEntryListOrSearch",
                serializers=[s.FaqEntryPageSerializer, s.FaqSearchOutputSerializer],
                resource_type_field_name=None,
                many=False,
            ),
            **_errors(400, 401, 403),
        },
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        params = s.FaqEntryListQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        language, topic, query = _language(data), data.get("topic"), data.get("q", "").strip()
        if query:
            hits = selectors.entry_search(query=query, language=language, limit=data["limit"])
            if topic:
                hits = [hit for hit in hits if hit.topic_slug == topic]
            return Response(s.search_output(query=query, hits=hits, request=request))
        paginator = self.pagination_class()
        entries = paginator.paginate_queryset(
            selectors.entry_queryset_published(language=language, topic_slug=topic),
            request,
            view=self,
        )
        views = selectors.entry_views(entries=list(entries or []), language=language)
        return paginator.get_paginated_response(
            s.FaqEntryOutputSerializer(views, many=True, context=_context(request)).data
        )


class FaqEntryDetailApi(FaqReadApi):
    """Show one published entry in the reader's language, or in English."""

    @extend_schema(
        operation_id="faq_retrieve",
        summary="Show an FAQ entry",
        description=(
            "One published entry; without text in the requested language it comes in English "
            "with `is_fallback` true. " + READ_SCOPE
        ),
        parameters=[s.FaqEntryQuerySerializer],
        responses={200: s.FaqEntryOutputSerializer, **_errors(400, 401, 403, 404)},
        tags=TAGS,
    )
    def get(self, request: Request, entry_id: int) -> Response:
        params = s.FaqEntryQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        view = selectors.entry_get_by_id(
            entry_id=entry_id, language=_language(params.validated_data)
        )
        return Response(s.FaqEntryOutputSerializer(view, context=_context(request)).data)


class FaqSuggestApi(FaqReadApi):
    """Suggest questions matching what a buyer is typing."""

    @extend_schema(
        operation_id="faq_suggest",
        summary="Suggest questions as the buyer types",
        description=(
            "Up to 5 questions whose words start like the typed text (the last word may be "
            "partial). An empty `q` answers an empty list. " + READ_SCOPE
        ),
        parameters=[s.FaqSuggestQuerySerializer],
        responses={200: s.FaqSuggestListOutputSerializer, **_errors(400, 401, 403)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        params = s.FaqSuggestQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data.get("q", "")
        suggestions = (
            selectors.entry_suggest(query=query, language=_language(params.validated_data))
            if query.strip()
            else []
        )
        return Response(s.suggest_output(suggestions=suggestions, request=request))


class FaqFeedbackApi(OpenToBuyersApi):
    """Record whether an answer solved the buyer's problem; a second vote replaces the first."""

    throttle_scope = "anon_feedback"

    @extend_schema(
        operation_id="faq_feedback_create",
        summary="Say whether an answer helped",
        description="One vote per visitor and entry: a second vote replaces the first. "
        + OPEN_SCOPE,
        request=s.FaqFeedbackInputSerializer,
        responses={200: s.FaqFeedbackOutputSerializer, **_errors(400, 401, 403, 404, 429)},
        auth=ANONYMOUS_AUTH,
        tags=TAGS,
    )
    def post(self, request: Request, entry_id: int) -> Response:
        body = s.FaqFeedbackInputSerializer(data=request.data, context=_context(request))
        body.is_valid(raise_exception=True)
        data = body.validated_data
        language = _language(data)
        view = selectors.entry_get_by_id(entry_id=entry_id, language=language)
        feedback = services.faq_feedback_record(
            entry=view.entry,
            visitor=_visitor(request, data.get("visitor")),
            language=language,
            helpful=data["helpful"],
            now=timezone.now(),
        )
        return Response(s.FaqFeedbackOutputSerializer(feedback).data)


class AssistantAskApi(OpenToBuyersApi):
    """Answer a free-text question with the best matching entries, or honestly none."""

    throttle_scope = "anon_assistant"

    @extend_schema(
        operation_id="assistant_ask",
        summary="Ask the assistant",
        description=(
            "Offers up to 3 entries that match the question well; `answered` is false when "
            "none does (offer to contact support). The question is recorded; its `id` takes "
            "feedback. " + OPEN_SCOPE
        ),
        request=s.AssistantAskInputSerializer,
        responses={200: s.AssistantReplyOutputSerializer, **_errors(400, 401, 403, 429)},
        auth=ANONYMOUS_AUTH,
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        body = s.AssistantAskInputSerializer(data=request.data, context=_context(request))
        body.is_valid(raise_exception=True)
        data = body.validated_data
        language = _language(data)
        reply = services.assistant_ask(
            question=data["question"],
            language=language,
            visitor=_visitor(request, data.get("visitor")),
            now=timezone.now(),
        )
        return Response(
            s.assistant_reply_output(
                question_id=reply.question.pk,
                answered=reply.answered,
                hits=reply.hits,
                request=request,
            )
        )


class AssistantFeedbackApi(OpenToBuyersApi):
    """Record whether the assistant's answers helped; only the asker may say so."""

    throttle_scope = "anon_feedback"

    @extend_schema(
        operation_id="assistant_feedback_create",
        summary="Say whether the assistant helped",
        description=(
            "Only the visitor who asked may answer; another visitor's question is `not_found`. "
            + OPEN_SCOPE
        ),
        request=s.AssistantFeedbackInputSerializer,
        responses={
            200: s.AssistantFeedbackOutputSerializer,
            **_errors(400, 401, 403, 429),
            404: OpenApiResponse(
                ErrorSerializer, description="No such question of this visitor (`not_found`)."
            ),
        },
        auth=ANONYMOUS_AUTH,
        tags=TAGS,
    )
    def post(self, request: Request, question_id: int) -> Response:
        body = s.AssistantFeedbackInputSerializer(data=request.data, context=_context(request))
        body.is_valid(raise_exception=True)
        question = services.assistant_feedback(
            question_id=question_id,
            visitor=_visitor(request, body.validated_data.get("visitor")),
            helpful=body.validated_data["helpful"],
        )
        return Response(s.AssistantFeedbackOutputSerializer(question).data)
