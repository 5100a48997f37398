"""Setting queues up over the API: queues, their business hours and holidays.

For supervisors' tools and integrators. Each view parses its input, makes one
call into ``tickets.services.setup`` (built on the upserts the admin and the
demo use, which record the change in the audit trail) and answers with what
was written. Keys need ``agents:read`` to read and ``agents:write`` to
change; signed-in agents and supervisors read, supervisors change.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
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
from support_desk.errors import DomainError
from tickets import agent_selectors, config_selectors
from tickets.admin.week_grid import WeekGridField
from tickets.api import agents
from tickets.api.agents import (
    AGENTS,
    HolidayOutputSerializer,
    LanguageCodeField,
    QueueDetailOutputSerializer,
)
from tickets.api.views import QueueListApi
from tickets.hours import WEEKDAYS, InvalidHours, check_time_zone
from tickets.models import Queue
from tickets.services import setup

QUEUE_TAGS = ["queues"]
NAME_MAX = 80
SORT_ORDER_MAX = 32_767  # PositiveSmallIntegerField
READ_ACCESS = "\n\n**Access:** scope `agents:read`, or a signed-in agent or supervisor."
WRITE_ACCESS = (
    "\n\n**Access:** scope `agents:write`, or a signed-in supervisor (agents get 403 "
    "`role_not_allowed`)."
)


class UnknownReference(DomainError):
    """A slug or name in the body that names nothing."""

    code = "unknown_reference"


def named_rows[T](kind: str, wanted: list[str], found: dict[str, T]) -> list[T]:
    missing = [name for name in wanted if name not in found]
    if missing:
        raise UnknownReference(
            _("No %(kind)s %(names)s.") % {"kind": kind, "names": ", ".join(missing)},
            details={kind: _("Nothing named: %(names)s.") % {"names": ", ".join(missing)}},
        )
    return [found[name] for name in dict.fromkeys(wanted)]


class SupervisorWrites:
    """Agents and supervisors read; only supervisors (or keys with the scope) write."""

    def get_permissions(self) -> Any:
        view: Any = self  # an APIView: the mixin comes first in its bases
        view.allowed_roles = (
            AGENTS if view.request.method in ("GET", "HEAD") else (Role.SUPERVISOR,)
        )
        return super().get_permissions()  # type: ignore[misc]


# --- Input -------------------------------------------------------------------


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            day: {
                "type": "array",
                "items": {
                    "type": "array",
                    "items": {"type": "string", "example": "09:00"},
                    "minItems": 2,
                    "maxItems": 2,
                },
            }
            for day in WEEKDAYS
        },
        "additionalProperties": False,
        "example": {"mon": [["09:00", "13:00"], ["14:00", "18:00"]], "sat": [["10:00", "14:00"]]},
    }
)
class WeeklyHoursField(serializers.Field):
    """A week of opening periods, checked with the admin week grid's rules."""

    def to_internal_value(self, data: Any) -> dict[str, list[list[str]]]:
        if not isinstance(data, dict) or set(data) - set(WEEKDAYS):
            raise serializers.ValidationError(
                _("A mapping from weekday (%(days)s) to periods.") % {"days": ", ".join(WEEKDAYS)}
            )
        for periods in data.values():
            if not isinstance(periods, list) or not all(
                isinstance(period, list)
                and len(period) == 2
                and all(isinstance(text, str) for text in period)
                for period in periods
            ):
                raise serializers.ValidationError(
                    _('Each day is a list of periods like ["09:00", "18:00"].')
                )
        try:
            week: dict[str, list[list[str]]] = WeekGridField(required=False).clean(data)
        except forms.ValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return week

    def to_representation(self, value: Any) -> Any:
        return value


def _time_zone(value: str) -> str:
    try:
        check_time_zone(value)
    except InvalidHours as error:
        raise serializers.ValidationError(str(error)) from error
    return value


class HoursInputSerializer(serializers.Serializer):
    """Body of queues_hours_update."""

    time_zone = serializers.CharField(max_length=64, help_text="IANA name, e.g. `Europe/Moscow`.")
    weekly_hours = WeeklyHoursField(
        help_text="Local opening periods per weekday; `24:00` is midnight at the end of the "
        "day; a weekday left out or empty is closed."
    )

    def validate_time_zone(self, value: str) -> str:
        return _time_zone(value)


