"""SLA policies over the API: list and create them, set their targets.

For supervisors' tools and integrators. Each view parses its input, makes one
call into ``tickets.services.setup`` (over ``sla_policy_upsert``, which
records the change in the audit trail) and answers with the policy. Keys need
``agents:read`` to read and ``agents:write`` to change; signed-in agents and
supervisors read, supervisors change.
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

from api.pagination import DeskCursorPagination
from api.permissions import ScopedAccess
from api.serializers import ErrorSerializer
from tickets import config_selectors
from tickets.api.changes import PRIORITIES
from tickets.api.config import READ_ACCESS, WRITE_ACCESS, SupervisorWrites, named_rows
from tickets.models import Priority, SlaTarget
from tickets.services import setup

SLA_TAGS = ["SLA policies"]
NAME_MAX = 80
MINUTES_MAX = 1_000_000
TARGETS_MAX = 200

# --- Input -------------------------------------------------------------------


class SlaTargetInputSerializer(serializers.Serializer):
    topic = serializers.SlugField(
        allow_null=True, default=None, help_text="The topic's slug; null: every other topic."
    )
    priority = serializers.ChoiceField(choices=PRIORITIES)
    first_response_minutes = serializers.IntegerField(min_value=1, max_value=MINUTES_MAX)
    resolution_minutes = serializers.IntegerField(min_value=1, max_value=MINUTES_MAX)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The rule the admin's SLA target form states and the database enforces.
        if attrs["resolution_minutes"] < attrs["first_response_minutes"]:
            raise serializers.ValidationError(
                {
                    "resolution_minutes": _(
                        "The resolution time is at least the first-response time (%(n)d minutes)."
                    )
                    % {"n": attrs["first_response_minutes"]}
                }
            )
        return attrs


class SlaTargetsInputSerializer(serializers.Serializer):
    """Body of sla_policies_partial_update."""

    targets = SlaTargetInputSerializer(
        many=True,
        help_text="Up to 200 targets set by topic and priority; targets not listed stay as they are.",
    )

    def validate_targets(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(value) > TARGETS_MAX:
            raise serializers.ValidationError(_("At most %(n)d targets.") % {"n": TARGETS_MAX})
        keys = [(target["topic"], target["priority"]) for target in value]
        if len(set(keys)) != len(keys):
            raise serializers.ValidationError(_("One target per topic and priority."))
        return value


class SlaPolicyCreateInputSerializer(SlaTargetsInputSerializer):
    """Body of sla_policies_create."""

    name = serializers.CharField(max_length=NAME_MAX)

    def validate_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(_("A name is not blank."))
        return value.strip()


def _targets(targets: list[dict[str, Any]]) -> list[setup.SlaTargetSpec]:
    slugs = sorted({target["topic"] for target in targets if target["topic"] is not None})
    found = config_selectors.topics_by_slug(slugs=slugs)
    topics = dict(zip(slugs, named_rows("topics", slugs, found), strict=True))
    return [
        (
            topics[target["topic"]] if target["topic"] is not None else None,
            Priority[target["priority"].upper()].value,
            target["first_response_minutes"],
            target["resolution_minutes"],
        )
        for target in targets
    ]


# --- Output ------------------------------------------------------------------


class SlaTargetOutputSerializer(serializers.Serializer):
    topic = serializers.SlugField(source="topic.slug", allow_null=True, default=None)
    priority = serializers.SerializerMethodField()
    first_response_minutes = serializers.IntegerField()
    resolution_minutes = serializers.IntegerField()

    @extend_schema_field(serializers.ChoiceField(choices=PRIORITIES))
    def get_priority(self, target: SlaTarget) -> str:
        return Priority(target.priority).name.lower()


class SlaPolicyOutputSerializer(serializers.Serializer):
    """An SLA policy read with its targets and their topics."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    targets = SlaTargetOutputSerializer(source="targets.all", many=True)


class SlaPolicyPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SlaPolicyOutputSerializer(many=True)


_ERRORS = {
    400: "`validation_error` (`details` maps fields to their errors: a resolution time "
    "shorter than the first-response time, two targets for one topic and priority); "
    "`unknown_reference`: no topic with a target's slug; `invalid_cursor` (lists).",
    401: "No credentials (`not_authenticated`), or an unknown or revoked key (`invalid_api_key`).",
    403: "The key lacks the scope (`missing_scope`), or the person's role may not "
    "(`role_not_allowed`).",
    404: "`sla_policy_not_found`: no SLA policy with this id.",
    409: "`sla_policy_exists`: a policy already has this name.",
}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ErrorSerializer, description=_ERRORS[code]) for code in codes}


