"""Disputes and warranty claims for integrators, buyers' and sellers' apps and agents' tools.

Lists and details read through :mod:`disputes.api.access`; opening and every
lifecycle step is one view making one call into ``disputes.services``, which
keeps the status graph (409 ``step_not_allowed``) and every rule.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from accounts.models import Role, User
from api.pagination import SyncPagination
from disputes import services
from disputes.api import access
from disputes.api import schema as doc
from disputes.api import serializers as s
from disputes.models import Dispute, WarrantyClaim
from disputes.services import CaseNotFound, InvalidCase
from orders import selectors as order_selectors
from orders.api.access import MarketAccess, MarketCaller, caller_of
from orders.api.serializers import flat_errors
from orders.models import OrderItem
from tickets import selectors as ticket_selectors

DISPUTE_TAGS = ["disputes"]
CLAIM_TAGS = ["warranty claims"]
PEOPLE_WHO_READ = (Role.BUYER, Role.SELLER, Role.AGENT, Role.SUPERVISOR)
ROLES_OF = {
    "seller": (Role.SELLER,),
    "buyer": (Role.BUYER,),
    "agent": (Role.AGENT, Role.SUPERVISOR),
}


def case_fields(serializer_class: type[Serializer], data: Any) -> dict[str, Any]:
    """Validate a body; field errors answer ``invalid_case``, as the services' do."""
    body = serializer_class(data=data)
    if not body.is_valid():
        raise InvalidCase(_("The request has invalid fields."), details=flat_errors(body.errors))
    return dict(body.validated_data)


class CaseCursorPagination(SyncPagination):
    """Oldest change first, in passes: see ``api.pagination.SyncPagination``."""


def _filtered(cases: QuerySet[Any], request: Request, *, order_field: str) -> QuerySet[Any]:
    params = s.CaseListQuerySerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    filters = params.validated_data
    if filters.get("status"):
        cases = cases.filter(status__in=[v.strip() for v in filters["status"].split(",")])
    if filters.get("order"):
        cases = cases.filter(**{order_field: filters["order"]})
    if filters.get("updated_since"):
        cases = cases.filter(updated_at__gte=filters["updated_since"])
    return cases


class CasesApi(APIView):
    """List the cases the caller may see (GET), or open one for a buyer (POST)."""

    permission_classes = [MarketAccess]
    required_scopes = {"GET": ["disputes:read"], "POST": ["disputes:write"]}
    seller_key_methods = ("GET",)
    pagination_class = CaseCursorPagination

    def get_permissions(self) -> Any:
        # Buyers open cases; sellers and agents only read them here.
        self.allowed_roles = (Role.BUYER,) if self.request.method == "POST" else PEOPLE_WHO_READ
        return super().get_permissions()

    def page(self, request: Request, cases: QuerySet[Any], output: type[Serializer]) -> Response:
        paginator = self.pagination_class()
        rows = paginator.paginate_queryset(cases, request, view=self) or []
        return paginator.get_paginated_response(output(rows, many=True).data)


class DisputeListCreateApi(CasesApi):
    @extend_schema(
        operation_id="disputes_list",
        summary="List disputes",
        description=doc.LIST_DISPUTES,
        parameters=[s.CaseListQuerySerializer, *doc.PAGE_PARAMS],
        responses={200: s.DisputePageSerializer, **doc.LIST_ERRORS},
        examples=[doc.DISPUTE_PAGE_EXAMPLE],
        tags=DISPUTE_TAGS,
    )
    def get(self, request: Request) -> Response:
        disputes = access.visible_disputes(caller_of(request))
        return self.page(
            request,
            _filtered(disputes, request, order_field="order__number"),
            s.DisputeOutputSerializer,
        )

    @extend_schema(
        operation_id="disputes_create",
        summary="Open a dispute",
        description=doc.CREATE_DISPUTE,
        request=s.DisputeCreateInputSerializer,
        responses={201: s.DisputeDetailOutputSerializer, **doc.CREATE_DISPUTE_ERRORS},
        examples=[doc.DISPUTE_CREATE_EXAMPLE, doc.DISPUTE_EXAMPLE],
        tags=DISPUTE_TAGS,
    )
    def post(self, request: Request) -> Response:
        caller = caller_of(request)
        data = case_fields(s.DisputeCreateInputSerializer, request.data)
        order = order_selectors.order_get_by_number(number=data["order"].strip())
        buyer = access.new_case_buyer(
            caller, named=data["buyer"], owner=order.buyer if order is not None else None
        )
        dispute = services.dispute_open(
            buyer=buyer,
            order_number=data["order"],
            reason=data["reason"],
            wanted_outcome=data["wanted_outcome"],
            description=data["description"],
            partial_amount=data["partial_amount"],
            now=timezone.now(),
        )
        detail = access.dispute_visible(caller, dispute.pk)
        return Response(s.DisputeDetailOutputSerializer(detail).data, status.HTTP_201_CREATED)