class HolidayInputSerializer(serializers.Serializer):
    """Body of queues_holidays_create."""

    date = serializers.DateField(help_text="The local date closed all day.")
    name = serializers.CharField(max_length=NAME_MAX, allow_blank=True, default="")


class QueueChangeInputSerializer(serializers.Serializer):
    """Body of queues_partial_update: only the fields given change."""

    name = serializers.CharField(max_length=NAME_MAX, required=False)
    language = LanguageCodeField(required=False)
    topics = serializers.ListField(
        child=serializers.SlugField(),
        max_length=100,
        required=False,
        help_text="Slugs of the topics it serves; empty: any topic no other queue serves.",
    )
    business_hours = serializers.CharField(
        max_length=NAME_MAX,
        allow_null=True,
        required=False,
        help_text="The name of existing business hours; null: open around the clock. Set the "
        "week itself with `PUT /queues/{slug}/hours/`.",
    )
    fallback = serializers.SlugField(
        allow_null=True, required=False, help_text="Serves new tickets while this one is closed."
    )
    escalation_queue = serializers.SlugField(
        allow_null=True, required=False, help_text="Where tickets go when they breach their SLA."
    )
    sla_policy = serializers.CharField(
        max_length=NAME_MAX, allow_null=True, required=False, help_text="The policy's name."
    )
    sort_order = serializers.IntegerField(min_value=0, max_value=SORT_ORDER_MAX, required=False)
    is_active = serializers.BooleanField(required=False)

    def validate_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(_("A name is not blank."))
        return value.strip()


class QueueCreateInputSerializer(QueueChangeInputSerializer):
    """Body of queues_create."""

    slug = serializers.SlugField(max_length=60)
    name = serializers.CharField(max_length=NAME_MAX)
    language = LanguageCodeField()


def _queue_setup(data: dict[str, Any]) -> setup.QueueSetup:
    """Return the body's fields with the slugs and names it gives replaced by their rows."""
    values: dict[str, Any] = {
        key: data[key] for key in ("name", "language", "sort_order", "is_active") if key in data
    }
    if "topics" in data:
        values["topics"] = named_rows(
            "topics", data["topics"], config_selectors.topics_by_slug(slugs=data["topics"])
        )
    for field in ("fallback", "escalation_queue"):
        if data.get(field) is not None:
            found = agent_selectors.queues_by_slug(slugs=[data[field]])
            values[field] = named_rows(field, [data[field]], found)[0]
        elif field in data:
            values[field] = None
    if data.get("business_hours") is not None:
        found_hours = config_selectors.business_hours_by_name(names=[data["business_hours"]])
        values["hours"] = named_rows("business_hours", [data["business_hours"]], found_hours)[0]
    elif "business_hours" in data:
        values["hours"] = None
    if data.get("sla_policy") is not None:
        found_policies = config_selectors.sla_policies_by_name(names=[data["sla_policy"]])
        values["sla_policy"] = named_rows("sla_policy", [data["sla_policy"]], found_policies)[0]
    elif "sla_policy" in data:
        values["sla_policy"] = None
    return values  # type: ignore[return-value]


# --- Output ------------------------------------------------------------------


class HoursOutputSerializer(serializers.Serializer):
    """A queue's business hours (a Queue read with its hours, holidays and their queues)."""

    queue = serializers.SlugField(source="slug")
    always_open = serializers.SerializerMethodField(
        help_text="True: no business hours, open around the clock (the fields below are null)."
    )
    name = serializers.CharField(source="hours.name", allow_null=True, default=None)
    time_zone = serializers.CharField(source="hours.time_zone", allow_null=True, default=None)
    weekly_hours = WeeklyHoursField(source="hours.weekly_hours", allow_null=True, default=None)
    holidays = serializers.SerializerMethodField()
    shared_with = serializers.SerializerMethodField(
        help_text="Other queues with the same hours: changing them changes theirs too."
    )

    def get_always_open(self, queue: Queue) -> bool:
        return queue.hours is None

    @extend_schema_field(HolidayOutputSerializer(many=True))
    def get_holidays(self, queue: Queue) -> Any:
        hours = queue.hours
        return HolidayOutputSerializer(hours.holidays.all() if hours else [], many=True).data

    def get_shared_with(self, queue: Queue) -> list[str]:
        hours = queue.hours
        if hours is None:
            return []
        return sorted(other.slug for other in hours.queues.all() if other.pk != queue.pk)


# --- Schema ------------------------------------------------------------------

