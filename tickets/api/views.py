"""Tickets and queues for integrators, buyers' apps and agents' tools.

Each view parses its input, makes one call into ``tickets.services`` (or
reads through ``tickets.selectors`` and :mod:`tickets.api.access`) and
serializes the result. Keys need the scopes each operation lists; signed-in
buyers reach only their own tickets, agents those of their queues.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from accounts.models import Role, User
from api.pagination import SyncPagination
from api.permissions import RoleNotAllowed, ScopedAccess
from faq.models import Topic
from tickets import selectors, services
from tickets.api import access
from tickets.api import schema as doc
from tickets.api import serializers as s
from tickets.api.access import Caller
from tickets.api.files import uploaded_files
from tickets.hours import is_open
from tickets.models import Channel, Queue, Ticket
from tickets.services import InvalidTicket, TicketRequest
from tickets.services.attachments import (
    ticket_reply_by_agent_with_files,
    ticket_reply_by_buyer_with_files,
)
from tickets.status import Status

TAGS = ["tickets"]
PEOPLE_WHO_READ = (Role.BUYER, Role.AGENT, Role.SUPERVISOR)
AGENTS = (Role.AGENT, Role.SUPERVISOR)


def _context(request: Request, caller: Caller) -> dict[str, Any]:
    return {"request": request, "agent_scope": caller.has_agent_scope}


def _ticket_fields(serializer_class: type[Serializer], data: Any) -> dict[str, Any]:
    """Validate a ticket body; field errors answer ``invalid_ticket``, as the services' do."""
    body = serializer_class(data=data)
    if not body.is_valid():
        details = {
            field: str(errors[0]) if isinstance(errors, list) and errors else str(errors)
            for field, errors in body.errors.items()
        }
        raise InvalidTicket(_("The request has invalid fields."), details=details)
    return dict(body.validated_data)


def _acting_agent(caller: Caller, username: str | None) -> User:
    """Return the agent an agent-only operation acts as: the session's, or the key's `agent`."""
    if caller.is_key:
        caller.require_scope("agents:write", "acting as an agent")
        if not username:
            raise InvalidTicket(
                _("Name the agent the key acts for."),
                details={"agent": _("Required for API keys.")},
            )
        return access.agent_named(username)
    if username:
        raise InvalidTicket(
            _("Signed-in people act as themselves."),
            details={"agent": _("Only API keys name an agent.")},
        )
    if caller.agent is None:
        raise RoleNotAllowed()
    return caller.agent


def _ticket_answer(request: Request, caller: Caller, ticket_id: int, code: int = 200) -> Response:
    """Answer with the ticket as the caller sees it now (after a change)."""
    ticket = access.ticket_visible(caller, ticket_id)
    return Response(s.TicketOutputSerializer(ticket, context=_context(request, caller)).data, code)


class TicketCursorPagination(SyncPagination):
    """Oldest change first, in passes: see ``api.pagination.SyncPagination``."""


class TicketsApi(APIView):
    """A tickets operation: keys by scope, people by role."""

    permission_classes = [ScopedAccess]
    allowed_roles: tuple[Role, ...] = PEOPLE_WHO_READ


