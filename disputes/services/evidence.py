"""Evidence files: checked like ticket attachments, stored with the case that needs them.

The ``*_with_evidence`` services check every file first (one bad file
refuses the whole request and nothing is written), then open the case and
store its files in one transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from disputes.models import ClaimEvent, Dispute, DisputeEvent, Evidence, WarrantyClaim
from disputes.services._common import (
    CaseNotFound,
    InvalidCase,
    case_announce,
    seller_deadline_check,
)
from disputes.services.claims import _lock_claim, warranty_claim_open
from disputes.services.disputes import _lock_dispute, dispute_open
from support_desk import security_log
from tickets.attachments import CheckedFile, attachments_check

# However many times files are added, a case keeps at most this many.
MAX_EVIDENCE_PER_CASE = 20


def evidence_store(
    *,
    files: Sequence[CheckedFile],
    uploaded_by: User | None,
    now: datetime,
    dispute: Dispute | None = None,
    claim: WarrantyClaim | None = None,
) -> list[Evidence]:
    """Store checked files as evidence of one case (a dispute or a claim) under random names.

    Call inside the transaction that wrote or locked the case. The caller
    has checked that ``uploaded_by`` is a party to it.
    """
    stored: list[Evidence] = []
    for index, checked in enumerate(files):
        evidence = Evidence(
            dispute=dispute,
            claim=claim,
            name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=uploaded_by,
            # Listed by time, then (random) id: the files of one upload keep their order.
            created_at=now + timedelta(microseconds=index),
        )
        # The path on disk is random: nothing a user sends decides it.
        evidence.file.save(uuid.uuid4().hex, ContentFile(checked.data), save=False)
        evidence.save()
        stored.append(evidence)
    return stored


def dispute_open_with_evidence(
    *,
    buyer: User,
    order_number: str,
    reason: str,
    wanted_outcome: str,
    description: str,
    files: Sequence[File],
    now: datetime,
    partial_amount: Decimal | None = None,
) -> Dispute:
    """Open a dispute (see dispute_open) with the buyer's evidence files.

    Raises InvalidAttachment before anything is written, and what
    dispute_open raises.
    """
    checked = attachments_check(files=files)
    with transaction.atomic():
        dispute = dispute_open(
            buyer=buyer,
            order_number=order_number,
            reason=reason,
            wanted_outcome=wanted_outcome,
            description=description,
            now=now,
            partial_amount=partial_amount,
        )
        evidence_store(files=checked, uploaded_by=buyer, now=now, dispute=dispute)
    return dispute


def warranty_claim_open_with_evidence(
    *,
    buyer: User,
    item_id: int,
    defect: str,
    remedy: str,
    files: Sequence[File],
    now: datetime,
    time_zone: str = "",
) -> WarrantyClaim:
    """Open a warranty claim (see warranty_claim_open) with the buyer's evidence files.

    Raises InvalidAttachment before anything is written, and what
    warranty_claim_open raises.
    """
    checked = attachments_check(files=files)
    with transaction.atomic():
        claim = warranty_claim_open(
            buyer=buyer,
            item_id=item_id,
            defect=defect,
            remedy=remedy,
            now=now,
            time_zone=time_zone,
        )
        evidence_store(files=checked, uploaded_by=buyer, now=now, claim=claim)
    return claim


def evidence_add(
    *,
    person: User,
    files: Sequence[File],
    now: datetime,
    dispute_id: int | None = None,
    claim_id: int | None = None,
) -> list[Evidence]:
    """Add a party's files to their open dispute or claim; both parties are told.

    The buyer and the shop's seller may add evidence until the case is
    settled. Raises InvalidAttachment (a bad file: nothing is written),
    CaseNotFound (not their case), InvalidCase (settled, no file, too many).
    """
    checked = attachments_check(files=files)
    if not checked:
        raise InvalidCase(_("Attach at least one file."), details={"files": _("Required.")})
    with transaction.atomic():
        case: Dispute | WarrantyClaim
        if dispute_id is not None:
            case = _lock_dispute(dispute_id)
            seller_id = case.order.shop.seller_id
        else:
            case = _lock_claim(claim_id or 0)
            seller_id = case.item.order.shop.seller_id
        if person.pk not in (case.buyer_id, seller_id):
            security_log.log_not_yours(what="case")
            raise CaseNotFound(_("No such case."))
        if not case.is_open:
            raise InvalidCase(
                _("This case is settled: it takes no more evidence."),
                details={"files": _("The case is settled.")},
            )
        if person.pk == seller_id:
            seller_deadline_check(case, now=now)
        held = case.evidence.count()
        if held + len(checked) > MAX_EVIDENCE_PER_CASE:
            raise InvalidCase(
                _("A case keeps at most %(n)d files; %(held)d are there already.")
                % {"n": MAX_EVIDENCE_PER_CASE, "held": held},
                details={"files": _("Too many files.")},
            )
        link = {"dispute": case} if isinstance(case, Dispute) else {"claim": case}
        stored = evidence_store(files=checked, uploaded_by=person, now=now, **link)
        event_model: type[DisputeEvent] | type[ClaimEvent] = (
            DisputeEvent if isinstance(case, Dispute) else ClaimEvent
        )
        event = event_model.objects.create(
            **link,
            kind="evidence_added",
            actor=person,
            from_status=case.status,
            to_status=case.status,
            note=", ".join(evidence.name for evidence in stored)[:500],
            created_at=now,
        )
        case.updated_at = now
        case.save(update_fields=["updated_at"])
        case_announce(case, event, now=now)
    return stored
