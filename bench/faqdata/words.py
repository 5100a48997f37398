"""The help centre's words: vocabulary in English, Russian and Greek, topics and brands."""

from __future__ import annotations

import random

LANGUAGE_MIX = {"en": 7, "ru": 2, "el": 1}  # translations per 10

# --- Vocabulary -------------------------------------------------------------
# Lists of one language are parallel where an entry uses "the same" thing in
# several languages (products, actions); indexes wrap around shorter lists.
# fmt: off

EN = {
    "products": [
        "smartphone", "laptop", "headphones", "sneakers", "jacket", "sofa", "mattress",
        "blender", "drone", "smartwatch", "tablet", "camera", "stroller", "bicycle",
        "vacuum cleaner", "coffee machine", "television", "printer", "backpack", "suitcase",
        "dress", "boots", "perfume", "lamp", "desk chair", "gaming console", "router",
        "speaker", "microwave", "kettle", "e-reader", "scooter", "tent", "guitar",
        "watch strap", "phone case", "charger", "keyboard", "monitor", "air fryer",
    ],
    "actions": [
        "cancel the order", "track the parcel", "request a refund", "open a dispute",
        "change the delivery address", "return the item", "claim the warranty",
        "pay in instalments", "contact the seller", "split the payment",
        "reschedule the courier", "download the invoice", "apply a coupon",
        "exchange the size", "verify my account", "reset my password", "update my card",
        "report a counterfeit", "extend buyer protection", "close the dispute",
        "escalate the complaint", "add a gift card", "change the pickup point",
        "confirm the delivery", "leave a review", "unsubscribe from newsletters",
    ],
    "things": [
        "refund", "payment", "order", "parcel", "dispute", "warranty claim", "return label",
        "invoice", "chargeback", "voucher", "deposit", "shipment", "tracking number",
        "replacement", "compensation", "account", "review", "subscription", "gift card",
        "pickup code", "customs declaration", "instalment plan", "store credit",
    ],
    "states": [
        "pending", "declined", "delayed", "on hold", "cancelled", "rejected",
        "stuck in customs", "charged twice", "partially refunded", "frozen", "expired",
        "lost in transit", "marked as delivered", "under review", "suspended",
    ],
    "parties": [
        "seller", "courier", "bank", "carrier", "warehouse", "customs office",
        "payment provider", "manufacturer", "service centre", "pickup point",
    ],
    "events": [
        "does not answer", "ships the wrong size", "rejects the return",
        "misses the deadline", "closes the shop", "asks for extra fees",
        "sends a used item", "refuses the repair", "loses the parcel",
    ],
    "defects": [
        "damaged", "broken", "scratched", "without the charger", "in the wrong colour",
        "with a missing part", "already opened", "wet", "counterfeit", "used",
        "dead on arrival", "leaking", "cracked",
    ],
    "methods": [
        "PayPal", "bank transfer", "credit card", "Apple Pay", "Google Pay",
        "cash on delivery", "store credit", "Klarna", "SEPA debit", "debit card",
    ],
    "coverages": [
        "buyer protection", "extended warranty", "manufacturer warranty", "return policy",
        "shipping insurance", "money-back guarantee",
    ],
    "outcomes": [
        "refund the full price", "send a replacement", "hold the payment",
        "open a case for you", "cover the return shipping", "repair the item for free",
        "credit your wallet", "cancel the charge",
    ],
    "evidence": [
        "photos of the packaging", "tracking number", "receipt", "chat history",
        "serial number", "unboxing video", "bank statement", "delivery note",
    ],
}
EN_QUESTIONS = [
    "How do I {action} for my {product}?",
    "Why is my {thing} {state}?",
    "What happens to my {thing} if the {party} {event}?",
    "Can I {action} after the {thing} was {state}?",
    "My {brand} {product} arrived {defect}: what now?",
    "How long does it take to {action} with {method}?",
    "Is my {brand} {product} covered by the {coverage}?",
    "The {party} {event} about my {brand} {product}: can I {action}?",
    "Where do I find the {thing} for a {brand} {product}?",
    "Who pays when a {product} is {defect} and the {party} {event}?",
]
EN_SENTENCES = [
    "Open **Orders**, pick the {product} and choose *{action}*.",
    "If the {party} {event}, we {outcome} within {n} days.",
    "A {thing} paid with {method} usually arrives in {n} to {m} business days.",
    "Keep the {evidence} until the {thing} is closed.",
    "{brand} items sold by verified sellers are covered by the {coverage}.",
    "You can {action} only while the {thing} is {state}.",
    "When a {product} arrives {defect}, report it within {n} days of delivery.",
    "The {party} has {n} hours to answer before we step in.",
    "We may ask for the {evidence} and the {evidence2} of the {brand} {product}.",
    "Your {thing} stays {state} until the {party} confirms it.",
]
EN_STEPS = [
    "Sign in and open **Orders**.",
    "Select the {product} from {brand}.",
    "Choose *{action}* and follow the steps.",
    "Attach the {evidence}.",
    "Wait for the {party} to answer; we notify you by email.",
]