class TicketListCreateApi(TicketsApi):
    """List the tickets the caller may see, or open one for a buyer."""

    required_scopes = {"GET": ["tickets:read"], "POST": ["tickets:write"]}
    pagination_class = TicketCursorPagination

    def get_permissions(self) -> Any:
        # Only buyers open tickets with their session; agents work them.
        self.allowed_roles = (Role.BUYER,) if self.request.method == "POST" else PEOPLE_WHO_READ
        return super().get_permissions()

    @extend_schema(
        operation_id="tickets_list",
        summary="List tickets",
        description=doc.LIST,
        parameters=[s.TicketListQuerySerializer, *doc.PAGE_PARAMS],
        responses={200: s.TicketPageSerializer, **doc.errors(400, 401, 403)},
        examples=[doc.TICKET_PAGE_EXAMPLE],
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        params = s.TicketListQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        caller = access.caller_of(request)
        tickets = _filtered(access.visible_tickets(caller, related=False), params.validated_data)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(tickets, request, view=self) or []
        access.complete_page(page)
        return paginator.get_paginated_response(
            s.TicketOutputSerializer(page, many=True, context=_context(request, caller)).data
        )

    @extend_schema(
        operation_id="tickets_create",
        summary="Open a ticket for a buyer",
        description=doc.CREATE,
        request=s.TicketCreateInputSerializer,
        responses={201: s.TicketOutputSerializer, **doc.CREATE_ERRORS},
        examples=[doc.CREATE_REQUEST_EXAMPLE, doc.NEW_TICKET_EXAMPLE, *doc.CREATE_ERROR_EXAMPLES],
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        caller = access.caller_of(request)
        data = _ticket_fields(s.TicketCreateInputSerializer, request.data)
        buyer = _buyer_of_new_ticket(caller, data)
        topic = access.topic_named(data["topic"])
        faq_entry = None
        if data.get("faq_entry") is not None:
            faq_entry = access.faq_entry_numbered(data["faq_entry"])
        ticket = services.ticket_open(
            buyer=buyer,
            topic=topic,
            faq_entry=faq_entry,
            now=timezone.now(),
            request=TicketRequest(
                subject=data["subject"],
                description=data["description"],
                language=data.get("language") or buyer.preferred_language or settings.LANGUAGE_CODE,
                channel=Channel(data["channel"]),
                order_number=data["order_number"],
                transaction_id=data["transaction_id"],
                amount=data["amount"],
                product=data["product"],
                purchase_date=data["purchase_date"],
            ),
        )
        # Answered from the saved ticket, as it was committed (new, not routed
        # yet): the service returns it with its buyer and topic, and a new
        # ticket has no queue, agent or rating to read back.
        Ticket.rating.related.set_cached_value(ticket, None)
        return Response(
            s.TicketOutputSerializer(ticket, context=_context(request, caller)).data,
            status.HTTP_201_CREATED,
        )


def _buyer_of_new_ticket(caller: Caller, data: dict[str, Any]) -> User:
    """Return the buyer a new ticket is for: the signed-in buyer, or the one the key names."""
    named = {field: data[field] for field in ("buyer", "buyer_email") if data.get(field)}
    if not caller.is_key:
        if named:
            raise InvalidTicket(
                _("Signed-in buyers open their own tickets."),
                details=dict.fromkeys(named, _("Only API keys name the buyer.")),
            )
        assert caller.buyer is not None  # ScopedAccess let only buyers in
        return caller.buyer
    if len(named) != 1:
        message = (
            _("Give either `buyer` or `buyer_email`, not both.") if named else _("Name the buyer.")
        )
        raise InvalidTicket(message, details={"buyer": message})
    if "buyer" in named:
        return access.buyer_named(named["buyer"])
    language = data.get("language") or settings.LANGUAGE_CODE
    return access.buyer_for_email(named["buyer_email"], language=language)


def _filtered(tickets: QuerySet[Ticket], params: dict[str, Any]) -> QuerySet[Ticket]:
    """Apply the list's filters; a topic, queue or buyer is looked up first by its name.

    Filtering on the id lets PostgreSQL walk the (queue|topic, updated_at, id)
    indexes; an unknown name lists nothing at once instead of scanning every
    ticket for a match that cannot come.
    """
    if params.get("status"):
        tickets = tickets.filter(status__in=params["status"])
    named = (
        ("topic", Topic.objects.filter(slug=params.get("topic"))),
        ("queue", Queue.objects.filter(slug=params.get("queue"))),
        ("buyer", User.objects.filter(username=params.get("buyer"))),
    )
    for field, found in named:
        if params.get(field):
            pk = found.values_list("pk", flat=True).first()
            if pk is None:
                return tickets.none()
            tickets = tickets.filter(**{f"{field}_id": pk})
    if params.get("updated_since"):
        tickets = tickets.filter(updated_at__gte=params["updated_since"])
    return tickets


class TicketDetailApi(TicketsApi):
    """Show one ticket with the messages the caller may read."""

    required_scopes = {"GET": ["tickets:read"]}

    @extend_schema(
        operation_id="tickets_retrieve",
        summary="Show a ticket with its messages",
        description=doc.DETAIL,
        responses={200: s.TicketDetailOutputSerializer, **doc.errors(401, 403, 404)},
        examples=[doc.TICKET_DETAIL_EXAMPLE],
        tags=TAGS,
    )
    def get(self, request: Request, ticket_id: int) -> Response:
        caller = access.caller_of(request)
        ticket = access.ticket_visible(caller, ticket_id)
        detail = s.TicketDetail(
            ticket=ticket,
            messages=list(selectors.ticket_thread(ticket=ticket, for_agent=caller.has_agent_scope)),
            wait=selectors.ticket_wait_estimate(ticket=ticket, now=timezone.now()),
        )
        return Response(
            s.TicketDetailOutputSerializer(detail, context=_context(request, caller)).data
        )


class TicketMessageCreateApi(TicketsApi):
    """Post a reply or an internal note on a ticket, with files when sent as multipart."""

    required_scopes = {"POST": ["tickets:write"]}
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        operation_id="tickets_messages_create",
        summary="Reply on a ticket",
        description=doc.MESSAGE,
        request={
            "application/json": s.MessageCreateInputSerializer,
            "multipart/form-data": s.MessageCreateMultipartInputSerializer,
        },
        responses={201: s.MessageOutputSerializer, **doc.MESSAGE_ERRORS},
        examples=[*doc.MESSAGE_EXAMPLES, doc.ATTACHMENT_ERROR_EXAMPLE],
        tags=TAGS,
    )
    def post(self, request: Request, ticket_id: int) -> Response:
        caller = access.caller_of(request)
        data = _ticket_fields(s.MessageCreateInputSerializer, request.data)
        files = uploaded_files(request)
        ticket = access.ticket_visible(caller, ticket_id)
        now = timezone.now()
        as_agent = caller.agent is not None or (caller.is_key and bool(data.get("agent")))
        if as_agent:
            message = ticket_reply_by_agent_with_files(
                ticket_id=ticket.pk,
                files=files,
                agent=_acting_agent(caller, data.get("agent")),
                body=data["body"],
                internal=data["internal"],
                then_status=Status(data["then_status"]) if data.get("then_status") else None,
                now=now,
            )
        else:
            _refuse_agent_only_fields(caller, data, ("internal", "then_status"))
            message = ticket_reply_by_buyer_with_files(
                ticket_id=ticket.pk, buyer=ticket.buyer, body=data["body"], files=files, now=now
            )
        return Response(
            s.MessageOutputSerializer(message, context=_context(request, caller)).data,
            status.HTTP_201_CREATED,
        )


def _refuse_agent_only_fields(
    caller: Caller, data: dict[str, Any], agent_only: tuple[str, ...]
) -> None:
    """Refuse, in a buyer's request, the fields only agents may use."""
    if data.get("agent"):  # only sessions get here with it: keys naming an agent act as one
        raise InvalidTicket(
            _("Signed-in people act as themselves."),
            details={"agent": _("Only API keys name an agent.")},
        )
    wanted = [field for field in agent_only if data.get(field)]
    if not wanted:
        return
    if not caller.is_key:
        raise RoleNotAllowed(_("Only agents write internal notes or set a ticket pending."))
    raise InvalidTicket(
        _("Name the agent the key acts for."),
        details={"agent": _("Required with %(fields)s.") % {"fields": ", ".join(wanted)}},
    )


class TicketStatusApi(TicketsApi):
    """Set a ticket pending or solved (agents), or solved (its buyer)."""

    required_scopes = {"POST": ["tickets:write"]}

    @extend_schema(
        operation_id="tickets_status_create",
        summary="Change a ticket's status",
        description=doc.STATUS,
        request=s.StatusChangeInputSerializer,
        responses={200: s.TicketOutputSerializer, **doc.STATUS_ERRORS},
        examples=[doc.STATUS_REQUEST_EXAMPLE, doc.TRANSITION_ERROR_EXAMPLE],
        tags=TAGS,
    )
    def post(self, request: Request, ticket_id: int) -> Response:
        caller = access.caller_of(request)
        body = s.StatusChangeInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        ticket = access.ticket_visible(caller, ticket_id)
        now = timezone.now()
        if caller.agent is not None or (caller.is_key and data.get("agent")):
            services.ticket_set_status_by_agent(
                ticket_id=ticket.pk,
                agent=_acting_agent(caller, data.get("agent")),
                status=data["status"],
                now=now,
            )
        else:
            _refuse_agent_only_fields(caller, data, ())
            if data["status"] != Status.SOLVED:
                if not caller.is_key:
                    raise RoleNotAllowed(_("Buyers can only mark their ticket solved."))
                raise InvalidTicket(
                    _("Name the agent the key acts for."),
                    details={"agent": _("Required to set a ticket pending.")},
                )
            services.ticket_solve_by_buyer(ticket_id=ticket.pk, buyer=ticket.buyer, now=now)
        return _ticket_answer(request, caller, ticket.pk)


class AgentOnlyApi(TicketsApi):
    allowed_roles = AGENTS


class TicketTakeNextApi(AgentOnlyApi):
    """Give the agent the next waiting ticket of their queues."""

    required_scopes = {"POST": ["agents:write"]}

    @extend_schema(
        operation_id="tickets_take_next",
        summary="Take the next waiting ticket",
        description=doc.TAKE_NEXT,
        request=s.AgentActionInputSerializer,
        responses={
            200: s.TicketOutputSerializer,
            204: OpenApiResponse(description="Nothing waits in the agent's queues."),
            **doc.AGENT_ERRORS,
        },
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        caller = access.caller_of(request)
        body = s.AgentActionInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        agent = _acting_agent(caller, body.validated_data.get("agent"))
        ticket = services.ticket_take_next(agent=agent, now=timezone.now())
        if ticket is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return _ticket_answer(request, caller, ticket.pk)


class TicketAssignApi(AgentOnlyApi):
    """Give a ticket to an agent of its queue."""

    required_scopes = {"POST": ["agents:write"]}

    @extend_schema(
        operation_id="tickets_assign",
        summary="Assign a ticket to an agent",
        description=doc.ASSIGN,
        request=s.AssignInputSerializer,
        responses={200: s.TicketOutputSerializer, **doc.ASSIGN_ERRORS},
        tags=TAGS,
    )
    def post(self, request: Request, ticket_id: int) -> Response:
        caller = access.caller_of(request)
        body = s.AssignInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        ticket = access.ticket_visible(caller, ticket_id)
        actor = _acting_agent(caller, data.get("agent"))
        assignee = (
            access.agent_named(data["assignee"], field="assignee")
            if data.get("assignee")
            else actor
        )
        services.ticket_assign(ticket_id=ticket.pk, agent=assignee, actor=actor, now=timezone.now())
        return _ticket_answer(request, caller, ticket.pk)


class QueueListApi(AgentOnlyApi):
    """List the active queues with their live counts."""

    required_scopes = {"GET": ["agents:read"]}

    @extend_schema(
        operation_id="queues_list",
        summary="List queues with live counts",
        description=doc.QUEUES,
        responses={200: s.QueueListOutputSerializer, **doc.errors(401, 403)},
        examples=[doc.QUEUES_EXAMPLE],
        tags=["queues"],
    )
    def get(self, request: Request) -> Response:
        summaries = selectors.queue_summaries()
        queues = [summary.queue for summary in summaries]
        prefetch_related_objects(queues, "topics", "fallback", "hours__holidays")
        now = timezone.now()
        rows = [
            s.QueueRow(
                summary=summary,
                open_now=is_open(
                    summary.queue.hours.calendar() if summary.queue.hours else None, now
                ),
            )
            for summary in summaries
        ]
        return Response(s.QueueListOutputSerializer({"results": rows}).data)
