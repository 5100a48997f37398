"""Evidence files: checked like ticket attachments, stored with the case that needs them.

The ``*_with_evidence`` services check every file first (one bad file
refuses the whole request and nothing is written), then open the case and
store its files in one transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import User
from disputes.models import Dispute, Evidence, WarrantyClaim
from disputes.services.claims import warranty_claim_open
from disputes.services.disputes import dispute_open
from tickets.attachments import CheckedFile, attachments_check


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
    for checked in files:
        evidence = Evidence(
            dispute=dispute,
            claim=claim,
            name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=uploaded_by,
            created_at=now,
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
