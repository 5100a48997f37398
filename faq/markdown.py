"""Render answers written in Markdown to sanitised HTML and to plain text.

CommonMark with raw HTML switched off, then nh3 with a short allow-list: no
script, no event handler, no ``javascript:``/``data:`` URL survives.
"""

from __future__ import annotations

import html
import re
from functools import cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
_SPACES = re.compile(r"\s+")


@cache
def _renderer() -> MarkdownIt:
    # html=False: raw HTML in the source is shown as text, never parsed.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def _demote_headings(rendered: str) -> str:
    """Answers sit under the page's own h1/h2: turn Markdown's h1/h2 into h3/h4."""
    return re.sub(r"<(/?)h([12])>", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 2}>", rendered)


def render_answer_html(markdown: str) -> str:
    """Return the answer as sanitised HTML, safe to insert into a page."""
    rendered = _demote_headings(_renderer().render(markdown))
    return nh3.clean(
        rendered,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render_answer_text(markdown: str) -> str:
    """Return the answer as plain text on one line, for search and snippets."""
    stripped = nh3.clean(render_answer_html(markdown), tags=set())
    return _SPACES.sub(" ", html.unescape(stripped)).strip()
