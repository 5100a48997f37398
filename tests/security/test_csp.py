"""The Content-Security-Policy: every page forbids inline and evaluated script.

Escaping keeps hostile text from becoming markup (``test_xss.py``); the policy
is the second wall, for the day a page forgets to escape: a script that did
get in still does not run unless it carries the request's nonce. This module
proves the wall stands:

* the policy in the settings allows scripts only from the desk itself and
  with the nonce — no ``'unsafe-inline'``, no ``'unsafe-eval'``;
* every HTML page of every kind of visitor — help centre, buyer, seller,
  agent, reports, each admin list, form and change page, the API docs, the
  error pages — answers that policy in its headers, and its markup has no
  inline script without that page's nonce and no event-handler attribute;
* no template and no script of ours writes an inline handler, an inline
  script without the nonce, a ``javascript:`` URL or calls ``eval``;
* in Chromium, the API docs (Swagger UI from drf-spectacular's sidecar) and
  the script-heavy pages run without a single policy violation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.csp import build_policy

from accounts.models import User
from disputes import services as dispute_services
from disputes.models import Dispute, DisputeReason, Remedy, WantedOutcome, WarrantyClaim
from faq import services as faq_services
from orders.models import OrderStatus
from orders.services import ItemSpec, order_upsert, shop_upsert
from tests.factories import SellerFactory, SupervisorFactory
from tests.tickets.conftest import Desk, build_desk, open_ticket
from tickets import services
from tickets.models import Presence, Ticket
from tickets.services.attachments import ticket_reply_by_buyer_with_files

ROOT = Path(settings.BASE_DIR)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
# Directives that decide whether a script runs or a style applies (CSP Level 3 fallback).
SCRIPT_DIRECTIVES = ("script-src-elem", "script-src-attr", "script-src", "default-src")
STYLE_DIRECTIVES = ("style-src-elem", "style-src-attr", "style-src", "default-src")
UNSAFE_SOURCES = (
    "'unsafe-inline'",
    "'unsafe-eval'",
    "'unsafe-hashes'",
    "data:",
    "blob:",
    "http:",
    "https:",
    "*",
)
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data", "poster", "xlink:href"})
# Script types a browser does not run: data blocks read by our scripts.
DATA_SCRIPT_TYPES = frozenset({"application/json", "application/ld+json"})
_URL_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f]+")


# --- The policy ----------------------------------------------------------------


def parse_policy(header: str) -> dict[str, list[str]]:
    """Return a Content-Security-Policy header as {directive: [sources]}."""
    policy: dict[str, list[str]] = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens:
            policy.setdefault(tokens[0].lower(), tokens[1:])
    return policy


def _assert_only_own(
    policy: dict[str, list[str]], directives: tuple[str, ...], *, what: str, where: str
) -> None:
    """Fail unless the directives governing ``what`` allow only the desk and the nonce."""
    governing = {name: policy[name] for name in directives if name in policy}
    assert set(governing) - {f"{what}-src-attr", f"{what}-src-elem"}, (
        f"{where}: neither {what}-src nor default-src: any {what} may load"
    )
    for directive, sources in governing.items():
        unsafe = [s for s in sources if s.lower() in UNSAFE_SOURCES]
        assert not unsafe, f"{where}: {directive} allows {unsafe}"
        hosts = [s for s in sources if not s.startswith("'")]
        assert not hosts, f"{where}: {directive} trusts other hosts {hosts}"


def assert_strict(header: str | None, *, where: str) -> dict[str, list[str]]:
    """Fail unless ``header`` lets scripts and styles come only from the desk or with the nonce."""
    assert header, f"{where}: no Content-Security-Policy header"
    policy = parse_policy(header)
    _assert_only_own(policy, SCRIPT_DIRECTIVES, what="script", where=where)
    _assert_only_own(policy, STYLE_DIRECTIVES, what="style", where=where)
    assert policy.get("object-src") == ["'none'"], f"{where}: plugins are not off"
    assert policy.get("base-uri") in (["'self'"], ["'none'"]), f"{where}: <base> is not locked"
    assert policy.get("frame-ancestors") == ["'none'"], f"{where}: the page may be framed"
    return policy


def test_the_policy_in_the_settings_forbids_inline_and_evaluated_scripts_and_styles() -> None:
    assert "django.middleware.csp.ContentSecurityPolicyMiddleware" in settings.MIDDLEWARE
    policy = assert_strict(build_policy(settings.SECURE_CSP, "n0nce"), where="SECURE_CSP")
    assert policy["script-src"] == ["'self'", "'nonce-n0nce'"]
    assert policy["style-src"] == ["'self'", "'nonce-n0nce'"]


def test_the_strictness_check_refuses_a_weak_policy() -> None:
    """The header check itself: each weakness a policy could have is caught."""
    strict = "default-src 'self'; script-src 'self' 'nonce-abc'; object-src 'none'; " + (
        "base-uri 'self'; frame-ancestors 'none'"
    )
    assert_strict(strict, where="strict")
    weak = [
        strict.replace("'nonce-abc'", "'nonce-abc' 'unsafe-inline'"),
        strict.replace("'nonce-abc'", "'unsafe-eval'"),
        strict.replace("script-src 'self' 'nonce-abc'; ", "").replace("default-src 'self'; ", ""),
        strict.replace("'nonce-abc'", "https://cdn.example.com"),
        strict + "; script-src-attr 'unsafe-inline'",
        strict + "; style-src 'self' 'unsafe-inline'",
        strict + "; style-src-attr 'unsafe-hashes' 'sha256-abc'",
        strict.replace("default-src 'self'", "default-src *"),
        strict.replace("object-src 'none'", "object-src 'self'"),
        strict.replace("frame-ancestors 'none'", ""),
        None,
    ]
    for header in weak:
        with pytest.raises(AssertionError):
            assert_strict(header, where="weak")


# --- Markup of every page ------------------------------------------------------


class _Markup(HTMLParser):
    """Collect what in a page would need an inline allowance: scripts, handlers, styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.inline_scripts: list[dict[str, str | None]] = []
        self.inline_styles: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>: an inline event handler")
            if name in URL_ATTRIBUTES and value:
                url = _URL_NOISE.sub("", value).lower()
                if url.startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.problems.append(f"<{tag} {name}={value!r}>: a script URL")
            if name == "style":
                self.problems.append(f"<{tag} style={value!r}>: an inline style")
        if tag == "script" and not attributes.get("src"):
            self.inline_scripts.append(attributes)
        if tag == "style":
            self.inline_styles.append(attributes)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def assert_markup_needs_no_inline_allowance(markup: str, *, nonce: str | None, where: str) -> None:
    """Fail on inline handlers, script URLs, style attributes, and inline scripts or
    style sheets that lack the page's nonce."""
    parser = _Markup()
    parser.feed(markup)
    parser.close()
    problems = list(parser.problems)
    for attributes in parser.inline_scripts:
        kind = (attributes.get("type") or "").strip().lower()
        if kind in DATA_SCRIPT_TYPES:
            continue
        if nonce is None or attributes.get("nonce") != nonce:
            problems.append(f"an inline <script {attributes}> without this page's nonce")
    for attributes in parser.inline_styles:
        if nonce is None or attributes.get("nonce") != nonce:
            problems.append(f"an inline <style {attributes}> without this page's nonce")
    assert not problems, f"{where}:\n  " + "\n  ".join(problems)


