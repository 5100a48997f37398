"""Agents and queue details for supervisors' and integrators' tools.

Each view parses its input, makes one call into ``tickets.services`` (or
reads through ``tickets.agent_selectors``) and serializes the result. Keys
need ``agents:read`` to read and ``agents:write`` to change; signed-in agents
and supervisors read; supervisors set agents up; an agent sets their own
presence.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
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
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from api.pagination import DeskCursorPagination
from api.permissions import RoleNotAllowed, ScopedAccess
from api.serializers import ErrorSerializer
from support_desk.errors import DomainError
from tickets import agent_selectors, services
from tickets.agent_selectors import QueueDetail
from tickets.api import access
from tickets.models import Presence, Queue

AGENT_TAGS = ["agents"]
QUEUE_TAGS = ["queues"]
CAPACITY_MAX = 100
AGENTS = (Role.AGENT, Role.SUPERVISOR)


class UnknownQueue(DomainError):
    code = "unknown_queue"


# --- Input -------------------------------------------------------------------


class AgentListQuerySerializer(serializers.Serializer):
    """Query of agents_list."""

    queue = serializers.SlugField(required=False, help_text="Only agents of this queue (slug).")
    presence = serializers.ChoiceField(
        choices=Presence.values, required=False, help_text="Only agents with this presence."
    )


def _language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


# A pattern, not an enum: drf-spectacular would name an enum here `LanguagesEnum`, a
# second name for the choice set it already calls `LanguageEnum`.
@extend_schema_field(
    {"type": "string", "pattern": f"^({'|'.join(_language_codes())})$", "example": "en"}
)
class LanguageCodeField(serializers.ChoiceField):
    """One of the desk's language codes (settings.LANGUAGES)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=_language_codes(), **kwargs)


class AgentConfigureInputSerializer(serializers.Serializer):
    """Body of agents_update: the whole working set-up of an agent."""

    queues = serializers.ListField(
        child=serializers.SlugField(),
        allow_empty=True,
        max_length=100,
        help_text="Slugs of the queues the agent works; empty takes them off every queue.",
    )
    languages = serializers.ListField(
        child=LanguageCodeField(),
        allow_empty=False,
        help_text="Languages the agent answers in.",
    )
    capacity = serializers.IntegerField(
        min_value=1, max_value=CAPACITY_MAX, help_text="Most tickets with the agent at once."
    )


class PresenceInputSerializer(serializers.Serializer):
    """Body of agents_presence."""

    presence = serializers.ChoiceField(
        choices=Presence.values,
        help_text="`online` takes tickets (waiting ones are given at once); `away` and "
        "`offline` take none.",
    )


# --- Output ------------------------------------------------------------------


class AgentOutputSerializer(serializers.Serializer):
    """An agent (an agent_selectors.AgentView)."""

    username = serializers.CharField()
    name = serializers.CharField(help_text="The name buyers see.")
    role = serializers.ChoiceField(choices=[Role.AGENT.value, Role.SUPERVISOR.value])
    configured = serializers.BooleanField(
        help_text="False until a supervisor sets the agent up: they take no tickets yet, and "
        "`capacity` is null."
    )
    presence = serializers.ChoiceField(choices=Presence.values)
    presence_changed_at = serializers.DateTimeField(allow_null=True)
    capacity = serializers.IntegerField(
        allow_null=True, help_text="Most tickets with the agent at once."
    )
    active_tickets = serializers.IntegerField(help_text="Assigned tickets taking a slot now.")
    languages = serializers.ListField(child=serializers.CharField())
    queues = serializers.ListField(
        child=serializers.SlugField(), help_text="Slugs of the queues they work."
    )
    last_assigned_at = serializers.DateTimeField(allow_null=True)


class AgentPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = AgentOutputSerializer(many=True)


class HolidayOutputSerializer(serializers.Serializer):
    date = serializers.DateField()
    name = serializers.CharField()


class BusinessHoursOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    time_zone = serializers.CharField(help_text="IANA name, e.g. `Europe/Moscow`.")
    weekly_hours = serializers.DictField(
        child=serializers.ListField(child=serializers.ListField(child=serializers.CharField())),
        help_text='Local opening periods per weekday, e.g. `{"mon": [["06:00", "24:00"]]}`; '
        "a weekday left out is closed.",
    )
    holidays = HolidayOutputSerializer(source="holidays.all", many=True)


class QueueAgentOutputSerializer(serializers.Serializer):
    username = serializers.CharField()
    presence = serializers.ChoiceField(choices=Presence.values)
    active_tickets = serializers.IntegerField()
    capacity = serializers.IntegerField(allow_null=True)


class QueueDetailOutputSerializer(serializers.Serializer):
    """A queue (an agent_selectors.QueueDetail) with its hours, counts and agents."""

    slug = serializers.SlugField(source="queue.slug")
    name = serializers.CharField(source="queue.name")
    language = serializers.CharField(source="queue.language")
    is_active = serializers.BooleanField(source="queue.is_active")
    topics = serializers.SerializerMethodField(help_text="Slugs of the topics it serves.")
    open_now = serializers.BooleanField(help_text="Within its business hours now.")
    opens_at = serializers.DateTimeField(
        allow_null=True, help_text="When it opens next; null while open."
    )
    business_hours = BusinessHoursOutputSerializer(
        source="queue.hours", allow_null=True, help_text="Null: open around the clock."
    )
    fallback = serializers.SlugField(
        source="queue.fallback.slug",
        allow_null=True,
        default=None,
        help_text="Serves new tickets while this one is closed.",
    )
    escalation_queue = serializers.SlugField(
        source="queue.escalation_queue.slug",
        allow_null=True,
        default=None,
        help_text="Where tickets go when they breach their SLA.",
    )
    sla_policy = serializers.CharField(
        source="queue.sla_policy.name", allow_null=True, default=None
    )
    waiting = serializers.IntegerField(help_text="Tickets queued, not yet with an agent.")
    oldest_queued_at = serializers.DateTimeField(allow_null=True)
    agents_online = serializers.IntegerField()
    agents = QueueAgentOutputSerializer(many=True, help_text="The agents who work it.")

    def get_topics(self, detail: QueueDetail) -> list[str]:
        return [topic.slug for topic in detail.queue.topics.all()]


# --- Schema ------------------------------------------------------------------

_ERRORS = {
    400: "`validation_error` (`details` maps fields to their errors); `unknown_queue`: a "
    "queue slug names no queue (`details.queues`); `invalid_cursor`: a `cursor` the list did "
    "not give.",
    401: "No credentials (`not_authenticated`), or an unknown or revoked key (`invalid_api_key`).",
    403: "The key lacks the scope (`missing_scope`), or the person's role may not "
    "(`role_not_allowed`).",
    404: "`agent_not_found`: no active agent or supervisor with this username.",
}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ErrorSerializer, description=_ERRORS[code]) for code in codes}


_AGENT = {
    "username": "sam",
    "name": "Sam",
    "role": "agent",
    "configured": True,
    "presence": "online",
    "presence_changed_at": "2026-05-04T08:00:00Z",
    "capacity": 5,
    "active_tickets": 3,
    "languages": ["en"],
    "queues": ["en-payment", "en-refund"],
    "last_assigned_at": "2026-05-04T09:30:02Z",
}
AGENT_EXAMPLE = OpenApiExample("An agent", value=_AGENT, response_only=True)
USERNAME_PARAM = OpenApiParameter(
    "username", OpenApiTypes.STR, OpenApiParameter.PATH, description="The agent's username."
)


# --- Endpoints ---------------------------------------------------------------


class AgentsApi(APIView):
    permission_classes = [ScopedAccess]
    allowed_roles: tuple[Role, ...] = AGENTS


