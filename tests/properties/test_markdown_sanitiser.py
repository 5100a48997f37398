"""Whatever Markdown an answer holds, the rendered HTML runs nothing and links nowhere unsafe.

The output is parsed with the standard library's HTML parser (as a browser
would tokenise it), not searched with regular expressions: every element,
attribute, comment and declaration it yields is checked. URLs are judged the
way a browser reads them: character references decoded, then whitespace and
control characters dropped, then the scheme compared with the allowed ones.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from faq.markdown import render_answer_html, render_answer_text
from faq.search.query import query_terms, snippet_html

# Elements that run code, load other documents or restyle the page.
FORBIDDEN_TAGS = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
        "svg", "math", "base", "meta", "link", "form", "input", "button", "textarea",
        "template", "noscript", "img", "video", "audio", "source", "track", "picture",
        "portal", "xml", "xmp", "plaintext", "noembed", "noframes",
    }
)  # fmt: skip
# Attributes whose value a browser resolves as a URL.
URL_ATTRIBUTES = frozenset(
    {
        "href", "src", "action", "formaction", "xlink:href", "poster", "background",
        "data", "cite", "ping", "srcset", "longdesc", "lowsrc", "dynsrc", "codebase",
        "manifest", "icon", "usemap",
    }
)  # fmt: skip
# Attributes that are code or change how the page looks or loads, whatever the element.
ACTIVE_ATTRIBUTES = frozenset({"style", "srcdoc", "http-equiv", "autofocus", "is"})
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")


@dataclass
class Parsed:
    """What the HTML parser found in a rendered answer."""

    elements: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    declarations: list[str] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parsed = Parsed()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parsed.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parsed.elements.append((tag, dict(attrs)))

    def handle_comment(self, data: str) -> None:
        self.parsed.comments.append(data)

    def handle_decl(self, decl: str) -> None:
        self.parsed.declarations.append(decl)

    def unknown_decl(self, data: str) -> None:
        self.parsed.declarations.append(data)

    def handle_pi(self, data: str) -> None:
        self.parsed.declarations.append(data)


def parse(html: str) -> Parsed:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.parsed


def url_scheme(value: str) -> str | None:
    """Return the scheme a browser would see in an (already unescaped) URL, None if relative.

    Stricter than a browser: every whitespace and control or format
    character is dropped wherever it stands, not only tabs and newlines
    inside and spaces at the ends.
    """
    visible = "".join(
        ch for ch in value if not ch.isspace() and not unicodedata.category(ch).startswith("C")
    )
    match = _SCHEME.match(visible.lower())
    return match.group(1) if match else None


def assert_inert(html: str) -> None:
    """Fail unless ``html`` holds no active element, handler, unsafe URL, comment or declaration."""
    parsed = parse(html)
    assert not parsed.comments, parsed.comments
    assert not parsed.declarations, parsed.declarations
    for tag, attrs in parsed.elements:
        assert tag not in FORBIDDEN_TAGS, (tag, attrs, html)
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value, html)
            assert name not in ACTIVE_ATTRIBUTES, (tag, name, value, html)
            if name in URL_ATTRIBUTES:
                scheme = url_scheme(value or "")
                assert scheme is None or scheme in ALLOWED_SCHEMES, (tag, name, value, html)


# --- The checker itself ---------------------------------------------------------------


def test_the_checker_catches_what_it_must() -> None:
    """The checks above fail on exactly the outputs the properties rule out."""
    unsafe = [
        "<script>alert(1)</script>",
        "<p onclick=x>a</p>",
        "<svg><circle/></svg>",
        '<a href="java&#x09;script:alert(1)">a</a>',
        '<a href=" &#14;javascript&colon;alert(1)">a</a>',
        '<a href="JAVA\nSCRIPT:alert(1)">a</a>',
        '<a href="data:text/html,x">a</a>',
        "<!-- x --><p>a</p>",
        "<![CDATA[x]]>",
        '<p style="background:url(x)">a</p>',
    ]
    for html in unsafe:
        try:
            assert_inert(html)
        except AssertionError:
            continue
        raise AssertionError(f"the checker let through {html!r}")
    assert_inert('<p><a href="https://example.com/x?a=1&amp;b=2" rel="nofollow">a</a></p>')
    assert_inert('<a href="/help/payment/">a</a><a href="mailto:help@example.com">b</a>')
    assert_inert('<a href="java%20script:alert(1)">a relative path, percent-encoded</a>')


# --- Hostile Markdown, generated from a small grammar ----------------------------------

SCHEMES = (
    "javascript", "vbscript", "data", "file", "livescript", "blob", "filesystem", "jar",
    "ms-its", "about", "view-source", "http", "https", "mailto", "ftp", "tel",
)  # fmt: skip
# Whitespace and control characters browsers or parsers drop or tolerate in a URL.
NOISE = ("\t", "\n", "\r", " ", "\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1f", "\x7f",
         "\u00a0", "\u200b", "\u2028", "\ufeff", "&#9;", "&#10;", "&#x0A;", "&Tab;",
         "&NewLine;", "&#0;", "&#x0d;", "%09", "%0a", "%00", "\\")  # fmt: skip
COLONS = (":", "&#58;", "&#058;", "&#x3a;", "&#X3A", "&colon;", "%3A", "\\:", "&#x3A;&#x3A;")


@st.composite
def encoded_char(draw: st.DrawFn, ch: str) -> str:
    """Return ``ch`` as-is, in the other case, or as a (possibly unterminated) character reference."""
    # Mostly plain, so that many URLs keep a scheme a browser would act on.
    how = draw(st.sampled_from(("plain",) * 6 + ("upper", "dec", "hex", "pad", "bare", "noise")))
    if how == "upper":
        return ch.upper()
    if how == "dec":
        return f"&#{ord(ch)};"
    if how == "hex":
        return f"&#x{ord(ch):x};"
    if how == "pad":
        return f"&#{ord(ch):07d};"
    if how == "bare":
        return f"&#{ord(ch)}"
    if how == "noise":
        return ch + draw(st.sampled_from(NOISE))
    return ch


@st.composite
def hostile_urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(SCHEMES))
    spelled = "".join(draw(encoded_char(ch)) for ch in scheme)
    lead = draw(st.lists(st.sampled_from(NOISE), max_size=3))
    colon = draw(st.sampled_from(COLONS))
    payload = draw(
        st.sampled_from(
            (
                "alert(1)",
                "alert(document.cookie)//",
                "text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
                "image/svg+xml,<svg onload=alert(1)>",
                "//evil.example/%0aalert(1)",
                "//example.com/help",
                "help@example.com",
                "",
            )
        )
    )
    return "".join(lead) + spelled + colon + payload


TAGS = (
    "script", "style", "iframe", "object", "embed", "svg", "math", "img", "a", "form",
    "base", "meta", "link", "details", "video", "audio", "source", "textarea", "template",
    "noscript", "body", "input", "button", "marquee", "xmp", "plaintext", "title", "p",
    "Script", "SCRIPT", "scr<script>ipt", "svg/onload=alert(1)",
)  # fmt: skip
ATTRIBUTES = (
    "onerror", "onload", "onclick", "onmouseover", "onfocus", "ONLOAD", "href", "src",
    "xlink:href", "formaction", "action", "srcdoc", "style", "data", "poster", "background",
    "autofocus", "title",
)  # fmt: skip


@st.composite
def attribute_values(draw: st.DrawFn) -> str:
    value = draw(
        st.one_of(hostile_urls(), st.sampled_from(("alert(1)", "x", "expression(alert(1))")))
    )
    quote = draw(st.sampled_from(('"', "'", "`", "")))
    return f"{quote}{value}{quote}"


@st.composite
def raw_html(draw: st.DrawFn) -> str:
    tag = draw(st.sampled_from(TAGS))
    attrs = draw(
        st.lists(
            st.tuples(st.sampled_from(ATTRIBUTES), attribute_values()),
            max_size=3,
        )
    )
    sep = draw(st.sampled_from((" ", "/", "\n", "\t", " /")))
    rendered = "".join(f"{sep}{name}={value}" for name, value in attrs)
    body = draw(st.sampled_from(("alert(1)", "", "<b>x</b>", "]]>", "-->", "x")))
    closing = draw(st.sampled_from((f"</{tag}>", "", f"</{tag}", "<!--")))
    return f"<{tag}{rendered}>{body}{closing}"


@st.composite
def markup_oddities(draw: st.DrawFn) -> str:
    inner = draw(st.one_of(raw_html(), hostile_urls(), st.just("alert(1)")))
    return draw(
        st.sampled_from(
            (
                f"<!-- {inner} -->",
                f"<!--{inner}",
                f"<![CDATA[{inner}]]>",
                f"<?xml {inner} ?>",
                f"<!DOCTYPE {inner}>",
                f"<!{inner}>",
                f'" onmouseover="alert(1)" x="{inner}',
                f"' onfocus='alert(1)' autofocus x='{inner}",
                f"{{{{ {inner} }}}}",
                f"{{% {inner} %}}",
                f"`{inner}`",
                f"```\n{inner}\n```",
                f"    {inner}",
            )
        )
    )


@st.composite
def markdown_links(draw: st.DrawFn) -> str:
    url = draw(st.one_of(hostile_urls(), raw_html()))
    text = draw(st.sampled_from(("click", "multi\nline", "**bold**", "[nested](x)", "`code`", "")))
    title = draw(st.sampled_from(("", ' "t"', " 'a\" onmouseover=\"alert(1)'", ' ("x")')))
    nl = draw(st.sampled_from(("", "\n", " ")))
    return draw(
        st.sampled_from(
            (
                f"[{text}]({url}{title})",
                f"[{text}](<{url}>{title})",
                f"[{text}]({nl}{url}{nl}{title})",
                f"[{text}][r]\n\n[r]: {url}{title}",
                f"[{text}][r]\n\n[r]:\n{url}\n{title}",
                f"[r]\n\n[r]: <{url}>",
                f"![{text}]({url}{title})",
                f"<{url}>",
                f"[[{text}]({url})]({url})",
                f"[{text}\n\n]({url})",
                url,
            )
        )
    )


fragments = st.one_of(
    markdown_links(), raw_html(), markup_oddities(), hostile_urls(), st.text(max_size=20)
)
separators = st.sampled_from(("", " ", "\n", "\n\n", "\n> ", "\n- ", "\n1. ", "\n# ", "\n    "))


@st.composite
def hostile_markdown(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(separators, fragments), min_size=1, max_size=6))
    return "".join(sep + part for sep, part in parts)


# --- The properties -----------------------------------------------------------------


@given(st.text())
def test_any_text_renders_inert(text: str) -> None:
    assert_inert(render_answer_html(text))


@given(st.text(alphabet=st.sampled_from("<>\"'`&#;:=/()[]!*_ \n\tajvscriptonload<x"), max_size=80))
def test_markup_characters_in_any_order_render_inert(text: str) -> None:
    assert_inert(render_answer_html(text))


@settings(max_examples=200)
@given(hostile_markdown())
def test_hostile_markdown_renders_inert(markdown: str) -> None:
    html = render_answer_html(markdown)
    assert_inert(html)
    # Sanitising is stable: the page shows what was stored, whichever was rendered last.
    assert render_answer_html(markdown) == html


@settings(max_examples=200)
@given(markdown_links())
def test_every_link_left_is_http_https_mailto_or_relative(markdown: str) -> None:
    for tag, attrs in parse(render_answer_html(markdown)).elements:
        if tag == "a" and "href" in attrs:
            assert url_scheme(attrs["href"] or "") in {None, *ALLOWED_SCHEMES}, attrs


@settings(max_examples=200)
@given(hostile_markdown(), st.one_of(hostile_markdown(), st.text(max_size=40)))
def test_search_snippets_mark_terms_and_nothing_else(markdown: str, query: str) -> None:
    """Snippets are shown unescaped (``|safe``): the only element in one is <mark>, bare."""
    text = render_answer_text(markdown)
    snippet = snippet_html(text, query_terms(query))
    parsed = parse(snippet)
    assert not parsed.comments and not parsed.declarations
    assert {tag for tag, _attrs in parsed.elements} <= {"mark"}
    assert not [attrs for _tag, attrs in parsed.elements if attrs]
