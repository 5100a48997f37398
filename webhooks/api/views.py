"""Webhook subscriptions of the calling API key, and their delivery logs.

Only API keys use these operations (a subscription belongs to its key);
each view reads through ``webhooks.selectors``, scoped to the key, and
makes one call into ``webhooks.services``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from api.models import ApiKey
from api.pagination import DeskCursorPagination
from api.permissions import ScopedAccess
from webhooks import selectors, services
from webhooks.api import schema as doc
from webhooks.api import serializers as s


def _key(request: Request) -> ApiKey:
    """Return the calling key (ScopedAccess lets no one else past ``allowed_roles = ()``)."""
    assert isinstance(request.auth, ApiKey)
    return request.auth


def _page(
    request: Request, view: APIView, rows: QuerySet[Any], output: type[Serializer]
) -> Response:
    paginator = DeskCursorPagination()
    page = paginator.paginate_queryset(rows, request, view=view) or []
    return paginator.get_paginated_response(output(page, many=True).data)


class WebhooksApi(APIView):
    permission_classes = [ScopedAccess]
    allowed_roles = ()  # API keys only


class WebhookListCreateApi(WebhooksApi):
    """List the key's subscriptions (GET), or subscribe it to events (POST)."""

    required_scopes = {"GET": ["webhooks:read"], "POST": ["webhooks:write"]}

    @extend_schema(
        operation_id="webhooks_list",
        summary="List webhook subscriptions",
        description=doc.LIST,
        parameters=doc.PAGE_PARAMS,
        responses={200: s.SubscriptionPageSerializer, **doc.LIST_ERRORS, **doc.errors(401, 403)},
        examples=[doc.PAGE_EXAMPLE],
        tags=doc.TAGS,
    )
    def get(self, request: Request) -> Response:
        subscriptions = selectors.subscription_list(api_key=_key(request))
        return _page(request, self, subscriptions, s.SubscriptionOutputSerializer)

    @extend_schema(
        operation_id="webhooks_create",
        summary="Subscribe to webhook events",
        description=doc.CREATE,
        request=s.SubscriptionCreateInputSerializer,
        responses={
            201: s.SubscriptionCreatedOutputSerializer,
            **doc.WRITE_ERRORS,
            **doc.errors(401, 403),
        },
        examples=[doc.CREATE_EXAMPLE, doc.CREATED_EXAMPLE],
        tags=doc.TAGS,
    )
    def post(self, request: Request) -> Response:
        body = s.SubscriptionCreateInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        subscription, _secret = services.subscription_create(
            api_key=_key(request), now=timezone.now(), **body.validated_data
        )
        output = s.SubscriptionCreatedOutputSerializer(subscription)
        return Response(output.data, status=status.HTTP_201_CREATED)


class WebhookDetailApi(WebhooksApi):
    """Show, change or delete one of the key's subscriptions."""

    required_scopes = {
        "GET": ["webhooks:read"],
        "PATCH": ["webhooks:write"],
        "DELETE": ["webhooks:write"],
    }

    @extend_schema(
        operation_id="webhooks_retrieve",
        summary="Show a webhook subscription",
        description=doc.DETAIL,
        responses={200: s.SubscriptionOutputSerializer, **doc.errors(401, 403, 404)},
        examples=[doc.SUBSCRIPTION_EXAMPLE],
        tags=doc.TAGS,
    )
    def get(self, request: Request, subscription_id: int) -> Response:
        subscription = selectors.subscription_get(
            api_key=_key(request), subscription_id=subscription_id
        )
        return Response(s.SubscriptionOutputSerializer(subscription).data)

    @extend_schema(
        operation_id="webhooks_partial_update",
        summary="Change a webhook subscription",
        description=doc.UPDATE,
        request=s.SubscriptionUpdateInputSerializer,
        responses={
            200: s.SubscriptionOutputSerializer,
            **doc.WRITE_ERRORS,
            **doc.errors(401, 403, 404),
        },
        examples=[doc.UPDATE_EXAMPLE, doc.SUBSCRIPTION_EXAMPLE],
        tags=doc.TAGS,
    )
    def patch(self, request: Request, subscription_id: int) -> Response:
        subscription = selectors.subscription_get(
            api_key=_key(request), subscription_id=subscription_id
        )
        body = s.SubscriptionUpdateInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        subscription = services.subscription_update(
            subscription=subscription, now=timezone.now(), **body.validated_data
        )
        return Response(s.SubscriptionOutputSerializer(subscription).data)

    @extend_schema(
        operation_id="webhooks_destroy",
        summary="Delete a webhook subscription",
        description=doc.DELETE,
        responses={204: None, **doc.errors(401, 403, 404)},
        tags=doc.TAGS,
    )
    def delete(self, request: Request, subscription_id: int) -> Response:
        subscription = selectors.subscription_get(
            api_key=_key(request), subscription_id=subscription_id
        )
        services.subscription_delete(subscription=subscription)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveryListApi(WebhooksApi):
    """The delivery log of one of the key's subscriptions, newest first."""

    required_scopes = {"GET": ["webhooks:read"]}

    @extend_schema(
        operation_id="webhooks_deliveries_list",
        summary="List a subscription's deliveries",
        description=doc.DELIVERIES,
        parameters=doc.PAGE_PARAMS,
        responses={
            200: s.DeliveryPageSerializer,
            **doc.LIST_ERRORS,
            **doc.errors(401, 403, 404),
        },
        examples=[doc.DELIVERY_PAGE_EXAMPLE],
        tags=doc.TAGS,
    )
    def get(self, request: Request, subscription_id: int) -> Response:
        subscription = selectors.subscription_get(
            api_key=_key(request), subscription_id=subscription_id
        )
        deliveries = selectors.delivery_list(subscription=subscription)
        return _page(request, self, deliveries, s.DeliveryOutputSerializer)


class WebhookRedeliverApi(WebhooksApi):
    """Send a delivered or failed delivery again."""

    required_scopes = {"POST": ["webhooks:write"]}

    @extend_schema(
        operation_id="webhooks_deliveries_redeliver",
        summary="Redeliver",
        description=doc.REDELIVER,
        request=None,
        responses={202: s.DeliveryOutputSerializer, **doc.REDELIVER_ERRORS},
        examples=[doc.REDELIVERED_EXAMPLE],
        tags=doc.TAGS,
    )
    def post(self, request: Request, subscription_id: int, delivery_id: UUID) -> Response:
        subscription = selectors.subscription_get(
            api_key=_key(request), subscription_id=subscription_id
        )
        delivery = selectors.delivery_get(subscription=subscription, delivery_id=delivery_id)
        delivery = services.delivery_redeliver(delivery=delivery, now=timezone.now())
        return Response(s.DeliveryOutputSerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
