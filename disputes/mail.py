"""Mail to the buyer and the seller about their dispute or warranty claim.

Rows of the ticket notification outbox (``tickets.models.Notification``)
linked to a ``DisputeEvent`` or ``ClaimEvent`` are rendered here: what
happened, where the case stands, what the reader is to do next and by when,
in the reader's language. Every mail about one case has the same subject and
refers to one thread id, so mail clients keep them together.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from disputes.models import ClaimEvent, CostBearer, Dispute, DisputeEvent, Remedy, WarrantyClaim
from disputes.services._common import SNAPSHOT_FIELDS
from disputes.status import ClaimStatus, DisputeStatus
from disputes.views._cases import EVENT_LABELS, money
from tickets.models import Notification, NotificationKind

# Steps whose words are the seller's statement (the event keeps only a summary).
SELLER_STEPS = ("seller_accepted", "seller_rejected", "seller_counter_offered", "seller_refused")


def _when(at: datetime | None) -> str:
    if at is None:
        return ""
    local = timezone.localtime(at)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({local.tzname()})"


def _silence(case: Dispute | WarrantyClaim) -> str:
    if isinstance(case, Dispute) and settings.DESK_DISPUTE_SELLER_SILENCE == "buyer":
        return _("the dispute is resolved for the buyer with the refund they asked for")
    return _("the support team decides it")


def _next_step(case: Dispute | WarrantyClaim, *, seller: bool) -> str:
    """Say what the reader does next, or waits for, at the case's status."""
    status = case.status
    deadline = _when(case.seller_deadline_at)
    if status == DisputeStatus.AWAITING_SELLER:
        if seller:
            return _("Please answer by %(deadline)s. Without an answer, %(then)s.") % {
                "deadline": deadline,
                "then": _silence(case),
            }
        return _("The seller has until %(deadline)s to answer.") % {"deadline": deadline}
    if status == DisputeStatus.SELLER_REJECTED:
        if seller:
            return _("The buyer may now ask the support team to decide.")
        return _("If you disagree, ask the support team to decide, on the dispute's page.")
    if status == DisputeStatus.COUNTER_OFFERED:
        if seller:
            return _("The buyer may accept your offer or ask the support team to decide.")
        return _("Accept the offer or ask the support team to decide, on the dispute's page.")
    if status == DisputeStatus.ESCALATED:
        return _(
            "The support team looks at both sides and decides. We write to you when they have."
        )
    if status == ClaimStatus.ACCEPTED:
        if seller:
            return _("Please arrange the remedy with the buyer.")
        return _("The seller will arrange the remedy with you.")
    return ""


def _dispute_facts(dispute: Dispute) -> list[tuple[str, str]]:
    order = dispute.order
    facts = [
        (_("Order"), f"{order.number} · {money(order.total, order.currency)}"),
        (_("Reason"), str(dispute.get_reason_display())),
        (
            _("Asked for"),
            f"{dispute.get_wanted_outcome_display()} · "
            f"{money(dispute.wanted_amount, order.currency)}",
        ),
    ]
    if dispute.status == DisputeStatus.COUNTER_OFFERED:
        facts.append((_("Refund offered"), money(dispute.counter_amount, order.currency)))
    if dispute.resolved_at is not None and dispute.refund_amount is not None:
        facts.append((_("Refund"), money(dispute.refund_amount, order.currency)))
        if dispute.return_required:
            bearer = dispute.return_cost_bearer
            paid_by = str(CostBearer(bearer).label) if bearer in CostBearer.values else ""
            facts.append((_("Return"), _("required, paid by: %(who)s") % {"who": paid_by}))
        else:
            facts.append((_("Return"), _("not required")))
    return facts


