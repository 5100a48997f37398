"""The help centre's scenarios: its pages, search and suggestions, as buyers ask them."""

from __future__ import annotations

import random
from collections.abc import Callable
from urllib.parse import quote

from bench.faqdata import FaqSample
from bench.scenarios.base import POOL_SIZE, Context, Request, pick_language

TYPO_RATE = 0.2


def _as(language: str) -> dict[str, str]:
    return {"Accept-Language": language}


def typo(word: str, rng: random.Random) -> str:
    """Return ``word`` with one slip of the finger: a letter dropped, doubled or swapped."""
    if len(word) < 5:
        return word
    at = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:at] + word[at + 1 :]
    if kind == 1:
        return word[:at] + word[at] + word[at:]
    return word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]


def search_query(sample: FaqSample, language: str, rng: random.Random) -> str:
    """Return 1-3 words the help centre holds (a brand now and then), sometimes with a typo."""
    words = []
    for _ in range(rng.choice((1, 2, 2, 3))):
        if rng.random() < 0.3:
            words.append(rng.choice(sample.brands).lower())
        else:
            words.append(rng.choice(sample.vocabulary[language]))
    if rng.random() < TYPO_RATE:
        at = rng.randrange(len(words))
        words[at] = typo(words[at], rng)
    return " ".join(words)


def suggest_prefix(question: str, rng: random.Random) -> str:
    """Return what a buyer has typed so far of ``question``: 40-90 % of it, maybe mid-word."""
    cut = max(3, int(len(question) * rng.uniform(0.4, 0.9)))
    return question[:cut].rstrip(" ?;:,")


def help_home(rng: random.Random) -> Request:
    return Request("/help/", _as(pick_language(rng)))


def topic_page(context: Context, rng: random.Random) -> list[Request]:
    topics = context.faq.topics
    return [
        Request(f"/help/{rng.choice(topics)}/", _as(pick_language(rng))) for _ in range(POOL_SIZE)
    ]


def answer_page(context: Context, rng: random.Random) -> list[Request]:
    entries = context.faq.entries
    return [
        Request(f"/help/{topic}/{entry}/", _as(pick_language(rng)))
        for topic, entry in (rng.choice(entries) for _ in range(POOL_SIZE))
    ]


def search(path: str) -> Callable[[Context, random.Random], list[Request]]:
    def build(context: Context, rng: random.Random) -> list[Request]:
        requests = []
        for _ in range(POOL_SIZE):
            language = pick_language(rng)
            query = search_query(context.faq, language, rng)
            headers = _as(language)
            if path.startswith("/api/") and context.api_authorization:
                headers["Authorization"] = context.api_authorization
            requests.append(Request(f"{path}?q={quote(query)}", headers))
        return requests

    return build


def suggest(context: Context, rng: random.Random) -> list[Request]:
    requests = []
    for _ in range(POOL_SIZE):
        language = pick_language(rng)
        prefix = suggest_prefix(rng.choice(context.faq.questions[language]), rng)
        requests.append(Request(f"/help/suggest/?q={quote(prefix)}", _as(language)))
    return requests