_ERRORS = {
    400: "`validation_error` (`details` maps fields to their errors, e.g. a week that "
    "overlaps or an unknown time zone); `unknown_reference`: a topic, queue, business hours "
    "or SLA policy the body names does not exist (`details` names the field); "
    "`invalid_ticket`: a queue that is its own fallback or escalation queue.",
    401: "No credentials (`not_authenticated`), or an unknown or revoked key (`invalid_api_key`).",
    403: "The key lacks the scope (`missing_scope`), or the person's role may not "
    "(`role_not_allowed`).",
    404: "`queue_not_found`, or `holiday_not_found`.",
    409: "`queue_exists`: the slug is taken; "
    "`queue_always_open`: the queue has no business hours to add holidays to (set its week "
    "first).",
}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ErrorSerializer, description=_ERRORS[code]) for code in codes}


SLUG_PARAM = OpenApiParameter(
    "slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The queue's slug."
)
DAY_PARAM = OpenApiParameter(
    "day", OpenApiTypes.DATE, OpenApiParameter.PATH, description="The holiday's date."
)
_WEEK = {"mon": [["09:00", "13:00"], ["14:00", "18:00"]], "sat": [["10:00", "14:00"]]}
HOURS_EXAMPLE = OpenApiExample(
    "Weekdays with a lunch break",
    response_only=True,
    value={
        "queue": "el-payment",
        "always_open": False,
        "name": "el-payment hours",
        "time_zone": "Europe/Athens",
        "weekly_hours": _WEEK,
        "holidays": [{"date": "2026-03-25", "name": "Independence Day"}],
        "shared_with": [],
    },
)


# --- Queues ------------------------------------------------------------------


def _queue_answer(slug: str, code: int = status.HTTP_200_OK) -> Response:
    detail = agent_selectors.queue_detail(slug=slug, now=timezone.now())
    return Response(QueueDetailOutputSerializer(detail).data, code)


class QueueListCreateApi(SupervisorWrites, QueueListApi):
    """List the active queues, or create one."""

    required_scopes = {"GET": ["agents:read"], "POST": ["agents:write"]}

    @extend_schema(
        operation_id="queues_create",
        summary="Create a queue",
        description="Add a queue serving `topics` in `language`. Agents work it once set up "
        "for it (`PUT /agents/{username}/`). Without `business_hours` it is open around the clock."
        + WRITE_ACCESS,
        request=QueueCreateInputSerializer,
        responses={201: QueueDetailOutputSerializer, **_errors(400, 401, 403, 409)},
        examples=[
            OpenApiExample(
                "A Greek payment queue falling back to English",
                request_only=True,
                value={
                    "slug": "el-payment",
                    "name": "Πληρωμές",
                    "language": "el",
                    "topics": ["payment"],
                    "fallback": "en-payment",
                    "sla_policy": "Standard",
                },
            )
        ],
        tags=QUEUE_TAGS,
    )
    def post(self, request: Request) -> Response:
        body = QueueCreateInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        slug = body.validated_data["slug"]
        setup.queue_create(slug=slug, setup=_queue_setup(body.validated_data))
        return _queue_answer(slug, status.HTTP_201_CREATED)


class QueueDetailChangeApi(SupervisorWrites, agents.QueueDetailApi):
    """Show a queue, or change its set-up."""

    required_scopes = {"GET": ["agents:read"], "PATCH": ["agents:write"]}

    @extend_schema(
        operation_id="queues_partial_update",
        summary="Change a queue",
        description="Change the fields given; the others stay (`topics`, when given, is the "
        "whole list). The slug does not change. Tickets already in the queue stay; routing "
        "uses the new set-up for what comes next." + WRITE_ACCESS,
        parameters=[SLUG_PARAM],
        request=QueueChangeInputSerializer,
        responses={200: QueueDetailOutputSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Closed for now, and its tickets go to English",
                request_only=True,
                value={"is_active": False, "fallback": "en-payment"},
            )
        ],
        tags=QUEUE_TAGS,
    )
    def patch(self, request: Request, slug: str) -> Response:
        body = QueueChangeInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        setup.queue_change(slug=slug, changes=_queue_setup(body.validated_data))
        return _queue_answer(slug)


def _hours_answer(slug: str, code: int = status.HTTP_200_OK) -> Response:
    return Response(HoursOutputSerializer(config_selectors.queue_hours_get(slug=slug)).data, code)


