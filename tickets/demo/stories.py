"""The demo tickets, oldest first: realistic marketplace problems in every status.

English tickets are ``buyer``'s, Russian ones ``buyer2``'s. Each story opens
one ticket and walks it through the services with times relative to ``now``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings

from tickets import services
from tickets.demo.base import Demo, open_moment, story
from tickets.models import Channel, Priority, Ticket
from tickets.services.rating import ticket_rate
from tickets.status import Status

# The stories, oldest first. English tickets are for ``buyer``, Russian ones for ``buyer2``.


@story("buyer", "Payment failed but the money was taken from my card")
def _closed_payment(demo: Demo, subject: str) -> None:
    """Closed: answered, confirmed by the buyer, solved, then closed by the SLA watch."""
    closed_at = demo.ago(days=2)
    solved_at = closed_at - timedelta(hours=settings.DESK_SOLVED_CLOSE_AFTER_HOURS, minutes=10)
    opened = solved_at - timedelta(days=2, minutes=45)
    ticket = demo.open(
        buyer="buyer",
        topic="payment",
        entry="payment-failed-money-taken",
        channel=Channel.EMAIL,
        subject=subject,
        description=(
            "I tried to pay for order MP-104233 (a pair of running shoes, €59.90). The page "
            "said the payment failed, but my bank app shows €59.90 taken. The order is still "
            "unpaid. Please either confirm the order or give the money back."
        ),
        order_number="MP-104233",
        transaction_id="TX-8812-4471",
        amount=Decimal("59.90"),
        at=opened,
    )
    demo.route_and_assign(ticket, at=opened, agent="agent", after=12)
    demo.reply(
        ticket,
        agent="agent",
        at=opened + timedelta(minutes=40),
        then=Status.PENDING,
        body=(
            "Hello Anna, I checked transaction TX-8812-4471: the bank put a hold on €59.90 "
            "but declined the final charge, so no money reached us. The hold drops off by "
            "itself within 3–5 working days. Could you tell me once it is back?"
        ),
    )
    demo.buyer_reply(
        ticket,
        at=solved_at - timedelta(minutes=30),
        body="The money is back on my card today. Thank you!",
    )
    demo.reply(
        ticket,
        agent="agent",
        at=solved_at,
        then=Status.SOLVED,
        body="Glad it's sorted. You can place the order again whenever you like.",
    )
    ticket_rate(
        ticket_id=ticket.pk,
        buyer=ticket.buyer,
        score=5,
        comment="Clear explanation of the bank hold, thank you.",
        now=solved_at + timedelta(hours=1),
    )
    services.sla_sweep(now=closed_at)


@story("buyer", "Refund not arrived after 10 days")
def _solved_refund(demo: Demo, subject: str) -> None:
    """Solved: an internal note, a reply with the bank reference, the buyer confirms."""
    opened = demo.ago(hours=30)
    ticket = demo.open(
        buyer="buyer",
        topic="refund",
        entry="refund-not-received-after-cancellation",
        subject=subject,
        description=(
            "The seller cancelled order MP-103877 (a phone case, €12.40) ten days ago and "
            "the order page says 'refunded', but nothing has come back to my card."
        ),
        order_number="MP-103877",
        at=opened,
    )
    demo.route_and_assign(ticket, at=opened, agent="agent", after=15)
    demo.reply(
        ticket,
        agent="agent",
        internal=True,
        at=opened + timedelta(minutes=20),
        body=(
            "Payments team confirms the refund left us 9 days ago, ARN 74837265123001. "
            "Nothing to chase on our side; the bank shows refunds under the shop's name."
        ),
    )
    demo.reply(
        ticket,
        agent="agent",
        at=opened + timedelta(minutes=25),
        then=Status.PENDING,
        body=(
            "Hello Anna, the €12.40 refund was sent 9 days ago with bank reference "
            "ARN 74837265123001. Banks often list refunds under the seller's shop name "
            "(here 'CASEWORLD LTD'). Could you check your statement for that name?"
        ),
    )
    demo.buyer_reply(
        ticket,
        at=demo.ago(hours=22),
        body="Found it on my statement under CASEWORLD LTD. Thanks for the reference!",
    )
    services.ticket_solve_by_buyer(
        ticket_id=ticket.pk, buyer=ticket.buyer, now=demo.ago(hours=21, minutes=50)
    )
    ticket_rate(
        ticket_id=ticket.pk,
        buyer=ticket.buyer,
        score=4,
        comment="",
        now=demo.ago(hours=21, minutes=45),
    )


@story("buyer2", "Возврат не пришёл через 10 дней после отмены заказа")
def _pending_russian_refund(demo: Demo, subject: str) -> None:
    """Pending, in the Russian queue: agent_ru asked the buyer for a statement."""
    opened = open_moment(demo.moscow, latest=demo.ago(hours=22), span=timedelta(minutes=5))
    ticket = demo.open(
        buyer="buyer2",
        topic="refund",
        language="ru",
        entry="refund-timing-by-payment-method",
        subject=subject,
        description=(
            "Продавец отменил заказ MP-203415 (наушники, 4 990 ₽) десять дней назад, "
            "в заказе написано «возврат оформлен», но деньги на карту так и не пришли."
        ),
        order_number="MP-203415",
        at=opened,
    )
    demo.route_and_assign(ticket, at=opened, agent="agent_ru", after=15)
    demo.reply(
        ticket,
        agent="agent_ru",
        at=opened + timedelta(minutes=40),
        then=Status.PENDING,
        body=(
            "Здравствуйте, Дмитрий! Возврат 4 990 ₽ отправлен в ваш банк 9 дней назад, "
            "номер операции ARN 74837265009912. Пришлите, пожалуйста, выписку по карте "
            "за последние две недели — мы передадим её в банк-эквайер."
        ),
    )


@story("buyer", "Jacket not as described: wrong colour and size")
def _pending_dispute(demo: Demo, subject: str) -> None:
    """Pending: the agent asked for photos of the item."""
    opened = demo.ago(hours=20)
    ticket = demo.open(
        buyer="buyer",
        topic="dispute",
        entry="dispute-item-not-as-described",
        subject=subject,
        description=(
            "I ordered a navy rain jacket in size M (order MP-104912). What arrived is "
            "black, size S, and the fabric is not waterproof as the listing promised. "
            "The seller says it's 'the same model'."
        ),
        order_number="MP-104912",
        at=opened,
    )
    demo.route_and_assign(ticket, at=opened, agent="agent", after=20)
    demo.reply(
        ticket,
        agent="agent",
        at=opened + timedelta(minutes=50),
        then=Status.PENDING,
        body=(
            "Hello Anna, sorry about that. Please send two photos: the jacket with its "
            "size label, and the jacket next to the listing page on your screen. With "
            "those I can ask the seller for a return and a full refund."
        ),
    )


@story("buyer", "The seller has not answered my dispute for a week")
def _escalated_dispute(demo: Demo, subject: str) -> None:
    """Queued after an SLA breach: escalated to the escalation queue, a supervisor's note."""
    opened = demo.ago(hours=9)
    ticket = demo.open(
        buyer="buyer",
        topic="dispute",
        entry="dispute-deadline-missed",
        subject=subject,
        description=(
            "I opened a dispute on order MP-104650 (a tablet that never arrived, €189.00) "
            "a week ago. The seller has not answered at all. What happens now?"
        ),
        order_number="MP-104650",
        at=opened,
    )
    services.ticket_route(ticket_id=ticket.pk, now=opened + timedelta(minutes=1))
    due = Ticket.objects.get(pk=ticket.pk).first_response_due_at or opened
    services.ticket_escalate(ticket_id=ticket.pk, now=due + timedelta(minutes=5))
    demo.reply(
        ticket,
        agent="supervisor",
        internal=True,
        at=demo.ago(hours=2),
        body=(
            "The seller missed the dispute deadline. Check the tracking, then refund "
            "the full €189.00 if it never left the warehouse."
        ),
    )


