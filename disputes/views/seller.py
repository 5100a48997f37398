"""The seller centre: the open cases on the seller's shops, each case, and the seller's answers.

A case on another seller's shop does not exist here (404). Each answer is
one service call; a refusal is shown in the page with what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Role, User
from accounts.permissions import role_required
from disputes import selectors, services
from disputes.forms import CaseForm, CounterOfferForm, EvidenceForm, StatementForm
from disputes.models import Dispute, WarrantyClaim
from disputes.status import ClaimStatus, DisputeStatus, StepNotAllowed
from disputes.views._cases import (
    Deadline,
    claim_seller_name,
    deadline_of,
    dispute_outcome,
    money,
    timeline,
)
from disputes.views.buyer import (
    case_evidence_action,
    case_evidence_add,
    case_evidence_added_url,
)
from support_desk.errors import DomainError

seller_only = role_required(Role.SELLER)


def _seller(request: HttpRequest) -> User:
    return cast(User, request.user)


def _moved_on(request: HttpRequest) -> None:
    messages.error(
        request, _("This case has moved on since you opened the page: see where it stands now.")
    )


@dataclass(frozen=True)
class CaseRow:
    case: Dispute | WarrantyClaim
    order_number: str
    buyer_name: str
    amount: str
    deadline: Deadline | None


def _dispute_row(dispute: Dispute, *, now: datetime) -> CaseRow:
    waiting = dispute.status == DisputeStatus.AWAITING_SELLER
    return CaseRow(
        case=dispute,
        order_number=dispute.order.number,
        buyer_name=dispute.buyer.first_name or _("The buyer"),
        amount=money(dispute.wanted_amount, dispute.order.currency),
        deadline=deadline_of(dispute.seller_deadline_at, now=now) if waiting else None,
    )


def _claim_row(claim: WarrantyClaim, *, now: datetime) -> CaseRow:
    waiting = claim.status == ClaimStatus.AWAITING_SELLER
    return CaseRow(
        case=claim,
        order_number=claim.item.order.number,
        buyer_name=claim.buyer.first_name or _("The buyer"),
        amount=money(claim.item.line_total, claim.item.order.currency),
        deadline=deadline_of(claim.seller_deadline_at, now=now) if waiting else None,
    )


@seller_only
@require_safe
def seller_home(request: HttpRequest) -> HttpResponse:
    """List the seller's open disputes and warranty claims, those awaiting an answer first.

    The ones awaiting the seller come by deadline, nearest first; the rest by
    their last change, newest first (see the selectors).
    """
    seller, now = _seller(request), timezone.now()
    finished = selectors.FINISHED_SHOWN
    context = {
        "disputes": [
            _dispute_row(d, now=now)
            for d in selectors.dispute_list_for_seller(seller=seller, open_only=True)
        ],
        "claims": [
            _claim_row(c, now=now)
            for c in selectors.claim_list_for_seller(seller=seller, open_only=True)
        ],
        "finished_disputes": [
            _dispute_row(d, now=now)
            for d in selectors.dispute_list_for_seller(seller=seller, open_only=False)[:finished]
        ],
        "finished_claims": [
            _claim_row(c, now=now)
            for c in selectors.claim_list_for_seller(seller=seller, open_only=False)[:finished]
        ],
    }
    return render(request, "disputes/seller_home.html", context)


# --- Disputes -------------------------------------------------------------------


def _dispute(request: HttpRequest, dispute_id: int) -> Dispute:
    try:
        return selectors.dispute_get_for_seller(seller=_seller(request), dispute_id=dispute_id)
    except services.CaseNotFound as error:
        raise Http404(error.message) from error


def _dispute_forms(dispute: Dispute, data: Any = None, *, bound: str = "") -> dict[str, CaseForm]:
    def given(name: str) -> Any:
        return data if name == bound else None

    return {
        "evidence": EvidenceForm(),
        "accept": StatementForm(given("accept"), prefix="accept", required=False),
        "reject": StatementForm(given("reject"), prefix="reject"),
        "counter": CounterOfferForm(
            given("counter"),
            prefix="counter",
            currency=dispute.order.currency,
            total=dispute.order.total,
        ),
    }


def _dispute_page(
    request: HttpRequest, dispute: Dispute, *, forms: dict[str, CaseForm], status: int = 200
) -> HttpResponse:
    shop, now = dispute.order.shop, timezone.now()
    context = {
        "dispute": dispute,
        "order": dispute.order,
        "buyer_name": dispute.buyer.first_name or _("The buyer"),
        "wanted": money(dispute.wanted_amount, dispute.order.currency),
        "counter": money(dispute.counter_amount, dispute.order.currency),
        "total": money(dispute.order.total, dispute.order.currency),
        "deadline": deadline_of(dispute.seller_deadline_at, now=now)
        if dispute.status == DisputeStatus.AWAITING_SELLER
        else None,
        "can_answer": dispute.status == DisputeStatus.AWAITING_SELLER,
        "outcome": dispute_outcome(dispute),
        "steps": timeline(
            dispute.events.all(),
            viewer=_seller(request),
            buyer=dispute.buyer,
            seller_name=shop.name,
            now=now,
        ),
        "evidence": list(dispute.evidence.all()),
        "evidence_action": case_evidence_action("seller:dispute-evidence", dispute),
        "forms": forms,
    }
    return render(request, "disputes/seller/dispute.html", context, status=status)


@seller_only
@require_safe
def seller_dispute(request: HttpRequest, dispute_id: int) -> HttpResponse:
    """Show a dispute on the seller's shop: the buyer's statement, evidence, timeline, answers."""
    dispute = _dispute(request, dispute_id)
    return _dispute_page(request, dispute, forms=_dispute_forms(dispute))


def _dispute_answer(dispute: Dispute, *, seller: User, action: str, data: dict[str, Any]) -> None:
    now = timezone.now()
    if action == "accept":
        services.dispute_seller_accept(
            dispute_id=dispute.pk, seller=seller, statement=data["statement"], now=now
        )
    elif action == "reject":
        services.dispute_seller_reject(
            dispute_id=dispute.pk, seller=seller, statement=data["statement"], now=now
        )
    else:
        services.dispute_seller_counter(
            dispute_id=dispute.pk,
            seller=seller,
            amount=data["amount"],
            statement=data["statement"],
            now=now,
        )


DISPUTE_DONE = {
    "accept": gettext_lazy("You accepted the dispute; the buyer gets what they asked for."),
    "reject": gettext_lazy(
        "You rejected the dispute; the buyer may ask the support team to decide."
    ),
    "counter": gettext_lazy("Your offer is sent to the buyer."),
}


@seller_only
@require_POST
def seller_dispute_answer(request: HttpRequest, dispute_id: int, action: str) -> HttpResponse:
    """Accept, reject (with a statement) or counter-offer a partial refund."""
    dispute = _dispute(request, dispute_id)
    # The graph also lets a dispute resolve from other statuses (the buyer's or
    # the desk's edges); the seller answers only while it waits for them.
    if dispute.status != DisputeStatus.AWAITING_SELLER:
        _moved_on(request)
        return redirect("seller:dispute", dispute.pk)
    forms = _dispute_forms(dispute, request.POST, bound=action)
    form = forms[action]
    if form.is_valid():
        try:
            _dispute_answer(dispute, seller=_seller(request), action=action, data=form.cleaned_data)
        except StepNotAllowed:
            _moved_on(request)
            return redirect("seller:dispute", dispute.pk)
        except DomainError as error:
            form.add_service_error(error)
        else:
            messages.success(request, str(DISPUTE_DONE[action]))
            return redirect("seller:dispute", dispute.pk)
        dispute = _dispute(request, dispute_id)
    return _dispute_page(request, dispute, forms=forms, status=400)


@seller_only
@require_POST
def seller_dispute_evidence(request: HttpRequest, dispute_id: int) -> HttpResponse:
    """Add the seller's files to the evidence of an open dispute on their shop."""
    dispute = _dispute(request, dispute_id)
    form = EvidenceForm(request.POST, request.FILES)
    if case_evidence_add(request, dispute, form, dispute_id=dispute.pk):
        return redirect(case_evidence_added_url("seller:dispute", dispute))
    forms = {**_dispute_forms(dispute), "evidence": form}
    return _dispute_page(request, dispute, forms=forms, status=400)


