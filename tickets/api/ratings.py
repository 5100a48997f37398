"""The buyer's rating of a ticket over the API: given or changed by the buyer, or a key for them."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Role
from tickets.api import access
from tickets.api import schema as doc
from tickets.api.serializers import RatingOutputSerializer
from tickets.api.views import TAGS, TicketsApi
from tickets.services import rating as rating_service

RATE = (
    "Give the buyer's rating of the help on a `solved` or `closed` ticket: `score` 1 (poor) "
    "to 5 (excellent) and an optional `comment`. One rating per ticket: sending again changes "
    "it, for a while after it was first given (`changeable_until`), then it is read-only. The "
    "rating names the agent who handled the ticket and shows in the ticket's `rating` and in "
    "its history.\n\n"
    "**Access:** scope `tickets:write` (a key rates on behalf of the ticket's buyer); a "
    "signed-in buyer on their own tickets. Agents do not rate."
)
RATE_ERRORS = {
    **doc._error(
        400,
        "`invalid_rating`: `score` outside 1–5 or missing, or `comment` over 2,000 characters; "
        "`details` names the field.",
    ),
    **doc.errors(401, 403, 404),
    **doc._error(
        409,
        "`rating_not_allowed`: the ticket is not solved or closed. `rating_locked`: the time "
        "to change the rating has passed.",
    ),
}


class RatingInputSerializer(serializers.Serializer):
    """Body of tickets_rating_create."""

    score = serializers.IntegerField(min_value=1, max_value=5, help_text="1 (poor) to 5.")
    comment = serializers.CharField(
        max_length=rating_service.COMMENT_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text="Optional, up to 2,000 characters.",
    )


class TicketRatingApi(TicketsApi):
    """Give or change the buyer's rating of a solved or closed ticket."""

    required_scopes = {"POST": ["tickets:write"]}
    allowed_roles = (Role.BUYER,)

    @extend_schema(
        operation_id="tickets_rating_create",
        summary="Rate the help on a ticket",
        description=RATE,
        request=RatingInputSerializer,
        responses={200: RatingOutputSerializer, **RATE_ERRORS},
        examples=[
            OpenApiExample(
                "A rating", value={"score": 5, "comment": "Quick and kind."}, request_only=True
            )
        ],
        tags=TAGS,
    )
    def post(self, request: Request, ticket_id: int) -> Response:
        caller = access.caller_of(request)
        body = RatingInputSerializer(data=request.data)
        if not body.is_valid():
            details = {field: str(errors[0]) for field, errors in body.errors.items()}
            raise rating_service.InvalidRating(_("The rating has invalid fields."), details=details)
        ticket = access.ticket_visible(caller, ticket_id)
        rating = rating_service.ticket_rate(
            ticket_id=ticket.pk,
            buyer=ticket.buyer,
            score=body.validated_data["score"],
            comment=body.validated_data["comment"],
            now=timezone.now(),
        )
        context = {"request": request, "agent_scope": caller.has_agent_scope}
        return Response(RatingOutputSerializer(rating, context=context).data)