@story("buyer", "Kettle stopped heating after 3 months, seller refuses repair")
def _assigned_warranty(demo: Demo, subject: str) -> None:
    """Assigned: an internal note, a reply, and the buyer's answer waiting for the agent."""
    opened = demo.ago(hours=3)
    ticket = demo.open(
        buyer="buyer",
        topic="warranty",
        entry="warranty-seller-refuses-repair",
        subject=subject,
        description=(
            "My electric kettle (KT-200) stopped heating after three months. The listing "
            "says 12 months warranty, but the seller says it's my fault and refuses "
            "to repair or replace it."
        ),
        product="Electric kettle KT-200",
        purchase_date=(demo.now - timedelta(days=95)).date(),
        at=opened,
    )
    demo.route_and_assign(ticket, at=opened, agent="agent", after=10)
    demo.reply(
        ticket,
        agent="agent",
        internal=True,
        at=opened + timedelta(minutes=30),
        body=(
            "Listing archive confirms a 12-month seller warranty. If the seller still "
            "refuses after our message, open a warranty claim on their behalf."
        ),
    )
    demo.reply(
        ticket,
        agent="agent",
        at=opened + timedelta(minutes=45),
        body=(
            "Hello Anna, the listing did promise 12 months of warranty, so the seller "
            "must repair or replace the kettle. I've written to them. Could you send me "
            "the serial number from the bottom of the kettle?"
        ),
    )
    demo.buyer_reply(
        ticket,
        at=demo.ago(minutes=50),
        body="The serial number is KT200-55821. The seller still says it's my fault.",
    )


