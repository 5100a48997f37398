"""Evidence through the API: a party adds files to an open case; whoever sees the case downloads them.

``POST /api/v1/disputes/<id>/evidence/`` (and ``warranty-claims``) takes
multipart ``files`` parts, checked like ticket attachments, and acts as the
caller's party: a signed-in buyer or seller, a seller-bound key as its
seller, an integrator key as the ``party`` it names. ``GET
.../evidence/<evidence_id>/`` sends one file as a download that can run
nothing.
"""

from __future__ import annotations

from typing import Any

from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role, User
from api.permissions import RoleNotAllowed
from api.serializers import ErrorSerializer
from disputes import services
from disputes.api import access
from disputes.api import schema as doc
from disputes.api import serializers as s
from disputes.models import Dispute, Evidence, WarrantyClaim
from disputes.services import CaseNotFound, InvalidCase
from disputes.views.files import evidence_response
from orders.api.access import MarketAccess, MarketCaller, caller_of
from tickets.api import schema as ticket_doc
from tickets.api.files import uploaded_files

PARTIES = ("buyer", "seller")


class EvidenceInputSerializer(serializers.Serializer):
    """Body of the evidence upload, sent as multipart/form-data."""

    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),
        help_text="The files, one `files` part each. Checked by content like ticket "
        "attachments: JPEG, PNG, GIF and WebP images (re-encoded), PDF without scripts, UTF-8 "
        "plain text; at most `DESK_ATTACHMENT_MAX_FILES` (default 5) per request and "
        f"{services.MAX_EVIDENCE_PER_CASE} per case.",
    )
    party = serializers.ChoiceField(
        choices=PARTIES,
        required=False,
        help_text="Integrator keys only: whose evidence it is, the case's `buyer` or `seller`. "
        "Signed-in people and seller keys give their own.",
    )


UPLOAD_ERRORS = {
    400: OpenApiResponse(
        ErrorSerializer,
        description="`invalid_attachment` (`details.files` says which file and why), "
        "`invalid_case` (no file, the case is settled, too many files on it, or a key that "
        "names no `party`).",
    ),
    **doc.errors(401, 403, 404),
}


def _party_person(caller: MarketCaller, case: Dispute | WarrantyClaim, party: str) -> User:
    """Return who gives the evidence: the caller's own party, or the one a key names."""
    order = case.order if isinstance(case, Dispute) else case.item.order
    if caller.is_integrator:
        if party not in PARTIES:
            raise InvalidCase(
                _("Say whose evidence it is."),
                details={"party": _("buyer or seller, required for API keys.")},
            )
        seller = order.shop.seller
        if party == "seller" and seller is None:
            raise InvalidCase(
                _("This shop has no seller account."), details={"party": _("No seller.")}
            )
        return case.buyer if party == "buyer" else seller
    if party:
        raise InvalidCase(
            _("Signed-in people give their own evidence."),
            details={"party": _("Only API keys name the party.")},
        )
    if caller.seller is not None:
        return access.acting_seller(caller, case_seller=order.shop.seller)
    if caller.buyer is not None:
        return caller.buyer
    raise RoleNotAllowed(_("Only the buyer and the seller give evidence."))


def _evidence_views(*, kind: str) -> tuple[type[APIView], type[APIView]]:
    is_dispute = kind == "dispute"
    find = access.dispute_visible if is_dispute else access.claim_visible
    output = s.DisputeDetailOutputSerializer if is_dispute else s.ClaimDetailOutputSerializer
    prefix = "disputes" if is_dispute else "warranty_claims"
    tags = ["disputes"] if is_dispute else ["warranty claims"]
    what = _("dispute") if is_dispute else _("warranty claim")

    class UploadApi(APIView):
        permission_classes = [MarketAccess]
        required_scopes = {"POST": ["disputes:write"]}
        seller_key_methods = ("POST",)
        allowed_roles = (Role.BUYER, Role.SELLER)
        parser_classes = [MultiPartParser]

        @extend_schema(
            operation_id=f"{prefix}_evidence_create",
            summary="Add evidence",
            description="Add files to an open case as its buyer or its seller. Both parties "
            "are mailed, and the case's timeline gains an `evidence_added` event. A settled "
            "case takes no more evidence.\n\n**Access:** the case's buyer (session), its "
            "seller (session or seller key), or an integrator key with `disputes:write` "
            "naming the `party`.",
            request={"multipart/form-data": EvidenceInputSerializer},
            responses={201: output, **UPLOAD_ERRORS},
            tags=tags,
        )
        def post(self, request: Request, case_id: int) -> Response:
            caller = caller_of(request)
            case = find(caller, case_id)
            files = uploaded_files(request)
            party = str(request.POST.get("party", "") or "")
            person = _party_person(caller, case, party)
            services.evidence_add(
                person=person,
                files=files,
                now=timezone.now(),
                dispute_id=case.pk if is_dispute else None,
                claim_id=None if is_dispute else case.pk,
            )
            return Response(output(find(caller, case_id)).data, status=status.HTTP_201_CREATED)

    class FileApi(APIView):
        permission_classes = [MarketAccess]
        required_scopes = {"GET": ["disputes:read"]}
        seller_key_methods = ("GET",)
        allowed_roles = (Role.BUYER, Role.SELLER, Role.AGENT, Role.SUPERVISOR)

        def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
            # The answer is the file itself, whatever the client accepts; errors stay JSON.
            return super().perform_content_negotiation(request, force=True)

        @extend_schema(
            operation_id=f"{prefix}_evidence_retrieve",
            summary="Download evidence",
            description="One evidence file of a case the caller may see, as a download "
            "(`Content-Disposition: attachment`, `nosniff`, a sandboxing CSP).",
            responses={
                **ticket_doc.download_responses("The file, with the type found by content."),
                **doc.errors(401, 403, 404),
            },
            tags=tags,
        )
        def get(self, request: Request, case_id: int, evidence_id: int) -> HttpResponseBase:
            case = find(caller_of(request), case_id)
            link = {"dispute": case} if is_dispute else {"claim": case}
            evidence = Evidence.objects.filter(pk=evidence_id, **link).first()
            if evidence is None:
                raise CaseNotFound(_("No such file on this %(what)s.") % {"what": what})
            return evidence_response(evidence)

    name = "Dispute" if is_dispute else "Claim"
    for view, suffix in ((UploadApi, "EvidenceApi"), (FileApi, "EvidenceFileApi")):
        view.__name__ = view.__qualname__ = f"{name}{suffix}"
    return UploadApi, FileApi


DisputeEvidenceApi, DisputeEvidenceFileApi = _evidence_views(kind="dispute")
ClaimEvidenceApi, ClaimEvidenceFileApi = _evidence_views(kind="claim")