def page_nonce(policy: dict[str, list[str]]) -> str | None:
    for source in policy.get("script-src", []):
        if source.startswith("'nonce-") and source.endswith("'"):
            return source[len("'nonce-") : -1]
    return None


@dataclass
class Everything:
    """One of each thing a page can show, and the people who see them."""

    desk: Desk
    supervisor: User
    seller: User
    ticket: Ticket
    escalated: Ticket
    dispute: Dispute
    claim: WarrantyClaim


def build_everything() -> Everything:
    """Build, through the services, a desk with a ticket, a dispute and a claim in every view."""
    now = timezone.now()
    desk = build_desk()
    supervisor = SupervisorFactory(username="csp-supervisor")
    seller = SellerFactory(username="csp-seller")
    shop = shop_upsert(slug="csp-shop", name="Kettles and more", seller=seller)
    delivered = now - timedelta(days=3)
    orders = [
        order_upsert(
            number=number,
            buyer=desk.buyer,
            shop=shop,
            status=OrderStatus.DELIVERED,
            currency="EUR",
            now=delivered,
            items=[ItemSpec("Electric kettle", 1, Decimal("40.00"), warranty_months=24)],
            paid_at=delivered - timedelta(days=5),
            shipped_at=delivered - timedelta(days=3),
            delivered_at=delivered,
        )
        for number in ("MP-7101", "MP-7102")
    ]
    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=now)
    ticket = open_ticket(desk, now=now)
    services.ticket_route(ticket_id=ticket.pk, now=now)
    ticket_reply_by_buyer_with_files(
        ticket_id=ticket.pk,
        buyer=desk.buyer,
        body="The bank statement.",
        files=[SimpleUploadedFile("statement.png", PNG, content_type="image/png")],
        now=now,
    )
    services.ticket_reply_by_agent(
        ticket_id=ticket.pk, agent=desk.agent, body="Looking into it.", now=now
    )
    services.ticket_reply_by_agent(
        ticket_id=ticket.pk, agent=desk.agent, body="Bank asked.", now=now, internal=True
    )
    dispute = dispute_services.dispute_open(
        buyer=desk.buyer,
        order_number=orders[0].number,
        reason=DisputeReason.DAMAGED,
        wanted_outcome=WantedOutcome.FULL_REFUND,
        description="It arrived dented.",
        now=now,
    )
    dispute_services.dispute_seller_reject(
        dispute_id=dispute.pk, seller=seller, statement="It left us whole.", now=now
    )
    dispute_services.dispute_buyer_escalate(dispute_id=dispute.pk, buyer=desk.buyer, now=now)
    escalated = Dispute.objects.get(pk=dispute.pk).ticket
    assert escalated is not None
    services.ticket_route(ticket_id=escalated.pk, now=now)
    claim = dispute_services.warranty_claim_open(
        buyer=desk.buyer,
        item_id=orders[1].items.get().pk,
        defect="It stopped heating.",
        remedy=Remedy.REPAIR,
        now=now,
    )
    faq_services.assistant_ask(
        question="Where is my refund?", language="en", visitor="csp-visitor", now=now
    )
    return Everything(
        desk=desk,
        supervisor=supervisor,
        seller=seller,
        ticket=ticket,
        escalated=Ticket.objects.get(pk=escalated.pk),
        dispute=dispute,
        claim=claim,
    )


