"""OpenAPI documentation of the orders API: descriptions, error answers, examples."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from api.pagination import SYNC_LIST as SYNC
from api.serializers import ErrorSerializer

PAGE_PARAMS = [
    OpenApiParameter(
        "cursor", OpenApiTypes.STR, description="The page, from `next` or `previous`."
    ),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="Rows a page (up to 200)."),
]

UPSERT = (
    "Create or replace an order by its `number`, as the marketplace has it now: the body is "
    "the whole order, items included, and `total` is their sum. Sending the same body again "
    "changes nothing and answers the same; a changed body replaces the order (its items too, "
    "unless a warranty claim is open on one). The buyer is `buyer` (username) or "
    "`buyer_email` (a login-less buyer account is made when no buyer has that email). The "
    "shop is its `shop` slug; `shop_name` and `seller` create it, or rename it and change its "
    "seller. `POST` and `PUT` do the same. Answers 200 with the order as stored.\n\n"
    "**Access:** scope `orders:write`. Signed-in people may not."
)
LIST = (
    "Orders the caller may see, as " + SYNC + " Filters: "
    "`status`, `buyer`, `shop`, `updated_since`.\n\n"
    "**Access:** scope `orders:read` (every order); a key with scope `seller` bound to a seller "
    "sees that seller's shops' orders. Signed-in buyers see their own orders, sellers their "
    "shops', agents and supervisors all."
)
DETAIL = (
    "One order with its items; an item's `id` is what a warranty claim names.\n\n"
    "**Access:** as for the list. An order the caller may not see answers 404, as one that "
    "does not exist."
)

_DESCRIBED = {
    401: "No credentials (`not_authenticated`), or an unknown or revoked key (`invalid_api_key`).",
    403: "The key lacks a scope (`missing_scope`), or the person's role may not "
    "(`role_not_allowed`).",
    404: "No such order, or not one the caller may see (`not_found`).",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ErrorSerializer, description=_DESCRIBED[code]) for code in codes}


LIST_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="A bad filter (`validation_error`)."),
    **errors(401, 403),
}
UPSERT_ERRORS = {
    400: OpenApiResponse(
        ErrorSerializer,
        description="`invalid_order`: a field is missing or wrong (`details` maps each field, "
        "`items[0].price` for an item's, to one message), the number belongs to another "
        "buyer's order, or the items of an order with warranty claims would change. "
        "`unknown_buyer`: no active buyer with that username. `not_a_buyer`: the username or "
        "email is not a buyer's. `unknown_shop`: no shop with that slug and no `shop_name` "
        "and `seller` to create it. `unknown_seller`: no active seller with that username.",
    ),
    **errors(401, 403),
}

_ORDER = {
    "number": "MP-1001",
    "buyer": "anna",
    "shop": {"slug": "kitchen-shop", "name": "Kitchen shop", "seller": "lena"},
    "status": "delivered",
    "total": "50.00",
    "currency": "EUR",
    "items": [
        {
            "id": 11,
            "title": "Electric kettle",
            "quantity": 1,
            "price": "40.00",
            "warranty_months": 24,
            "line_total": "40.00",
        },
        {
            "id": 12,
            "title": "Descaler",
            "quantity": 2,
            "price": "5.00",
            "warranty_months": 0,
            "line_total": "10.00",
        },
    ],
    "paid_at": "2026-11-02T10:00:00Z",
    "shipped_at": "2026-11-03T08:00:00Z",
    "delivered_at": "2026-11-05T15:30:00Z",
    "cancelled_at": None,
    "created_at": "2026-11-02T10:00:05Z",
    "updated_at": "2026-11-05T15:30:07Z",
}

UPSERT_REQUEST_EXAMPLE = OpenApiExample(
    "A delivered order, creating its shop",
    request_only=True,
    value={
        "number": "MP-1001",
        "buyer": "anna",
        "shop": "kitchen-shop",
        "shop_name": "Kitchen shop",
        "seller": "lena",
        "status": "delivered",
        "currency": "EUR",
        "paid_at": "2026-11-02T10:00:00Z",
        "shipped_at": "2026-11-03T08:00:00Z",
        "delivered_at": "2026-11-05T15:30:00Z",
        "items": [
            {"title": "Electric kettle", "quantity": 1, "price": "40.00", "warranty_months": 24},
            {"title": "Descaler", "quantity": 2, "price": "5.00"},
        ],
    },
)
ORDER_EXAMPLE = OpenApiExample("An order", response_only=True, value=_ORDER)
ORDER_PAGE_EXAMPLE = OpenApiExample(
    "A page of orders",
    response_only=True,
    value={"next": None, "previous": None, "results": [_ORDER]},
)
INVALID_ORDER_EXAMPLE = OpenApiExample(
    "A missing delivery date and a negative price",
    response_only=True,
    status_codes=["400"],
    value={
        "error": {
            "code": "invalid_order",
            "message": "The order has invalid fields.",
            "details": {
                "delivered_at": "Required when the order is delivered.",
                "items[0].price": "Ensure this value is greater than or equal to 0.",
            },
        }
    },
)