def _agent_answer(username: str) -> Response:
    agent = agent_selectors.agent_get(username=username)
    return Response(AgentOutputSerializer(agent_selectors.agent_view(agent)).data)


class AgentCursorPagination(DeskCursorPagination):
    ordering = "username"


class AgentListApi(AgentsApi):
    """List the agents and supervisors with their presence and load."""

    required_scopes = {"GET": ["agents:read"]}
    pagination_class = AgentCursorPagination

    @extend_schema(
        operation_id="agents_list",
        summary="List agents",
        description="Active agents and supervisors by username, cursor-paginated, each with "
        "presence, capacity, languages, queues and the tickets they hold now "
        "(`active_tickets`).\n\n**Access:** scope `agents:read`, or a signed-in agent or "
        "supervisor.",
        parameters=[
            AgentListQuerySerializer,
            OpenApiParameter("cursor", OpenApiTypes.STR, description="From `next`/`previous`."),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Up to 200."),
        ],
        responses={200: AgentPageSerializer, **_errors(400, 401, 403)},
        examples=[
            OpenApiExample(
                "A page of agents",
                response_only=True,
                value={"next": None, "previous": None, "results": [_AGENT]},
            )
        ],
        tags=AGENT_TAGS,
    )
    def get(self, request: Request) -> Response:
        params = AgentListQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        agents = agent_selectors.agent_list(
            queue_slug=params.validated_data.get("queue"),
            presence=params.validated_data.get("presence"),
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(agents, request, view=self) or []
        views = [agent_selectors.agent_view(agent) for agent in page]
        return paginator.get_paginated_response(AgentOutputSerializer(views, many=True).data)


class AgentDetailApi(AgentsApi):
    """Show an agent, or set up their queues, languages and capacity."""

    required_scopes = {"GET": ["agents:read"], "PUT": ["agents:write"]}

    def get_permissions(self) -> Any:
        # Everyone in the workspace reads; supervisors set agents up.
        self.allowed_roles = (
            AGENTS if self.request.method in ("GET", "HEAD") else (Role.SUPERVISOR,)
        )
        return super().get_permissions()

    @extend_schema(
        operation_id="agents_retrieve",
        summary="Show an agent",
        description="One agent or supervisor with presence, set-up and load.\n\n"
        "**Access:** scope `agents:read`, or a signed-in agent or supervisor.",
        parameters=[USERNAME_PARAM],
        responses={200: AgentOutputSerializer, **_errors(401, 403, 404)},
        examples=[AGENT_EXAMPLE],
        tags=AGENT_TAGS,
    )
    def get(self, request: Request, username: str) -> Response:
        return _agent_answer(username)

    @extend_schema(
        operation_id="agents_update",
        summary="Set up an agent",
        description="Set the queues the agent works, the languages they answer in and how "
        "many tickets they hold at once; all three are given (presence is the agent's to "
        "set). An agent never set up gets a profile, offline.\n\n"
        "**Access:** scope `agents:write`, or a signed-in supervisor.",
        parameters=[USERNAME_PARAM],
        request=AgentConfigureInputSerializer,
        responses={200: AgentOutputSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "English payment and refund, up to five tickets",
                request_only=True,
                value={"queues": ["en-payment", "en-refund"], "languages": ["en"], "capacity": 5},
            ),
            AGENT_EXAMPLE,
        ],
        tags=AGENT_TAGS,
    )
    def put(self, request: Request, username: str) -> Response:
        body = AgentConfigureInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        agent = agent_selectors.agent_get(username=username)
        services.agent_configure(
            agent=agent,
            queues=_queues_named(data["queues"]),
            languages=data["languages"],
            capacity=data["capacity"],
        )
        return _agent_answer(username)


