"""Turn what a buyer typed into search terms, and mark them in snippets. Pure: no database."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from faq.search.stopwords import stopwords_for

MAX_QUERY_CHARS = 200
MAX_TERMS = 10
MIN_TERM_CHARS = 2
SNIPPET_CHARS = 220
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchHit:
    """One answer found for a query, best first in a result list."""

    translation_id: int
    entry_id: int
    score: float
    snippet_html: str

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def query_terms(query: str, language: str | None = None) -> list[str]:
    """Return the distinct lower-case words of a query worth searching for.

    Long input is cut; symbols, one-letter words and the stop words of
    ``language`` are dropped: an empty list means there is nothing to search for.
    """
    words = _WORD.findall(query[:MAX_QUERY_CHARS].lower().replace("_", " "))
    ignored = stopwords_for(language) if language else frozenset()
    terms: list[str] = []
    for word in words:
        if len(word) >= MIN_TERM_CHARS and word not in terms and word not in ignored:
            terms.append(word)
    return terms[:MAX_TERMS]


def term_stem(term: str) -> str:
    """Return the prefix that word forms of ``term`` share (a crude, language-free stem)."""
    if len(term) <= 4:
        return term
    return term[: max(4, len(term) - 2)]


def _matches(word: str, term: str) -> bool:
    """Return whether ``word`` is ``term`` or, for longer terms, one of its word forms."""
    return word == term if len(term) <= 3 else word.startswith(term_stem(term))


def terms_matched(text: str, terms: list[str]) -> int:
    """Return how many of ``terms`` occur in ``text`` as a word or a word form."""
    words = set(_WORD.findall(text.lower()))
    return sum(1 for term in terms if any(_matches(word, term) for word in words))


def snippet_html(text: str, terms: list[str], *, width: int = SNIPPET_CHARS) -> str:
    """Return an escaped excerpt of ``text`` around the first match, terms wrapped in <mark>."""
    lowered = text.lower()
    first = min(
        (m.start() for m in _WORD.finditer(lowered) if any(_matches(m.group(), t) for t in terms)),
        default=0,
    )
    start = max(0, first - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    excerpt = text[start:end]
    parts: list[str] = []
    cursor = 0
    for match in _WORD.finditer(excerpt):
        if any(_matches(match.group().lower(), term) for term in terms):
            parts.append(html.escape(excerpt[cursor : match.start()]))
            parts.append(f"<mark>{html.escape(match.group())}</mark>")
            cursor = match.end()
    parts.append(html.escape(excerpt[cursor:]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + "".join(parts) + suffix
