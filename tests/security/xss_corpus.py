"""Cross-site scripting payloads that the desk must show as text, never run.

Every payload calls a function a person would notice — ``alert(1)``,
``confirm(1)``, ``prompt(1)`` or ``print()`` — so that a browser test with a
dialog listener sees it fire if the payload ever runs. The corpus is shared by
the browser test (``tests/browser/test_xss.py``), the mail test
(``tests/security/test_xss_mail.py``) and anyone else who needs hostile text.

Kinds:

``html``       script tags and elements with event handlers
``attribute``  text that tries to close an attribute (or a tag) and add its own
``url``        ``javascript:``/``data:``/``vbscript:`` links, raw and in Markdown,
               multi-line and entity-encoded
``template``   template syntax of Django, Jinja, AngularJS, JavaScript, ERB, htmx
``css``        style sheets and style attributes that run script
``unicode``    look-alike, invisible, direction and escaped forms
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# The functions a payload may call: each opens a dialog (print() opens the print one).
DIALOG_CALL = re.compile(r"(alert|confirm|prompt)\(1\)|print\(\)")


@dataclass(frozen=True)
class Payload:
    """One hostile text: ``name`` says what it tries, ``text`` is what gets typed in."""

    name: str
    kind: str
    text: str

    @property
    def one_line(self) -> bool:
        return "\n" not in self.text and "\r" not in self.text

    @property
    def has_markup(self) -> bool:
        """Whether the text would be an element if a page put it in unescaped."""
        return bool(re.search(r"<[A-Za-z!/]", self.text))


def _p(name: str, kind: str, text: str) -> Payload:
    return Payload(name=name, kind=kind, text=text)


PAYLOADS: tuple[Payload, ...] = (
    # --- Script tags ---------------------------------------------------------
    _p("script-tag", "html", "<script>alert(1)</script>"),
    _p("script-mixed-case", "html", "<ScRiPt >confirm(1)</ScRiPt >"),
    _p("script-src-data", "html", "<script src=data:text/javascript,alert(1)></script>"),
    _p("script-nested", "html", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    _p(
        "script-after-rcdata",
        "html",
        "</textarea></title></noscript></option><script>alert(1)</script>",
    ),
    _p("script-close-script", "html", "</script><script>alert(1)</script>"),
    _p("script-in-comment", "html", "<!--><script>alert(1)</script>-->"),
    _p("script-in-cdata", "html", "<![CDATA[<]]><script>alert(1)</script>"),
    # --- Event handlers ------------------------------------------------------
    _p("img-onerror", "html", "<img src=x onerror=alert(1)>"),
    _p("img-onerror-quoted", "html", '<img src="/nowhere.png" onerror="confirm(1)">'),
    _p("svg-onload", "html", "<svg onload=alert(1)>"),
    _p("svg-animate-onbegin", "html", "<svg><animate onbegin=alert(1) attributeName=x dur=1s>"),
    _p("details-ontoggle", "html", "<details open ontoggle=alert(1)><summary>x</summary>"),
    _p("autofocus-onfocus", "html", "<input autofocus onfocus=alert(1)>"),
    _p("body-onload", "html", "<body onload=print()>"),
    _p("iframe-srcdoc", "html", '<iframe srcdoc="<script>parent.alert(1)</script>"></iframe>'),
    _p("video-source-onerror", "html", "<video><source onerror=alert(1)></video>"),
    _p("a-onmouseover", "html", '<a href="#" onmouseover="alert(1)">hover me</a>'),
    _p(
        "mxss-math-style",
        "html",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    ),
    _p(
        "mxss-noscript-title",
        "html",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    ),
    _p("object-data", "html", '<object data="javascript:alert(1)"></object>'),
    _p("embed-src", "html", "<embed src=javascript:alert(1)>"),
    _p("form-action", "html", "<form action=javascript:alert(1)><button>go</button></form>"),
    _p("button-formaction", "html", "<button formaction=javascript:alert(1)>go</button>"),
    _p("meta-refresh", "html", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    _p("base-href", "html", "<base href=javascript:alert(1)//>"),
    # --- Breaking out of attributes and tags ---------------------------------
    _p("break-double-quote-svg", "attribute", '"><svg onload=alert(1)>'),
    _p("break-single-quote-hover", "attribute", "' onmouseover='alert(1)' x='"),
    _p("break-double-quote-focus", "attribute", '" autofocus onfocus="alert(1)" x="'),
    _p("break-unquoted", "attribute", "x onfocus=alert(1) autofocus"),
    _p("break-attribute-script", "attribute", '"><script>alert(1)</script>'),
    _p("break-textarea", "attribute", "</textarea><img src=x onerror=confirm(1)>"),
    _p("break-json", "attribute", '"}</script><script>alert(1)</script>{"'),
    _p("break-js-string", "attribute", "';alert(1);//\\';alert(1);//\"};alert(1);//"),
    # --- Links: javascript:, data:, vbscript:, raw and in Markdown ------------
    _p("bare-javascript-url", "url", "javascript:alert(1)"),
    _p("md-javascript", "url", "[click me](javascript:alert(1))"),
    _p("md-javascript-case", "url", "[click me](JaVaScRiPt:alert(1))"),
    _p("md-javascript-tab-entity", "url", "[click me](jav&#x09;ascript:alert(1))"),
    _p("md-javascript-decimal-entity", "url", "[click me](&#106;avascript:alert(1))"),
    _p(
        "md-javascript-hex-entities",
        "url",
        "[click me](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))",
    ),
    _p("md-javascript-colon-entity", "url", "[click me](javascript&colon;alert(1))"),
    _p("md-javascript-angle", "url", "[click me](<javascript:alert(1)>)"),
    _p("md-javascript-spaces", "url", '[click me](  javascript:alert(1)  "a title")'),
    _p("md-autolink", "url", "<javascript:alert(1)>"),
    _p("md-image-javascript", "url", "![a picture](javascript:alert(1))"),
    _p("md-vbscript", "url", "[click me](vbscript:alert(1))"),
    _p("md-data-html", "url", "[click me](data:text/html,<script>alert(1)</script>)"),
    _p(
        "md-data-base64",
        "url",
        # The base64 text is <script>alert(1)</script>.
        "[alert(1)](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ),
    _p("md-reference-multiline", "url", "[click me][evil]\n\n[evil]:\n  javascript:alert(1)"),
    _p("md-reference-title", "url", '[click me][t]\n\n[t]: javascript:alert(1)\n  "title"'),
    _p("md-link-text-multiline", "url", "[click\nme](javascript:alert(1))"),
    _p("raw-a-multiline-href", "url", '<a href="java\nscript:alert(1)">click me</a>'),
    _p("raw-a-entity-href", "url", '<a href="&#106;avascript&#58;alert(1)">click me</a>'),
    _p("md-percent-encoded", "url", "[click me](%6A%61%76%61script:alert(1))"),
    # --- Template syntax -----------------------------------------------------
    _p("django-template", "template", "{{ 7|add:7 }}{% now 'Y' %}{% debug %} alert(1)"),
    _p("jinja-template", "template", "{{ self.__init__.__globals__ }}{{ 7*7 }} alert(1)"),
    _p("angular-template", "template", "{{constructor.constructor('alert(1)')()}}"),
    _p("js-template-literal", "template", "${alert(1)}`${confirm(1)}`"),
    _p("erb-template", "template", "<%= alert(1) %>#{alert(1)}"),
    _p("macro-placeholders", "template", "{subject}{agent_name}{buyer_name} alert(1)"),
    _p("htmx-on", "template", '<div hx-on:htmx:load="alert(1)" hx-get="/" hx-trigger="load">'),
    _p("htmx-vals", "template", "<button hx-post=\"/\" hx-vals='js:{a:alert(1)}'>go</button>"),
    # --- Style and CSS -------------------------------------------------------
    _p("style-import", "css", "<style>@import 'javascript:alert(1)';</style>"),
    _p("style-attribute-url", "css", '<div style="background:url(javascript:alert(1))">x</div>'),
    _p("style-expression", "css", '<div style="width:expression(alert(1))">x</div>'),
    _p("style-close-style", "css", "</style><script>alert(1)</script><style>"),
    _p("link-stylesheet", "css", "<link rel=stylesheet href=javascript:alert(1)>"),
    _p("css-escape", "css", '<p style="x:\\65xpression(alert(1))">x</p>'),
    # --- Unicode tricks ------------------------------------------------------
    _p("fullwidth-brackets", "unicode", "＜script＞alert(1)＜/script＞"),
    _p("js-escaped-brackets", "unicode", "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"),
    _p("zero-width-scheme", "unicode", "[click me](java\u200bscript:alert(1))"),
    _p("right-to-left-override", "unicode", "\u202e<img src=x onerror=alert(1)>\u202c"),
    _p("percent-encoded-tags", "unicode", "%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
    _p("pre-escaped-tags", "unicode", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    _p("utf7", "unicode", "+ADw-script+AD4-alert(1)+ADw-/script+AD4-"),
    _p("form-feed-separators", "unicode", "<img\u000csrc=x\u000conerror=alert(1)>"),
)

# Payloads for a field that holds one line (subjects, names, search queries).
ONE_LINE: tuple[Payload, ...] = tuple(p for p in PAYLOADS if p.one_line)


def fitting(payloads: Iterable[Payload], *, most: int) -> list[Payload]:
    """Return the payloads whose text fits a field of ``most`` characters."""
    return [p for p in payloads if len(p.text) <= most]


def joined(payloads: Iterable[Payload], *, separator: str = "\n\n", most: int) -> list[str]:
    """Pack payload texts into as few texts of at most ``most`` characters as possible.

    Many payloads in one field keep a browser test short: one page shows them
    all. Each text keeps whole payloads, separated by ``separator``.
    """
    texts: list[str] = []
    current = ""
    for payload in payloads:
        if len(payload.text) > most:
            raise ValueError(f"{payload.name} does not fit in {most} characters")
        candidate = f"{current}{separator}{payload.text}" if current else payload.text
        if len(candidate) > most:
            texts.append(current)
            candidate = payload.text
        current = candidate
    if current:
        texts.append(current)
    return texts


def _check_corpus() -> None:
    names = [p.name for p in PAYLOADS]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise ValueError(f"payload names used twice: {sorted(duplicates)}")
    silent = [p.name for p in PAYLOADS if not DIALOG_CALL.search(p.text)]
    if silent:
        raise ValueError(f"payloads that would open no dialog: {silent}")


_check_corpus()