class ClaimListCreateApi(CasesApi):
    @extend_schema(
        operation_id="warranty_claims_list",
        summary="List warranty claims",
        description=doc.LIST_CLAIMS,
        parameters=[s.CaseListQuerySerializer, *doc.PAGE_PARAMS],
        responses={200: s.ClaimPageSerializer, **doc.LIST_ERRORS},
        examples=[doc.CLAIM_PAGE_EXAMPLE],
        tags=CLAIM_TAGS,
    )
    def get(self, request: Request) -> Response:
        claims = access.visible_claims(caller_of(request))
        return self.page(
            request,
            _filtered(claims, request, order_field="item__order__number"),
            s.ClaimOutputSerializer,
        )

    @extend_schema(
        operation_id="warranty_claims_create",
        summary="Open a warranty claim",
        description=doc.CREATE_CLAIM,
        request=s.ClaimCreateInputSerializer,
        responses={201: s.ClaimDetailOutputSerializer, **doc.CREATE_CLAIM_ERRORS},
        examples=[doc.CLAIM_CREATE_EXAMPLE, doc.CLAIM_EXAMPLE],
        tags=CLAIM_TAGS,
    )
    def post(self, request: Request) -> Response:
        caller = caller_of(request)
        data = case_fields(s.ClaimCreateInputSerializer, request.data)
        item = OrderItem.objects.select_related("order__buyer").filter(pk=data["item"]).first()
        buyer = access.new_case_buyer(
            caller, named=data["buyer"], owner=item.order.buyer if item is not None else None
        )
        claim = services.warranty_claim_open(
            buyer=buyer,
            item_id=data["item"],
            defect=data["defect"],
            remedy=data["remedy"],
            now=timezone.now(),
        )
        detail = access.claim_visible(caller, claim.pk)
        return Response(s.ClaimDetailOutputSerializer(detail).data, status.HTTP_201_CREATED)


class DisputeDetailApi(APIView):
    """Show one dispute with its timeline and evidence."""

    permission_classes = [MarketAccess]
    required_scopes = {"GET": ["disputes:read"]}
    seller_key_methods = ("GET",)
    allowed_roles = PEOPLE_WHO_READ

    @extend_schema(
        operation_id="disputes_retrieve",
        summary="Show a dispute",
        description=doc.DETAIL,
        responses={200: s.DisputeDetailOutputSerializer, **doc.errors(401, 403, 404)},
        examples=[doc.DISPUTE_EXAMPLE],
        tags=DISPUTE_TAGS,
    )
    def get(self, request: Request, case_id: int) -> Response:
        dispute = access.dispute_visible(caller_of(request), case_id)
        return Response(s.DisputeDetailOutputSerializer(dispute).data)


class ClaimDetailApi(DisputeDetailApi):
    """Show one warranty claim with its timeline and evidence."""

    @extend_schema(
        operation_id="warranty_claims_retrieve",
        summary="Show a warranty claim",
        description=doc.DETAIL,
        responses={200: s.ClaimDetailOutputSerializer, **doc.errors(401, 403, 404)},
        examples=[doc.CLAIM_EXAMPLE],
        tags=CLAIM_TAGS,
    )
    def get(self, request: Request, case_id: int) -> Response:
        claim = access.claim_visible(caller_of(request), case_id)
        return Response(s.ClaimDetailOutputSerializer(claim).data)


