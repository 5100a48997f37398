"""One entry's text: what it is about (``EntrySeed``), its question and answer per language."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.faqdata.words import (
    BRAND_WEIGHTS,
    BRANDS,
    EL,
    EL_QUESTIONS,
    EL_SENTENCES,
    EN,
    EN_QUESTIONS,
    EN_SENTENCES,
    EN_STEPS,
    RU,
    RU_QUESTIONS,
    RU_SENTENCES,
    STOP_WORDS,
)

_WORD = re.compile(r"\w+", re.UNICODE)


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
                if len(word) >= 3 and not word.isdigit() and word not in STOP_WORDS:
                    vocabulary.add(word)
    return sorted(vocabulary)
