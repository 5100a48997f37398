"""Creating and changing topics over the API, for supervisors' tools.

The list itself stays ``GET /topics/`` (readers' view); these views add the
writes. Each parses its input, makes one call to ``faq.services.topic_upsert``
(which records the change in the audit trail) and answers with the topic as
editors see it: its name and description in every language. Keys need
``faq:write``; signed-in supervisors may call them; other roles may not.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from api.permissions import ScopedAccess
from api.serializers import ErrorSerializer
from faq import selectors, services
from faq.api import views
from faq.models import RESERVED_TOPIC_SLUGS, Topic, TopicTranslation
from support_desk.errors import DomainError

TAGS = ["help centre: editing"]
SLUG_MAX = Topic._meta.get_field("slug").max_length or 50
NAME_MAX = Topic._meta.get_field("name").max_length or 80
DESCRIPTION_MAX = Topic._meta.get_field("description").max_length or 200
ICON_MAX = Topic._meta.get_field("icon").max_length or 8
SORT_ORDER_MAX = 32_767  # a PositiveSmallIntegerField


class TopicExists(DomainError):
    code = "topic_exists"
    status = 409


def _language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


# --- Input -------------------------------------------------------------------


class TextsField(serializers.DictField):
    """Text per language: ``{"en": "Refund", "ru": "Возврат средств"}``."""

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        super().__init__(child=serializers.CharField(max_length=max_length), **kwargs)

    def to_internal_value(self, data: Any) -> dict[str, str]:
        value: dict[str, str] = super().to_internal_value(data)
        unknown = sorted(set(value) - set(_language_codes()))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown language(s): %(codes)s; use %(known)s.")
                % {"codes": ", ".join(unknown), "known": ", ".join(_language_codes())}
            )
        return value


class TopicChangeInputSerializer(serializers.Serializer):
    """Body of topics_partial_update: only the fields given change."""

    name = TextsField(
        max_length=NAME_MAX,
        required=False,
        help_text="Name per language; languages left out keep theirs.",
    )
    description = TextsField(
        max_length=DESCRIPTION_MAX,
        required=False,
        help_text="Description per language; languages left out keep theirs.",
    )
    icon = serializers.CharField(
        max_length=ICON_MAX, allow_blank=True, required=False, help_text="One emoji."
    )
    sort_order = serializers.IntegerField(
        min_value=0, max_value=SORT_ORDER_MAX, required=False, help_text="Lower comes first."
    )
    email_contact = serializers.BooleanField(
        required=False,
        help_text="Offer 'Email us' on this topic's answers unless an answer says otherwise.",
    )

    def validate_name(self, value: dict[str, str]) -> dict[str, str]:
        if any(not text.strip() for text in value.values()):
            raise serializers.ValidationError(_("A name is not blank."))
        return value


class TopicCreateInputSerializer(TopicChangeInputSerializer):
    """Body of topics_create."""

    slug = serializers.SlugField(max_length=SLUG_MAX, help_text="Its address under /help/.")
    name = TextsField(
        max_length=NAME_MAX, help_text=f"Name per language; `{settings.LANGUAGE_CODE}` required."
    )
    description = TextsField(max_length=DESCRIPTION_MAX, required=False, default=dict)
    icon = serializers.CharField(max_length=ICON_MAX, allow_blank=True, default="")
    sort_order = serializers.IntegerField(min_value=0, max_value=SORT_ORDER_MAX, default=100)
    email_contact = serializers.BooleanField(default=False)

    def validate_slug(self, value: str) -> str:
        if value in RESERVED_TOPIC_SLUGS:
            raise serializers.ValidationError(
                _("Taken by the help centre's own pages: %(slugs)s.")
                % {"slugs": ", ".join(sorted(RESERVED_TOPIC_SLUGS))}
            )
        return value

    def validate_name(self, value: dict[str, str]) -> dict[str, str]:
        value = super().validate_name(value)
        if settings.LANGUAGE_CODE not in value:
            raise serializers.ValidationError(
                _("The name in %(language)s is required.") % {"language": settings.LANGUAGE_CODE}
            )
        return value


# --- Output ------------------------------------------------------------------


TEXTS_SCHEMA = {
    "type": "object",
    "additionalProperties": {"type": "string"},
    "example": {"en": "Delivery", "ru": "Доставка"},
}


class EditorTopicOutputSerializer(serializers.Serializer):
    """A topic as editors see it, read with its translations loaded."""

    slug = serializers.SlugField()
    name = serializers.SerializerMethodField(help_text="Name per language.")
    description = serializers.SerializerMethodField(help_text="Description per language.")
    icon = serializers.CharField()
    sort_order = serializers.IntegerField()
    email_contact = serializers.BooleanField()
    is_active = serializers.BooleanField(help_text="Shown in the help centre.")

    @extend_schema_field(TEXTS_SCHEMA)
    def get_name(self, topic: Topic) -> dict[str, str]:
        return _texts(topic, "name")

    @extend_schema_field(TEXTS_SCHEMA)
    def get_description(self, topic: Topic) -> dict[str, str]:
        return _texts(topic, "description")


def _texts(topic: Topic, field: str) -> dict[str, str]:
    texts = {settings.LANGUAGE_CODE: str(getattr(topic, field))}
    translation: TopicTranslation
    for translation in topic.translations.all():
        texts[translation.language] = str(getattr(translation, field))
    return texts


# --- Schema ------------------------------------------------------------------

ACCESS = (
    "\n\n**Access:** scope `faq:write` (keys); signed-in supervisors. Other roles get 403 "
    "`role_not_allowed`."
)
_ERRORS = {
    400: "`validation_error` (`details` maps fields to their errors: an unknown language, "
    "a missing English name, a reserved or malformed slug, text too long).",
    401: "No credentials (`not_authenticated`), or an unknown or revoked key (`invalid_api_key`).",
    403: "The key lacks `faq:write` (`missing_scope`), or the person is not a supervisor "
    "(`role_not_allowed`).",
    404: "No topic with this slug (`not_found`).",
    409: "`topic_exists`: a topic already has this slug (change it with PATCH).",
}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ErrorSerializer, description=_ERRORS[code]) for code in codes}


_TOPIC = {
    "slug": "delivery",
    "name": {"en": "Delivery", "ru": "Доставка"},
    "description": {"en": "Where your parcel is", "ru": "Где ваша посылка"},
    "icon": "🚚",
    "sort_order": 30,
    "email_contact": False,
    "is_active": True,
}
TOPIC_EXAMPLE = OpenApiExample("A topic", value=_TOPIC, response_only=True)
SLUG_PARAM = OpenApiParameter(
    "topic", OpenApiTypes.STR, OpenApiParameter.PATH, description="The topic's slug."
)


# --- Endpoints ---------------------------------------------------------------


def _topic_answer(slug: str, code: int = status.HTTP_200_OK) -> Response:
    topic = selectors.topic_get_for_editing(slug=slug)
    if topic is None:
        raise Http404(_("No such topic."))
    return Response(EditorTopicOutputSerializer(topic).data, code)


class TopicListCreateApi(views.TopicListApi):
    """List the active topics for readers, or create one (supervisors)."""

    required_scopes = {"GET": ["faq:read"], "POST": ["faq:write"]}

    def get_permissions(self) -> Any:
        # Everyone reads the list; supervisors add to it.
        self.allowed_roles = (
            views.ALL_ROLES if self.request.method in ("GET", "HEAD") else (Role.SUPERVISOR,)
        )
        return super().get_permissions()

    @extend_schema(
        operation_id="topics_create",
        summary="Create a topic",
        description="Add a topic to the help centre, named in English and any other of the "
        "desk's languages. Queues serve it once a queue lists it (`PATCH /queues/{slug}/`)."
        + ACCESS,
        request=TopicCreateInputSerializer,
        responses={201: EditorTopicOutputSerializer, **_errors(400, 401, 403, 409)},
        examples=[
            OpenApiExample(
                "Delivery, in English and Russian",
                request_only=True,
                value={k: v for k, v in _TOPIC.items() if k != "is_active"},
            ),
            TOPIC_EXAMPLE,
        ],
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        body = TopicCreateInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if selectors.topic_get_for_editing(slug=data["slug"]) is not None:
            raise TopicExists(
                _("A topic %(slug)s exists.") % {"slug": data["slug"]},
                details={"slug": _("Taken by another topic.")},
            )
        services.topic_upsert(
            slug=data["slug"],
            name=data["name"],
            description=data["description"],
            icon=data["icon"],
            sort_order=data["sort_order"],
            email_contact=data["email_contact"],
        )
        return _topic_answer(data["slug"], status.HTTP_201_CREATED)


class TopicDetailManageApi(APIView):
    """Show a topic as editors see it, or change its names, icon, order or contact default."""

    permission_classes = [ScopedAccess]
    required_scopes = {"*": ["faq:write"]}
    allowed_roles = (Role.SUPERVISOR,)

    @extend_schema(
        operation_id="topics_manage_retrieve",
        summary="Show a topic for editing",
        description="The topic, active or not, with its name and description in every "
        "language." + ACCESS,
        parameters=[SLUG_PARAM],
        responses={200: EditorTopicOutputSerializer, **_errors(401, 403, 404)},
        examples=[TOPIC_EXAMPLE],
        tags=TAGS,
    )
    def get(self, request: Request, topic: str) -> Response:
        return _topic_answer(topic)

    @extend_schema(
        operation_id="topics_partial_update",
        summary="Change a topic",
        description="Change the fields given; the others stay. `name` and `description` "
        "change only the languages they list. The slug is the topic's address and does not "
        "change." + ACCESS,
        parameters=[SLUG_PARAM],
        request=TopicChangeInputSerializer,
        responses={200: EditorTopicOutputSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Greek name, listed first",
                request_only=True,
                value={"name": {"el": "Παράδοση"}, "sort_order": 1},
            ),
            TOPIC_EXAMPLE,
        ],
        tags=TAGS,
    )
    def patch(self, request: Request, topic: str) -> Response:
        body = TopicChangeInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        current = selectors.topic_get_for_editing(slug=topic)
        if current is None:
            raise Http404(_("No such topic."))
        # topic_upsert writes the whole topic: start from what it is, change what was given.
        services.topic_upsert(
            slug=current.slug,
            name={**_texts(current, "name"), **data.get("name", {})},
            description={**_texts(current, "description"), **data.get("description", {})},
            icon=data.get("icon", current.icon),
            sort_order=data.get("sort_order", current.sort_order),
            email_contact=data.get("email_contact", current.email_contact),
        )
        return _topic_answer(current.slug)
