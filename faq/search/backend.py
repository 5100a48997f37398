"""What every search backend returns."""

from __future__ import annotations

from typing import NamedTuple

from faq.search.links import entry_path


class RawHit(NamedTuple):
    """A matched translation, and its entry as the reader is shown it."""

    translation_id: int
    entry_id: int
    rank: float  # 0..1, higher is better
    answer_text: str  # of the matched translation: what snippets and coverage read
    topic_slug: str
    entry_slug: str
    # The entry in the reader's language when it has published text in it, else the match's.
    question: str
    language: str
    answer_html: str
    operator_resolvable: bool
    email_contact: bool  # the entry's choice, else its topic's


class Suggestion(NamedTuple):
    """A question that starts like what was typed."""

    translation_id: int
    entry_id: int
    topic_slug: str
    entry_slug: str
    question: str
    language: str

    @property
    def url(self) -> str:
        """Return the path of the answer's page."""
        return entry_path(self.topic_slug, self.entry_slug)