def _claim_facts(claim: WarrantyClaim) -> list[tuple[str, str]]:
    order = claim.item.order
    facts = [
        (_("Order"), order.number),
        (_("Item"), claim.item.title),
        (_("Remedy asked"), str(claim.get_remedy_display())),
    ]
    if claim.status in (ClaimStatus.ACCEPTED, ClaimStatus.RESOLVED, ClaimStatus.CLOSED):
        decided = claim.decided_remedy
        facts.append(
            (
                _("Remedy decided"),
                str(Remedy(decided).label) if decided in Remedy.values else _("none"),
            )
        )
    return facts


def _headline(event: DisputeEvent | ClaimEvent, *, is_dispute: bool) -> str:
    if event.kind == "opened":
        if is_dispute:
            return _("The buyer opened a dispute")
        return _("The buyer opened a warranty claim")
    return str(EVENT_LABELS.get(event.kind, event.kind))


def _said(event: DisputeEvent | ClaimEvent, case: Dispute | WarrantyClaim) -> str:
    """Return what the person who took the step said with it (the seller's full statement)."""
    if event.actor_id is None:
        return ""
    if event.kind in SELLER_STEPS:
        return case.seller_statement
    return event.note


def _case_of(notification: Notification) -> tuple[DisputeEvent | ClaimEvent, Any]:
    """Return the step and its case as it stood right after the step (kept with the mail)."""
    if notification.dispute_event_id is not None:
        event: DisputeEvent | ClaimEvent = notification.dispute_event  # type: ignore[assignment]
        case = event.dispute  # type: ignore[union-attr]
    else:
        event = notification.claim_event  # type: ignore[assignment]
        case = event.claim  # type: ignore[union-attr]
    for name, text in (notification.data or {}).items():
        if name in SNAPSHOT_FIELDS:
            field = case._meta.get_field(name)
            assert isinstance(field, models.Field)
            setattr(case, name, None if text is None else field.to_python(text))
    return event, case


def case_mail(notification: Notification, *, mail_domain: str) -> EmailMultiAlternatives:
    """Build the mail for an outbox row about a dispute or warranty claim."""
    from tickets.notifications import mail_render, site_url

    event, case = _case_of(notification)
    recipient = notification.recipient
    is_dispute = isinstance(case, Dispute)
    seller = recipient.pk != case.buyer_id
    language = recipient.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        if is_dispute:
            title = _("Dispute on order %(order)s") % {"order": case.order.number}
            facts = _dispute_facts(case)
            page = (
                reverse("seller:dispute", args=[case.pk])
                if seller
                else reverse("disputes:dispute", args=[case.pk])
            )
        else:
            title = _("Warranty claim: %(item)s") % {"item": case.item.title}
            facts = _claim_facts(case)
            page = (
                reverse("seller:claim", args=[case.pk])
                if seller
                else reverse("disputes:claim", args=[case.pk])
            )
        context = {
            "name": recipient.display_name,
            "reference": case.reference,
            "title": title,
            "subject": title,
            "headline": _headline(event, is_dispute=is_dispute),
            "status": case.get_status_display(),
            "note": _said(event, case),
            "facts": facts,
            "next_step": _next_step(case, seller=seller),
            "deadline": _when(case.seller_deadline_at),
            "silence": _silence(case),
            "case_url": site_url(page),
            "is_dispute": is_dispute,
        }
        subject = " ".join(f"[{case.reference}] {title}".split())[:200]
    template = (
        "case_reminder" if notification.kind == NotificationKind.CASE_REMINDER else "case_update"
    )
    text, markup = mail_render(template=template, context=context, language=language)
    prefix = "dispute" if is_dispute else "claim"
    root = f"<{prefix}-{case.pk}@{mail_domain}>"
    headers = {
        "Message-ID": root
        if event.kind == "opened"
        else f"<{prefix}-{case.pk}.mail-{notification.pk}@{mail_domain}>",
        "Auto-Submitted": "auto-generated",
        "Content-Language": language,
    }
    if event.kind != "opened":
        headers |= {"In-Reply-To": root, "References": root}
    mail = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers=headers,
    )
    mail.attach_alternative(markup, "text/html")
    return mail
