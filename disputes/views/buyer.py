"""The buyer's disputes and warranty claims under /help/disputes/.

Opening a case, following it, adding evidence while it is open, and the
buyer's steps: accepting the seller's offer, asking the support team to
decide, withdrawing. Someone else's case does not exist here (404); a
refusal is shown with what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Role, User
from accounts.permissions import role_required
from disputes import selectors, services
from disputes.forms import CaseForm, DisputeOpenForm, EvidenceForm, WarrantyClaimForm
from disputes.models import Dispute, WarrantyClaim
from disputes.services.evidence import (
    dispute_open_with_evidence,
    warranty_claim_open_with_evidence,
)
from disputes.status import (
    OPEN_DISPUTE_STATUSES,
    ClaimStatus,
    DisputeStatus,
    StepNotAllowed,
    claim_can_move,
)
from disputes.views._cases import (
    case_time,
    case_time_text,
    claim_seller_name,
    deadline_of,
    dispute_outcome,
    money,
    timeline,
)
from orders.models import OrderItem, warranty_last_day
from support_desk.errors import DomainError
from tickets.attachments import InvalidAttachment

buyer_only = role_required(Role.BUYER)

EVIDENCE_SETTLED = gettext_lazy("This case is settled: it takes no more evidence.")


def _buyer(request: HttpRequest) -> User:
    return cast(User, request.user)


@dataclass(frozen=True)
class CaseRow:
    case: Dispute | WarrantyClaim
    kind: str  # "dispute" or "claim"
    about: str
    order_number: str
    amount: str
    opened_at: datetime
    opened: SafeString


@buyer_only
@require_safe
def case_list(request: HttpRequest) -> HttpResponse:
    """List the buyer's disputes and warranty claims together, newest first."""
    buyer, now = _buyer(request), timezone.now()
    rows = [
        CaseRow(
            case=d,
            kind="dispute",
            about=d.get_reason_display(),
            order_number=d.order.number,
            amount=money(d.wanted_amount, d.order.currency),
            opened_at=d.opened_at,
            opened=case_time(d.opened_at, now=now),
        )
        for d in selectors.dispute_list_for_buyer(buyer=buyer)
    ] + [
        CaseRow(
            case=c,
            kind="claim",
            about=c.item.title,
            order_number=c.item.order.number,
            amount="",
            opened_at=c.opened_at,
            opened=case_time(c.opened_at, now=now),
        )
        for c in selectors.claim_list_for_buyer(buyer=buyer)
    ]
    rows.sort(key=lambda row: row.opened_at, reverse=True)
    return render(request, "disputes/buyer/list.html", {"rows": rows})


def _put_refusal(form: CaseForm, error: DomainError, *, field: str) -> None:
    if isinstance(error, InvalidAttachment):
        for text in error.texts():
            form.add_error("evidence", text)
    elif isinstance(error, services.InvalidCase):
        form.add_service_error(error)
    else:
        # Not their order / item, outside the window or the warranty, already open.
        form.add_service_error(error, field=field)


def _opened_text(dispute: Dispute, *, now: datetime) -> str:
    text = _("Your dispute %(reference)s is open.") % {"reference": dispute.reference}
    if dispute.seller_deadline_at is not None:
        answer_by = case_time_text(dispute.seller_deadline_at, now=now)
        text += " " + _("The seller has until %(date)s to answer.") % {"date": answer_by}
    return text


@buyer_only
@require_http_methods(["GET", "HEAD", "POST"])
def dispute_new(request: HttpRequest) -> HttpResponse:
    """Open a dispute on one of the buyer's paid orders, with evidence."""
    buyer = _buyer(request)
    orders = list(selectors.orders_disputable_for_buyer(buyer=buyer))
    form = DisputeOpenForm(
        request.POST or None,
        request.FILES or None,
        orders=orders,
        initial={"order_number": request.GET.get("order", "")},
    )
    if request.method == "POST" and form.is_valid():
        data, now = form.cleaned_data, timezone.now()
        try:
            dispute = dispute_open_with_evidence(
                buyer=buyer,
                order_number=data["order_number"],
                reason=data["reason"],
                wanted_outcome=data["wanted_outcome"],
                description=data["description"],
                partial_amount=data["partial_amount"],
                files=data["evidence"],
                now=now,
            )
        except DomainError as error:
            _put_refusal(form, error, field="order_number")
        else:
            messages.success(request, _opened_text(dispute, now=now))
            return redirect("disputes:dispute", dispute.pk)
    return render(
        request,
        "disputes/buyer/dispute_new.html",
        {"form": form, "has_orders": bool(orders)},
        status=400 if request.method == "POST" else 200,
    )


def _last_days(items: list[OrderItem], zone: str) -> dict[int, date]:
    return {
        item.pk: warranty_last_day(
            delivered_at=item.order.delivered_at, months=item.warranty_months, time_zone=zone
        )
        for item in items
        if item.order.delivered_at is not None
    }


