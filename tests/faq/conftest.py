"""Help-centre content built through the services, as supervisors and the demo make it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from faq import services
from faq.models import FaqEntry, Topic
from faq.search import faq_search_refresh


@dataclass
class HelpCentre:
    payment: Topic
    refund: Topic
    payment_failed: FaqEntry
    refund_missing: FaqEntry
    refund_timing: FaqEntry
    english_only: FaqEntry
    hidden: FaqEntry


def build_help_centre() -> HelpCentre:
    """Create two topics and five entries (one English-only, one unpublished) through the services."""
    payment = services.topic_upsert(
        slug="payment",
        name={"en": "Payment", "ru": "Оплата", "el": "Πληρωμή"},
        description={"en": "Paying for orders", "ru": "Оплата заказов"},
        icon="💳",
        sort_order=1,
        email_contact=True,
    )
    refund = services.topic_upsert(
        slug="refund",
        name={"en": "Refund", "ru": "Возврат средств"},
        description={"en": "Getting money back", "ru": "Как вернуть деньги"},
        icon="💸",
        sort_order=2,
        email_contact=True,
    )
    payment_failed = services.faq_entry_upsert(
        topic=payment,
        slug="payment-failed-money-taken",
        sort_weight=100,
        operator_resolvable=True,
        texts={
            "en": (
                "My payment failed but the money was taken from my card",
                "When a payment fails, your bank may **hold** the amount. The hold is released "
                "within 7 days. If the money is still missing, contact us with the transaction id.",
            ),
            "ru": (
                "Оплата не прошла, но деньги списаны с карты",
                "Если при оплате произошёл сбой, банк может **заблокировать** сумму. Блокировка "
                "снимается в течение 7 дней. Проверьте статус оплаты в разделе заказов.",
            ),
            "el": (
                "Η πληρωμή απέτυχε αλλά τα χρήματα χρεώθηκαν;",
                "Όταν μια πληρωμή αποτυγχάνει, η τράπεζα μπορεί να **δεσμεύσει** το ποσό για έως 7 ημέρες.",
            ),
        },
    )
    refund_missing = services.faq_entry_upsert(
        topic=refund,
        slug="refund-not-received-after-cancellation",
        sort_weight=90,
        operator_resolvable=True,
        texts={
            "en": (
                "I have not received my refund after the seller cancelled my order",
                "When a seller cancels an order, the refund starts automatically. Refunds to a "
                "card take 3–10 business days; to the marketplace balance they are instant.",
            ),
            "ru": (
                "Я не получил возврат средств после отмены заказа продавцом",
                "Если продавец отменил заказ, возврат средств начинается автоматически. На карту "
                "деньги приходят за 3–10 рабочих дней.",
            ),
        },
    )
    refund_timing = services.faq_entry_upsert(
        topic=refund,
        slug="refund-timing-by-payment-method",
        sort_weight=50,
        texts={
            "en": (
                "How long does a refund take for each payment method?",
                "Cards: 3–10 business days. E-wallets: 1–3 days. Marketplace balance: instantly.",
            ),
            "ru": (
                "Сколько идёт возврат для каждого способа оплаты?",
                "Карты: 3–10 рабочих дней. Электронные кошельки: 1–3 дня. Баланс: сразу.",
            ),
        },
    )
    english_only = services.faq_entry_upsert(
        topic=refund,
        slug="refund-to-expired-card",
        sort_weight=10,
        email_contact=False,
        texts={
            "en": (
                "My card expired: where does my refund go?",
                "Your bank forwards the refund to your new card, or returns it to us; then it "
                "goes to your marketplace balance.",
            )
        },
    )
    hidden = services.faq_entry_upsert(
        topic=payment,
        slug="draft-answer",
        sort_weight=1,
        published=False,
        texts={"en": ("A draft about payment refunds", "Not ready yet.")},
    )
    faq_search_refresh()
    return HelpCentre(
        payment, refund, payment_failed, refund_missing, refund_timing, english_only, hidden
    )


@pytest.fixture
def help_centre(db: None) -> HelpCentre:
    return build_help_centre()
