"""The beat's work on open cases besides the deadline itself: reminders and closing.

Both run over disputes and warranty claims alike. Each case is locked with
SKIP LOCKED and re-checked, so two runs at once never act on the same case,
and a run after downtime catches up on everything it missed, once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext as _

from disputes.models import ClaimEvent, Dispute, DisputeEvent, WarrantyClaim
from disputes.services._common import case_announce, case_save
from disputes.status import ClaimStatus, DisputeStatus
from tickets.models import NotificationKind


@dataclass(frozen=True)
class _Cases:
    model: type[models.Model]
    event_model: type[models.Model]
    case_field: str
    seller_path: str
    closable: tuple[str, ...]
    step: Callable[..., Any]

    def locked(self, condition: models.Q) -> Any:
        return (
            self.model.objects.select_for_update(skip_locked=True, of=("self",))  # type: ignore[attr-defined]
            .select_related(self.seller_path, "buyer")
            .filter(condition)
            .order_by("seller_deadline_at", "id")
            .first()
        )


def _kinds() -> tuple[_Cases, _Cases]:
    from disputes.services.claims import _claim_step
    from disputes.services.disputes import _dispute_step

    return (
        _Cases(
            model=Dispute,
            event_model=DisputeEvent,
            case_field="dispute",
            seller_path="order__shop__seller",
            closable=(DisputeStatus.RESOLVED,),
            step=_dispute_step,
        ),
        _Cases(
            model=WarrantyClaim,
            event_model=ClaimEvent,
            case_field="claim",
            seller_path="item__order__shop__seller",
            closable=(ClaimStatus.ACCEPTED, ClaimStatus.RESOLVED),
            step=_claim_step,
        ),
    )


def case_reminders_run(*, now: datetime, batch: int = 200) -> int:
    """Mail each seller once, DESK_CASE_REMIND_HOURS before their deadline; return how many.

    A deadline already past is the deadline task's business, not a reminder's.
    """
    due = models.Q(
        status=DisputeStatus.AWAITING_SELLER,
        seller_reminded_at__isnull=True,
        seller_deadline_at__gt=now,
        seller_deadline_at__lte=now + timedelta(hours=settings.DESK_CASE_REMIND_HOURS),
    )
    reminded = 0
    for cases in _kinds():
        for _round in range(batch):
            with transaction.atomic():
                case = cases.locked(due)
                if case is None:
                    break
                event = cases.event_model.objects.create(  # type: ignore[attr-defined]
                    **{cases.case_field: case},
                    kind="seller_reminded",
                    from_status=case.status,
                    to_status=case.status,
                    created_at=now,
                )
                case.seller_reminded_at = now
                case.save(update_fields=["seller_reminded_at"])
                case_announce(
                    case, event, now=now, kind=NotificationKind.CASE_REMINDER, to_buyer=False
                )
                reminded += 1
    return reminded


def cases_close_run(*, now: datetime, batch: int = 200) -> int:
    """Close cases settled DESK_CASE_CLOSE_AFTER_DAYS ago (no step is left after); return how many."""
    settled_before = now - timedelta(days=settings.DESK_CASE_CLOSE_AFTER_DAYS)
    closed = 0
    for cases in _kinds():
        due = models.Q(status__in=cases.closable, updated_at__lt=settled_before)
        for _round in range(batch):
            with transaction.atomic():
                case = cases.locked(due)
                if case is None:
                    break
                event = cases.step(
                    case,
                    to=DisputeStatus.CLOSED,
                    kind="closed",
                    actor=None,
                    now=now,
                    note=_("Closed: nothing is left to do."),
                )
                case_save(case, event, now=now)
                closed += 1
    return closed
