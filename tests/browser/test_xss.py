"""Hostile text in every field a person or a program fills in runs nowhere it is shown.

The XSS corpus (``tests/security/xss_corpus.py``) goes into ticket subjects
and messages (the buyer's, the agent's replies and internal notes, the
assistant's suggestions), people's names, shop names and item titles,
rating comments, FAQ questions and Markdown answers, topic and macro names,
search queries and the assistant's questions, dispute and warranty
statements, counter-offers and decisions, evidence and attachment file
names, fields created through the API (orders, tickets, messages with
files, FAQ entries, topics) and a reply by mail (subject, HTML body,
attachment). Then every page that shows them — the buyer's requests and
disputes, the seller centre, the agent's home, ticket, case panel and board,
the reports, the help centre's topic, answer, search and assistant pages,
and the admin's lists and forms — is opened in headless Chromium, signed in
as whoever may see it.

Each page must open no dialog (``alert``/``confirm``/``prompt``; ``print()``
is recorded too), carry no event-handler attribute, no script URL and no
script a payload wrote, and show the hostile text as text where it belongs.

These pages are opened with the Content-Security-Policy switched off in the
browser, so that escaping is tested on its own: the policy would stop most
of these payloads even if a template forgot to escape. The last tests check
that second wall in the browser: the policy blocks an injected handler, and
the API docs and the script-heavy pages run under it without a violation.

The hostile data is built once per test in a few objects holding many
payloads each, so that the whole module stays around a minute.
"""

from __future__ import annotations

import io
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from email.message import EmailMessage
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect
from rest_framework.test import APIClient

from accounts.models import User
from disputes import services as dispute_services
from disputes.models import Dispute, DisputeReason, Evidence, Remedy, WantedOutcome
from disputes.services.evidence import (
    dispute_open_with_evidence,
    warranty_claim_open_with_evidence,
)
from faq import services as faq_services
from faq.models import FaqEntry, Topic
from orders.models import Order
from reports.services import reports_rollup
from tests.browser.conftest import PageProblems, watch
from tests.factories import (
    AgentFactory,
    BuyerFactory,
    SellerFactory,
    SupervisorFactory,
    api_key_with,
)
from tests.security.test_csp import assert_strict, build_everything
from tests.security.xss_corpus import DIALOG_CALL, ONE_LINE, PAYLOADS, joined
from tests.tickets.conftest import Desk, build_desk
from tickets import services
from tickets.inbound.addresses import reply_address
from tickets.inbound.parsing import mail_parse
from tickets.inbound.service import Outcome, inbound_mail_receive
from tickets.models import Attachment, InboundMail, Presence, Ticket
from tickets.services.assistant import ticket_assistant_reply
from tickets.services.attachments import ticket_reply_by_buyer_with_files
from tickets.services.macros import macro_upsert
from tickets.services.rating import ticket_rate
from tickets.status import Status

pytestmark = pytest.mark.browser

# Field sizes of the models the payloads go into.
SUBJECT_MAX = 200
NAME_MAX = 150
TOPIC_NAME_MAX = 80
SHOP_NAME_MAX = 120
ITEM_TITLE_MAX = 200
QUESTION_MAX = 300
QUERY_MAX = 200
FILE_STEM_MAX = 60

SUBJECTS = joined(ONE_LINE, separator=" ", most=SUBJECT_MAX)
NAMES = joined(ONE_LINE, separator=" ", most=NAME_MAX)
TITLES = joined(ONE_LINE, separator=" ", most=ITEM_TITLE_MAX)
# The one word each FAQ question and the assistant's ticket share, so search finds them.
CANARY = "kettlewarranty"
QUESTIONS = joined(ONE_LINE, separator=" ", most=QUESTION_MAX - len(CANARY) - 1)
QUERIES = joined(ONE_LINE, separator=" ", most=QUERY_MAX)
# Everything in one text: messages, statements, Markdown answers.
[EVERYTHING] = joined(PAYLOADS, most=10_000)
# File names: payloads short enough to be a name, each with an extension; those that
# break out of attributes first (a name is shown in alt="…" and download links).
FILE_NAMES = [
    f"{p.text}.png"
    for p in sorted(ONE_LINE, key=lambda p: p.kind not in ("attribute", "unicode", "template"))
    if len(p.text) <= FILE_STEM_MAX
]
# A question the assistant finds from a ticket's subject and offers as its first reply.
ASSISTED_QUESTION = f"{CANARY} {ONE_LINE[0].text}"

