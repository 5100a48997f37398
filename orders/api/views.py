"""Orders for integrators (upsert and sync), buyers' and sellers' apps (their own).

Each view parses its input, makes one call into ``orders.services`` (or reads
through ``orders.selectors``) and serializes the result.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role, User
from api.pagination import SyncPagination
from orders import selectors, services
from orders.api import schema as doc
from orders.api import serializers as s
from orders.api.access import MarketAccess, MarketCaller, caller_of
from orders.models import Order, Shop
from orders.services import InvalidOrder, ItemSpec
from support_desk import security_log
from support_desk.errors import DomainError
from tickets.api import access as people

TAGS = ["orders"]
PEOPLE_WHO_READ = (Role.BUYER, Role.SELLER, Role.AGENT, Role.SUPERVISOR)


class UnknownShop(DomainError):
    code = "unknown_shop"


class UnknownSeller(DomainError):
    code = "unknown_seller"


class OrderNotFound(DomainError):
    code = "not_found"
    status = 404


class OrderCursorPagination(SyncPagination):
    """Oldest change first, in passes: see ``api.pagination.SyncPagination``."""


def visible_orders(caller: MarketCaller) -> QuerySet[Order]:
    """Return the orders the caller may read."""
    seller = caller.seller
    if seller is not None:
        return selectors.order_list_for_seller(seller=seller)
    if caller.is_integrator or caller.agent is not None:
        return selectors.order_list()
    if caller.buyer is not None:
        return selectors.order_list_for_buyer(buyer=caller.buyer)
    return Order.objects.none()


def order_fields(data: Any) -> dict[str, Any]:
    """Validate an order body; field errors answer ``invalid_order`` with one message a field."""
    body = s.OrderUpsertInputSerializer(data=data)
    if not body.is_valid():
        raise InvalidOrder(_("The order has invalid fields."), details=s.flat_errors(body.errors))
    return dict(body.validated_data)


def _seller_named(username: str) -> User:
    seller = User.objects.filter(username=username, is_active=True, role=Role.SELLER).first()
    if seller is None:
        raise UnknownSeller(
            _("No seller %(username)s.") % {"username": username},
            details={"seller": _("No active seller with this username.")},
        )
    return seller


def _shop_of(data: dict[str, Any]) -> Shop:
    """Return the order's shop, creating or updating it when `shop_name` and `seller` say so."""
    slug, name = data["shop"], (data.get("shop_name") or "").strip()
    seller = _seller_named(data["seller"]) if data.get("seller") else None
    shop = selectors.shop_get_by_slug(slug=slug)
    if shop is None:
        if not name or seller is None:
            raise UnknownShop(
                _("No shop %(slug)s.") % {"slug": slug},
                details={"shop": _("No shop with this slug; give `shop_name` and `seller`.")},
            )
        return services.shop_upsert(slug=slug, name=name, seller=seller)
    if (name and name != shop.name) or (seller is not None and seller.pk != shop.seller_id):
        return services.shop_upsert(slug=slug, name=name or shop.name, seller=seller or shop.seller)
    return shop


def _order_put(*, number: str, now: datetime, values: dict[str, Any]) -> None:
    """Upsert unless the stored order already says the same, so a repeat changes nothing."""
    for attempt in range(2):
        existing = selectors.order_get_by_number(number=number)
        if existing is not None and selectors.order_is_as_given(order=existing, **values):
            return
        try:
            with transaction.atomic():
                services.order_upsert(number=number, now=now, **values)
                return
        except IntegrityError:
            # Another request created the same number at the same moment: look again.
            if attempt:
                raise