# --- Lifecycle steps -------------------------------------------------------------

Run = Callable[[MarketCaller, Any, dict[str, Any], datetime], object]


def _step_view(
    *,
    name: str,
    kind: str,
    slug: str,
    party: str,
    body: type[Serializer] | None,
    run: Run,
    examples: tuple[OpenApiExample, ...] = (),
) -> type[APIView]:
    """Make the view of one lifecycle step: find the case the caller sees, run the service."""
    is_dispute = kind == "dispute"
    find = access.dispute_visible if is_dispute else access.claim_visible
    output = s.DisputeDetailOutputSerializer if is_dispute else s.ClaimDetailOutputSerializer
    steps = doc.DISPUTE_STEPS if is_dispute else doc.CLAIM_STEPS
    access_text = {"seller": doc.SELLER_STEP, "buyer": doc.BUYER_STEP, "agent": doc.AGENT_STEP}

    class StepApi(APIView):
        permission_classes = [MarketAccess]
        # A key decides as an agent: it needs that scope before any case is looked up.
        required_scopes = {
            "POST": ["disputes:write", *(["agents:write"] if party == "agent" else [])]
        }
        seller_key_methods = ("POST",) if party == "seller" else ()
        allowed_roles = ROLES_OF[party]

        @extend_schema(
            operation_id=f"{'disputes' if is_dispute else 'warranty_claims'}_{slug}",
            summary=steps[slug].split(":")[0].split(".")[0],
            description=steps[slug] + access_text[party],
            request=body,
            responses={200: output, **doc.STEP_ERRORS},
            examples=[doc.STEP_NOT_ALLOWED_EXAMPLE, *examples],
            tags=DISPUTE_TAGS if is_dispute else CLAIM_TAGS,
        )
        def post(self, request: Request, case_id: int) -> Response:
            caller = caller_of(request)
            case = find(caller, case_id)
            data = case_fields(body, request.data) if body is not None else {}
            run(caller, case, data, timezone.now())
            return Response(output(find(caller, case_id)).data)

    StepApi.__name__ = StepApi.__qualname__ = name
    StepApi.__doc__ = steps[slug]
    return StepApi


def _seller_of(caller: MarketCaller, case: Dispute | WarrantyClaim) -> Any:
    order = case.order if isinstance(case, Dispute) else case.item.order
    return access.acting_seller(caller, case_seller=order.shop.seller)


def _buyer_of(caller: MarketCaller, case: Dispute | WarrantyClaim) -> Any:
    return access.acting_buyer(caller, case_buyer=case.buyer)


def _deciding_agent(caller: MarketCaller, case: Dispute | WarrantyClaim, username: str) -> User:
    """Return the agent who decides: one who may work the case's escalation ticket.

    The agent's own page decides only tickets of their queues (or their own);
    so does the API. Raises CaseNotFound for a signed-in agent who may not work
    the ticket (as the page answers), InvalidCase when a key names such an agent.
    """
    agent = access.acting_agent(caller, username=username)
    if case.ticket_id is None or (
        ticket_selectors.tickets_visible_to_agent(agent=agent).filter(pk=case.ticket_id).exists()
    ):
        return agent
    if caller.is_key:
        raise InvalidCase(
            _("%(agent)s does not work the queue of this case's ticket.")
            % {"agent": agent.username},
            details={"agent": _("Not an agent of the case's queue.")},
        )
    raise CaseNotFound(
        _("No such dispute.") if isinstance(case, Dispute) else _("No such warranty claim.")
    )


