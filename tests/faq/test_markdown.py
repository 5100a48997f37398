"""Answers render to sanitised HTML: nothing active survives."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from faq.markdown import render_answer_html, render_answer_text

HOSTILE = """Before

<script>alert('script')</script>

<img src=x onerror="alert('img')">

[click](javascript:alert('link'))
[click2](JaVaScRiPt:alert(1))
[click3](&#106;avascript:alert(1))
[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
<svg onload="alert('svg')"><circle r="5"/></svg>
<a href="javascript:alert('raw')">raw link</a>
![pic](javascript:alert('image'))

After **bold** and [a real link](https://example.com/help)
"""


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.found


def test_hostile_markdown_renders_inert() -> None:
    html = render_answer_html(HOSTILE)
    found = elements(html)
    assert {tag for tag, _ in found} <= {"p", "a", "strong"}
    for tag, attrs in found:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        href = attrs.get("href")
        assert href is None or href.startswith("https://"), href
    # The hostile markup is still readable as text, just not markup.
    assert "&lt;script&gt;" in html
    assert (
        '<a href="https://example.com/help" rel="noopener noreferrer nofollow">a real link</a>'
        in html
    )
    assert "<strong>bold</strong>" in html


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("# Big", "<h3>Big</h3>"),
        ("1. one\n2. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>"),
        ("Use `code`", "<p>Use <code>code</code></p>"),
    ],
)
def test_markdown_structure_is_kept(markdown: str, expected: str) -> None:
    assert expected in render_answer_html(markdown)


def test_plain_text_has_no_markup() -> None:
    text = render_answer_text("Refunds take **3–10** days.\n\n- cards\n- wallets <b>now</b>")
    assert text == "Refunds take 3–10 days. cards wallets <b>now</b>"