@buyer_only
@require_http_methods(["GET", "HEAD", "POST"])
def claim_new(request: HttpRequest) -> HttpResponse:
    """Open a warranty claim on an item of a delivered order, with evidence."""
    buyer = _buyer(request)
    zone = timezone.get_current_timezone_name()
    items = list(selectors.items_with_warranty_for_buyer(buyer=buyer))
    last_days = _last_days(items, zone)
    today = timezone.localdate()
    form = WarrantyClaimForm(
        request.POST or None,
        request.FILES or None,
        items=items,
        last_days=last_days,
        today=today,
        initial={"item": request.GET.get("item", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = warranty_claim_open_with_evidence(
                buyer=buyer,
                item_id=data["item"],
                defect=data["defect"],
                remedy=data["remedy"],
                files=data["evidence"],
                now=timezone.now(),
                time_zone=zone,
            )
        except DomainError as error:
            _put_refusal(form, error, field="item")
        else:
            messages.success(
                request,
                _("Your warranty claim %(reference)s is open.") % {"reference": str(claim)},
            )
            return redirect("disputes:claim", claim.pk)
    return render(
        request,
        "disputes/buyer/claim_new.html",
        {
            "form": form,
            "has_items": bool(items),
            "all_ended": bool(items) and all(day < today for day in last_days.values()),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Evidence added to an open case --------------------------------------------


def case_evidence_action(name: str, case: Dispute | WarrantyClaim) -> str:
    """Return where the "add evidence" form posts, or "" once the case is settled (no form)."""
    return reverse(name, args=[case.pk]) if case.is_open else ""


def case_evidence_added_url(name: str, case: Dispute | WarrantyClaim) -> str:
    """Return the case page at its evidence, where the files just added are listed."""
    return reverse(name, args=[case.pk]) + "#evidence"


def case_evidence_add(
    request: HttpRequest,
    case: Dispute | WarrantyClaim,
    form: EvidenceForm,
    *,
    dispute_id: int | None = None,
    claim_id: int | None = None,
) -> bool:
    """Add the form's files to a case of the person asking; say whether they were added.

    The seller's pages use it too. Why not is put on the form, beside the
    field; or, when the case is settled, in a message on top, since a settled
    case's page has no form. Raises Http404 when the case is not theirs.
    """
    if not case.is_open:
        messages.error(request, str(EVIDENCE_SETTLED))
        return False
    if not form.is_valid():
        return False
    try:
        stored = services.evidence_add(
            person=cast(User, request.user),
            files=form.cleaned_data["evidence"],
            now=timezone.now(),
            dispute_id=dispute_id,
            claim_id=claim_id,
        )
    except services.CaseNotFound as error:
        raise Http404(error.message) from error
    except DomainError as error:
        case.refresh_from_db(fields=["status"])
        if case.is_open:
            form.add_refusal(error)
        else:
            messages.error(request, str(EVIDENCE_SETTLED))
        return False
    names = ", ".join(evidence.name for evidence in stored)
    messages.success(request, _("Added to the evidence: %(names)s.") % {"names": names})
    return True


# --- A dispute ------------------------------------------------------------------


def _dispute(request: HttpRequest, dispute_id: int) -> Dispute:
    try:
        return selectors.dispute_get_for_buyer(buyer=_buyer(request), dispute_id=dispute_id)
    except services.CaseNotFound as error:
        raise Http404(error.message) from error


# The statuses each step is offered in. The status graph alone would let a
# buyer "accept" an offer never made (awaiting_seller -> resolved is the
# seller's edge), so the page offers and takes a step only where it makes sense.
STEP_STATUSES = {
    "accept-offer": frozenset({DisputeStatus.COUNTER_OFFERED}),
    "escalate": frozenset({DisputeStatus.COUNTER_OFFERED, DisputeStatus.SELLER_REJECTED}),
    "withdraw": OPEN_DISPUTE_STATUSES,
}


def _dispute_page(
    request: HttpRequest,
    dispute: Dispute,
    *,
    evidence_form: EvidenceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    now, currency, state = timezone.now(), dispute.order.currency, dispute.status
    context = {
        "dispute": dispute,
        "order": dispute.order,
        "opened": case_time(dispute.opened_at, now=now),
        "deadline": deadline_of(dispute.seller_deadline_at, now=now),
        "wanted": money(dispute.wanted_amount, currency),
        "counter": money(dispute.counter_amount, currency),
        # Once the buyer took the offer or passed the dispute on, the offer is history.
        "offer_standing": state == DisputeStatus.COUNTER_OFFERED,
        "outcome": dispute_outcome(dispute),
        "steps": timeline(
            dispute.events.all(),
            viewer=_buyer(request),
            buyer=dispute.buyer,
            seller_name=dispute.order.shop.name,
            now=now,
        ),
        "evidence": list(dispute.evidence.all()),
        "evidence_form": evidence_form or EvidenceForm(),
        "evidence_action": case_evidence_action("disputes:dispute-evidence", dispute),
        "can_accept_offer": state in STEP_STATUSES["accept-offer"],
        "can_escalate": state in STEP_STATUSES["escalate"],
        "can_withdraw": state in STEP_STATUSES["withdraw"],
    }
    return render(request, "disputes/buyer/dispute.html", context, status=status)


@buyer_only
@require_safe
def dispute_detail(request: HttpRequest, dispute_id: int) -> HttpResponse:
    """Show the buyer's dispute: the seller's answer, the offer, the outcome, the steps."""
    return _dispute_page(request, _dispute(request, dispute_id))


@buyer_only
@require_POST
def dispute_evidence(request: HttpRequest, dispute_id: int) -> HttpResponse:
    """Add the buyer's files to the evidence of their open dispute."""
    dispute = _dispute(request, dispute_id)
    form = EvidenceForm(request.POST, request.FILES)
    if case_evidence_add(request, dispute, form, dispute_id=dispute.pk):
        return redirect(case_evidence_added_url("disputes:dispute", dispute))
    return _dispute_page(request, dispute, evidence_form=form, status=400)


DISPUTE_STEPS = {
    "accept-offer": (
        services.dispute_buyer_accept_counter,
        gettext_lazy("You accepted the seller's offer. The dispute is resolved."),
    ),
    "escalate": (
        services.dispute_buyer_escalate,
        gettext_lazy("The support team will decide. You can follow it in your requests."),
    ),
    "withdraw": (services.dispute_buyer_cancel, gettext_lazy("You withdrew the dispute.")),
}


def _moved_on(request: HttpRequest) -> None:
    messages.error(
        request, _("This case has moved on since you opened the page: see where it stands now.")
    )


def _refused(request: HttpRequest, error: DomainError) -> None:
    if isinstance(error, StepNotAllowed):
        _moved_on(request)
    else:
        messages.error(request, error.message)


@buyer_only
@require_POST
def dispute_step(request: HttpRequest, dispute_id: int, step: str) -> HttpResponse:
    """Take one of the buyer's steps on their dispute, then show it again."""
    dispute = _dispute(request, dispute_id)
    service, done = DISPUTE_STEPS[step]
    if dispute.status not in STEP_STATUSES[step]:
        _moved_on(request)
        return redirect("disputes:dispute", dispute.pk)
    try:
        service(dispute_id=dispute.pk, buyer=_buyer(request), now=timezone.now())
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, str(done))
    return redirect("disputes:dispute", dispute.pk)


# --- A warranty claim -----------------------------------------------------------


def _claim(request: HttpRequest, claim_id: int) -> WarrantyClaim:
    try:
        return selectors.claim_get_for_buyer(buyer=_buyer(request), claim_id=claim_id)
    except services.CaseNotFound as error:
        raise Http404(error.message) from error


def _claim_page(
    request: HttpRequest,
    claim: WarrantyClaim,
    *,
    evidence_form: EvidenceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    context = {
        "claim": claim,
        "item": claim.item,
        "order": claim.item.order,
        "opened": case_time(claim.opened_at, now=now),
        "deadline": deadline_of(claim.seller_deadline_at, now=now),
        "steps": timeline(
            claim.events.all(),
            viewer=_buyer(request),
            buyer=claim.buyer,
            seller_name=claim_seller_name(claim),
            now=now,
        ),
        "evidence": list(claim.evidence.all()),
        "evidence_form": evidence_form or EvidenceForm(),
        "evidence_action": case_evidence_action("disputes:claim-evidence", claim),
        "can_withdraw": claim_can_move(claim.status, ClaimStatus.CANCELLED),
    }
    return render(request, "disputes/buyer/claim.html", context, status=status)


@buyer_only
@require_safe
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Show the buyer's warranty claim: the seller's answer, the decision, the steps."""
    return _claim_page(request, _claim(request, claim_id))


@buyer_only
@require_POST
def claim_evidence(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Add the buyer's files to the evidence of their open warranty claim."""
    claim = _claim(request, claim_id)
    form = EvidenceForm(request.POST, request.FILES)
    if case_evidence_add(request, claim, form, claim_id=claim.pk):
        return redirect(case_evidence_added_url("disputes:claim", claim))
    return _claim_page(request, claim, evidence_form=form, status=400)


@buyer_only
@require_POST
def claim_withdraw(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Withdraw the buyer's warranty claim while it is not decided."""
    claim = _claim(request, claim_id)
    try:
        services.warranty_claim_cancel(claim_id=claim.pk, buyer=_buyer(request), now=timezone.now())
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("You withdrew the warranty claim."))
    return redirect("disputes:claim", claim.pk)