def desk_pages(world: Everything) -> dict[str, list[str]]:
    """Return the desk's own pages (not the admin) each kind of visitor opens."""
    entry = world.desk.payment_failed
    ticket, dispute, claim = world.ticket, world.dispute, world.claim
    return {
        "anonymous": [
            "/help/",
            f"/help/{entry.topic.slug}/",
            f"/help/{entry.topic.slug}/{entry.slug}/",
            "/help/search/?q=card",
            "/help/search/?q=zzqxnothing",
            "/help/assistant/",
            "/help/contact/",
            "/accounts/login/",
            "/accounts/signup/",
            "/api/docs/",
            "/help/no-such-topic/no-such-entry/",
        ],
        "buyer": [
            "/help/requests/",
            f"/help/requests/{ticket.pk}/",
            f"/help/requests/new/{entry.pk}/chat/",
            "/help/disputes/",
            "/help/disputes/new/",
            "/help/disputes/warranty/new/",
            f"/help/disputes/{dispute.pk}/",
            f"/help/disputes/claims/{claim.pk}/",
            "/agent/",
        ],
        "seller": [
            "/seller/",
            f"/seller/disputes/{dispute.pk}/",
            f"/seller/claims/{claim.pk}/",
        ],
        "agent": [
            "/agent/",
            f"/agent/tickets/{ticket.pk}/",
            f"/agent/tickets/{world.escalated.pk}/",
            "/agent/board/",
        ],
        "supervisor": ["/agent/reports/", "/admin/"],
    }


