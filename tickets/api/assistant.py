"""The buyer says an answer the assistant offered on their ticket solved the problem."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Role
from faq.visitors import api_visitor_key, visitor_key
from tickets.api import access
from tickets.api import schema as doc
from tickets.api import serializers as s
from tickets.api.views import TAGS, TicketsApi
from tickets.services.assistant import ticket_accept_assistant_answer

ACCEPT = (
    "The buyer says an answer the assistant offered on the ticket (listed in the assistant "
    "message's `answers`) solved the problem: the ticket is closed as deflected, and the "
    "help centre's funnel counts it for that answer.\n\n"
    "**Access:** scope `tickets:write` (a key acts for the ticket's buyer); the ticket's "
    "signed-in buyer. Agents do not."
)


class AcceptAnswerInputSerializer(serializers.Serializer):
    """Body of tickets_assistant_answer."""

    entry = serializers.IntegerField(help_text="The id of the offered FAQ entry that helped.")


class TicketAcceptAnswerApi(TicketsApi):
    """Close the buyer's ticket because an answer the assistant offered solved it."""

    required_scopes = {"POST": ["tickets:write"]}
    allowed_roles = (Role.BUYER,)

    @extend_schema(
        operation_id="tickets_assistant_answer",
        summary="An offered answer solved it",
        description=ACCEPT,
        parameters=[
            OpenApiParameter(
                "ticket_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The ticket."
            )
        ],
        request=AcceptAnswerInputSerializer,
        responses={
            200: s.TicketOutputSerializer,
            **doc._error(
                400, "`validation_error`; `invalid_ticket`: the ticket is no longer open."
            ),
            **doc.errors(401, 403),
            **doc._error(
                404,
                "`ticket_not_found`: not a ticket the caller may see, or the assistant did "
                "not offer that answer on it.",
            ),
            **doc._error(
                409,
                "`ticket_of_a_case`: the ticket is an undecided dispute's or warranty claim's; "
                "the case's decision or withdrawal ends it.",
            ),
        },
        examples=[OpenApiExample("This answer", request_only=True, value={"entry": 7})],
        tags=TAGS,
    )
    def post(self, request: Request, ticket_id: int) -> Response:
        body = AcceptAnswerInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        caller = access.caller_of(request)
        ticket = access.ticket_visible(caller, ticket_id)
        visitor = (
            api_visitor_key(key_prefix=caller.api_key.prefix, buyer=ticket.buyer.username)
            if caller.api_key is not None
            else visitor_key(request)
        )
        ticket_accept_assistant_answer(
            ticket_id=ticket.pk,
            buyer=ticket.buyer,
            entry_id=body.validated_data["entry"],
            visitor=visitor,
            now=timezone.now(),
        )
        ticket = access.ticket_visible(caller, ticket.pk)
        context = {"request": request, "agent_scope": caller.has_agent_scope}
        return Response(s.TicketOutputSerializer(ticket, context=context).data)
