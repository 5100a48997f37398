"""Foundation endpoints: the API index, the caller's identity, buyer look-up."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from accounts import selectors as account_selectors
from accounts.models import Role, User
from api.models import ApiKey
from api.permissions import ScopedAccess
from api.serializers import BuyerOutputSerializer, ErrorSerializer, MeOutputSerializer

ERRORS = {
    401: OpenApiResponse(
        ErrorSerializer,
        description="No credentials (`not_authenticated`), or an unknown or revoked key "
        "(`invalid_api_key`).",
    ),
    403: OpenApiResponse(
        ErrorSerializer,
        description="The key lacks a scope (`missing_scope`) or the person's role may not "
        "(`role_not_allowed`).",
    ),
}


class ApiRootApi(APIView):
    """List the API's entry points."""

    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        return Response(
            {
                "name": "Support Desk API",
                "version": "v1",
                "schema": reverse("api-schema", request=request),
                "docs": reverse("api-docs", request=request),
                "me": reverse("api:me", request=request),
                "buyers": reverse("api:buyer-list", request=request),
                "topics": reverse("api:faq-topic-list", request=request),
                "faq": reverse("api:faq-entry-list", request=request),
                "tickets": reverse("api:ticket-list", request=request),
                "queues": reverse("api:queue-list", request=request),
                "orders": reverse("api:order-list", request=request),
                "disputes": reverse("api:dispute-list", request=request),
                "warranty_claims": reverse("api:warranty-claim-list", request=request),
                "webhooks": reverse("api:webhook-list", request=request),
            }
        )


class MeApi(APIView):
    """Tell who is calling: the signed-in person, or the API key and its scopes."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="me_retrieve",
        summary="Who is calling",
        description="Needs no scope: any valid key or signed-in person may ask.",
        responses={200: MeOutputSerializer, **ERRORS},
        tags=["identity"],
    )
    def get(self, request: Request) -> Response:
        if isinstance(request.auth, ApiKey):
            data: dict[str, Any] = {
                "kind": "api_key",
                "username": None,
                "role": None,
                "language": None,
                "api_key": {
                    "name": request.auth.name,
                    "prefix": request.auth.prefix,
                    "scopes": request.auth.scopes,
                },
            }
        else:
            user = cast(User, request.user)
            data = {
                "kind": "user",
                "username": user.username,
                "role": user.role,
                "language": user.preferred_language or None,
                "api_key": None,
            }
        return Response(MeOutputSerializer(data).data)


class BuyerListApi(generics.ListAPIView):
    """List buyer accounts, newest first; filter by exact email or username."""

    permission_classes = [ScopedAccess]
    required_scopes = {"GET": ["buyers:read"]}
    allowed_roles = (Role.AGENT, Role.SUPERVISOR)
    serializer_class = BuyerOutputSerializer

    def get_queryset(self) -> QuerySet[User]:
        params = self.request.query_params
        return account_selectors.buyer_list(
            email=params.get("email") or None, username=params.get("username") or None
        )

    @extend_schema(
        operation_id="buyers_list",
        summary="List buyers",
        description="Scope `buyers:read` (keys) or role agent/supervisor (people).",
        responses={
            200: BuyerOutputSerializer(many=True),
            400: OpenApiResponse(
                ErrorSerializer, description="`invalid_cursor`: a `cursor` this list did not give."
            ),
            **ERRORS,
        },
        tags=["buyers"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class BuyerDetailApi(generics.RetrieveAPIView):
    """Show one buyer by username."""

    permission_classes = [ScopedAccess]
    required_scopes = {"GET": ["buyers:read"]}
    allowed_roles = (Role.AGENT, Role.SUPERVISOR)
    serializer_class = BuyerOutputSerializer
    lookup_field = "username"
    lookup_value_regex = r"[\w.@+-]+"

    def get_queryset(self) -> QuerySet[User]:
        return account_selectors.buyer_list()

    @extend_schema(
        operation_id="buyers_retrieve",
        summary="Show a buyer",
        description="Scope `buyers:read` (keys) or role agent/supervisor (people).",
        responses={200: BuyerOutputSerializer, 404: OpenApiResponse(ErrorSerializer), **ERRORS},
        tags=["buyers"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