# --- Warranty claims ------------------------------------------------------------


def _claim(request: HttpRequest, claim_id: int) -> WarrantyClaim:
    try:
        return selectors.claim_get_for_seller(seller=_seller(request), claim_id=claim_id)
    except services.CaseNotFound as error:
        raise Http404(error.message) from error


def _claim_forms(data: Any = None, *, bound: str = "") -> dict[str, CaseForm]:
    return {
        "evidence": EvidenceForm(),
        "accept": StatementForm(
            data if bound == "accept" else None, prefix="accept", required=False
        ),
        "refuse": StatementForm(data if bound == "refuse" else None, prefix="refuse"),
    }


def _claim_page(
    request: HttpRequest, claim: WarrantyClaim, *, forms: dict[str, CaseForm], status: int = 200
) -> HttpResponse:
    waiting, now = claim.status == ClaimStatus.AWAITING_SELLER, timezone.now()
    context = {
        "claim": claim,
        "item": claim.item,
        "order": claim.item.order,
        "buyer_name": claim.buyer.first_name or _("The buyer"),
        "deadline": deadline_of(claim.seller_deadline_at, now=now) if waiting else None,
        "can_answer": waiting,
        "steps": timeline(
            claim.events.all(),
            viewer=_seller(request),
            buyer=claim.buyer,
            seller_name=claim_seller_name(claim),
            now=now,
        ),
        "evidence": list(claim.evidence.all()),
        "evidence_action": case_evidence_action("seller:claim-evidence", claim),
        "forms": forms,
    }
    return render(request, "disputes/seller/claim.html", context, status=status)


