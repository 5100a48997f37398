"""The agent's side of a case: the panel on the escalation ticket and the decision."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Role, User
from accounts.permissions import role_required
from disputes import selectors, services
from disputes.models import CostBearer, Dispute, Remedy, WarrantyClaim
from disputes.status import ClaimStatus, DisputeStatus
from disputes.views._cases import deadline_of, dispute_outcome, money, timeline
from support_desk.errors import DomainError
from tickets import selectors as ticket_selectors
from tickets.services import TicketNotFound


class DisputeDecisionForm(forms.Form):
    refund_amount = forms.DecimalField(
        label=gettext_lazy("Refund"), min_value=Decimal("0"), max_digits=12, decimal_places=2
    )
    return_required = forms.BooleanField(label=gettext_lazy("The item goes back"), required=False)
    return_cost_bearer = forms.ChoiceField(
        label=gettext_lazy("The return is paid by"),
        choices=[("", "—"), *CostBearer.choices],
        required=False,
    )
    note = forms.CharField(
        label=gettext_lazy("Decision, as both parties will read it"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ClaimDecisionForm(forms.Form):
    remedy = forms.ChoiceField(
        label=gettext_lazy("The seller owes"),
        choices=[("", gettext_lazy("Nothing: the claim is refused")), *Remedy.choices],
        required=False,
    )
    note = forms.CharField(
        label=gettext_lazy("Decision, as both parties will read it"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def case_context(*, agent: User, ticket_id: int, bound: forms.Form | None = None) -> dict[str, Any]:
    """Return what the agent's ticket page shows of the case the ticket escalates, if any."""
    case = selectors.case_for_ticket(ticket_id=ticket_id)
    if case is None:
        return {"case": None}
    now = timezone.now()
    # The seller's deadline matters only while the seller has not answered.
    awaiting_seller = case.status in (DisputeStatus.AWAITING_SELLER, ClaimStatus.AWAITING_SELLER)
    deadline = deadline_of(case.seller_deadline_at, now=now) if awaiting_seller else None
    if isinstance(case, Dispute):
        order, shop = case.order, case.order.shop
        form = bound or DisputeDecisionForm(
            prefix="decide", initial={"refund_amount": case.counter_amount or case.wanted_amount}
        )
        return {
            "case": case,
            "case_kind": "dispute",
            "case_order": order,
            "case_items": list(order.items.all()),
            "case_wanted": money(case.wanted_amount, order.currency),
            "case_counter": money(case.counter_amount, order.currency),
            "case_outcome": dispute_outcome(case),
            "case_deadline": deadline,
            "case_steps": timeline(
                case.events.all(), viewer=agent, buyer=case.buyer, seller_name=shop.name, now=now
            ),
            "case_evidence": list(case.evidence.all()),
            "case_form": form,
            "case_open": case.status == "escalated",
        }
    claim_order = case.item.order
    return {
        "case": case,
        "case_kind": "claim",
        "case_order": claim_order,
        "case_items": [case.item],
        "case_deadline": deadline,
        "case_steps": timeline(
            case.events.all(),
            viewer=agent,
            buyer=case.buyer,
            seller_name=claim_order.shop.name,
            now=now,
        ),
        "case_evidence": list(case.evidence.all()),
        "case_form": bound or ClaimDecisionForm(prefix="decide", initial={"remedy": case.remedy}),
        "case_open": case.status == "escalated",
    }


def _decide(
    *, case: Dispute | WarrantyClaim, agent: User, data: dict[str, Any], now: datetime
) -> None:
    if isinstance(case, Dispute):
        services.dispute_decide(
            dispute_id=case.pk,
            agent=agent,
            refund_amount=data["refund_amount"],
            return_required=data["return_required"],
            return_cost_bearer=data["return_cost_bearer"],
            note=data["note"],
            now=now,
        )
    else:
        services.warranty_claim_decide(
            claim_id=case.pk, agent=agent, remedy=data["remedy"], note=data["note"], now=now
        )


@require_POST
@role_required(Role.AGENT, Role.SUPERVISOR)
def case_decide(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Decide the dispute or warranty claim an escalation ticket carries."""
    agent = request.user
    assert isinstance(agent, User)
    try:
        ticket_selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    except TicketNotFound as error:
        raise Http404(error.message) from error
    case = selectors.case_for_ticket(ticket_id=ticket_id)
    if case is None:
        raise Http404("This ticket carries no case.")
    form_class = DisputeDecisionForm if isinstance(case, Dispute) else ClaimDecisionForm
    form = form_class(request.POST, prefix="decide")
    if form.is_valid():
        try:
            _decide(case=case, agent=agent, data=form.cleaned_data, now=timezone.now())
        except DomainError as error:
            for field, problem in (error.details or {}).items():
                if field in form.fields:
                    form.add_error(field, str(problem))
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Decision recorded; both parties can see it."))
            return redirect("agent:ticket", ticket_id=ticket_id)
    from tickets.views.agent import render_ticket_with

    return render_ticket_with(request, ticket_id=ticket_id, status=400, case_form=form)