# Run in every page after it loads: what a payload would have left behind.
FIND_INJECTED = """
() => {
  const found = [];
  const urlAttributes = /^(href|src|action|formaction|data|poster|srcdoc|xlink:href|background)$/i;
  const script = /^\\s*(javascript|vbscript|data):/i;
  for (const element of document.querySelectorAll("*")) {
    const tag = element.tagName.toLowerCase();
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\u0000-\\u0020]/g, "");
      if (name.startsWith("on")) found.push(`<${tag} ${name}>`);
      if (name.startsWith("hx-on") || (name === "hx-vals" && /^(js|javascript):/i.test(value)))
        found.push(`<${tag} ${name}>`);
      if (urlAttributes.test(name) && script.test(value) && !/^data:image\\//i.test(value))
        found.push(`<${tag} ${name}=${attribute.value}>`);
      if (name === "style" && /expression|javascript:|url\\(/i.test(value))
        found.push(`<${tag} style=${attribute.value}>`);
    }
    if (["iframe", "object", "embed", "base", "frame", "frameset"].includes(tag))
      found.push(`<${tag}>`);
    if (["meta", "style"].includes(tag) && element.closest("body"))
      found.push(`<${tag}> in the body`);
    // Our partials link their own style sheets; nothing else may be linked in.
    if (tag === "link" && !element.href.startsWith(`${location.origin}/static/`))
      found.push(`<link href=${element.getAttribute("href")}>`);
    // Data blocks (json_script) are never run; their text must stay escaped all the same.
    const data = ["application/json", "application/ld+json"].includes(element.type);
    if (tag === "script" && !element.src && data && /[<>]/.test(element.textContent))
      found.push(`<script type=${element.type}> with raw < or >`);
    if (tag === "script" && !element.src && !data && DIALOG.test(element.textContent))
      found.push(`<script>${element.textContent.slice(0, 60)}</script>`);
  }
  // The page's text, hidden parts (a closed <details>, a chart's table) included.
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll("script, style, template").forEach((node) => node.remove());
  copy.querySelectorAll("br").forEach((br) => br.replaceWith("\\n"));
  copy.querySelectorAll("p, div, li, td, th, dd, dt, h1, h2, h3, h4, option").forEach(
    (block) => block.append(" ")
  );
  return { found, calls: window.__xssCalls || [], text: copy.textContent };
}
""".replace("DIALOG", "/" + DIALOG_CALL.pattern + "/")

# Record calls that open no dialog Playwright can see; the rest open real dialogs.
RECORD_CALLS = """
window.__xssCalls = [];
window.print = () => window.__xssCalls.push("print()");
"""


def words(text: str) -> str:
    """Return ``text`` with every run of whitespace made one space, as a page shows it."""
    return " ".join(text.split())