DisputeAcceptApi = _step_view(
    name="DisputeAcceptApi",
    kind="dispute",
    slug="accept",
    party="seller",
    body=s.StatementInputSerializer,
    run=lambda caller, case, data, now: services.dispute_seller_accept(
        dispute_id=case.pk, seller=_seller_of(caller, case), now=now, statement=data["statement"]
    ),
)
DisputeRejectApi = _step_view(
    name="DisputeRejectApi",
    kind="dispute",
    slug="reject",
    party="seller",
    body=s.RequiredStatementInputSerializer,
    run=lambda caller, case, data, now: services.dispute_seller_reject(
        dispute_id=case.pk, seller=_seller_of(caller, case), statement=data["statement"], now=now
    ),
)
DisputeCounterOfferApi = _step_view(
    name="DisputeCounterOfferApi",
    kind="dispute",
    slug="counter_offer",
    party="seller",
    body=s.CounterOfferInputSerializer,
    run=lambda caller, case, data, now: services.dispute_seller_counter(
        dispute_id=case.pk,
        seller=_seller_of(caller, case),
        amount=data["amount"],
        statement=data["statement"],
        now=now,
    ),
)
DisputeAcceptOfferApi = _step_view(
    name="DisputeAcceptOfferApi",
    kind="dispute",
    slug="accept_offer",
    party="buyer",
    body=None,
    run=lambda caller, case, data, now: services.dispute_buyer_accept_counter(
        dispute_id=case.pk, buyer=_buyer_of(caller, case), now=now
    ),
)
DisputeEscalateApi = _step_view(
    name="DisputeEscalateApi",
    kind="dispute",
    slug="escalate",
    party="buyer",
    body=s.EscalateInputSerializer,
    run=lambda caller, case, data, now: services.dispute_buyer_escalate(
        dispute_id=case.pk, buyer=_buyer_of(caller, case), now=now, note=data["note"]
    ),
)
DisputeCancelApi = _step_view(
    name="DisputeCancelApi",
    kind="dispute",
    slug="cancel",
    party="buyer",
    body=None,
    run=lambda caller, case, data, now: services.dispute_buyer_cancel(
        dispute_id=case.pk, buyer=_buyer_of(caller, case), now=now
    ),
)
DisputeDecideApi = _step_view(
    name="DisputeDecideApi",
    kind="dispute",
    slug="decide",
    party="agent",
    body=s.DisputeDecideInputSerializer,
    examples=(doc.REFUND_TOO_HIGH_EXAMPLE,),
    run=lambda caller, case, data, now: services.dispute_decide(
        dispute_id=case.pk,
        agent=_deciding_agent(caller, case, data["agent"]),
        refund_amount=data["refund_amount"],
        return_required=data["return_required"],
        return_cost_bearer=data["return_cost_bearer"],
        note=data["note"],
        now=now,
    ),
)
ClaimAcceptApi = _step_view(
    name="ClaimAcceptApi",
    kind="claim",
    slug="accept",
    party="seller",
    body=s.StatementInputSerializer,
    run=lambda caller, case, data, now: services.warranty_claim_seller_accept(
        claim_id=case.pk, seller=_seller_of(caller, case), now=now, statement=data["statement"]
    ),
)
ClaimRefuseApi = _step_view(
    name="ClaimRefuseApi",
    kind="claim",
    slug="refuse",
    party="seller",
    body=s.RequiredStatementInputSerializer,
    run=lambda caller, case, data, now: services.warranty_claim_seller_refuse(
        claim_id=case.pk, seller=_seller_of(caller, case), statement=data["statement"], now=now
    ),
)
ClaimCancelApi = _step_view(
    name="ClaimCancelApi",
    kind="claim",
    slug="cancel",
    party="buyer",
    body=None,
    run=lambda caller, case, data, now: services.warranty_claim_cancel(
        claim_id=case.pk, buyer=_buyer_of(caller, case), now=now
    ),
)
ClaimDecideApi = _step_view(
    name="ClaimDecideApi",
    kind="claim",
    slug="decide",
    party="agent",
    body=s.ClaimDecideInputSerializer,
    run=lambda caller, case, data, now: services.warranty_claim_decide(
        claim_id=case.pk,
        agent=_deciding_agent(caller, case, data["agent"]),
        remedy=data["remedy"],
        note=data["note"],
        now=now,
    ),
)
