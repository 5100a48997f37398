"""Demo macros: canned replies agents use every day, in English and Russian."""

from __future__ import annotations

from faq.models import Topic
from tickets.models import Macro
from tickets.services.macros import macro_upsert

# name, language, topic slug (None: every topic), then-status, text
MACROS: tuple[tuple[str, str, str | None, str, str], ...] = (
    (
        "Ask for the bank statement",
        "en",
        "payment",
        "pending",
        "Hello {buyer_name},\n\nto trace the payment for order {order_number}, could you send "
        "a screenshot of your bank statement showing the charge? You may hide everything "
        "except the date, the amount and the shop name.\n\nBest regards,\n{agent_name}",
    ),
    (
        "Refund timing",
        "en",
        "refund",
        "",
        "Hello {buyer_name},\n\nthe refund for order {order_number} has been sent. Card "
        "refunds take 5–10 business days to appear, and banks often list them under the "
        "seller's shop name. If it has not arrived by then, reply here and we will chase it."
        "\n\nBest regards,\n{agent_name}",
    ),
    (
        "Ask for photos of the item",
        "en",
        "dispute",
        "pending",
        "Hello {buyer_name},\n\nsorry about that. Please send two photos: the item with its "
        "label, and the item next to the listing page on your screen. With those I can ask "
        "the seller for a return and a full refund.\n\nBest regards,\n{agent_name}",
    ),
    (
        "Solved, closing",
        "en",
        None,
        "solved",
        "Hello {buyer_name},\n\nglad we could sort this out. I am marking {reference} as "
        "solved; if anything comes up, just reply here and the request opens again."
        "\n\nKind regards,\n{agent_name}",
    ),
    (
        "Запросить выписку",
        "ru",
        "payment",
        "pending",
        "Здравствуйте, {buyer_name}!\n\nЧтобы найти платёж по заказу {order_number}, "
        "пришлите, пожалуйста, выписку по карте с этим списанием. Остальные операции можно "
        "скрыть.\n\nС уважением,\n{agent_name}",
    ),
    (
        "Сроки возврата",
        "ru",
        "refund",
        "",
        "Здравствуйте, {buyer_name}!\n\nВозврат по заказу {order_number} отправлен. На карту "
        "он приходит за 5–10 рабочих дней, в выписке его часто видно под названием магазина "
        "продавца. Если деньги не придут в этот срок, ответьте здесь — мы разберёмся."
        "\n\nС уважением,\n{agent_name}",
    ),
    (
        "Вопрос решён",
        "ru",
        None,
        "solved",
        "Здравствуйте, {buyer_name}!\n\nРады, что всё получилось. Отмечаю обращение "
        "{reference} как решённое; если что-то ещё понадобится, просто ответьте здесь."
        "\n\nС уважением,\n{agent_name}",
    ),
)


def load_macros(*, topics: dict[str, Topic]) -> None:
    """Create the demo macros that do not exist yet; edited ones are left alone."""
    for order, (name, language, topic_slug, set_status, body) in enumerate(MACROS, start=1):
        if Macro.objects.filter(name=name, language=language).exists():
            continue
        if topic_slug is not None and topic_slug not in topics:
            continue
        macro_upsert(
            name=name,
            language=language,
            body=body,
            topic=topics[topic_slug] if topic_slug else None,
            set_status=set_status,
            sort_order=order * 10,
        )
