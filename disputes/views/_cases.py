"""What both sides' case pages show: deadlines, the timeline, the outcome."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from disputes.models import ClaimEvent, CostBearer, Dispute, DisputeEvent, WarrantyClaim

# A deadline this near is highlighted.
CLOSE = timedelta(days=2)

EVENT_LABELS = {
    "opened": gettext_lazy("Opened"),
    "seller_accepted": gettext_lazy("The seller accepted"),
    "seller_rejected": gettext_lazy("The seller rejected the dispute"),
    "seller_counter_offered": gettext_lazy("The seller offered a partial refund"),
    "buyer_accepted_offer": gettext_lazy("The buyer accepted the offer"),
    "escalated": gettext_lazy("Passed to the support team"),
    "cancelled": gettext_lazy("Withdrawn by the buyer"),
    "decided": gettext_lazy("The support team decided"),
    "deadline_resolved": gettext_lazy("Resolved for the buyer: no answer from the seller in time"),
    "seller_refused": gettext_lazy("The seller refused the claim"),
    "deadline_escalated": gettext_lazy(
        "Passed to the support team: no answer from the seller in time"
    ),
    "seller_reminded": gettext_lazy("The seller was reminded of the deadline"),
    "closed": gettext_lazy("Closed"),
    "evidence_added": gettext_lazy("New evidence was added"),
}


# Case dates read as on the ticket pages ("22 Nov 09:58"), with the year
# only when it is not the current one.
THIS_YEAR_FORMAT = "j M H:i"
OTHER_YEAR_FORMAT = "j M Y H:i"


def case_time_text(at: datetime, *, now: datetime) -> str:
    """Return ``at`` in the viewer's time zone, in the short form every case page uses."""
    local = timezone.localtime(at)
    same_year = local.year == timezone.localtime(now).year
    return date_format(local, THIS_YEAR_FORMAT if same_year else OTHER_YEAR_FORMAT)


def case_time(at: datetime, *, now: datetime) -> SafeString:
    """Return ``at`` as a ``<time>`` element showing ``case_time_text``."""
    return format_html(
        '<time datetime="{}">{}</time>',
        timezone.localtime(at).isoformat(timespec="seconds"),
        case_time_text(at, now=now),
    )


@dataclass(frozen=True)
class Deadline:
    at: datetime
    when: SafeString
    state: str  # "ok", "close" or "overdue"
    left: str


def deadline_of(at: datetime | None, *, now: datetime) -> Deadline | None:
    """Say how long is left to answer: "2 days left", "5 hours left" or overdue."""
    if at is None:
        return None
    when = case_time(at, now=now)
    remaining = at - now
    if remaining <= timedelta(0):
        return Deadline(at=at, when=when, state="overdue", left=_("overdue"))
    state = "close" if remaining <= CLOSE else "ok"
    if remaining > timedelta(days=1):
        # Rounded up: just after opening, a five-day deadline has five days left.
        days = math.ceil(remaining / timedelta(days=1))
        left = ngettext("%d day left", "%d days left", days) % days
    else:
        hours = max(1, math.ceil(remaining.total_seconds() / 3600))
        left = ngettext("%d hour left", "%d hours left", hours) % hours
    return Deadline(at=at, when=when, state=state, left=left)


@dataclass(frozen=True)
class Step:
    at: datetime
    when: SafeString
    label: str
    who: str
    note: str


def _who(actor: User | None, *, viewer: User, buyer: User, seller_name: str) -> str:
    if actor is None:
        return _("Support Desk, automatically")
    if actor.pk == viewer.pk:
        return _("You")
    if actor.pk == buyer.pk:
        return buyer.first_name or _("The buyer")
    if actor.is_agent:
        return _("Support team")
    return seller_name


def timeline(
    events: Iterable[DisputeEvent | ClaimEvent],
    *,
    viewer: User,
    buyer: User,
    seller_name: str,
    now: datetime,
) -> list[Step]:
    """Return a case's events in order, named as ``viewer`` sees them."""
    return [
        Step(
            at=event.created_at,
            when=case_time(event.created_at, now=now),
            label=str(EVENT_LABELS.get(event.kind, event.kind)),
            who=_who(event.actor, viewer=viewer, buyer=buyer, seller_name=seller_name),
            note=event.note,
        )
        for event in events
    ]


def money(amount: Decimal | None, currency: str) -> str:
    return "" if amount is None else f"{amount} {currency}"


@dataclass(frozen=True)
class Outcome:
    refund: str
    return_required: bool | None
    return_paid_by: str
    note: str


def dispute_outcome(dispute: Dispute) -> Outcome | None:
    """Return what was decided on a resolved dispute, or None while it is not."""
    if dispute.resolved_at is None:
        return None
    bearer = dispute.return_cost_bearer
    return Outcome(
        refund=money(dispute.refund_amount, dispute.order.currency),
        return_required=dispute.return_required,
        return_paid_by=str(CostBearer(bearer).label) if bearer in CostBearer.values else "",
        note=dispute.decision_note,
    )


def claim_seller_name(claim: WarrantyClaim) -> str:
    return claim.item.order.shop.name
