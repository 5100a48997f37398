"""Abusive uploads through every way a file reaches the desk: refused clearly, or stored and served safely.

The corpus (tests/security/uploads/corpus.py) holds markup a browser would
run, polyglots, files whose name and claimed type lie, empty and oversized
files, pixel floods, decompression bombs and hostile names. Each goes
through every upload path: the buyer's contact form and reply, the agent's
reply and note, opening a dispute or a warranty claim, adding evidence on
the four case pages, the tickets and evidence API, and inbound mail.

Each file must be refused with a 4xx that names it (a form error on the
page, ``invalid_attachment`` with the file's own code in the API; mail,
which cannot show a form, keeps the message and says which file it left
out), or stored under a generated name with the type found by its content
and then served so that no browser runs it: a download unless it is a
re-encoded image asked for inline, ``nosniff``, a sandboxing CSP, never as
HTML or SVG. Nothing may land outside the attachments storage, and no
request may end in a 5xx.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.http import HttpResponse
from django.test import override_settings
from django.utils import timezone

from disputes.models import Evidence
from orders.models import Order, OrderStatus, Shop
from orders.services import ItemSpec, order_upsert
from tests.security.route_args import ask, count_checks
from tests.security.uploads.corpus import LIMIT, TEXT, Sample, corpus, hostile_names
from tests.security.uploads.transport import Part, mime_reply, multipart
from tests.security.world import KEY_ALL, World
from tickets.attachments import (
    INLINE_TYPES,
    NAME_STEM_MAX,
    WINDOWS_DEVICES,
    InvalidAttachment,
    attachments_check,
)
from tickets.inbound.addresses import reply_address
from tickets.models import Attachment, InboundMail, Message, MessageKind

pytestmark = pytest.mark.django_db

STORED_TYPES = {"image/jpeg", "image/png", "application/pdf", "text/plain"}
GENERATED_PATH = re.compile(r"(attachments|evidence)/\d{4}/\d{2}/[0-9a-f]{32}")
INBOUND_SECRET = "abuse-corpus-inbound-secret"
SAMPLES = corpus() + hostile_names()
Row = Attachment | Evidence


# --- Who sends, and where -------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    """A principal of the world (a person's session, an API key or "anonymous")."""

    world: World
    principal: str

    def get(self, url: str) -> Any:
        return ask(self.world, self.principal, "GET", url)

    def head(self, url: str) -> Any:
        return ask(self.world, self.principal, "HEAD", url)

    def post(self, url: str, body: bytes, content_type: str, **headers: str) -> Any:
        return ask(
            self.world,
            self.principal,
            "POST",
            url,
            data=body,
            content_type=content_type,
            headers=headers,
        )


def post_files(
    caller: Caller, url: str, fields: dict[str, str], field: str, parts: list[Part]
) -> HttpResponse:
    body, content_type = multipart(fields, [(field, part) for part in parts])
    response: HttpResponse = caller.post(url, body, content_type)
    return response


_orders = iter(range(1, 10**6))


def fresh_order(world: World) -> Order:
    """Return a new delivered order of buyer A from the party seller's shop."""
    shop = Shop.objects.get(seller=world.people["seller"])
    delivered = timezone.now() - timedelta(days=3)
    return order_upsert(
        number=f"MP-UP{next(_orders):05d}",
        buyer=world.people["buyer_a"],
        shop=shop,
        status=OrderStatus.DELIVERED,
        currency="EUR",
        now=delivered,
        items=[ItemSpec("Electric kettle", 1, Decimal("40.00"), warranty_months=24)],
        paid_at=delivered - timedelta(days=5),
        shipped_at=delivered - timedelta(days=3),
        delivered_at=delivered,
    )


@dataclass(frozen=True)
class Channel:
    """One way a file reaches the desk."""

    key: str
    kind: str  # "page", "api" or "mail"
    model: type[Attachment] | type[Evidence]
    send: Callable[[World, list[Part]], HttpResponse]


def _contact_form(world: World, parts: list[Part]) -> HttpResponse:
    fields = {
        "order_number": "MP-S100",
        "transaction_id": "TX-42",
        "amount": "59.90",
        "subject": "Charged twice for one order",
        "description": "The bank statement shows two charges.",
    }
    url = f"/help/requests/new/{world.ids['entry']}/chat/"
    return post_files(Caller(world, "buyer_a"), url, fields, "attachments", parts)


def _buyer_reply(world: World, parts: list[Part]) -> HttpResponse:
    url = f"/help/requests/{world.ids['ticket']}/reply/"
    client = Caller(world, "buyer_a")
    return post_files(client, url, {"body": "Here it is."}, "attachments", parts)


def _agent_reply(visibility: str) -> Callable[[World, list[Part]], HttpResponse]:
    def send(world: World, parts: list[Part]) -> HttpResponse:
        fields = {
            "reply-body": "See the file.",
            "reply-visibility": visibility,
            "reply-send_anyway": "on",
        }
        url = f"/agent/tickets/{world.ids['ticket']}/reply/"
        client = Caller(world, "agent_in")
        return post_files(client, url, fields, "reply-attachments", parts)

    return send


def _dispute_new(world: World, parts: list[Part]) -> HttpResponse:
    fields = {
        "order_number": fresh_order(world).number,
        "reason": "damaged",
        "wanted_outcome": "full_refund",
        "description": "The kettle arrived dented.",
    }
    client = Caller(world, "buyer_a")
    return post_files(client, "/help/disputes/new/", fields, "evidence", parts)


def _claim_new(world: World, parts: list[Part]) -> HttpResponse:
    item = fresh_order(world).items.get()
    fields = {"item": str(item.pk), "defect": "It stopped heating.", "remedy": "repair"}
    client = Caller(world, "buyer_a")
    return post_files(client, "/help/disputes/warranty/new/", fields, "evidence", parts)


def _evidence_page(party: str, url: str) -> Callable[[World, list[Part]], HttpResponse]:
    def send(world: World, parts: list[Part]) -> HttpResponse:
        person = Caller(world, "buyer_a" if party == "buyer" else "seller")
        return post_files(person, url.format(**world.ids), {}, "evidence", parts)

    return send


def _api(url: str, fields: dict[str, str]) -> Callable[[World, list[Part]], HttpResponse]:
    def send(world: World, parts: list[Part]) -> HttpResponse:
        client = Caller(world, KEY_ALL)
        return post_files(client, url.format(**world.ids), fields, "files", parts)

    return send


def _mail(world: World, parts: list[Part]) -> HttpResponse:
    buyer = world.people["buyer_a"]
    raw, _mail_id = mime_reply(
        sender=buyer.email,
        to=reply_address(ticket_id=world.ids["ticket"], email=buyer.email),
        subject="Re: your request",
        text="The file you asked for.",
        files=parts,
    )
    signature = hmac.new(INBOUND_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    with override_settings(DESK_INBOUND_SECRET=INBOUND_SECRET):
        response: HttpResponse = Caller(world, "anonymous").post(
            "/api/inbound-mail/",
            raw,
            "message/rfc822",
            **{"X-Desk-Signature": f"sha256={signature}"},
        )
    return response


CHANNELS = [
    Channel("contact-form", "page", Attachment, _contact_form),
    Channel("buyer-reply", "page", Attachment, _buyer_reply),
    Channel("agent-reply", "page", Attachment, _agent_reply("public")),
    Channel("agent-note", "page", Attachment, _agent_reply("note")),
    Channel("dispute-new", "page", Evidence, _dispute_new),
    Channel("claim-new", "page", Evidence, _claim_new),
    Channel(
        "buyer-dispute-evidence",
        "page",
        Evidence,
        _evidence_page("buyer", "/help/disputes/{dispute}/evidence/"),
    ),
    Channel(
        "buyer-claim-evidence",
        "page",
        Evidence,
        _evidence_page("buyer", "/help/disputes/claims/{claim}/evidence/"),
    ),
    Channel(
        "seller-dispute-evidence",
        "page",
        Evidence,
        _evidence_page("seller", "/seller/disputes/{dispute}/evidence/"),
    ),
    Channel(
        "seller-claim-evidence",
        "page",
        Evidence,
        _evidence_page("seller", "/seller/claims/{claim}/evidence/"),
    ),
    Channel(
        "api-ticket-message",
        "api",
        Attachment,
        _api("/api/v1/tickets/{ticket}/messages/", {"body": "From the app."}),
    ),
    Channel(
        "api-dispute-evidence",
        "api",
        Evidence,
        _api("/api/v1/disputes/{dispute}/evidence/", {"party": "buyer"}),
    ),
    Channel(
        "api-claim-evidence",
        "api",
        Evidence,
        _api("/api/v1/warranty-claims/{claim}/evidence/", {"party": "seller"}),
    ),
    Channel("inbound-mail", "mail", Attachment, _mail),
]


# Their stored files are fetched every way there is (pages, inline, API); the files of
# the other channels go through the same serving code and are fetched one way.
EVERY_WAY_CHANNELS = (
    "buyer-reply",
    "api-ticket-message",
    "inbound-mail",
    "buyer-dispute-evidence",
    "api-claim-evidence",
)


@pytest.fixture(params=CHANNELS, ids=lambda channel: channel.key)
def channel(request: pytest.FixtureRequest) -> Channel:
    return request.param


@pytest.fixture(autouse=True)
def _room_for_evidence(monkeypatch: pytest.MonkeyPatch) -> None:
    # The corpus adds more files to one case than a case keeps; that cap has its own tests.
    monkeypatch.setattr("disputes.services.evidence.MAX_EVIDENCE_PER_CASE", 10_000)


# --- The filesystem -------------------------------------------------------------


def _storage_root() -> Path:
    return Path(storages["attachments"].location).resolve()


def _var_files() -> set[Path]:
    """Return every file under the test run's own var/ but the desk's working stores.

    The cache, the file broker's queue and the task results write there under
    hashed or random names of their own; none is ever named by a user.
    """
    var = Path(settings.DESK_ATTACHMENTS_DIR).resolve().parent
    working = {var / "cache", var / "broker", var / "results"}
    return {
        path
        for path in var.rglob("*")
        if path.is_file()
        and not path.name.startswith("test.sqlite3")
        and not any(path.is_relative_to(store) for store in working)
    }


def _escape_targets() -> dict[Path, float]:
    """Return where a hostile name would land if it were trusted, and when each was changed.

    Folders are left out: storing a file changes its folder's time.
    """
    bases = [_storage_root(), Path(settings.MEDIA_ROOT), Path.cwd()]
    bases += [path for path in _storage_root().glob("*/*/*") if path.is_dir()]
    targets: dict[Path, float] = {}
    for sample in SAMPLES:
        for base in bases:
            name = sample.name.replace("\x00", "").replace("\\", "/")
            target = Path(base, name).resolve()
            if len(target.name) < 255 and not target.is_dir():
                targets[target] = target.stat().st_mtime if target.exists() else 0.0
    return targets


@dataclass
class Disk:
    """The files before the uploads, and where Django spools big uploads."""

    before: set[Path]
    targets: dict[Path, float]
    spool: Path

    def new_files(self) -> set[Path]:
        return _var_files() - self.before


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Disk]:
    spool = tmp_path / "upload-spool"
    spool.mkdir()
    with override_settings(FILE_UPLOAD_TEMP_DIR=str(spool)):
        yield Disk(before=_var_files(), targets=_escape_targets(), spool=spool)


def assert_nothing_escaped(disk: Disk, stored: list[Row]) -> None:
    """Every new file is a stored row's, under its generated name; nothing else was touched."""
    expected = {Path(row.file.path).resolve() for row in stored}
    assert disk.new_files() == expected
    for path in expected:
        assert path.is_relative_to(_storage_root())
        assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert _escape_targets() == disk.targets
    assert list(disk.spool.iterdir()) == [], "an upload's temporary file was left behind"


# --- What a safe answer is ------------------------------------------------------


def problems_with_name(name: str, content_type: str) -> list[str]:
    """Return what is wrong with a stored file's name (empty: nothing)."""
    found = []
    stem, _, extension = name.rpartition(".")
    expected = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(
        content_type, "txt"
    )
    if extension != expected:
        found.append(f"extension {extension!r} is not the content's {expected!r}")
    if re.search(r'[/\\<>:"|?*]', name):
        found.append("a folder separator or a character Windows refuses")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        found.append("a control, format or unassigned character")
    if name.startswith(".") or not stem:
        found.append("a hidden or empty name")
    if len(stem) > NAME_STEM_MAX:
        found.append("too long")
    if stem.partition(".")[0].upper() in WINDOWS_DEVICES:
        found.append("a Windows device name")
    return found


def problems_with_download(response: Any, row: Row, *, inline: bool) -> list[str]:
    """Return how a download of ``row`` could be run or misread by a browser (empty: none)."""
    if response.status_code != 200:
        return [f"answered {response.status_code}"]
    found = []
    content_type = response["Content-Type"].split(";")[0].strip()
    if content_type != row.content_type or content_type not in STORED_TYPES:
        found.append(f"served as {response['Content-Type']} (stored as {row.content_type})")
    if response.get("X-Content-Type-Options") != "nosniff":
        found.append("no X-Content-Type-Options: nosniff")
    if "sandbox" not in response.get("Content-Security-Policy", ""):
        found.append("no sandboxing Content-Security-Policy")
    disposition = response.get("Content-Disposition", "")
    shown_inline = inline and row.content_type in INLINE_TYPES
    if not disposition.startswith("inline; " if shown_inline else "attachment; "):
        found.append(f"Content-Disposition {disposition!r}")
    plain = re.search(r'filename="([^"]*)"', disposition)
    if plain is None or not all(" " <= ch <= "~" and ch not in "\\/" for ch in plain[1]):
        found.append(f"plain filename in {disposition!r}")
    encoded = re.search(r"filename\*=UTF-8''(\S+)$", disposition)
    if encoded is None or unquote(encoded[1]) != row.name:
        found.append(f"filename* in {disposition!r} is not {row.name!r}")
    with row.file.open("rb") as handle:
        if b"".join(response.streaming_content) != handle.read():
            found.append("the body is not the stored file")
    return found


def downloads(world: World, row: Row) -> list[tuple[str, Caller, str, bool]]:
    """Return every way to fetch ``row``: (who, caller, url, may be shown inline).

    The desk side fetches as the supervisor, who may open every ticket (a
    ticket just opened is in no agent's queue until it is routed). Only
    ticket attachments may be shown inline, and only re-encoded images;
    evidence is always a download.
    """
    buyer, api = Caller(world, "buyer_a"), Caller(world, KEY_ALL)
    if isinstance(row, Attachment):
        desk = Caller(world, "supervisor")
        ticket = row.ticket_id
        page = f"/agent/tickets/{ticket}/files/{row.pk}/"
        ways = [("desk", desk, page, False)]
        if row.message is not None and row.message.kind != MessageKind.NOTE:
            page = f"/help/requests/{ticket}/files/{row.pk}/"
            ways += [("buyer", buyer, page, False), ("buyer", buyer, page + "?inline=1", True)]
        ways.append(("api", api, f"/api/v1/tickets/{ticket}/attachments/{row.pk}/", False))
        return ways
    if row.dispute_id is not None:
        api_url = f"/api/v1/disputes/{row.dispute_id}/evidence/{row.pk}/"
    else:
        api_url = f"/api/v1/warranty-claims/{row.claim_id}/evidence/{row.pk}/"
    return [
        ("buyer", buyer, f"/help/disputes/evidence/{row.pk}/", False),
        ("buyer", buyer, f"/help/disputes/evidence/{row.pk}/?inline=1", False),
        ("seller", Caller(world, "seller"), f"/seller/evidence/{row.pk}/", False),
        ("api", api, api_url, False),
    ]


def expected_refusals(sample: Sample) -> list[str]:
    """Return the sentences the desk gives for ``sample``, each naming the file."""
    with (
        override_settings(DESK_ATTACHMENT_MAX_BYTES=LIMIT),
        pytest.raises(InvalidAttachment) as refused,
    ):
        attachments_check(files=[ContentFile(sample.data, name=sample.name)])
    return refused.value.texts()


def _new_rows(channel: Channel, before: set[int]) -> list[Row]:
    return list(channel.model.objects.exclude(pk__in=before).order_by("pk"))


def _holds(row: Row, data: bytes) -> bool:
    with row.file.open("rb") as handle:
        return bool(handle.read() == data)


def _latest_mail() -> InboundMail:
    mail = InboundMail.objects.order_by("-received_at", "-id").first()
    assert mail is not None
    return mail


def check_refused(channel: Channel, samples: list[Sample], response: Any) -> list[str]:
    """Return what is wrong with how ``samples``, sent together, were refused (empty: clearly).

    Files are checked one by one and every refused file is named with its
    own reason, so sending them together refuses each as alone would.
    """
    if channel.kind == "page":
        if response.status_code != 400:
            return [f"answered {response.status_code}, not 400 with a form error"]
        page = response.content.decode()
        return [
            f"{sample.key}: the page does not say {text!r}"
            for sample in samples
            for text in expected_refusals(sample)
            if html.escape(text) not in page
        ]
    if channel.kind == "api":
        if response.status_code != 400:
            return [f"answered {response.status_code}, not 400"]
        error = response.json()["error"]
        got = [(f["index"], f["code"]) for f in error.get("details", {}).get("files", [])]
        wanted = [(index, sample.refused) for index, sample in enumerate(samples)]
        if error["code"] != "invalid_attachment" or got != wanted:
            return [f"answered {error['code']} {got}, not invalid_attachment {wanted}"]
        return []
    # Mail cannot show a form: the message is kept and the refusal recorded with the mail.
    [sample] = samples
    if response.status_code != 200 or response.json()["outcome"] != "added":
        return [f"answered {response.status_code} {response.content[:200]!r}"]
    mail = _latest_mail()
    texts = expected_refusals(sample)
    if mail.added_message is None or mail.added_message.attachments.exists():
        return ["the mail's message is missing or carries the refused file"]
    if not all(text[:60] in mail.reason for text in texts):
        return [f"the mail's record says {mail.reason!r}, not {texts!r}"]
    return []


def check_stored(channel: Channel, world: World, sample: Sample, rows: list[Row]) -> list[str]:
    """Return what is wrong with how ``sample`` was stored and is served (empty: safe)."""
    if len(rows) != 1:
        return [f"{len(rows)} files stored, not 1"]
    [row] = rows
    found = []
    if row.content_type != sample.stored_type:
        found.append(f"stored as {row.content_type}, not {sample.stored_type}")
    if sample.stored_name and row.name != sample.stored_name:
        found.append(f"stored as {row.name!r}, not {sample.stored_name!r}")
    found += problems_with_name(row.name, row.content_type)
    if not GENERATED_PATH.fullmatch(row.file.name):
        found.append(f"stored at {row.file.name!r}, not a generated name")
    with row.file.open("rb") as handle:
        data = handle.read()
    found += [
        f"{hidden!r} survived into the stored file" for hidden in sample.absent if hidden in data
    ]
    # What is stored is itself what it claims to be.
    again = attachments_check(files=[ContentFile(data, name=row.name)])[0]
    if again.content_type != row.content_type:
        found.append(f"the stored bytes are {again.content_type}")
    ways = downloads(world, row)
    # Every way to fetch is tried on the files of a few channels; elsewhere the first
    # way (the page the desk or the buyer opens) shows that what was stored is safe too.
    for who, caller, url, inline in ways if channel.key in EVERY_WAY_CHANNELS else ways[:1]:
        found += [
            f"{who} {url}: {problem}"
            for problem in problems_with_download(caller.get(url), row, inline=inline)
        ]
    return found


# --- The tests ------------------------------------------------------------------


@override_settings(DESK_ATTACHMENT_MAX_BYTES=LIMIT, DESK_ATTACHMENT_MAX_FILES=len(SAMPLES))
def test_every_abusive_file_is_refused_clearly_or_stored_and_served_safely(
    world: World, db: None, channel: Channel, disk: Disk, request: pytest.FixtureRequest
) -> None:
    samples = [s for s in SAMPLES if s.by_form or channel.kind == "mail"]
    refused = [s for s in samples if s.refused]
    # The refused files go in one request (mail, which keeps what it can, one by one).
    batches = [[sample] for sample in refused] if channel.kind == "mail" else [refused]
    failures: list[str] = []
    for batch in batches:
        before = set(channel.model.objects.values_list("pk", flat=True))
        messages_before = Message.objects.count()
        response = channel.send(world, [Part(s.name, s.data, s.claimed) for s in batch])
        problems = check_refused(channel, batch, response)
        if _new_rows(channel, before):
            problems.append("a refused file was stored")
        if channel.kind != "mail" and Message.objects.count() != messages_before:
            problems.append("a message was written although its files were refused")
        failures += [f"{', '.join(s.key for s in batch)}: {problem}" for problem in problems]

    # The files kept are sent one by one, but for the hostile names: plain text files
    # that differ in content, sent together and told apart by what they hold.
    names = [s for s in samples if s in hostile_names()]
    batches = [[s] for s in samples if s.stored_type and s not in names] + [names]
    stored: list[Row] = []
    for batch in batches:
        before = set(channel.model.objects.values_list("pk", flat=True))
        response = channel.send(world, [Part(s.name, s.data, s.claimed) for s in batch])
        rows = _new_rows(channel, before)
        stored += rows
        expected = {"page": 302, "api": 201, "mail": 200}[channel.kind]
        for sample in batch:
            if response.status_code != expected:
                problems = [f"answered {response.status_code}: {response.content[:300]!r}"]
            else:
                mine = rows if len(batch) == 1 else [r for r in rows if _holds(r, sample.data)]
                problems = check_stored(channel, world, sample, mine)
            failures += [f"{sample.key}: {problem}" for problem in problems]

    count_checks(request.config, "uploads (abusive files sent)", len(samples))
    assert not failures, "\n".join(failures)
    assert_nothing_escaped(disk, stored)


@override_settings(DESK_ATTACHMENT_MAX_FILES=3)
def test_one_file_too_many_is_refused_and_nothing_is_stored(
    world: World, db: None, channel: Channel, disk: Disk
) -> None:
    before = set(channel.model.objects.values_list("pk", flat=True))
    parts = [Part(f"note-{n}.txt", TEXT, "text/plain") for n in range(4)]

    response = channel.send(world, parts)

    rows = _new_rows(channel, before)
    if channel.kind == "mail":
        # The message and the files that fit are kept; the mail's record says what was left.
        assert response.status_code == 200 and response.json()["outcome"] == "added"
        assert sorted(row.name for row in rows) == ["note-0.txt", "note-1.txt", "note-2.txt"]
        assert "1 more files than a message may carry" in _latest_mail().reason
    else:
        assert response.status_code == 400
        assert rows == []
        if channel.kind == "page":
            assert "Attach at most 3 files to one message." in response.content.decode()
        else:
            error = response.json()["error"]
            assert error["code"] == "invalid_attachment"
            assert [f["code"] for f in error["details"]["files"]] == ["too_many"]
    assert_nothing_escaped(disk, rows)


REAL_LIMIT_CHANNELS = [
    c for c in CHANNELS if c.key in ("buyer-reply", "api-dispute-evidence", "inbound-mail")
]


@pytest.mark.parametrize("channel", REAL_LIMIT_CHANNELS, ids=lambda c: c.key)
def test_one_byte_over_the_configured_limit_is_refused_and_its_spool_file_removed(
    world: World, db: None, channel: Channel, disk: Disk
) -> None:
    limit = settings.DESK_ATTACHMENT_MAX_BYTES
    before = set(channel.model.objects.values_list("pk", flat=True))
    big = Part("scan.txt", b"a" * (limit + 1), "text/plain")

    response = channel.send(world, [big])

    assert _new_rows(channel, before) == []
    size = f"larger than {limit // (1024 * 1024)} MB"
    if channel.kind == "mail":
        assert response.status_code == 200
        assert f"scan.txt: the file is {size}" in _latest_mail().reason
    elif channel.kind == "page":
        assert response.status_code == 400
        assert f"scan.txt: the file is {size}." in response.content.decode()
    else:
        assert response.status_code == 400
        assert response.json()["error"]["details"]["files"][0]["code"] == "too_large"
    assert_nothing_escaped(disk, [])


@pytest.mark.parametrize(
    "url", ["/help/requests/{ticket}/reply/", "/api/v1/tickets/{ticket}/messages/"]
)
def test_bodies_django_will_not_parse_get_a_4xx_and_leave_nothing(
    world: World, db: None, url: str, disk: Disk
) -> None:
    text = Part("a.txt", TEXT, "text/plain")
    field = "attachments" if url.startswith("/help/") else "files"
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
    bodies = {
        "more files than Django parses": multipart(
            {"body": "Many."}, [(field, text)] * (limit + 1)
        ),
        "a part's headers too long": multipart(
            {"body": "Long."}, [(field, Part("x" * 2000 + ".txt", TEXT, "text/plain"))]
        ),
    }
    messages_before = Message.objects.count()
    for what, (body, content_type) in bodies.items():
        response = Caller(world, "buyer_a").post(url.format(**world.ids), body, content_type)
        assert 400 <= response.status_code < 500, what
        if url.startswith("/api/"):
            assert response.json()["error"]["code"], what
    assert Message.objects.count() == messages_before
    assert_nothing_escaped(disk, [])


def test_a_download_answers_head_as_get_without_the_file(world: World, db: None) -> None:
    ticket, attachment = world.ids["ticket"], world.ids["attachment"]
    for who, url in (
        ("buyer_a", f"/help/requests/{ticket}/files/{attachment}/"),
        ("supervisor", f"/agent/tickets/{ticket}/files/{attachment}/"),
        ("buyer_a", f"/help/disputes/evidence/{world.ids['evidence']}/"),
        ("seller", f"/seller/evidence/{world.ids['evidence']}/"),
    ):
        got, head = Caller(world, who).get(url), Caller(world, who).head(url)
        assert head.status_code == got.status_code == 200, url
        for header in ("Content-Type", "Content-Disposition", "X-Content-Type-Options"):
            assert head[header] == got[header], (url, header)
        assert b"".join(head.streaming_content) == b""