def _queues_named(slugs: list[str]) -> list[Queue]:
    """Return the queues ``slugs`` name; raise UnknownQueue naming those that do not exist."""
    found = agent_selectors.queues_by_slug(slugs=slugs)
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise UnknownQueue(
            _("No queue %(slugs)s.") % {"slugs": ", ".join(missing)},
            details={
                "queues": _("No queue with the slug(s): %(slugs)s.") % {"slugs": ", ".join(missing)}
            },
        )
    return [found[slug] for slug in dict.fromkeys(slugs)]


class AgentPresenceApi(AgentsApi):
    """Set an agent online, away or offline."""

    required_scopes = {"POST": ["agents:write"]}

    @extend_schema(
        operation_id="agents_presence",
        summary="Set an agent's presence",
        description="Set the agent `online`, `away` or `offline`; routing gives tickets only "
        "to online agents, and going online hands them waiting tickets at once, up to "
        "their capacity.\n\n**Access:** scope `agents:write`; a signed-in agent for "
        "themselves (another agent's presence is `role_not_allowed`); a signed-in "
        "supervisor for anyone.",
        parameters=[USERNAME_PARAM],
        request=PresenceInputSerializer,
        responses={200: AgentOutputSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample("Online", request_only=True, value={"presence": "online"}),
            AGENT_EXAMPLE,
        ],
        tags=AGENT_TAGS,
    )
    def post(self, request: Request, username: str) -> Response:
        body = PresenceInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        caller = access.caller_of(request)
        # Refused before the look-up: whether another name is an agent's is not the answer.
        if (
            caller.user is not None
            and not caller.user.is_supervisor
            and caller.user.get_username() != username
        ):
            raise RoleNotAllowed(_("Agents set only their own presence."))
        agent = agent_selectors.agent_get(username=username)
        services.agent_set_presence(
            agent=agent, presence=body.validated_data["presence"], now=timezone.now()
        )
        return _agent_answer(username)


class QueueDetailApi(AgentsApi):
    """Show a queue with its business hours, live counts and agents."""

    required_scopes = {"GET": ["agents:read"]}

    @extend_schema(
        operation_id="queues_retrieve",
        summary="Show a queue",
        description="One queue, active or not: the topics and language it serves, its "
        "business hours (time zone, weekly hours, holidays) and whether it is open now or "
        "when it opens, its fallback and escalation queues, tickets waiting and the oldest "
        "wait, and its agents with their presence and load.\n\n"
        "**Access:** scope `agents:read`, or a signed-in agent or supervisor.",
        parameters=[
            OpenApiParameter(
                "slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The queue's slug."
            )
        ],
        responses={
            200: QueueDetailOutputSerializer,
            **_errors(401, 403),
            404: OpenApiResponse(ErrorSerializer, description="`queue_not_found`: no such queue."),
        },
        examples=[
            OpenApiExample(
                "The Russian queue at night",
                response_only=True,
                value={
                    "slug": "ru-payment-refund",
                    "name": "Оплата и возвраты",
                    "language": "ru",
                    "is_active": True,
                    "topics": ["payment", "refund"],
                    "open_now": False,
                    "opens_at": "2026-05-05T03:00:00Z",
                    "business_hours": {
                        "name": "Moscow 06–24",
                        "time_zone": "Europe/Moscow",
                        "weekly_hours": {"mon": [["06:00", "24:00"]]},
                        "holidays": [{"date": "2026-01-01", "name": "New Year"}],
                    },
                    "fallback": "en-payment",
                    "escalation_queue": None,
                    "sla_policy": "Standard",
                    "waiting": 2,
                    "oldest_queued_at": "2026-05-04T22:10:00Z",
                    "agents_online": 0,
                    "agents": [
                        {
                            "username": "olga",
                            "presence": "offline",
                            "active_tickets": 0,
                            "capacity": 3,
                        }
                    ],
                },
            )
        ],
        tags=QUEUE_TAGS,
    )
    def get(self, request: Request, slug: str) -> Response:
        detail = agent_selectors.queue_detail(slug=slug, now=timezone.now())
        return Response(QueueDetailOutputSerializer(detail).data)
