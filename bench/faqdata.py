"""Generate a large help centre fast, and sample it for the load scenarios.

Questions and answers are built from marketplace-support vocabulary in
English, Russian and Greek, with a few thousand made-up brand names used with
a Zipf-like skew: some search terms match thousands of answers, others a
handful, as in a real help centre. Every entry has English text (the desk's
fallback); 2 in 7 also have Russian and 1 in 7 Greek, so translations are
~70 % en, ~20 % ru, ~10 % el.

Rows are written with ``bulk_create`` in batches of 5,000 entries; the
Markdown of each answer is rendered by ``faq.services.faq_translation_render``
(the same code the desk saves with) in a pool of worker processes while the
main process writes the previous batch.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

BATCH = 5_000
LANGUAGE_MIX = {"en": 7, "ru": 2, "el": 1}  # translations per 10
_WORD = re.compile(r"\w+", re.UNICODE)

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
_STOP = {
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


def _pick(items: list[str], index: int) -> str:
    return items[index % len(items)]


@dataclass(frozen=True)
class EntrySeed:
    """What one entry is about, shared by its translations."""

    brand: str
    product: int
    action: int
    thing: int
    detail: int  # picks state/party/event/defect/problem/... by wrap-around
    template: int
    sentences: tuple[int, ...]
    numbers: tuple[int, int]
    steps: bool
    link: bool


def _seed(rng: random.Random) -> EntrySeed:
    return EntrySeed(
        brand=rng.choices(BRANDS, cum_weights=_BRAND_CUM)[0],
        product=rng.randrange(1000),
        action=rng.randrange(1000),
        thing=rng.randrange(1000),
        detail=rng.randrange(1000),
        template=rng.randrange(1000),
        sentences=tuple(rng.randrange(1000) for _ in range(rng.randint(3, 6))),
        numbers=(rng.randint(2, 14), rng.randint(15, 30)),
        steps=rng.random() < 0.4,
        link=rng.random() < 0.3,
    )


_BRAND_CUM: list[float] = []
_total = 0.0
for _weight in BRAND_WEIGHTS:
    _total += _weight
    _BRAND_CUM.append(_total)


def _en_slots(seed: EntrySeed, shift: int = 0) -> dict[str, Any]:
    d = seed.detail + shift
    return {
        "brand": seed.brand,
        "product": _pick(EN["products"], seed.product),
        "action": _pick(EN["actions"], seed.action + shift),
        "thing": _pick(EN["things"], seed.thing + shift),
        "state": _pick(EN["states"], d),
        "party": _pick(EN["parties"], d),
        "event": _pick(EN["events"], d),
        "defect": _pick(EN["defects"], d),
        "method": _pick(EN["methods"], d),
        "coverage": _pick(EN["coverages"], d),
        "outcome": _pick(EN["outcomes"], d),
        "evidence": _pick(EN["evidence"], d),
        "evidence2": _pick(EN["evidence"], d + 3),
        "n": seed.numbers[0],
        "m": seed.numbers[1],
    }


def _local_slots(words: dict[str, list[str]], seed: EntrySeed, shift: int = 0) -> dict[str, Any]:
    d = seed.detail + shift
    return {
        "brand": seed.brand,
        "product": _pick(words["products"], seed.product),
        "action": _pick(words["actions"], seed.action + shift),
        "problem": _pick(words["problems"], d),
        "evidence": _pick(words["evidence"], d),
        "n": seed.numbers[0],
        "m": seed.numbers[1],
    }


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _answer(sentences: list[str], seed: EntrySeed, slots: Callable[[int], dict[str, Any]]) -> str:
    lines = [
        _capitalise(_pick(sentences, index).format(**slots(shift)))
        for shift, index in enumerate(seed.sentences)
    ]
    paragraphs = [" ".join(lines[:2]), " ".join(lines[2:])]
    return "\n\n".join(p for p in paragraphs if p)


def entry_texts(seed: EntrySeed, languages: list[str]) -> dict[str, tuple[str, str]]:
    """Return ``{language: (question, answer Markdown)}`` for an entry."""
    texts: dict[str, tuple[str, str]] = {}
    for language in languages:
        if language == "en":
            question = _capitalise(_pick(EN_QUESTIONS, seed.template).format(**_en_slots(seed)))
            answer = _answer(EN_SENTENCES, seed, lambda shift: _en_slots(seed, shift))
            if seed.steps:
                slots = _en_slots(seed)
                steps = [f"{i}. {step.format(**slots)}" for i, step in enumerate(EN_STEPS, 1)]
                answer += "\n\n" + "\n".join(steps)
            if seed.link:
                answer += (
                    "\n\nSee [the buyer protection rules](https://support-desk.test/rules) "
                    "for the full timeline."
                )
        else:
            words, questions, sentences = (
                (RU, RU_QUESTIONS, RU_SENTENCES)
                if language == "ru"
                else (EL, EL_QUESTIONS, EL_SENTENCES)
            )
            slots0 = _local_slots(words, seed)
            question = _capitalise(_pick(questions, seed.template).format(**slots0))
            answer = _answer(sentences, seed, lambda shift, w=words: _local_slots(w, seed, shift))
        texts[language] = (question[:300], answer)
    return texts


def query_vocabulary(language: str) -> list[str]:
    """Return the searchable words the generator writes in ``language`` (brands excluded)."""
    if language == "en":
        sources = [*EN.values(), EN_QUESTIONS, EN_SENTENCES, EN_STEPS]
    else:
        words, questions, sentences = (
            (RU, RU_QUESTIONS, RU_SENTENCES)
            if language == "ru"
            else (EL, EL_QUESTIONS, EL_SENTENCES)
        )
        sources = [*words.values(), questions, sentences]
    vocabulary = set()
    for source in sources:
        for text in source:
            for word in _WORD.findall(re.sub(r"\{\w+\}", " ", text).lower()):
                if len(word) >= 3 and not word.isdigit() and word not in _STOP:
                    vocabulary.add(word)
    return sorted(vocabulary)


# --- Writing ----------------------------------------------------------------


@dataclass
class EntrySpec:
    topic_index: int
    slug: str
    sort_weight: int
    view_count: int
    published: bool
    # language -> (question, answer, answer_html, answer_text)
    texts: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)


def _languages(rng: random.Random) -> list[str]:
    # en always (the fallback); ru on 2 in 7 entries, el on 1 in 7 (some have all three).
    roll = rng.randrange(7)
    return ["en", "ru"] if roll == 0 else ["en", "ru", "el"] if roll == 1 else ["en"]


def make_batch(args: tuple[int, int, int, int, list[float]]) -> list[EntrySpec]:
    """Build and render one batch of entries (runs in a pool worker; pure, no database).

    Deterministic for a (seed, batch number): the same run makes the same help centre.
    """
    from django.utils.text import slugify

    from faq.models import FaqTranslation
    from faq.services import faq_translation_render

    seed, number, start, count, topic_weights = args
    rng = random.Random(f"{seed}:{number}")  # noqa: S311 (test data)
    topics = range(len(topic_weights))
    specs = []
    for index in range(start, start + count):
        entry_seed = _seed(rng)
        texts = entry_texts(entry_seed, _languages(rng))
        spec = EntrySpec(
            topic_index=rng.choices(topics, weights=topic_weights)[0],
            slug=f"{slugify(texts['en'][0])[:100].strip('-')}-{index}",
            sort_weight=rng.randint(1, 10) if rng.random() < 0.05 else 0,
            view_count=min(10**6, int(rng.paretovariate(1.1) * 5) - 5),
            published=rng.random() >= 0.01,
        )
        for language, (question, answer) in texts.items():
            rendered = faq_translation_render(
                translation=FaqTranslation(language=language, question=question, answer=answer)
            )
            spec.texts[language] = (question, answer, rendered.answer_html, rendered.answer_text)
        specs.append(spec)
    return specs


def _pool_init() -> None:
    import django

    django.setup()


def _batches(seed: int, total: int, weights: list[float]) -> Iterator[tuple]:
    for number, start in enumerate(range(0, total, BATCH)):
        yield (seed, number, start, min(BATCH, total - start), weights)


def faq_tables() -> list[str]:
    from django.apps import apps

    return [model._meta.db_table for model in apps.get_app_config("faq").get_models()]


def generate(*, entries: int, seed: int, progress_factory: Callable[[str, int], Any]) -> dict:
    """Replace the help centre with ``entries`` generated entries; return counts and timings."""
    from django.db import connection, transaction

    from faq import services
    from faq.models import FaqEntry, FaqTranslation, Topic

    timings: dict[str, float] = {}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(faq_tables())} RESTART IDENTITY CASCADE")
    topics: list[Topic] = []
    for order, (slug, en, ru, el, icon) in enumerate(CORE_TOPICS):
        topics.append(
            services.topic_upsert(
                slug=slug,
                name={"en": en, "ru": ru, "el": el},
                description={"en": f"{en}: questions buyers ask most."},
                icon=icon,
                sort_order=10 * (order + 1),
                email_contact=slug == "dispute",
            )
        )
    for order, slug in enumerate(EXTRA_TOPICS):
        name = slug.replace("-", " ").capitalize()
        topics.append(
            services.topic_upsert(
                slug=slug,
                name={"en": name},
                description={"en": f"{name}: answers for buyers."},
                icon="❓",
                sort_order=100 + order,
            )
        )
    # The desk's own four topics get three times the entries of the others.
    weights = [3.0 if index < len(CORE_TOPICS) else 1.0 for index in range(len(topics))]
    timings["topics_s"] = time.perf_counter() - started

    insert_started = time.perf_counter()
    bar = progress_factory("entries", entries)
    translations = 0
    processes = max(1, min(os.cpu_count() or 1, 4))
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes, initializer=_pool_init) as pool:
        for specs in pool.imap(make_batch, _batches(seed, entries, weights)):
            with transaction.atomic():
                rows = FaqEntry.objects.bulk_create(
                    [
                        FaqEntry(
                            topic=topics[spec.topic_index],
                            slug=spec.slug,
                            sort_weight=spec.sort_weight,
                            view_count=spec.view_count,
                            published=spec.published,
                        )
                        for spec in specs
                    ],
                    batch_size=BATCH,
                )
                texts = [
                    FaqTranslation(
                        entry_id=row.pk,
                        language=language,
                        question=question,
                        answer=answer,
                        answer_html=answer_html,
                        answer_text=answer_text,
                    )
                    for row, spec in zip(rows, specs, strict=True)
                    for language, (question, answer, answer_html, answer_text) in spec.texts.items()
                ]
                FaqTranslation.objects.bulk_create(texts, batch_size=BATCH)
            translations += len(texts)
            bar.update(len(specs))
    timings["entries_s"] = bar.close()
    timings["insert_s"] = time.perf_counter() - insert_started

    refresh_started = time.perf_counter()
    from faq.search import faq_search_refresh

    faq_search_refresh()
    timings["vocabulary_s"] = time.perf_counter() - refresh_started

    analyze_started = time.perf_counter()
    with connection.cursor() as cursor:
        # Settle the GIN index's pending list and the planner's statistics,
        # as autovacuum would on a live desk.
        for table in [*faq_tables(), "faq_search_words"]:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    timings["vacuum_analyze_s"] = time.perf_counter() - analyze_started
    timings["total_s"] = time.perf_counter() - started
    return {"entries": entries, "translations": translations, "timings": timings}


def counts() -> dict[str, Any]:
    """Return what the database holds now."""
    from django.db import connection
    from django.db.models import Count

    from faq.models import FaqEntry, FaqTranslation, Topic

    by_language = dict(
        FaqTranslation.objects.values_list("language").annotate(n=Count("pk")).order_by()
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM faq_search_words")
        (words,) = cursor.fetchone()
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('faq_faqtranslation')), "
            "pg_size_pretty(sum(pg_relation_size(indexrelid))) FROM pg_index "
            "WHERE indexrelid::regclass::text LIKE 'faq_translation_search%%'"
        )
        table_size, gin_size = cursor.fetchone()
    return {
        "topics": Topic.objects.count(),
        "entries": FaqEntry.objects.count(),
        "published_entries": FaqEntry.objects.filter(published=True).count(),
        "translations": sum(by_language.values()),
        "translations_by_language": by_language,
        "vocabulary_words": words,
        "translation_table_size": table_size,
        "search_index_size": gin_size,
    }


# --- Sampling for the scenarios ---------------------------------------------


@dataclass(frozen=True)
class FaqSample:
    """Real rows to aim requests at: topic slugs, entry paths, questions per language."""

    topics: list[str]
    entries: list[tuple[str, str]]  # (topic slug, entry slug)
    questions: dict[str, list[str]]  # language -> questions
    vocabulary: dict[str, list[str]]  # language -> words the generator writes
    brands: list[str]


def sample(*, size: int = 2_000, seed: int = 1) -> FaqSample:
    """Return a deterministic sample of what the help centre shows."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT slug FROM faq_topic WHERE is_active ORDER BY sort_order, slug")
        topics = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            """
            SELECT tp.slug, e.slug FROM faq_faqentry e JOIN faq_topic tp ON tp.id = e.topic_id
            WHERE e.published AND tp.is_active
            ORDER BY md5(e.id::text || %s) LIMIT %s
            """,
            [str(seed), size],
        )
        entries = [(topic, slug) for topic, slug in cursor.fetchall()]
        questions: dict[str, list[str]] = {}
        for language in LANGUAGE_MIX:
            cursor.execute(
                """
                SELECT t.question FROM faq_faqtranslation t
                JOIN faq_faqentry e ON e.id = t.entry_id
                WHERE t.language = %s AND t.published AND e.published
                ORDER BY md5(t.id::text || %s) LIMIT %s
                """,
                [language, str(seed), size],
            )
            questions[language] = [row[0] for row in cursor.fetchall()]
    return FaqSample(
        topics=topics,
        entries=entries,
        questions=questions,
        vocabulary={language: query_vocabulary(language) for language in LANGUAGE_MIX},
        brands=BRANDS,
    )