def png(name: str) -> SimpleUploadedFile:
    """Return a small real PNG called ``name``."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def key_client(*scopes: str) -> APIClient:
    _key, raw = api_key_with(*scopes, name="hostile integrator")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def created(response: Any) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.json()
    body: dict[str, Any] = response.json()
    return body


# --- The hostile desk --------------------------------------------------------------


@dataclass
class Page:
    """A page to open, who opens it, and the hostile texts it must show as text."""

    path: str
    who: str | None
    shows: list[str] = field(default_factory=list)
    # CSS selector -> the value a form field must hold (what was typed, as typed).
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class HostileDesk:
    desk: Desk
    people: dict[str, User]
    topic: Topic
    entry: FaqEntry
    ticket: Ticket
    rated: Ticket
    api_ticket: int
    dispute: Dispute
    countered: Dispute
    claim_id: int
    orders: list[Order]


def _people(desk: Desk) -> dict[str, User]:
    """A buyer, agent, seller and supervisor whose names are payloads; more buyers for the rest."""
    buyer = BuyerFactory(username="hostile-buyer", first_name=NAMES[0])
    agent = AgentFactory(username="hostile-agent", first_name=NAMES[1])
    queues = [desk.en_payment, desk.en_refund, desk.en_dispute, desk.en_warranty]
    services.agent_configure(agent=agent, queues=queues, languages=["en"], capacity=50)
    now = timezone.now()
    for other in (desk.agent, desk.agent_ru):
        services.agent_set_presence(agent=other, presence=Presence.OFFLINE, now=now)
    services.agent_set_presence(agent=agent, presence=Presence.ONLINE, now=now)
    people = {
        "buyer": buyer,
        "agent": agent,
        "seller": SellerFactory(username="hostile-seller", first_name=NAMES[2]),
        "supervisor": SupervisorFactory(username="hostile-supervisor", first_name=NAMES[3]),
    }
    for number, name in enumerate(NAMES[4:]):
        people[f"buyer-{number}"] = BuyerFactory(
            username=f"hostile-buyer-{number}", first_name=name
        )
    return people


def _help_centre() -> tuple[Topic, FaqEntry]:
    """FAQ entries with hostile questions and one hostile Markdown answer, some through the API."""
    editor = key_client("faq:write", "faq:read")
    topic_slug = "hostile-topic"
    created(
        editor.post(
            "/api/v1/topics/",
            {"slug": topic_slug, "name": {"en": ONE_LINE[0].text[:TOPIC_NAME_MAX]}},
            format="json",
        )
    )
    topic = Topic.objects.get(slug=topic_slug)
    entry_id = created(
        editor.post(
            "/api/v1/faq/entries/",
            {
                "topic": topic_slug,
                "slug": "hostile-answer",
                "operator_resolvable": True,
                "translations": [
                    {
                        "language": "en",
                        "question": f"{CANARY} {QUESTIONS[0]}",
                        "answer": f"Read this first.\n\n{EVERYTHING}",
                    }
                ],
            },
            format="json",
        )
    )["id"]
    faq_services.faq_entry_upsert(
        topic=topic, slug="hostile-assisted", texts={"en": (ASSISTED_QUESTION, EVERYTHING)}
    )
    for number, question in enumerate(QUESTIONS[1:], start=1):
        faq_services.faq_entry_upsert(
            topic=topic,
            slug=f"hostile-question-{number}",
            texts={"en": (f"{CANARY} {question}", EVERYTHING)},
        )
    return topic, FaqEntry.objects.get(pk=entry_id)


def _tickets(desk: Desk, people: dict[str, User], entry: FaqEntry) -> tuple[Ticket, Ticket, int]:
    """Tickets with hostile subjects and a full hostile conversation on the first."""
    now = timezone.now()
    buyer, agent = people["buyer"], people["agent"]
    buyers = [buyer] + [p for name, p in people.items() if name.startswith("buyer-")]
    tickets = []
    for number, subject in enumerate(SUBJECTS):
        request = services.TicketRequest(
            subject=subject,
            description=EVERYTHING,
            language="en",
            channel="web",
            order_number="MP-1001",
            transaction_id="TX-42",
            amount=Decimal("59.90"),
        )
        # The buyer's own list shows most subjects; the others' tickets reach the agent.
        owner = buyer if number % 3 else buyers[number % len(buyers)]
        ticket = services.ticket_open(buyer=owner, topic=desk.payment, request=request, now=now)
        services.ticket_route(ticket_id=ticket.pk, now=now)
        tickets.append(ticket)
    ticket = next(t for t in tickets if t.buyer_id == buyer.pk)
    ticket_reply_by_buyer_with_files(
        ticket_id=ticket.pk,
        buyer=buyer,
        body=EVERYTHING,
        files=[png(name) for name in FILE_NAMES[:5]],
        now=now,
    )
    services.ticket_reply_by_agent(ticket_id=ticket.pk, agent=agent, body=EVERYTHING, now=now)
    services.ticket_reply_by_agent(
        ticket_id=ticket.pk, agent=agent, body=EVERYTHING, now=now, internal=True
    )
    macro_upsert(
        name=ONE_LINE[1].text[:80],
        language="en",
        body=f"Hello {{buyer_name}}, about {{subject}}: {EVERYTHING[:2000]}",
    )

    # Through the API: a ticket for the buyer and a message with hostile file names.
    writer = key_client("tickets:write", "tickets:read")
    api_ticket = created(
        writer.post(
            "/api/v1/tickets/",
            {
                "topic": "payment",
                "subject": SUBJECTS[-1],
                "description": EVERYTHING,
                "buyer": buyer.username,
                "order_number": "MP-1001",
                "transaction_id": "TX-42",
                "amount": "59.90",
            },
            format="json",
        )
    )["id"]
    services.ticket_route(ticket_id=api_ticket, now=now)
    created(
        writer.post(
            f"/api/v1/tickets/{api_ticket}/messages/",
            {"body": EVERYTHING, "files": [png(name) for name in FILE_NAMES[5:10]]},
            format="multipart",
        )
    )

    # A reply by mail: hostile subject, an HTML body, a hostile attachment name.
    mail = EmailMessage()
    mail["From"] = f'"{NAMES[0][:60]}" <{buyer.email}>'
    mail["To"] = reply_address(ticket_id=ticket.pk, email=buyer.email)
    mail["Subject"] = SUBJECTS[0]
    mail["Message-ID"] = "<hostile-reply@mail.example.com>"
    mail.set_content(
        "<html><body><p>"
        + EVERYTHING.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        + "</p><script>alert(1)</script><img src=x onerror=alert(1)></body></html>",
        subtype="html",
    )
    photo = png("x")
    mail.add_attachment(
        photo.read(), maintype="image", subtype="png", filename=FILE_NAMES[10 % len(FILE_NAMES)]
    )
    result = inbound_mail_receive(mail=mail_parse(mail.as_bytes()), now=now)
    assert result.outcome == Outcome.ADDED, result

    # The assistant's suggestions (hostile questions) as the first reply of a ticket.
    assisted = services.ticket_open(
        buyer=buyer,
        topic=entry.topic,
        request=services.TicketRequest(
            subject=ASSISTED_QUESTION, description=EVERYTHING, language="en", channel="web"
        ),
        now=now,
    )
    assert ticket_assistant_reply(ticket_id=assisted.pk, now=now) is not None
    services.ticket_route(ticket_id=assisted.pk, now=now)

    # A solved ticket rated with a hostile comment.
    rated = tickets[1] if tickets[1].buyer_id == buyer.pk else tickets[2]
    services.ticket_set_status_by_agent(
        ticket_id=rated.pk, agent=agent, status=Status.SOLVED, now=now
    )
    ticket_rate(ticket_id=rated.pk, buyer=buyer, score=2, comment=EVERYTHING[:2000], now=now)
    return ticket, rated, api_ticket


def _cases(desk: Desk, people: dict[str, User]) -> tuple[Dispute, Dispute, int, list[Order]]:
    """Orders pushed over the API with hostile titles; disputes and a claim full of payloads."""
    now = timezone.now()
    buyer, seller, agent = people["buyer"], people["seller"], people["agent"]
    marketplace = key_client("orders:write", "orders:read")
    delivered = (now - timedelta(days=3)).isoformat()
    orders = []
    for number in range(3):
        created(
            marketplace.post(
                "/api/v1/orders/",
                {
                    "number": f"MP-66{number:02d}",
                    "buyer": buyer.username,
                    "shop": "hostile-shop",
                    "shop_name": NAMES[2][:SHOP_NAME_MAX],
                    "seller": seller.username,
                    "status": "delivered",
                    "currency": "EUR",
                    "paid_at": delivered,
                    "shipped_at": delivered,
                    "delivered_at": delivered,
                    "items": [
                        {"title": title, "price": "10.00", "warranty_months": 24}
                        for title in TITLES
                    ],
                },
                format="json",
            )
        )
        orders.append(Order.objects.get(number=f"MP-66{number:02d}"))

    # Escalated and decided: the buyer's story, the seller's refusal, the agent's decision.
    dispute = dispute_open_with_evidence(
        buyer=buyer,
        order_number=orders[0].number,
        reason=DisputeReason.DAMAGED,
        wanted_outcome=WantedOutcome.FULL_REFUND,
        description=EVERYTHING[:5000],
        files=[png(name) for name in FILE_NAMES[:5]],
        now=now,
    )
    dispute_services.evidence_add(
        person=seller,
        files=[png(name) for name in FILE_NAMES[5:10]],
        now=now,
        dispute_id=dispute.pk,
    )
    dispute_services.dispute_seller_reject(
        dispute_id=dispute.pk, seller=seller, statement=EVERYTHING[:5000], now=now
    )
    dispute_services.dispute_buyer_escalate(
        dispute_id=dispute.pk, buyer=buyer, note=EVERYTHING[:5000], now=now
    )
    escalation = Dispute.objects.get(pk=dispute.pk).ticket
    assert escalation is not None
    services.ticket_route(ticket_id=escalation.pk, now=now)
    services.ticket_reply_by_agent(
        ticket_id=escalation.pk, agent=agent, body=EVERYTHING, now=now, internal=True
    )

    # Counter-offered over the API by the seller's own key.
    countered = dispute_services.dispute_open(
        buyer=buyer,
        order_number=orders[1].number,
        reason=DisputeReason.NOT_AS_DESCRIBED,
        wanted_outcome=WantedOutcome.PARTIAL_REFUND,
        partial_amount=Decimal("5.00"),
        description=EVERYTHING[:5000],
        now=now,
    )
    _key, raw = api_key_with("seller", seller=seller)
    seller_tool = APIClient()
    seller_tool.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    created(
        seller_tool.post(
            f"/api/v1/disputes/{countered.pk}/counter-offer/",
            {"amount": "4.00", "statement": EVERYTHING[:5000]},
            format="json",
        )
    )

    # A warranty claim refused by the seller: it escalates to the desk.
    item = orders[2].items.order_by("id").first()
    assert item is not None
    claim = warranty_claim_open_with_evidence(
        buyer=buyer,
        item_id=item.pk,
        defect=EVERYTHING[:5000],
        remedy=Remedy.REPAIR,
        files=[png(name) for name in FILE_NAMES[10:15]],
        now=now,
    )
    dispute_services.warranty_claim_seller_refuse(
        claim_id=claim.pk, seller=seller, statement=EVERYTHING[:5000], now=now
    )
    claim_ticket = Ticket.objects.get(warranty_claim__pk=claim.pk)
    services.ticket_route(ticket_id=claim_ticket.pk, now=now)
    return dispute, countered, claim.pk, orders


def build_hostile_desk() -> HostileDesk:
    desk = build_desk()
    people = _people(desk)
    topic, entry = _help_centre()
    ticket, rated, api_ticket = _tickets(desk, people, entry)
    dispute, countered, claim_id, orders = _cases(desk, people)
    dispute = Dispute.objects.get(pk=dispute.pk)
    assert dispute.ticket is not None
    dispute_services.dispute_decide(
        dispute_id=dispute.pk,
        agent=people["agent"],
        refund_amount=Decimal("10.00"),
        return_required=False,
        return_cost_bearer="",
        note=EVERYTHING[:5000],
        now=timezone.now(),
    )
    for query in QUERIES:
        faq_services.assistant_ask(
            question=query, language="en", visitor="hostile-visitor", now=timezone.now()
        )
    # The reports read what the nightly rollup made of it all.
    reports_rollup(now=timezone.now())
    return HostileDesk(
        desk=desk,
        people=people,
        topic=topic,
        entry=entry,
        ticket=ticket,
        rated=rated,
        api_ticket=api_ticket,
        dispute=dispute,
        countered=countered,
        claim_id=claim_id,
        orders=orders,
    )


# --- Opening pages -------------------------------------------------------------------


@dataclass
class Visit:
    """What one page left behind."""

    path: str
    who: str
    injected: list[str]
    calls: list[str]
    missing: list[str]


@pytest.fixture
def hostile(transactional_db: None) -> HostileDesk:
    return build_hostile_desk()


@pytest.fixture
def dialogs_seen() -> list[str]:
    """Every dialog a page of ``open_as`` opened (each dismissed at once)."""
    return []


@pytest.fixture
def open_as(
    chromium_browser: Any,
    desk_url: Callable[[str], str],
    page_problems: PageProblems,
    dialogs_seen: list[str],
) -> Iterator[Callable[[User | None], Any]]:
    """Return ``open_as(person)``: a new page signed in as ``person``, the policy switched off.

    One browser context per person; a new page for each call, so that a page a
    payload broke cannot hold up the next. Dialogs go to ``dialogs_seen``,
    browser errors to ``page_problems``. Close each page when done with it.
    """
    contexts: dict[int | None, Any] = {}

    def context_of(person: User | None) -> Any:
        key = None if person is None else person.pk
        if key in contexts:
            return contexts[key]
        context = chromium_browser.new_context(
            viewport={"width": 1280, "height": 800}, locale="en-US", bypass_csp=True
        )
        context.set_default_timeout(10_000)
        if person is not None:
            client = Client()
            client.force_login(person)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": desk_url("/")}]
            )
        context.add_init_script(RECORD_CALLS)
        contexts[key] = context
        return context

    def make(person: User | None) -> Any:
        page = context_of(person).new_page()

        def on_dialog(dialog: Any) -> None:
            dialogs_seen.append(f"{dialog.type}: {dialog.message} on {page.url}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        watch(page, page_problems)
        return page

    yield make
    for context in contexts.values():
        context.close()


def inspect(page: Any, *, who: str, shows: list[str], values: dict[str, str]) -> Visit:
    """Let the loaded page settle and report what a payload left behind in it."""
    stuck = []
    try:
        # Handlers fire on load (onerror, onload), on focus (autofocus), a task later (ontoggle).
        page.wait_for_load_state("load", timeout=5_000)
    except PlaywrightTimeoutError:
        # A page our markup alone makes loads at once; one that hangs is running something.
        stuck = ["the page never finished loading"]
    page.wait_for_timeout(100)
    seen = page.evaluate(FIND_INJECTED)
    text = words(seen["text"])
    return Visit(
        path=urllib.parse.urlsplit(page.url).path,
        who=who,
        injected=stuck + seen["found"],
        calls=seen["calls"],
        missing=[shown for shown in shows if words(shown) not in text]
        + [
            f"{selector} = {value!r}"
            for selector, value in values.items()
            if page.locator(selector).input_value() != value
        ],
    )


def visit(page: Any, url: str, *, who: str, shows: list[str], values: dict[str, str]) -> Visit:
    """Open ``url`` and report what a payload left behind in it."""
    response = page.goto(url, wait_until="domcontentloaded")
    assert response is not None
    if response.status != 200:
        return Visit(urllib.parse.urlsplit(url).path, who, [f"HTTP {response.status}"], [], [])
    return inspect(page, who=who, shows=shows, values=values)


def type_and_send(
    world: HostileDesk, open_as: Callable[[User | None], Any], desk_url: Callable[[str], str]
) -> list[Visit]:
    """Type hostile text where people type, send it, and report the pages that come back."""
    visits = []
    # Suggestions as you type: the server's list of (hostile) questions, put in by desk.js.
    page = open_as(None)
    page.goto(desk_url("/help/"))
    page.locator("#help-search").press_sequentially(CANARY, delay=10)
    page.locator("[data-testid=suggestions] a").first.wait_for()
    visits.append(inspect(page, who="anonymous typing", shows=[], values={}))
    page.close()

    # The assistant, asked a hostile question, shows it back and its (hostile) answers.
    page = open_as(None)
    page.goto(desk_url("/help/assistant/"))
    question = ASSISTED_QUESTION
    page.get_by_label("Your question").fill(question)
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.get_by_role("button", name="Ask", exact=True).click()
    visits.append(
        inspect(
            page,
            who="anonymous asking",
            shows=[ASSISTED_QUESTION],
            values={"textarea[name=question]": question},
        )
    )
    page.close()

    # The contact form, sent with a hostile subject and a refused file with a hostile name:
    # the errors name the file, and what was typed comes back as typed.
    page = open_as(world.people["buyer"])
    page.goto(desk_url(f"/help/requests/new/{world.entry.pk}/chat/"))
    page.locator("input[name=subject]").fill(SUBJECTS[0])
    page.locator("textarea[name=description]").fill(EVERYTHING)
    page.locator("input[type=file]").set_input_files(
        {
            "name": f"{ONE_LINE[8].text}.exe",
            "mimeType": "image/png",
            "buffer": b"MZ\x90\x00" + b"\x00" * 64,
        }
    )
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator("[data-testid=contact-form] button[type=submit]").first.click()
    visits.append(
        inspect(
            page,
            who="buyer sending",
            shows=[ONE_LINE[8].text],
            values={"input[name=subject]": SUBJECTS[0]},
        )
    )
    page.close()
    return visits


def pages_to_open(world: HostileDesk) -> list[Page]:
    """Every page that shows hostile text, with who opens it and what it must show."""
    ticket, rated, dispute, countered = world.ticket, world.rated, world.dispute, world.countered
    escalation = Dispute.objects.get(pk=dispute.pk).ticket
    claim_ticket = Ticket.objects.filter(warranty_claim__pk=world.claim_id).first()
    assert escalation is not None and claim_ticket is not None
    entry = world.entry
    ticket_files = list(
        Attachment.objects.filter(ticket_id=ticket.pk).values_list("name", flat=True)
    )
    api_files = list(
        Attachment.objects.filter(ticket_id=world.api_ticket).values_list("name", flat=True)
    )
    dispute_files = list(Evidence.objects.filter(dispute=dispute).values_list("name", flat=True))
    claim_files = list(
        Evidence.objects.filter(claim_id=world.claim_id).values_list("name", flat=True)
    )
    assert ticket_files and api_files and dispute_files and claim_files
    pages = [
        # The buyer.
        Page("/help/requests/", "buyer", [ticket.subject]),
        Page(
            f"/help/requests/{ticket.pk}/",
            "buyer",
            [ticket.subject, EVERYTHING, *ticket_files, NAMES[1]],
        ),
        Page(f"/help/requests/{rated.pk}/", "buyer", [rated.subject, EVERYTHING[:2000]]),
        Page(f"/help/requests/{world.api_ticket}/", "buyer", [EVERYTHING, *api_files]),
        Page("/help/disputes/", "buyer", []),
        Page(
            f"/help/disputes/{dispute.pk}/",
            "buyer",
            [EVERYTHING[:5000], TITLES[0], *dispute_files],
        ),
        Page(f"/help/disputes/{countered.pk}/", "buyer", [EVERYTHING[:5000]]),
        Page(
            f"/help/disputes/claims/{world.claim_id}/", "buyer", [EVERYTHING[:5000], *claim_files]
        ),
        # The seller.
        Page("/seller/", "seller", []),
        Page(
            f"/seller/disputes/{dispute.pk}/",
            "seller",
            [EVERYTHING[:5000], NAMES[0], *dispute_files],
        ),
        Page(f"/seller/disputes/{countered.pk}/", "seller", [EVERYTHING[:5000]]),
        Page(f"/seller/claims/{world.claim_id}/", "seller", [EVERYTHING[:5000], *claim_files]),
        # The agent.
        Page("/agent/", "agent", [ticket.subject]),
        Page(
            f"/agent/tickets/{ticket.pk}/",
            "agent",
            [ticket.subject, EVERYTHING, NAMES[0], *ticket_files],
        ),
        Page(f"/agent/tickets/{rated.pk}/", "agent", [EVERYTHING[:2000]]),
        Page(f"/agent/tickets/{world.api_ticket}/", "agent", [EVERYTHING, *api_files]),
        Page(f"/agent/tickets/{escalation.pk}/", "agent", [EVERYTHING[:5000]]),
        Page(f"/agent/tickets/{claim_ticket.pk}/", "agent", [EVERYTHING[:5000]]),
        Page("/agent/board/", "agent", []),
        # The help centre, anonymous.
        Page("/help/", None, [world.topic.name]),
        Page(f"/help/{world.topic.slug}/", None, [world.topic.name]),
        Page(f"/help/{world.topic.slug}/{entry.slug}/", None, [PAYLOADS[0].text]),
        Page(f"/help/search/?q={CANARY}", None, []),
        *(
            Page(
                f"/help/search/?q={urllib.parse.quote(query)}",
                None,
                values={"#help-search": query},
            )
            for query in QUERIES
        ),
        # The supervisor.
        Page("/agent/reports/", "supervisor", [NAMES[1]]),
    ]
    admin = [
        ("tickets/ticket", [ticket.subject]),
        ("accounts/user", [NAMES[0]]),
        ("faq/faqentry", []),
        ("faq/topic", [world.topic.name]),
        ("faq/assistantquestion", []),
        ("tickets/inboundmail", [SUBJECTS[0]]),
        ("tickets/macro", []),
        ("tickets/notification", []),
        ("orders/order", []),
        ("orders/shop", [NAMES[2][:SHOP_NAME_MAX]]),
        ("disputes/dispute", []),
        ("disputes/warrantyclaim", []),
        ("audit/auditentry", []),
        ("audit/tickethistory", []),
        ("audit/disputehistory", []),
        ("audit/claimhistory", []),
    ]
    pages += [Page(f"/admin/{model}/", "supervisor", shows) for model, shows in admin]
    inbound = InboundMail.objects.get()
    pages += [
        Page(f"/admin/tickets/ticket/{ticket.pk}/change/", "supervisor", [ticket.subject]),
        Page(f"/admin/disputes/dispute/{dispute.pk}/change/", "supervisor", []),
        Page(f"/admin/disputes/warrantyclaim/{world.claim_id}/change/", "supervisor", []),
        Page(f"/admin/faq/faqentry/{entry.pk}/change/", "supervisor", []),
        Page(f"/admin/faq/topic/{world.topic.pk}/change/", "supervisor", []),
        Page(f"/admin/accounts/user/{world.people['buyer'].pk}/change/", "supervisor", []),
        Page(f"/admin/orders/order/{world.orders[0].pk}/change/", "supervisor", []),
        Page(f"/admin/tickets/inboundmail/{inbound.pk}/change/", "supervisor", []),
    ]
    return pages


def test_hostile_text_everywhere_opens_no_dialog_and_reads_as_text(
    hostile: HostileDesk,
    open_as: Callable[[User | None], Any],
    dialogs_seen: list[str],
    desk_url: Callable[[str], str],
    page_problems: PageProblems,
) -> None:
    visits = []
    for page_spec in pages_to_open(hostile):
        person = None if page_spec.who is None else hostile.people[page_spec.who]
        page = open_as(person)
        visits.append(
            visit(
                page,
                desk_url(page_spec.path),
                who=page_spec.who or "anonymous",
                shows=page_spec.shows,
                values=page_spec.values,
            )
        )
        page.close()
    visits += type_and_send(hostile, open_as, desk_url)
    report = [f"dialog {dialog}" for dialog in dialogs_seen] + [
        f"{v.path} as {v.who}: {problem}"
        for v in visits
        for problem in [
            *(f"called {call}" for call in v.calls),
            *(f"payload markup {found}" for found in v.injected),
            *(f"not shown as text: {missing[:80]!r}" for missing in v.missing),
        ]
    ]
    assert not report, "\n".join(report)
    assert page_problems.all() == []


# --- The second wall: the policy, in the browser -------------------------------------


@pytest.fixture
def csp_violations(page: Any, page_problems: Any) -> Iterator[list[str]]:
    """Record every policy violation the page reports, in the console and as DOM events."""
    violations: list[str] = []
    page.add_init_script(
        """
        window.__cspViolations = [];
        document.addEventListener("securitypolicyviolation", (event) => {
            window.__cspViolations.push(
                `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
                + ` at ${event.sourceFile}:${event.lineNumber}`
            );
        });
        """
    )

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append(message.text)

    page.on("console", on_console)
    yield violations


def dom_violations(page: Any) -> list[str]:
    found: list[str] = page.evaluate("() => window.__cspViolations || []")
    return found


def test_the_api_docs_run_under_the_policy_in_chromium(
    page: Any, desk_url: Callable[[str], str], csp_violations: list[str]
) -> None:
    response = page.goto(desk_url("/api/docs/"))
    assert response is not None
    assert_strict(response.headers.get("content-security-policy"), where="/api/docs/ in Chromium")
    # Swagger UI is a large script: give a busy machine time to run it.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text(
        "Support Desk API", timeout=30_000
    )
    # Open an operation: Swagger UI renders its parameters and example with script.
    page.locator(".opblock-summary", has_text="/api/v1/me").first.click(timeout=30_000)
    opened = page.locator(".opblock.is-open").first
    expect(opened.locator(".opblock-body")).to_be_visible(timeout=30_000)
    expect(opened.locator(".btn.try-out__btn")).to_be_visible(timeout=30_000)
    page.wait_for_load_state("networkidle")
    assert csp_violations == [], csp_violations
    assert dom_violations(page) == []


def test_script_heavy_pages_run_under_the_policy_in_chromium(
    page: Any,
    desk_url: Callable[[str], str],
    csp_violations: list[str],
    transactional_db: None,
) -> None:
    """The agent's ticket (htmx, macros), the reports (Chart.js) and an admin form load clean."""
    world = build_everything()
    reports_rollup(now=timezone.now())
    client = Client()
    client.force_login(world.supervisor)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": desk_url("/")}]
    )
    for path in (
        "/help/",
        f"/agent/tickets/{world.ticket.pk}/",
        "/agent/reports/",
        "/agent/board/",
        f"/admin/tickets/ticket/{world.ticket.pk}/change/",
        "/admin/tickets/businesshours/add/",
        "/admin/faq/faqentry/add/",
    ):
        response = page.goto(desk_url(path))
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
        assert csp_violations == [], f"{path}: {csp_violations}"
        assert dom_violations(page) == [], path
    # htmx, on the live pages, is told never to evaluate attributes or run swapped-in scripts.
    page.goto(desk_url(f"/agent/tickets/{world.ticket.pk}/"))
    page.wait_for_function("() => Boolean(window.htmx && window.htmx.config)")
    config = page.evaluate(
        "() => [htmx.config.allowEval, htmx.config.allowScriptTags, htmx.config.selfRequestsOnly]"
    )
    assert config == [False, False, True]
    # Charts were drawn, by scripts the policy let run.
    page.goto(desk_url("/agent/reports/"))
    canvases = page.locator("canvas[data-chart]")
    assert canvases.count() > 0
    drawn = canvases.evaluate_all("all => all.filter((c) => window.Chart.getChart(c)).length")
    assert drawn == canvases.count()


def test_the_policy_stops_a_handler_that_got_into_a_page(
    page: Any,
    desk_url: Callable[[str], str],
    csp_violations: list[str],
    page_problems: PageProblems,
) -> None:
    """Were a template ever to let a payload through, the policy would still not run it."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(desk_url("/help/"))
    # As an unescaped payload would land: markup the page did not write, with a handler.
    page.evaluate(
        """() => {
            const box = document.createElement("div");
            box.innerHTML = '<img src="/static/img/favicon.svg" onload="alert(1)">'
                + '<img src="/nowhere.png" onerror="alert(2)">';
            document.querySelector("main").append(box);
        }"""
    )
    page.wait_for_function("() => (window.__cspViolations || []).length >= 2")
    assert dialogs == []
    assert all("script-src" in violation for violation in dom_violations(page))
    assert csp_violations, "Chromium reported the blocked handlers in the console"
    # What this test provoked on purpose is not a problem of the page.
    page_problems.console_errors.clear()
    page_problems.failed_requests.clear()