POLICY_PARAM = OpenApiParameter(
    "policy_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The SLA policy's id."
)
_POLICY = {
    "id": 3,
    "name": "Premium",
    "targets": [
        {
            "topic": None,
            "priority": "urgent",
            "first_response_minutes": 15,
            "resolution_minutes": 240,
        },
        {
            "topic": "payment",
            "priority": "normal",
            "first_response_minutes": 60,
            "resolution_minutes": 1440,
        },
    ],
}
POLICY_EXAMPLE = OpenApiExample("A policy", value=_POLICY, response_only=True)

# --- SLA policies ------------------------------------------------------------


class SlaPolicyCursorPagination(DeskCursorPagination):
    ordering = "name"


class SlaPolicyListApi(SupervisorWrites, APIView):
    """List the SLA policies, or create one."""

    permission_classes = [ScopedAccess]
    required_scopes = {"GET": ["agents:read"], "POST": ["agents:write"]}
    pagination_class = SlaPolicyCursorPagination

    @extend_schema(
        operation_id="sla_policies_list",
        summary="List SLA policies",
        description="Every SLA policy by name with its targets: first response and resolution "
        "in business minutes, per priority, for one topic or (`topic` null) every other. "
        "Cursor-paginated (`cursor`, `page_size` up to 200)." + READ_ACCESS,
        parameters=[
            OpenApiParameter("cursor", OpenApiTypes.STR, description="From `next`/`previous`."),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Up to 200."),
        ],
        responses={200: SlaPolicyPageSerializer, **_errors(400, 401, 403)},
        tags=SLA_TAGS,
    )
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(config_selectors.sla_policy_list(), request, self)
        return paginator.get_paginated_response(
            SlaPolicyOutputSerializer(page or [], many=True).data
        )

    @extend_schema(
        operation_id="sla_policies_create",
        summary="Create an SLA policy",
        description="Add a policy with its targets; queues use it once given it "
        "(`PATCH /queues/{slug}/` with `sla_policy`)." + WRITE_ACCESS,
        request=SlaPolicyCreateInputSerializer,
        responses={201: SlaPolicyOutputSerializer, **_errors(400, 401, 403, 409)},
        examples=[
            OpenApiExample(
                "Premium",
                request_only=True,
                value={"name": _POLICY["name"], "targets": _POLICY["targets"]},
            ),
            POLICY_EXAMPLE,
        ],
        tags=SLA_TAGS,
    )
    def post(self, request: Request) -> Response:
        body = SlaPolicyCreateInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        policy = setup.sla_policy_create(
            name=body.validated_data["name"], targets=_targets(body.validated_data["targets"])
        )
        return _policy_answer(policy.pk, status.HTTP_201_CREATED)


def _policy_answer(policy_id: int, code: int = status.HTTP_200_OK) -> Response:
    policy = config_selectors.sla_policy_get(policy_id=policy_id)
    return Response(SlaPolicyOutputSerializer(policy).data, code)


class SlaPolicyDetailApi(SupervisorWrites, APIView):
    """Show an SLA policy, or set some of its targets."""

    permission_classes = [ScopedAccess]
    required_scopes = {"GET": ["agents:read"], "PATCH": ["agents:write"]}

    @extend_schema(
        operation_id="sla_policies_retrieve",
        summary="Show an SLA policy",
        description="The policy with its targets." + READ_ACCESS,
        parameters=[POLICY_PARAM],
        responses={200: SlaPolicyOutputSerializer, **_errors(401, 403, 404)},
        examples=[POLICY_EXAMPLE],
        tags=SLA_TAGS,
    )
    def get(self, request: Request, policy_id: int) -> Response:
        return _policy_answer(policy_id)

    @extend_schema(
        operation_id="sla_policies_partial_update",
        summary="Set an SLA policy's targets",
        description="Set the targets given, by topic and priority; the others stay. Targets cannot "
        "be removed here (use the admin)." + WRITE_ACCESS,
        parameters=[POLICY_PARAM],
        request=SlaTargetsInputSerializer,
        responses={200: SlaPolicyOutputSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Urgent tickets answered within 10 minutes",
                request_only=True,
                value={
                    "targets": [
                        {
                            "topic": None,
                            "priority": "urgent",
                            "first_response_minutes": 10,
                            "resolution_minutes": 240,
                        }
                    ]
                },
            ),
            POLICY_EXAMPLE,
        ],
        tags=SLA_TAGS,
    )
    def patch(self, request: Request, policy_id: int) -> Response:
        body = SlaTargetsInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        setup.sla_policy_targets_set(
            policy_id=policy_id, targets=_targets(body.validated_data["targets"])
        )
        return _policy_answer(policy_id)
