"""Mail to both parties of a dispute or warranty claim, through the ticket outbox.

Every step mails the buyer and the seller once; the seller is reminded once
before their deadline; settled cases close. Mails say what happened, where
the case stands and what comes next, with a link to the reader's own page.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core import mail
from django.core.mail import EmailMultiAlternatives

from disputes import services
from disputes.models import DisputeReason, Remedy, WantedOutcome
from disputes.status import ClaimStatus, DisputeStatus
from tests.disputes.conftest import NOW, Market
from tickets.models import Notification, NotificationKind, NotificationState
from tickets.notifications import notification_send


def _open(market: Market):
    return services.dispute_open(
        buyer=market.buyer,
        order_number=market.order.number,
        reason=DisputeReason.NOT_AS_DESCRIBED,
        wanted_outcome=WantedOutcome.FULL_REFUND,
        description="The kettle is 1 litre, not 1.7.",
        now=NOW,
    )


def _send_owed() -> list[EmailMultiAlternatives]:
    """Send every owed mail as the worker would; return the mails that went out."""
    mail.outbox.clear()
    owed = Notification.objects.filter(state=NotificationState.PENDING).order_by("id")
    for notification_id in owed.values_list("id", flat=True):
        assert notification_send(notification_id=notification_id, now=NOW) == "sent"
    return list(mail.outbox)  # type: ignore[arg-type]


def _to(mails: list[EmailMultiAlternatives], email: str) -> list[EmailMultiAlternatives]:
    return [sent for sent in mails if sent.to == [email]]


def _html(sent: EmailMultiAlternatives) -> str:
    [(markup, mimetype)] = sent.alternatives
    assert mimetype == "text/html"
    return str(markup)


def test_opening_mails_the_seller_the_deadline_and_the_buyer_a_receipt(market: Market) -> None:
    dispute = _open(market)
    mails = _send_owed()

    assert sorted(sent.to[0] for sent in mails) == sorted([market.buyer.email, market.seller.email])
    [to_seller] = _to(mails, market.seller.email)
    [to_buyer] = _to(mails, market.buyer.email)
    subject = f"[{dispute.reference}] Dispute on order MP-5001"
    assert to_seller.subject == to_buyer.subject == subject
    assert "Please answer by" in to_seller.body
    assert "the support team decides it" in to_seller.body
    assert f"http://127.0.0.1:8000/seller/disputes/{dispute.pk}/" in to_seller.body
    assert f"http://127.0.0.1:8000/help/disputes/{dispute.pk}/" in to_buyer.body
    assert "/seller/" not in to_buyer.body
    assert "The seller has until" in to_buyer.body
    assert "Reason: Not as described" in to_buyer.body
    assert "Asked for: Full refund · 50.00 EUR" in to_buyer.body
    # No reply address: a case is answered on its page, not by mail.
    assert to_buyer.reply_to == []
    assert to_buyer.extra_headers["Message-ID"] == f"<dispute-{dispute.pk}@support-desk.test>"
    assert f'href="http://127.0.0.1:8000/help/disputes/{dispute.pk}/"' in _html(to_buyer)


def test_every_step_mails_both_parties_once_and_the_outcome_names_the_refund(
    market: Market,
) -> None:
    dispute = _open(market)
    _send_owed()
    services.dispute_seller_counter(
        dispute_id=dispute.pk,
        seller=market.seller,
        amount=Decimal("20"),
        statement="It works; 20 back for the trouble.",
        now=NOW,
    )
    offer = _send_owed()
    [offer_to_buyer] = _to(offer, market.buyer.email)
    assert "The seller offered a partial refund." in offer_to_buyer.body
    assert "It works; 20 back for the trouble." in offer_to_buyer.body
    assert "Refund offered: 20.00 EUR" in offer_to_buyer.body
    assert "Accept the offer or ask the support team to decide" in offer_to_buyer.body
    root = f"<dispute-{dispute.pk}@support-desk.test>"
    assert offer_to_buyer.extra_headers["References"] == root
    assert len(_to(offer, market.seller.email)) == 1

    services.dispute_buyer_escalate(dispute_id=dispute.pk, buyer=market.buyer, now=NOW)
    escalated = _send_owed()
    # Both parties hear of it; the buyer also gets the escalation ticket's receipt,
    # whose reply address reaches the agent.
    about_case = [sent for sent in escalated if sent.subject.startswith(f"[{dispute.reference}]")]
    assert sorted(sent.to[0] for sent in about_case) == sorted(
        [market.buyer.email, market.seller.email]
    )
    assert all("The support team looks at both sides" in sent.body for sent in about_case)
    [receipt] = [sent for sent in escalated if sent not in about_case]
    assert receipt.to == [market.buyer.email] and receipt.subject.startswith("[SD-")

    services.dispute_decide(
        dispute_id=dispute.pk,
        agent=market.desk.agent,
        refund_amount=Decimal("45"),
        return_required=False,
        return_cost_bearer="",
        note="The listing said 1.7 litres.",
        now=NOW,
    )
    outcome = _send_owed()
    assert sorted(sent.to[0] for sent in outcome) == sorted(
        [market.buyer.email, market.seller.email]
    )
    for sent in outcome:
        assert "The support team decided." in sent.body
        assert "Refund: 45.00 EUR" in sent.body
        assert "Return: not required" in sent.body
        assert "The listing said 1.7 litres." in sent.body
    # Sending again sends nothing: each row goes once.
    for notification in Notification.objects.all():
        assert notification_send(notification_id=notification.pk, now=NOW) == "not-owed"
    kinds = Notification.objects.filter(dispute_event__dispute=dispute).values_list(
        "dispute_event__kind", "recipient__username"
    )
    assert sorted(kinds) == sorted(
        (kind, person)
        for kind in ("opened", "seller_counter_offered", "escalated", "decided")
        for person in (market.buyer.username, market.seller.username)
    )


def test_the_seller_is_reminded_once_before_the_deadline_and_not_after_it(
    market: Market, settings
) -> None:
    settings.DESK_DISPUTE_SELLER_DAYS = 5
    settings.DESK_CASE_REMIND_HOURS = 24
    dispute = _open(market)
    late = _open_claim(market)
    _send_owed()

    assert services.case_reminders_run(now=NOW + timedelta(days=3)) == 0
    day_before = NOW + timedelta(days=4, hours=1)
    assert services.case_reminders_run(now=day_before) == 2
    assert services.case_reminders_run(now=day_before) == 0
    assert services.case_reminders_run(now=day_before + timedelta(hours=12)) == 0
    reminders = _send_owed()
    assert [sent.to for sent in reminders] == [[market.seller.email]] * 2
    dispute_mail = next(sent for sent in reminders if dispute.reference in sent.subject)
    assert "The buyer is waiting for your answer. Please answer by" in dispute_mail.body
    assert f"/seller/disputes/{dispute.pk}/" in dispute_mail.body
    assert any(f"/seller/claims/{late.pk}/" in sent.body for sent in reminders)
    dispute.refresh_from_db()
    assert dispute.seller_reminded_at == day_before
    assert list(dispute.events.values_list("kind", flat=True)) == ["opened", "seller_reminded"]


def test_a_deadline_missed_during_an_outage_escalates_without_a_late_reminder(
    market: Market, settings
) -> None:
    settings.DESK_DISPUTE_SELLER_SILENCE = "escalate"
    dispute = _open(market)
    _send_owed()
    back = NOW + timedelta(days=12)

    assert services.case_reminders_run(now=back) == 0
    assert services.dispute_deadlines_run(now=back) == 1
    mails = [sent for sent in _send_owed() if sent.subject.startswith(f"[{dispute.reference}]")]
    assert len(mails) == 2
    assert all(
        "Passed to the support team: no answer from the seller in time." in sent.body
        for sent in mails
    )
    assert not Notification.objects.filter(kind=NotificationKind.CASE_REMINDER).exists()
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.ESCALATED


def _open_claim(market: Market):
    kettle = market.order.items.get(title="Electric kettle")
    return services.warranty_claim_open(
        buyer=market.buyer,
        item_id=kettle.pk,
        defect="It stopped heating.",
        remedy=Remedy.REPAIR,
        now=NOW,
    )


def test_a_refused_warranty_claim_mails_both_and_names_the_item(market: Market) -> None:
    claim = _open_claim(market)
    _send_owed()
    services.warranty_claim_seller_refuse(
        claim_id=claim.pk, seller=market.seller, statement="Limescale, not a defect.", now=NOW
    )
    # The buyer also gets the escalation ticket's receipt ("[SD-…] Warranty claim WC-…").
    mails = [sent for sent in _send_owed() if sent.subject.startswith(f"[{claim}]")]

    assert sorted(sent.to[0] for sent in mails) == sorted([market.buyer.email, market.seller.email])
    [to_buyer] = _to(mails, market.buyer.email)
    assert to_buyer.subject == f"[{claim}] Warranty claim: Electric kettle"
    assert "The seller refused the claim." in to_buyer.body
    assert "Limescale, not a defect." in to_buyer.body
    assert "Remedy asked: Repair" in to_buyer.body
    assert f"http://127.0.0.1:8000/help/disputes/claims/{claim.pk}/" in to_buyer.body


def test_settled_cases_close_once_after_the_quiet_period(market: Market, settings) -> None:
    settings.DESK_CASE_CLOSE_AFTER_DAYS = 14
    dispute = _open(market)
    services.dispute_seller_accept(dispute_id=dispute.pk, seller=market.seller, now=NOW)
    claim = _open_claim(market)
    services.warranty_claim_seller_accept(claim_id=claim.pk, seller=market.seller, now=NOW)
    _send_owed()

    assert services.cases_close_run(now=NOW + timedelta(days=13)) == 0
    later = NOW + timedelta(days=15)
    assert services.cases_close_run(now=later) == 2
    assert services.cases_close_run(now=later) == 0
    dispute.refresh_from_db()
    claim.refresh_from_db()
    assert (dispute.status, claim.status) == (DisputeStatus.CLOSED, ClaimStatus.CLOSED)
    assert len(_send_owed()) == 4


def test_a_seller_without_an_address_gets_no_mail_and_the_step_still_happens(
    market: Market,
) -> None:
    market.seller.email = ""
    market.seller.save(update_fields=["email"])
    dispute = _open(market)

    assert [sent.to for sent in _send_owed()] == [[market.buyer.email]]
    assert dispute.status == DisputeStatus.AWAITING_SELLER


def test_a_russian_seller_reads_the_mail_in_russian(market: Market) -> None:
    market.seller.preferred_language = "ru"
    market.seller.save(update_fields=["preferred_language"])
    dispute = _open(market)
    [to_seller] = _to(_send_owed(), market.seller.email)

    assert to_seller.subject == f"[{dispute.reference}] Спор по заказу MP-5001"
    assert to_seller.extra_headers["Content-Language"] == "ru"
    assert "Please answer" not in to_seller.body


def test_a_mail_sent_late_tells_the_case_as_it_stood_after_its_step(market: Market) -> None:
    # The mail server was down for the whole dispute: every mail goes out at the end.
    dispute = _open(market)
    services.dispute_seller_counter(
        dispute_id=dispute.pk,
        seller=market.seller,
        amount=Decimal("20"),
        statement="20 back for the trouble.",
        now=NOW,
    )
    services.dispute_buyer_escalate(dispute_id=dispute.pk, buyer=market.buyer, now=NOW)
    services.dispute_decide(
        dispute_id=dispute.pk,
        agent=market.desk.agent,
        refund_amount=Decimal("45"),
        return_required=False,
        return_cost_bearer="",
        note="The listing said 1.7 litres.",
        now=NOW,
    )
    to_buyer = [
        sent
        for sent in _to(_send_owed(), market.buyer.email)
        if sent.subject.startswith(f"[{dispute.reference}]")
    ]

    opened, offer, escalated, decided = to_buyer
    assert "Status: Waiting for the seller" in opened.body
    assert "The seller has until" in opened.body
    assert "Refund offered: 20.00 EUR" in offer.body
    assert "Accept the offer or ask the support team to decide" in offer.body
    for early in (opened, offer, escalated):
        assert "45.00" not in early.body
        assert "Status: Resolved" not in early.body
    assert "Refund: 45.00 EUR" in decided.body and "Status: Resolved" in decided.body