class OrderListUpsertApi(APIView):
    """List the orders the caller may see, or create or replace one by its number."""

    permission_classes = [MarketAccess]
    required_scopes = {"GET": ["orders:read"], "POST": ["orders:write"], "PUT": ["orders:write"]}
    seller_key_methods = ("GET", "HEAD")
    pagination_class = OrderCursorPagination

    def get_permissions(self) -> Any:
        # People read; only integrators write what the marketplace owns.
        self.allowed_roles = PEOPLE_WHO_READ if self.request.method in ("GET", "HEAD") else ()
        return super().get_permissions()

    @extend_schema(
        operation_id="orders_list",
        summary="List orders",
        description=doc.LIST,
        parameters=[s.OrderListQuerySerializer, *doc.PAGE_PARAMS],
        responses={200: s.OrderPageSerializer, **doc.LIST_ERRORS},
        examples=[doc.ORDER_PAGE_EXAMPLE],
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        params = s.OrderListQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        orders = visible_orders(caller_of(request))
        filters = params.validated_data
        if filters.get("status"):
            orders = orders.filter(status=filters["status"])
        if filters.get("buyer"):
            orders = orders.filter(buyer__username=filters["buyer"])
        if filters.get("shop"):
            orders = orders.filter(shop__slug=filters["shop"])
        if filters.get("updated_since"):
            orders = orders.filter(updated_at__gte=filters["updated_since"])
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(orders, request, view=self) or []
        return paginator.get_paginated_response(s.OrderOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="orders_upsert",
        summary="Create or replace an order",
        description=doc.UPSERT,
        request=s.OrderUpsertInputSerializer,
        responses={200: s.OrderOutputSerializer, **doc.UPSERT_ERRORS},
        examples=[doc.UPSERT_REQUEST_EXAMPLE, doc.ORDER_EXAMPLE, doc.INVALID_ORDER_EXAMPLE],
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        data = order_fields(request.data)
        if data.get("buyer"):
            buyer = people.buyer_named(data["buyer"])
        else:
            buyer = people.buyer_for_email(data["buyer_email"], language=settings.LANGUAGE_CODE)
        values = {
            "buyer": buyer,
            "shop": _shop_of(data),
            "status": data["status"],
            "currency": data["currency"],
            "items": [
                ItemSpec(
                    item["title"].strip(), item["quantity"], item["price"], item["warranty_months"]
                )
                for item in data["items"]
            ],
            **{
                field: data[field]
                for field in ("paid_at", "shipped_at", "delivered_at", "cancelled_at")
            },
        }
        _order_put(number=data["number"], now=timezone.now(), values=values)
        order = selectors.order_get_by_number(number=data["number"])
        return Response(s.OrderOutputSerializer(order).data)

    @extend_schema(
        operation_id="orders_put",
        summary="Create or replace an order (PUT)",
        description=doc.UPSERT,
        request=s.OrderUpsertInputSerializer,
        responses={200: s.OrderOutputSerializer, **doc.UPSERT_ERRORS},
        examples=[doc.UPSERT_REQUEST_EXAMPLE, doc.ORDER_EXAMPLE, doc.INVALID_ORDER_EXAMPLE],
        tags=TAGS,
    )
    def put(self, request: Request) -> Response:
        return self.post(request)


class OrderDetailApi(APIView):
    """Show one order the caller may see."""

    permission_classes = [MarketAccess]
    required_scopes = {"GET": ["orders:read"]}
    seller_key_methods = ("GET", "HEAD")
    allowed_roles = PEOPLE_WHO_READ

    @extend_schema(
        operation_id="orders_retrieve",
        summary="Show an order",
        description=doc.DETAIL,
        responses={200: s.OrderOutputSerializer, **doc.errors(401, 403, 404)},
        examples=[doc.ORDER_EXAMPLE],
        tags=TAGS,
    )
    def get(self, request: Request, number: str) -> Response:
        order = visible_orders(caller_of(request)).filter(number=number).first()
        if order is None:
            security_log.log_if_someone_elses(Order.objects.filter(number=number), what="order")
            raise OrderNotFound(_("No such order."))
        return Response(s.OrderOutputSerializer(order).data)
