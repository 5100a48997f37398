"""Turn what a buyer typed into search terms, and mark them in snippets. Pure: no database."""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

from faq.search.stopwords import stopwords_for

MAX_QUERY_CHARS = 200
MAX_TERMS = 10
MIN_TERM_CHARS = 2
SNIPPET_CHARS = 220
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One answer found for a query, best first in a result list.

    Besides the score and snippet it carries what a result list shows of the
    entry (its address, question and answer in the reader's language, or in
    English with ``is_fallback``), so showing results needs no further query.
    """

    translation_id: int
    entry_id: int
    score: float
    snippet_html: str
    topic_slug: str = ""
    entry_slug: str = ""
    question: str = ""
    language: str = ""
    is_fallback: bool = False
    answer_html: str = ""
    operator_resolvable: bool = False
    email_contact: bool = False

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def url(self) -> str:
        """Return the path of the answer's page."""
        from faq.search.links import entry_path

        return entry_path(self.topic_slug, self.entry_slug)


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


def _alternative(term: str) -> str:
    return re.escape(term) + r"\b" if len(term) <= 3 else re.escape(term_stem(term)) + r"\w*"


@functools.lru_cache(maxsize=1024)
def _term_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """Return a regex matching any term as a word, or longer terms' word forms."""
    if not terms:
        return None
    return re.compile(
        r"\b(?:" + "|".join(_alternative(term) for term in terms) + ")", re.IGNORECASE
    )


def terms_matched(text: str, terms: list[str]) -> int:
    """Return how many of ``terms`` occur in ``text`` as a word or a word form."""
    return sum(1 for term in terms if (pattern := _term_pattern((term,))) and pattern.search(text))


def snippet_html(text: str, terms: list[str], *, width: int = SNIPPET_CHARS) -> str:
    """Return an escaped excerpt of ``text`` around the first match, terms wrapped in <mark>."""
    pattern = _term_pattern(tuple(terms))
    found = pattern.search(text) if pattern else None
    first = found.start() if found else 0
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
    for match in pattern.finditer(excerpt) if pattern else ():
        parts.append(html.escape(excerpt[cursor : match.start()]))
        parts.append(f"<mark>{html.escape(match.group())}</mark>")
        cursor = match.end()
    parts.append(html.escape(excerpt[cursor:]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + "".join(parts) + suffix