@story("buyer", "Payment declined but my bank shows a pending charge")
def _assigned_payment(demo: Demo, subject: str) -> None:
    """Assigned a few minutes ago, not answered yet: close to its first-response target."""
    opened = demo.ago(minutes=40)
    ticket = demo.open(
        buyer="buyer",
        topic="payment",
        entry="payment-declined-by-bank",
        subject=subject,
        description=(
            "Checkout for order MP-105020 said 'payment declined', yet my bank shows a "
            "pending charge of €24.99. Will I be charged twice if I try again?"
        ),
        order_number="MP-105020",
        transaction_id="TX-9920-1035",
        amount=Decimal("24.99"),
        at=opened,
    )
    demo.route_and_assign(ticket, at=opened, agent="agent", after=2)


@story("buyer2", "Оплата не прошла, но деньги списаны с карты")
def _queued_russian_payment(demo: Demo, subject: str) -> None:
    """Queued in the Russian queue, opened while it was open; agent_ru is away."""
    opened = _russian_recent(demo) - timedelta(minutes=25)
    ticket = demo.open(
        buyer="buyer2",
        topic="payment",
        language="ru",
        entry="payment-failed-money-taken",
        subject=subject,
        description=(
            "Оплачивал заказ MP-203590 (чайник, 3 250 ₽). Сайт написал «платёж не прошёл», "
            "а банк списал 3 250 ₽. Заказ по-прежнему не оплачен."
        ),
        order_number="MP-203590",
        transaction_id="TX-7731-0042",
        amount=Decimal("3250.00"),
        at=opened,
    )
    services.ticket_route(ticket_id=ticket.pk, now=opened + timedelta(minutes=1))


@story("buyer2", "Списали деньги дважды за один заказ")
def _queued_russian_double_charge(demo: Demo, subject: str) -> None:
    """Queued in the Russian queue with high priority: first in line.

    Opened at the last moment the queue was open, at least 12 minutes ago,
    so its 30 minutes of open time to a first response have not all passed
    when the desk starts. Opened half an hour into the queue's last open
    stretch instead, it was overdue in the queue's first half hour of a
    morning (the SLA watch would escalate it at once).
    """
    opened = open_moment(demo.moscow, latest=demo.ago(minutes=12), span=timedelta(minutes=6))
    ticket = demo.open(
        buyer="buyer2",
        topic="payment",
        language="ru",
        entry="payment-charged-twice",
        subject=subject,
        description=(
            "За заказ MP-203602 (кроссовки, 6 400 ₽) с карты списали деньги два раза. "
            "Прикладываю номер транзакции из банковского приложения."
        ),
        order_number="MP-203602",
        transaction_id="TX-7731-0977",
        amount=Decimal("6400.00"),
        at=opened,
    )
    services.ticket_route(ticket_id=ticket.pk, now=opened + timedelta(minutes=1))
    services.ticket_set_priority(
        ticket_id=ticket.pk,
        priority=Priority.HIGH,
        actor=demo.people["supervisor"],
        now=opened + timedelta(minutes=5),
        reason="Charged twice: the buyer is out of pocket.",
    )


@story("buyer", "Charged twice for one order")
def _new_payment(demo: Demo, subject: str) -> None:
    """New: saved a moment ago and not routed yet; the routing sweeper picks it up."""
    demo.open(
        buyer="buyer",
        topic="payment",
        entry="payment-charged-twice",
        channel=Channel.CHAT,
        subject=subject,
        description=(
            "My card was charged €42.00 twice for order MP-105101. I only placed it once."
        ),
        order_number="MP-105101",
        transaction_id="TX-9921-5120",
        amount=Decimal("42.00"),
        at=demo.ago(minutes=2),
    )


def _russian_recent(demo: Demo) -> datetime:
    """Return a recent moment at which the Russian queue had been open half an hour."""
    return open_moment(
        demo.moscow, latest=demo.ago(minutes=5) - timedelta(minutes=30), span=timedelta(minutes=30)
    ) + timedelta(minutes=30)