RU = {
    "products": [
        "смартфон", "ноутбук", "наушники", "кроссовки", "куртку", "диван", "матрас",
        "блендер", "дрон", "умные часы", "планшет", "фотоаппарат", "коляску", "велосипед",
        "пылесос", "кофемашину", "телевизор", "принтер", "рюкзак", "чемодан",
    ],
    "actions": [
        "отменить заказ", "отследить посылку", "получить возврат денег", "открыть спор",
        "изменить адрес доставки", "вернуть товар", "оформить гарантию",
        "оплатить в рассрочку", "связаться с продавцом", "разделить платёж",
        "перенести доставку", "скачать счёт", "применить купон", "обменять размер",
        "подтвердить аккаунт", "сбросить пароль", "обновить карту",
        "пожаловаться на подделку", "продлить защиту покупателя", "закрыть спор",
    ],
    "problems": [
        "посылка не пришла", "платёж отклонён", "возврат задерживается",
        "товар пришёл повреждённым", "продавец не отвечает", "деньги списали дважды",
        "курьер не приехал", "заказ застрял на таможне", "пришёл не тот размер",
        "гарантию отклонили", "карта заблокирована", "трек-номер не работает",
        "купон не применяется", "товар оказался подделкой", "спор закрыли без ответа",
    ],
    "evidence": [
        "фотографии упаковки", "чек", "трек-номер", "переписку с продавцом",
        "серийный номер", "видео распаковки", "банковскую выписку",
    ],
}
RU_QUESTIONS = [
    "Как {action}?",
    "Как {action} за {brand} {product}?",
    "Что делать, если {problem}?",
    "Можно ли {action}, если {problem}?",
    "Почему {problem} и как {action}?",
    "{brand}: {problem}, как {action}?",
]
RU_SENTENCES = [
    "Откройте раздел **Заказы**, выберите {product} и нажмите «{action}».",
    "Если {problem}, мы вернём деньги в течение {n} дней.",
    "Сохраните {evidence} до закрытия спора.",
    "Товары {brand} от проверенных продавцов защищены программой защиты покупателя.",
    "Возврат на карту обычно занимает от {n} до {m} рабочих дней.",
    "Продавец должен ответить в течение {n} часов, иначе спор решится в вашу пользу.",
    "Чтобы {action}, приложите {evidence}.",
]