def admin_pages(supervisor: User) -> list[tuple[str, int]]:
    """Return each model's list, add form and first object's change form in the admin,
    with the status the supervisor gets: 200 where the model's admin lets them in, else 403.
    """
    request = RequestFactory().get("/admin/")
    request.user = supervisor
    pages: list[tuple[str, int]] = []
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        can_view = model_admin.has_view_or_change_permission(request)
        can_add = model_admin.has_add_permission(request)
        pages.append((reverse(f"{name}_changelist"), 200 if can_view else 403))
        pages.append((reverse(f"{name}_add"), 200 if can_add else 403))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            change = reverse(f"{name}_change", args=[first.pk])
            pages.append((change, 200 if can_view else 403))
    return pages


@pytest.fixture
def everything(db: None) -> Everything:
    return build_everything()


@pytest.fixture
def visit() -> Iterator[Callable[[User | None, str], Any]]:
    """Return ``visit(person, path)``: GET ``path`` as ``person`` (None: anonymous)."""
    clients: dict[int | None, Client] = {}

    def get(person: User | None, path: str) -> Any:
        key = None if person is None else person.pk
        if key not in clients:
            clients[key] = Client()
            if person is not None:
                clients[key].force_login(person)
        return clients[key].get(path)

    yield get


def test_every_page_answers_the_strict_policy_and_needs_no_inline_allowance(
    everything: Everything, visit: Callable[[User | None, str], Any]
) -> None:
    people: dict[str, User | None] = {
        "anonymous": None,
        "buyer": everything.desk.buyer,
        "seller": everything.seller,
        "agent": everything.desk.agent,
        "supervisor": everything.supervisor,
    }
    refused = {("anonymous", "/help/no-such-topic/no-such-entry/"): 404, ("buyer", "/agent/"): 403}
    walk = [
        (people[who], path, refused.get((who, path), 200))
        for who, paths in desk_pages(everything).items()
        for path in paths
    ]
    supervisor = everything.supervisor
    in_admin = admin_pages(supervisor)
    assert sum(status == 200 for _path, status in in_admin) > 40, "the supervisor sees the admin"
    walk += [(supervisor, path, status) for path, status in in_admin]
    for person, path, status in walk:
        where = f"{path} as {person or 'anonymous'}"
        response = visit(person, path)
        assert response.status_code == status, f"{where}: {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), where
        policy = assert_strict(response.get("Content-Security-Policy"), where=where)
        assert_markup_needs_no_inline_allowance(
            response.content.decode(), nonce=page_nonce(policy), where=where
        )


def test_each_page_gets_its_own_nonce(everything: Everything) -> None:
    nonces = set()
    for _ in range(3):
        response = Client().get("/api/docs/")
        nonce = page_nonce(parse_policy(response["Content-Security-Policy"]))
        if nonce is not None:
            assert len(nonce) >= 16
            nonces.add(nonce)
    assert len(nonces) in (0, 3), "a nonce was reused across responses"


# --- Templates and scripts as written --------------------------------------------


def template_files() -> list[Path]:
    """Return every template of the desk: templates/ and each app's own templates/."""
    found = sorted((ROOT / "templates").rglob("*.html"))
    for app_templates in sorted(ROOT.glob("*/templates")):
        found += sorted(app_templates.rglob("*.html"))
    assert found, "no templates found"
    return found


def own_scripts() -> list[Path]:
    scripts = sorted((ROOT / "static" / "js").rglob("*.js"))
    assert scripts, "no scripts found"
    return scripts


