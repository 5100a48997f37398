"""Keeping macros over the API: create, change, retire.

Macros are shared by every agent (no one owns one), so they are kept by
supervisors, as in the admin: keys need ``agents:write``, signed-in people
must be supervisors. Each view parses its input, makes one call into
``tickets.services.setup`` (over ``macro_upsert``, which records the change
in the audit trail) and answers with the macro.
"""

from __future__ import annotations

from typing import Any

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
from tickets import config_selectors
from tickets.api.agents import LanguageCodeField
from tickets.api.config import SupervisorWrites, named_rows
from tickets.api.macros import MacroListApi
from tickets.models import Macro
from tickets.services import setup
from tickets.services.macros import PLACEHOLDERS

TAGS = ["macros"]
NAME_MAX = Macro._meta.get_field("name").max_length or 80
BODY_MAX = 5000
SORT_ORDER_MAX = 32_767
SET_STATUSES = ["", "pending", "solved"]
ACCESS = (
    "\n\n**Access:** scope `agents:write`, or a signed-in supervisor: macros are shared by "
    "every agent (agents get 403 `role_not_allowed`)."
)


# --- Input -------------------------------------------------------------------


# A pattern, not an enum: the same choices already have a name in the schema (ThenStatusEnum).
@extend_schema_field({"type": "string", "pattern": "^(|pending|solved)$", "example": "solved"})
class SetStatusField(serializers.ChoiceField):
    """`pending`, `solved`, or empty: what sending the macro sets the ticket to."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=SET_STATUSES, **kwargs)


class MacroChangeInputSerializer(serializers.Serializer):
    """Body of macros_partial_update: only the fields given change."""

    body = serializers.CharField(
        max_length=BODY_MAX,
        required=False,
        help_text="The text, with placeholders among "
        + ", ".join(f"`{{{name}}}`" for name in PLACEHOLDERS)
        + ".",
    )
    topic = serializers.SlugField(
        allow_null=True, required=False, help_text="The topic's slug; null: every topic."
    )
    set_status = SetStatusField(
        required=False,
        help_text="`pending` or `solved` sets the ticket so when sent; empty leaves it.",
    )
    sort_order = serializers.IntegerField(min_value=0, max_value=SORT_ORDER_MAX, required=False)
    is_active = serializers.BooleanField(required=False, help_text="Offered to agents.")

    def validate_body(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(_("A macro needs a text."))
        return value


class MacroCreateInputSerializer(MacroChangeInputSerializer):
    """Body of macros_create."""

    name = serializers.CharField(max_length=NAME_MAX, help_text="Unique in its language.")
    language = LanguageCodeField()
    body = serializers.CharField(max_length=BODY_MAX)

    def validate_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(_("A macro needs a name."))
        return value.strip()


def _macro_setup(data: dict[str, Any]) -> setup.MacroSetup:
    values: dict[str, Any] = {
        key: data[key] for key in ("body", "set_status", "sort_order", "is_active") if key in data
    }
    if data.get("topic") is not None:
        topics = config_selectors.topics_by_slug(slugs=[data["topic"]])
        values["topic"] = named_rows("topic", [data["topic"]], topics)[0]
    elif "topic" in data:
        values["topic"] = None
    return values  # type: ignore[return-value]


# --- Output ------------------------------------------------------------------


class MacroSetupOutputSerializer(serializers.Serializer):
    """A macro as supervisors keep it, read with its topic."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    language = serializers.CharField()
    topic = serializers.SlugField(source="topic.slug", allow_null=True, default=None)
    body = serializers.CharField()
    set_status = SetStatusField()
    sort_order = serializers.IntegerField()
    is_active = serializers.BooleanField()


# --- Schema ------------------------------------------------------------------

