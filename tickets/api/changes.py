"""Moving a ticket to another queue, changing its priority, and reading its history.

Each change is one call into ``tickets.services``, which writes the event
row the history lists. Keys change tickets with ``tickets:write`` (naming an
``agent`` to act for needs ``agents:write`` too; without one the change is
recorded as the integrator's); signed-in agents and supervisors act as
themselves on tickets they can open. The history is for agents' eyes.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from api.pagination import DeskCursorPagination
from tickets import selectors, services
from tickets.agent_selectors import queues_by_slug
from tickets.api import access
from tickets.api import schema as doc
from tickets.api import serializers as s
from tickets.api.access import Caller
from tickets.api.agents import UnknownQueue
from tickets.api.views import AGENTS, TAGS, TicketsApi
from tickets.models import EventKind, Priority, Ticket, TicketEvent
from tickets.services import InvalidTicket, TicketNotFound

REASON_MAX = 300
PRIORITIES = [p.name.lower() for p in Priority]

ACTOR = (
    "Keys may name the `agent` they act for (then `agents:write` is needed too); without "
    "one the change is recorded with no person. Signed-in agents and supervisors act as "
    "themselves."
)


def _actor(caller: Caller, username: str | None) -> User | None:
    """Return who makes a change: the signed-in agent, the agent a key names, or nobody."""
    if caller.is_key:
        if not username:
            return None
        caller.require_scope("agents:write", "acting as an agent")
        return access.agent_named(username)
    if username:
        raise InvalidTicket(
            _("Signed-in people act as themselves."),
            details={"agent": _("Only API keys name an agent.")},
        )
    return caller.agent


def _changed_ticket(request: Request, caller: Caller, ticket_id: int) -> Response:
    """Answer with the ticket after a change, even if it left the agent's queues."""
    try:
        ticket = access.ticket_visible(caller, ticket_id)
    except TicketNotFound:
        # Moved out of the agent's queues by this very request: they saw it a moment ago.
        ticket = (
            Ticket.objects.select_related("topic", "queue", "assignee", "buyer", "rating__agent")
            .filter(pk=ticket_id)
            .get()
        )
    context = {"request": request, "agent_scope": caller.has_agent_scope}
    return Response(s.TicketOutputSerializer(ticket, context=context).data)


# --- Input and output --------------------------------------------------------


class TransferInputSerializer(serializers.Serializer):
    """Body of tickets_transfer."""

    queue = serializers.SlugField(help_text="The slug of the queue the ticket moves to.")
    reason = serializers.CharField(
        max_length=REASON_MAX,
        help_text="Why it moves; the buyer is told, and the history keeps it.",
    )
    agent = serializers.CharField(max_length=150, required=False, help_text=s.AGENT_FIELD_HELP)


class PriorityInputSerializer(serializers.Serializer):
    """Body of tickets_priority."""

    priority = serializers.ChoiceField(choices=PRIORITIES)
    reason = serializers.CharField(
        max_length=REASON_MAX, required=False, allow_blank=True, default=""
    )
    agent = serializers.CharField(max_length=150, required=False, help_text=s.AGENT_FIELD_HELP)