_TAG = re.compile(r"<(?P<name>[a-zA-Z][\w-]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
_HANDLER = re.compile(r"(?:^|\s)on[a-z]+\s*=", re.I)
_SCRIPT_URL = re.compile(
    r"(?:href|src|action|formaction)\s*=\s*[\"']?\s*(?:javascript|vbscript):", re.I
)


def template_problems(source: str, *, page: bool = True) -> list[str]:
    """Return what in a template's source would need an inline allowance or could run script.

    ``page`` False is for mail: mail clients read only inline styles, and no
    policy header travels with a mail, so styles there are fine — scripts never.
    """
    problems = []
    # Comments are not markup: {# … #}, {% comment %}…{% endcomment %}, <!-- … -->.
    source = re.sub(
        r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|<!--.*?-->",
        " ",
        source,
        flags=re.S,
    )
    for tag in _TAG.finditer(source):
        name, attrs = tag.group("name").lower(), tag.group("attrs")
        # Template tags inside an element ({% if %}) are not attributes.
        plain = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", " ", attrs, flags=re.S)
        if _HANDLER.search(plain):
            problems.append(f"inline event handler: {tag.group(0)[:120]}")
        if _SCRIPT_URL.search(plain):
            problems.append(f"script URL: {tag.group(0)[:120]}")
        if page and re.search(r"(?:^|\s)style\s*=", plain, re.I):
            problems.append(f"inline style attribute: {tag.group(0)[:120]}")
        if page and name == "style" and "csp_nonce" not in attrs:
            problems.append(f"inline style sheet without the nonce: {tag.group(0)[:120]}")
        if name == "script" and not re.search(r"\bsrc\s*=", plain):
            type_match = re.search(r"\btype\s*=\s*[\"']?([\w/+-]+)", plain)
            if type_match and type_match.group(1).lower() in DATA_SCRIPT_TYPES:
                continue
            if "csp_nonce" not in attrs or not page:
                problems.append(f"inline script without the nonce: {tag.group(0)[:120]}")
    return problems


def test_no_template_needs_an_inline_allowance_or_writes_a_script_url() -> None:
    found = {}
    for path in template_files():
        relative = path.relative_to(ROOT)
        # Mail templates live in emails/ folders (templates/emails/, templates/<app>/emails/).
        problems = template_problems(
            path.read_text(encoding="utf-8"), page="emails" not in relative.parts
        )
        if problems:
            found[str(relative)] = problems
    assert found == {}


def test_the_template_check_finds_what_it_looks_for() -> None:
    assert template_problems('<button onclick="go()">Go</button>')
    assert template_problems("<a href='javascript:alert(1)'>x</a>")
    assert template_problems("<script>alert(1)</script>")
    assert template_problems('<img src=x\nonerror="alert(1)">')
    assert not template_problems('<script nonce="{{ csp_nonce }}">go()</script>')
    assert not template_problems("<script src=\"{% static 'js/desk.js' %}\" defer></script>")
    assert not template_problems('<div data-online="1" class="{% if on %}x{% endif %}">')
    assert template_problems('<img src="x.png" style="width: 1rem">')
    assert template_problems("<style>p { color: red }</style>")
    assert not template_problems('<style nonce="{{ csp_nonce }}">p { color: red }</style>')
    assert not template_problems('<td style="padding: 2px">', page=False)
    assert template_problems("<script>track()</script>", page=False)
    assert not template_problems(
        "{# never an inline <style> #}{% comment %}<script>{% endcomment %}"
    )


_UNSAFE_JS = {
    "eval(": re.compile(r"\beval\s*\("),
    "new Function(": re.compile(r"\bnew\s+Function\s*\("),
    "a string to setTimeout/setInterval": re.compile(r"\bset(?:Timeout|Interval)\s*\(\s*[\"'`]"),
    "document.write": re.compile(r"\bdocument\.write(?:ln)?\s*\("),
    "innerHTML/outerHTML": re.compile(r"\.(?:inner|outer)HTML\s*\+?="),
    "insertAdjacentHTML": re.compile(r"\binsertAdjacentHTML\s*\("),
    "createContextualFragment (runs scripts it is given)": re.compile(
        r"\bcreateContextualFragment\s*\("
    ),
    "an inline handler set as an attribute": re.compile(
        r"setAttribute\s*\(\s*[\"']on[a-z]+[\"']", re.I
    ),
}


def test_our_scripts_neither_evaluate_strings_nor_write_raw_html() -> None:
    found = {
        str(path.relative_to(ROOT)): [
            what for what, pattern in _UNSAFE_JS.items() if pattern.search(path.read_text())
        ]
        for path in own_scripts()
    }
    assert {path: what for path, what in found.items() if what} == {}