@seller_only
@require_safe
def seller_claim(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Show a warranty claim on the seller's shop and, while it waits, the answers."""
    return _claim_page(request, _claim(request, claim_id), forms=_claim_forms())


CLAIM_DONE = {
    "accept": gettext_lazy("You accepted the claim; please arrange the remedy with the buyer."),
    "refuse": gettext_lazy("You refused the claim; the support team will decide."),
}


@seller_only
@require_POST
def seller_claim_answer(request: HttpRequest, claim_id: int, action: str) -> HttpResponse:
    """Accept the claim, or refuse it with a statement (the desk then decides)."""
    claim = _claim(request, claim_id)
    forms = _claim_forms(request.POST, bound=action)
    form = forms[action]
    if form.is_valid():
        answer = (
            services.warranty_claim_seller_accept
            if action == "accept"
            else services.warranty_claim_seller_refuse
        )
        try:
            answer(
                claim_id=claim.pk,
                seller=_seller(request),
                statement=form.cleaned_data["statement"],
                now=timezone.now(),
            )
        except StepNotAllowed:
            _moved_on(request)
            return redirect("seller:claim", claim.pk)
        except DomainError as error:
            form.add_service_error(error)
        else:
            messages.success(request, str(CLAIM_DONE[action]))
            return redirect("seller:claim", claim.pk)
        claim = _claim(request, claim_id)
    return _claim_page(request, claim, forms=forms, status=400)


@seller_only
@require_POST
def seller_claim_evidence(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Add the seller's files to the evidence of an open warranty claim on their shop."""
    claim = _claim(request, claim_id)
    form = EvidenceForm(request.POST, request.FILES)
    if case_evidence_add(request, claim, form, claim_id=claim.pk):
        return redirect(case_evidence_added_url("seller:claim", claim))
    forms = {**_claim_forms(), "evidence": form}
    return _claim_page(request, claim, forms=forms, status=400)