class TicketEventOutputSerializer(serializers.Serializer):
    """One change of a ticket, read with its actor loaded."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=EventKind.values)
    actor = serializers.CharField(
        source="actor.username",
        allow_null=True,
        default=None,
        help_text="Who made it; null for the desk itself (routing, SLA) and integrators.",
    )
    from_value = serializers.CharField(help_text="Before, e.g. a status or queue name.")
    to_value = serializers.CharField(help_text="After.")
    reason = serializers.CharField(help_text="Why; internal, never shown to buyers.")
    created_at = serializers.DateTimeField()


class TicketEventPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = TicketEventOutputSerializer(many=True)


class EventCursorPagination(DeskCursorPagination):
    ordering = ("created_at", "id")  # type: ignore[assignment]  # DRF takes a tuple too


TICKET_ID_PARAM = OpenApiParameter(
    "ticket_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The ticket's id."
)


# --- Endpoints ---------------------------------------------------------------


class TicketChangeApi(TicketsApi):
    required_scopes = {"POST": ["tickets:write"]}
    allowed_roles = AGENTS


class TicketTransferApi(TicketChangeApi):
    """Move a ticket to another queue, saying why."""

    @extend_schema(
        operation_id="tickets_transfer",
        summary="Move a ticket to another queue",
        description="Move an open ticket (queued, assigned or pending) to another active "
        "queue: it becomes `queued` there, unassigned, and is offered to that queue's free "
        "agents; the buyer is told why. Moving it to its own queue changes nothing. "
        + ACTOR
        + "\n\n**Access:** scope `tickets:write` (+ `agents:write` with `agent`); signed-in "
        "agents and supervisors on tickets they can open.",
        parameters=[TICKET_ID_PARAM],
        request=TransferInputSerializer,
        responses={
            200: s.TicketOutputSerializer,
            **doc._error(
                400,
                "`validation_error`; `unknown_queue`; `invalid_ticket`: the ticket is not "
                "open in a queue, or the queue is not active; `unknown_agent`.",
            ),
            **doc.errors(401, 403, 404),
        },
        examples=[
            OpenApiExample(
                "To the Russian queue",
                request_only=True,
                value={"queue": "ru-payment-refund", "reason": "The buyer writes in Russian."},
            ),
            doc.TICKET_EXAMPLE,
        ],
        tags=TAGS,
    )
    def post(self, request: Request, ticket_id: int) -> Response:
        body = TransferInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        caller = access.caller_of(request)
        ticket = access.ticket_visible(caller, ticket_id)
        queue = queues_by_slug(slugs=[data["queue"]]).get(data["queue"])
        if queue is None:
            raise UnknownQueue(
                _("No queue %(slug)s.") % {"slug": data["queue"]},
                details={"queue": _("No queue with this slug.")},
            )
        services.ticket_move_to_queue(
            ticket_id=ticket.pk,
            queue=queue,
            actor=_actor(caller, data.get("agent")),
            now=timezone.now(),
            reason=data["reason"],
        )
        return _changed_ticket(request, caller, ticket.pk)


class TicketPriorityApi(TicketChangeApi):
    """Change a ticket's priority; its SLA due times follow."""

    @extend_schema(
        operation_id="tickets_priority",
        summary="Change a ticket's priority",
        description="Set `low`, `normal`, `high` or `urgent`; an open ticket's SLA due times "
        "are counted again for the new priority, and a queued ticket's place in line "
        "follows. " + ACTOR + "\n\n**Access:** scope `tickets:write` (+ `agents:write` "
        "with `agent`); signed-in agents and supervisors on tickets they can open.",
        parameters=[TICKET_ID_PARAM],
        request=PriorityInputSerializer,
        responses={
            200: s.TicketOutputSerializer,
            **doc._error(400, "`validation_error`; `unknown_agent`."),
            **doc.errors(401, 403, 404),
        },
        examples=[
            OpenApiExample(
                "Urgent",
                request_only=True,
                value={"priority": "urgent", "reason": "Large amount charged twice."},
            ),
            doc.TICKET_EXAMPLE,
        ],
        tags=TAGS,
    )
    def post(self, request: Request, ticket_id: int) -> Response:
        body = PriorityInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        caller = access.caller_of(request)
        ticket = access.ticket_visible(caller, ticket_id)
        services.ticket_set_priority(
            ticket_id=ticket.pk,
            priority=Priority[data["priority"].upper()],
            actor=_actor(caller, data.get("agent")),
            now=timezone.now(),
            reason=data["reason"],
        )
        return _changed_ticket(request, caller, ticket.pk)


class TicketEventListApi(TicketsApi):
    """List a ticket's history: every change, who made it, when and why."""

    required_scopes = {"GET": ["tickets:read"]}
    allowed_roles = AGENTS
    pagination_class = EventCursorPagination

    @extend_schema(
        operation_id="tickets_events_list",
        summary="A ticket's history",
        description="Every change of the ticket, oldest first, cursor-paginated: opened, "
        "status, queue, assignee and priority changes, SLA breaches, reminders, replies and "
        "the rating, each with who made it, from and to what, and why. Reasons are "
        "internal, so the history is for agents' eyes.\n\n**Access:** scope "
        "`tickets:read` plus `agents:read` or `agents:write` (keys); signed-in agents and "
        "supervisors on tickets they can open. Buyers get 403 `role_not_allowed`.",
        parameters=[
            TICKET_ID_PARAM,
            OpenApiParameter("cursor", OpenApiTypes.STR, description="From `next`/`previous`."),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Up to 200."),
        ],
        responses={
            200: TicketEventPageSerializer,
            **doc._error(400, "`invalid_cursor`: a `cursor` this list did not give."),
            **doc.errors(401, 403, 404),
        },
        examples=[
            OpenApiExample(
                "Routed, then moved",
                response_only=True,
                value={
                    "next": None,
                    "previous": None,
                    "results": [
                        {
                            "id": 901,
                            "kind": "queue",
                            "actor": "sam",
                            "from_value": "Payment (English)",
                            "to_value": "Оплата и возвраты",
                            "reason": "The buyer writes in Russian.",
                            "created_at": "2026-05-04T09:40:00Z",
                        }
                    ],
                },
            )
        ],
        tags=TAGS,
    )
    def get(self, request: Request, ticket_id: int) -> Response:
        caller = access.caller_of(request)
        if not caller.has_agent_scope:
            caller.require_scope("agents:read", "reading a ticket's history")
        ticket = access.ticket_visible(caller, ticket_id)
        events: QuerySet[TicketEvent] = selectors.ticket_history(ticket=ticket)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(events, request, view=self) or []
        return paginator.get_paginated_response(TicketEventOutputSerializer(page, many=True).data)