_ERRORS = {
    400: "`validation_error` (`details` maps fields to their errors); `unknown_reference`: "
    "no topic with that slug; `invalid_ticket`: a blank name or text.",
    401: "No credentials (`not_authenticated`), or an unknown or revoked key (`invalid_api_key`).",
    403: "The key lacks `agents:write` (`missing_scope`), or the person is not a supervisor "
    "(`role_not_allowed`).",
    404: "`macro_not_found`: no macro with this id.",
    409: "`macro_exists`: the language already has a macro with this name.",
}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ErrorSerializer, description=_ERRORS[code]) for code in codes}


_MACRO = {
    "id": 12,
    "name": "Refund on its way",
    "language": "en",
    "topic": "refund",
    "body": "Hello {buyer_name}, your refund for {order_number} is on its way.",
    "set_status": "solved",
    "sort_order": 10,
    "is_active": True,
}
MACRO_EXAMPLE = OpenApiExample("A macro", value=_MACRO, response_only=True)
MACRO_PARAM = OpenApiParameter(
    "macro_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The macro's id."
)


# --- Endpoints ---------------------------------------------------------------


def _macro_answer(macro_id: int, code: int = status.HTTP_200_OK) -> Response:
    macro = config_selectors.macro_get(macro_id=macro_id)
    return Response(MacroSetupOutputSerializer(macro).data, code)


class MacroListCreateApi(SupervisorWrites, MacroListApi):
    """List the macros, or create one."""

    required_scopes = {"GET": ["agents:read"], "POST": ["agents:write"]}

    @extend_schema(
        operation_id="macros_create",
        summary="Create a macro",
        description="Add a canned reply in one language, for one topic or all; agents are "
        "offered it at once when active." + ACCESS,
        request=MacroCreateInputSerializer,
        responses={201: MacroSetupOutputSerializer, **_errors(400, 401, 403, 409)},
        examples=[
            OpenApiExample(
                "Refund on its way",
                request_only=True,
                value={key: value for key, value in _MACRO.items() if key != "id"},
            ),
            MACRO_EXAMPLE,
        ],
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        body = MacroCreateInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        macro = setup.macro_create(
            name=data["name"], language=data["language"], setup=_macro_setup(data)
        )
        return _macro_answer(macro.pk, status.HTTP_201_CREATED)


class MacroDetailApi(APIView):
    """Show, change or retire a macro."""

    permission_classes = [ScopedAccess]
    required_scopes = {"*": ["agents:write"]}
    allowed_roles = (Role.SUPERVISOR,)

    @extend_schema(
        operation_id="macros_retrieve",
        summary="Show a macro",
        description="The macro, active or not." + ACCESS,
        parameters=[MACRO_PARAM],
        responses={200: MacroSetupOutputSerializer, **_errors(401, 403, 404)},
        examples=[MACRO_EXAMPLE],
        tags=TAGS,
    )
    def get(self, request: Request, macro_id: int) -> Response:
        return _macro_answer(macro_id)

    @extend_schema(
        operation_id="macros_partial_update",
        summary="Change a macro",
        description="Change the fields given; the others stay. Its name and language are "
        "what it is known by and do not change: create a new macro instead." + ACCESS,
        parameters=[MACRO_PARAM],
        request=MacroChangeInputSerializer,
        responses={200: MacroSetupOutputSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Leave the ticket pending",
                request_only=True,
                value={"set_status": "pending"},
            ),
            MACRO_EXAMPLE,
        ],
        tags=TAGS,
    )
    def patch(self, request: Request, macro_id: int) -> Response:
        body = MacroChangeInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        setup.macro_change(macro_id=macro_id, changes=_macro_setup(body.validated_data))
        return _macro_answer(macro_id)

    @extend_schema(
        operation_id="macros_destroy",
        summary="Retire a macro",
        description="Stop offering the macro to agents. It is kept, inactive; `PATCH` "
        "with `is_active` brings it back." + ACCESS,
        parameters=[MACRO_PARAM],
        responses={200: MacroSetupOutputSerializer, **_errors(401, 403, 404)},
        tags=TAGS,
    )
    def delete(self, request: Request, macro_id: int) -> Response:
        setup.macro_change(macro_id=macro_id, changes={"is_active": False})
        return _macro_answer(macro_id)