EL = {
    "products": [
        "κινητό", "λάπτοπ", "ακουστικά", "παπούτσια", "μπουφάν", "καναπέ", "στρώμα",
        "μπλέντερ", "drone", "ρολόι", "τάμπλετ", "φωτογραφική μηχανή", "καρότσι", "ποδήλατο",
        "ηλεκτρική σκούπα", "καφετιέρα", "τηλεόραση", "εκτυπωτή", "σακίδιο", "βαλίτσα",
    ],
    "actions": [
        "ακυρώσω την παραγγελία", "παρακολουθήσω το δέμα", "πάρω επιστροφή χρημάτων",
        "ανοίξω διαφορά", "αλλάξω τη διεύθυνση παράδοσης", "επιστρέψω το προϊόν",
        "ενεργοποιήσω την εγγύηση", "πληρώσω με δόσεις", "επικοινωνήσω με τον πωλητή",
        "κατεβάσω το τιμολόγιο", "χρησιμοποιήσω κουπόνι", "αλλάξω μέγεθος",
        "επαληθεύσω τον λογαριασμό", "αλλάξω τον κωδικό", "ενημερώσω την κάρτα",
        "αναφέρω απομίμηση",
    ],
    "problems": [
        "το δέμα δεν έφτασε", "η πληρωμή απορρίφθηκε", "η επιστροφή καθυστερεί",
        "το προϊόν ήρθε χαλασμένο", "ο πωλητής δεν απαντά", "χρεώθηκα δύο φορές",
        "ο κούριερ δεν ήρθε", "η παραγγελία κόλλησε στο τελωνείο", "ήρθε λάθος μέγεθος",
        "η εγγύηση απορρίφθηκε", "η κάρτα μπλοκαρίστηκε", "ο αριθμός αποστολής δεν λειτουργεί",
    ],
    "evidence": [
        "φωτογραφίες της συσκευασίας", "την απόδειξη", "τον αριθμό αποστολής",
        "τη συνομιλία με τον πωλητή", "τον σειριακό αριθμό", "βίντεο από το άνοιγμα",
    ],
}
EL_QUESTIONS = [
    "Πώς μπορώ να {action};",
    "Πώς μπορώ να {action} για το {brand} {product};",
    "Τι κάνω αν {problem};",
    "Μπορώ να {action} αν {problem};",
    "{brand}: {problem}, πώς να {action};",
]
EL_SENTENCES = [
    "Ανοίξτε τις **Παραγγελίες**, επιλέξτε {product} και πατήστε «{action}».",
    "Αν {problem}, επιστρέφουμε τα χρήματα μέσα σε {n} ημέρες.",
    "Κρατήστε {evidence} μέχρι να κλείσει η υπόθεση.",
    "Τα προϊόντα {brand} από επαληθευμένους πωλητές καλύπτονται από την προστασία αγοραστή.",
    "Η επιστροφή στην κάρτα διαρκεί συνήθως {n} έως {m} εργάσιμες ημέρες.",
    "Ο πωλητής πρέπει να απαντήσει μέσα σε {n} ώρες.",
]

# slug, English name, Russian name, Greek name, icon; the first four are the desk's own.
CORE_TOPICS = [
    ("payment", "Payment", "Оплата", "Πληρωμή", "💳"),
    ("refund", "Refund", "Возврат денег", "Επιστροφή χρημάτων", "💸"),
    ("dispute", "Dispute", "Спор", "Διαφορά", "⚖️"),
    ("warranty", "Warranty", "Гарантия", "Εγγύηση", "🛡️"),
]
# None of these may be a path the help centre reserves (faq.models.RESERVED_TOPIC_SLUGS).
EXTRA_TOPICS = [
    "delivery", "returns", "account", "order-status", "sellers", "coupons", "shipping",
    "customs", "security", "subscriptions", "gift-cards", "reviews", "business",
    "instalments", "insurance", "electronics", "fashion", "home-and-garden",
    "pickup-points", "mobile-app",
]
_SYLLABLES = [
    "ka", "zen", "to", "ra", "vix", "lo", "mi", "tor", "qua", "bel", "no", "ser", "fi",
    "dra", "ko", "lux", "pa", "rin", "so", "tek", "va", "gor", "ny", "ex", "ul", "mar",
    "ti", "xo", "bri", "sto",
]
STOP_WORDS = {
    "the", "and", "for", "with", "from", "what", "how", "can", "who", "why", "when",
    "where", "does", "was", "are", "now", "until", "only", "your", "you", "our", "about",
    "как", "что", "если", "или", "для", "ли", "за", "почему", "можно", "του", "της",
    "την", "τον", "το", "και", "να", "αν", "πώς", "τι", "μπορώ", "για", "με", "από",
}
# fmt: on


def brand_names(count: int = 3_000, seed: int = 7) -> list[str]:
    """Return ``count`` distinct made-up brand names, the same ones for the same seed."""
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4))))
        if name not in seen and len(name) >= 4:
            seen.add(name)
            names.append(name.capitalize())
    return names


BRANDS = brand_names()
# Zipf-like: the first brands are everywhere, the last ones in a handful of answers.
BRAND_WEIGHTS = [1.0 / (rank + 1) ** 0.9 for rank in range(len(BRANDS))]