class QueueHoursApi(SupervisorWrites, APIView):
    """Show or set a queue's week and time zone."""

    permission_classes = [ScopedAccess]
    required_scopes = {"GET": ["agents:read"], "PUT": ["agents:write"]}

    @extend_schema(
        operation_id="queues_hours_retrieve",
        summary="Show a queue's business hours",
        description="The queue's time zone, week and holidays, and the other queues sharing "
        "them; `always_open` when it has none." + READ_ACCESS,
        parameters=[SLUG_PARAM],
        responses={200: HoursOutputSerializer, **_errors(401, 403, 404)},
        examples=[HOURS_EXAMPLE],
        tags=QUEUE_TAGS,
    )
    def get(self, request: Request, slug: str) -> Response:
        return _hours_answer(slug)

    @extend_schema(
        operation_id="queues_hours_update",
        summary="Set a queue's business hours",
        description="Set the time zone and the whole week, checked as the admin's week grid "
        "checks it (both times of a period, opening before closing, no overlaps; `00:00` as a "
        "closing time is midnight). Hours are shared: the queues in `shared_with` change too. "
        "A queue open around the clock gets hours of its own. Holidays stay." + WRITE_ACCESS,
        parameters=[SLUG_PARAM],
        request=HoursInputSerializer,
        responses={200: HoursOutputSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Weekdays with a lunch break",
                request_only=True,
                value={"time_zone": "Europe/Athens", "weekly_hours": _WEEK},
            ),
            HOURS_EXAMPLE,
        ],
        tags=QUEUE_TAGS,
    )
    def put(self, request: Request, slug: str) -> Response:
        body = HoursInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        setup.queue_hours_put(
            slug=slug,
            time_zone=body.validated_data["time_zone"],
            weekly_hours=body.validated_data["weekly_hours"],
        )
        return _hours_answer(slug)


class QueueHolidayListApi(SupervisorWrites, APIView):
    """List a queue's holidays, or add one."""

    permission_classes = [ScopedAccess]
    required_scopes = {"GET": ["agents:read"], "POST": ["agents:write"]}

    @extend_schema(
        operation_id="queues_holidays_list",
        summary="List a queue's holidays",
        description="The queue's business hours with their holidays (local dates closed all "
        "day), as `GET …/hours/` shows them." + READ_ACCESS,
        parameters=[SLUG_PARAM],
        responses={200: HoursOutputSerializer, **_errors(401, 403, 404)},
        tags=QUEUE_TAGS,
    )
    def get(self, request: Request, slug: str) -> Response:
        return _hours_answer(slug)

    @extend_schema(
        operation_id="queues_holidays_create",
        summary="Add a holiday",
        description="Close the queue's hours all day on `date` (the queues sharing them "
        "too); a date already a holiday is renamed. A queue open around the clock has no "
        "hours to close (`queue_always_open`)." + WRITE_ACCESS,
        parameters=[SLUG_PARAM],
        request=HolidayInputSerializer,
        responses={201: HoursOutputSerializer, **_errors(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "Independence Day",
                request_only=True,
                value={"date": "2026-03-25", "name": "Independence Day"},
            ),
            HOURS_EXAMPLE,
        ],
        tags=QUEUE_TAGS,
    )
    def post(self, request: Request, slug: str) -> Response:
        body = HolidayInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        setup.queue_holiday_add(
            slug=slug, day=body.validated_data["date"], name=body.validated_data["name"]
        )
        return _hours_answer(slug, status.HTTP_201_CREATED)


class QueueHolidayApi(APIView):
    """Remove a holiday."""

    permission_classes = [ScopedAccess]
    required_scopes = {"DELETE": ["agents:write"]}
    allowed_roles = (Role.SUPERVISOR,)

    @extend_schema(
        operation_id="queues_holidays_destroy",
        summary="Remove a holiday",
        description="Open the queue's hours on `day` again as its week says." + WRITE_ACCESS,
        parameters=[SLUG_PARAM, DAY_PARAM],
        responses={200: HoursOutputSerializer, **_errors(401, 403, 404, 409)},
        tags=QUEUE_TAGS,
    )
    def delete(self, request: Request, slug: str, day: str) -> Response:
        try:
            when = date.fromisoformat(day)
        except ValueError:
            raise setup.HolidayNotFound(_("No holiday on %(day)s.") % {"day": day}) from None
        setup.queue_holiday_remove(slug=slug, day=when)
        return _hours_answer(slug)
