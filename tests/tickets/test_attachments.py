"""Attachments: checked by content, cleaned, stored aside, served only to who may see the ticket."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from tests.factories import api_key_with
from tests.security.uploads.corpus import jpeg_declaring, png_declaring
from tests.tickets.conftest import Desk, open_ticket
from tests.tickets.fixtures.samples import (
    HTML_PAGE,
    LINUX_PROGRAM,
    SECRET,
    SHELL_SCRIPT,
    SVG_WITH_SCRIPT,
    TRAILER,
    WINDOWS_PROGRAM,
    ZIP_ARCHIVE,
    gif,
    jpeg_with_exif,
    pdf,
    pdf_object_stream,
    png,
    upload,
    webp,
)
from tickets import services
from tickets.attachments import InvalidAttachment, attachments_check
from tickets.models import Attachment, Message, MessageKind, Presence, Ticket
from tickets.services.attachments import (
    ticket_reply_by_agent_with_files,
    ticket_reply_by_buyer_with_files,
)

pytestmark = pytest.mark.django_db


def refusal(*files: Any) -> dict[str, Any]:
    """Return the one problem attachments_check reports for ``files``."""
    with pytest.raises(InvalidAttachment) as caught:
        attachments_check(files=list(files))
    problems = caught.value.details["files"]
    assert len(problems) == 1
    problem: dict[str, Any] = problems[0]
    return problem


def assigned(desk: Desk, *, now: datetime | None = None, **kwargs: Any) -> Ticket:
    """Open a payment ticket and route it to sam, who is online."""
    now = now or timezone.now()
    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=now)
    ticket = open_ticket(desk, now=now, **kwargs)
    assert services.ticket_route(ticket_id=ticket.pk, now=now) == "assigned"
    ticket.refresh_from_db()
    return ticket


def file_url(attachment: Attachment, side: str = "requests") -> str:
    if side == "agent":
        return f"/agent/tickets/{attachment.ticket_id}/files/{attachment.pk}/"
    return f"/help/requests/{attachment.ticket_id}/files/{attachment.pk}/"


def body_of(response: Any) -> bytes:
    return b"".join(response.streaming_content)


# --- Checking by content -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "claimed", "code", "says"),
    [
        ("logo.svg", SVG_WITH_SCRIPT, "image/svg+xml", "type_not_allowed", "SVG"),
        ("receipt.html", HTML_PAGE, "text/html", "type_not_allowed", "HTML"),
        ("receipt.png", HTML_PAGE, "image/png", "type_not_allowed", "HTML"),
        ("chart.png", SVG_WITH_SCRIPT, "image/png", "type_not_allowed", "SVG"),
        ("empty.txt", b"", "text/plain", "empty", "empty"),
        ("setup.pdf", WINDOWS_PROGRAM, "application/pdf", "program", "programs"),
        ("photo.jpg", LINUX_PROGRAM, "image/jpeg", "program", "programs"),
        ("notes.txt", SHELL_SCRIPT, "text/plain", "program", "programs"),
        ("photos.zip", ZIP_ARCHIVE, "application/zip", "archive", "archives"),
        ("data.txt", b"abc\x00def", "text/plain", "type_not_allowed", "not accepted"),
        ("latin1.txt", "Grüße".encode("latin-1"), "text/plain", "type_not_allowed", "plain text"),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "image/png", "damaged", "damaged"),
    ],
)
def test_unsafe_or_unknown_files_are_refused_naming_the_file(
    name: str, data: bytes, claimed: str, code: str, says: str
) -> None:
    problem = refusal(upload(name, data, claimed))
    assert problem["code"] == code
    assert problem["name"] == name
    assert says in problem["message"]


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (b"4 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n", "scripts"),
        (b"4 0 obj\n<< /S /J#61vaScript /J#53 (app.alert(1)) >>\nendobj\n", "scripts"),
        (b"4 0 obj\n<< /S /Launch /F (cmd.exe) >>\nendobj\n", "scripts"),
        (b"4 0 obj\n<< /Type /EmbeddedFile /Length 3 >>\nendobj\n", "embedded"),
        (pdf_object_stream(b"<< /S /JavaScript /JS (app.alert(1)) >>"), "scripts"),
        (b"4 0 obj\n<< /Filter /Standard /V 2 >>\nendobj\n/Encrypt 4 0 R\n", "password"),
    ],
)
def test_pdfs_with_scripts_actions_or_embedded_files_are_refused(extra: bytes, says: str) -> None:
    problem = refusal(upload("statement.pdf", pdf(extra)))
    assert problem["code"] == "unsafe"
    assert says in problem["message"]


def test_a_cut_off_pdf_is_refused() -> None:
    assert refusal(upload("statement.pdf", pdf(end=False)))["code"] == "damaged"


def test_a_whole_pdf_and_utf8_text_are_accepted_with_names_from_their_content() -> None:
    harmless = pdf_object_stream(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    text = "Order MP-1001: <b>still</b> not here — заказ не пришёл\n".encode()
    checked = attachments_check(
        files=[
            upload("statement", pdf(harmless), "text/plain"),
            upload("notes.log", text, "application/pdf"),
        ]
    )
    assert [(c.name, c.content_type) for c in checked] == [
        ("statement.pdf", "application/pdf"),
        ("notes.txt", "text/plain"),
    ]
    assert checked[1].data == text


def test_images_are_re_encoded_without_metadata_or_trailing_data() -> None:
    checked = attachments_check(
        files=[
            upload("screen.PNG", png(trailer=TRAILER)),
            upload("IMG_0001.jpeg", jpeg_with_exif()),
            upload("anim.gif", gif()),
            upload("sticker.webp", webp()),
        ]
    )
    assert [(c.name, c.content_type) for c in checked] == [
        ("screen.png", "image/png"),
        ("IMG_0001.jpg", "image/jpeg"),
        ("anim.png", "image/png"),
        ("sticker.png", "image/png"),
    ]
    for stored in checked:
        assert SECRET.encode() not in stored.data
        assert TRAILER not in stored.data
        with Image.open(BytesIO(stored.data)) as image:
            image.verify()
    with Image.open(BytesIO(checked[1].data)) as photo:
        assert photo.size == (20, 40)  # turned upright as its EXIF said, then EXIF dropped
        assert not photo.getexif()


@pytest.mark.parametrize(
    ("kind", "size", "stored"),
    [
        # A 40-megapixel photo is decoded at half its size, which fits.
        ("JPEG", (7300, 5475), (3650, 2738)),
        ("JPEG", (3000, 6000), (1500, 3000)),
        ("PNG", (5000, 3000), (4096, 2458)),
        ("JPEG", (4032, 3024), (4032, 3024)),
    ],
)
def test_large_images_are_stored_at_most_4096_pixels_on_a_side(
    kind: str, size: tuple[int, int], stored: tuple[int, int]
) -> None:
    out = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, kind)
    (checked,) = attachments_check(files=[upload(f"photo.{kind.lower()}", out.getvalue())])
    with Image.open(BytesIO(checked.data)) as image:
        assert image.size == stored
        assert image.format == kind


def test_an_image_decoded_whole_is_held_to_fewer_pixels_than_a_jpeg_photo() -> None:
    # 17 megapixels: a JPEG is decoded at half its size, a PNG would be decoded whole.
    size = (5000, 3400)
    files = {}
    for kind in ("JPEG", "PNG"):
        out = BytesIO()
        Image.new("RGB", size, (20, 90, 160)).save(out, kind)
        files[kind] = upload(f"scan.{kind.lower()}", out.getvalue())

    (photo,) = attachments_check(files=[files["JPEG"]])
    assert photo.content_type == "image/jpeg"
    problem = refusal(files["PNG"])
    assert problem["code"] == "too_large"
    assert "at most 16 megapixels" in problem["message"]


@pytest.mark.parametrize(
    ("name", "data", "megapixels"),
    [
        # Far past Pillow's bomb limit: refused while opening, the kind told by its bytes.
        ("flood.png", png_declaring(50_000, 50_000), 16),
        ("flood.jpg", jpeg_declaring(65_000, 65_000), 40),
        ("flood.png", png_declaring(7_000, 7_000), 16),
    ],
)
def test_a_pixel_flood_is_refused_naming_the_limit_of_its_kind(
    name: str, data: bytes, megapixels: int
) -> None:
    problem = refusal(upload(name, data))
    assert problem["code"] == "too_large"
    assert f"at most {megapixels} megapixels" in problem["message"]


@override_settings(DESK_ATTACHMENT_MAX_BYTES=1024)
def test_a_file_over_the_limit_is_refused() -> None:
    problem = refusal(upload("big.txt", b"a" * 1025))
    assert problem["code"] == "too_large"
    assert "larger than 1 KB" in problem["message"]
    assert attachments_check(files=[upload("fits.txt", b"a" * 1024)])[0].size == 1024


@override_settings(DESK_ATTACHMENT_MAX_FILES=2)
def test_too_many_files_are_refused_together() -> None:
    problem = refusal(*(upload(f"{n}.txt", b"hello") for n in range(3)))
    assert problem["code"] == "too_many"
    assert "at most 2 files" in problem["message"]


@override_settings(DESK_ATTACHMENT_TYPES=["image/png", "image/jpeg", "text/plain"])
def test_only_the_types_in_settings_are_accepted() -> None:
    assert refusal(upload("statement.pdf", pdf()))["code"] == "type_not_allowed"
    assert refusal(upload("sticker.webp", webp()))["code"] == "type_not_allowed"
    assert attachments_check(files=[upload("a.png", png())])[0].content_type == "image/png"


def test_every_bad_file_of_a_message_is_named() -> None:
    with pytest.raises(InvalidAttachment) as caught:
        attachments_check(
            files=[
                upload("ok.txt", b"fine"),
                upload("logo.svg", SVG_WITH_SCRIPT),
                upload("empty.pdf", b""),
            ]
        )
    assert [p["name"] for p in caught.value.details["files"]] == ["logo.svg", "empty.pdf"]
    assert [p["index"] for p in caught.value.details["files"]] == [1, 2]
    assert "logo.svg: SVG images" in caught.value.message


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("../../etc/passwd", "passwd.txt"),
        ("..\\..\\windows\\win.ini", "win.txt"),
        ("/etc/shadow.txt", "shadow.txt"),
        ("rep\x00ort\r\n\x1b[31m.txt", "report[31m.txt"),
        ("invoice\u202egnp.exe", "invoicegnp.txt"),  # right-to-left override dropped
        ("cafe\u0301 notes.md", "café notes.txt"),  # NFC: one é
        ('a<b>:c"d|e?f*.txt', "a_b__c_d_e_f.txt"),
        ("...", "file.txt"),
        ("", "file.txt"),
        (".bashrc", "bashrc.txt"),
        ("x" * 300 + ".txt", "x" * 100 + ".txt"),
    ],
)
def test_names_are_cleaned_and_get_the_extension_of_the_content(sent: str, stored: str) -> None:
    # As mail intake or code hands files over: Django cleans browser uploads' names a little.
    assert attachments_check(files=[ContentFile(b"hello", name=sent)])[0].name == stored


# --- Services: nothing is written unless every file is good ------------------


def test_buyer_reply_stores_files_outside_any_served_path_under_random_names(desk: Desk) -> None:
    now = timezone.now()
    ticket = assigned(desk, now=now)
    message = ticket_reply_by_buyer_with_files(
        ticket_id=ticket.pk,
        buyer=desk.buyer,
        body="Here is the receipt.",
        files=[upload("../../receipt.png", png()), upload("note.txt", b"MP-1001")],
        now=now,
    )
    receipt, note = message.attachments.all()  # in the order they were sent
    assert (receipt.name, receipt.content_type, receipt.uploaded_by) == (
        "receipt.png",
        "image/png",
        desk.buyer,
    )
    assert (note.name, note.size, note.ticket_id) == ("note.txt", 7, ticket.pk)
    path = Path(receipt.file.path).resolve()
    assert path.is_relative_to(Path(settings.DESK_ATTACHMENTS_DIR).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert "receipt" not in receipt.file.name and receipt.file.name != note.file.name
    assert receipt.sha256 and len(receipt.sha256) == 64


def test_a_bad_file_refuses_the_whole_message_and_writes_nothing(desk: Desk) -> None:
    ticket = assigned(desk)
    before = Message.objects.count()
    with pytest.raises(InvalidAttachment):
        ticket_reply_by_agent_with_files(
            ticket_id=ticket.pk,
            agent=desk.agent,
            body="See the attached.",
            files=[upload("ok.txt", b"fine"), upload("page.html", HTML_PAGE)],
            now=timezone.now(),
        )
    assert Message.objects.count() == before
    assert not Attachment.objects.exists()
    ticket.refresh_from_db()
    assert ticket.first_responded_at is None


# --- Pages -------------------------------------------------------------------


def test_buyer_sends_files_sees_them_and_downloads_them_with_safe_headers(
    client: Client, desk: Desk
) -> None:
    ticket = assigned(desk)
    client.force_login(desk.buyer)
    response = client.post(
        f"/help/requests/{ticket.pk}/reply/",
        {"body": "Screenshot and bank letter.", "attachments": [upload("shot.png", png())]},
    )
    assert response.status_code == 302
    shot = Attachment.objects.get()
    html = client.get(f"/help/requests/{ticket.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert f'href="{file_url(shot)}"' in html and "shot.png" in html
    assert f'src="{file_url(shot)}?inline=1"' in html

    response = client.get(file_url(shot))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"shot.png\"; filename*=UTF-8''shot.png"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private"
    assert body_of(response) == shot.file.open("rb").read()
    inline = client.get(file_url(shot) + "?inline=1")
    assert inline["Content-Disposition"].startswith("inline; ")


def test_text_is_never_shown_inline_and_unicode_names_are_encoded(
    client: Client, desk: Desk
) -> None:
    ticket = assigned(desk)
    message = ticket_reply_by_buyer_with_files(
        ticket_id=ticket.pk,
        buyer=desk.buyer,
        body="Log attached.",
        files=[upload("журнал оплаты.txt", b"<b>not html</b> just text")],
        now=timezone.now(),
    )
    log = message.attachments.get()
    client.force_login(desk.buyer)
    response = client.get(file_url(log) + "?inline=1")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"file.txt\"; filename*=UTF-8''"
        "%D0%B6%D1%83%D1%80%D0%BD%D0%B0%D0%BB%20%D0%BE%D0%BF%D0%BB%D0%B0%D1%82%D1%8B.txt"
    )


def test_a_bad_file_keeps_the_typed_message_and_says_which_file_and_why(
    client: Client, desk: Desk
) -> None:
    ticket = assigned(desk)
    client.force_login(desk.buyer)
    response = client.post(
        f"/help/requests/{ticket.pk}/reply/",
        {
            "body": "My long explanation of what went wrong.",
            "attachments": [upload("receipt.png", HTML_PAGE, "image/png")],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "receipt.png: web pages (HTML) are not accepted." in html
    assert "My long explanation of what went wrong.</textarea>" in html
    assert 'data-testid="files-again"' in html
    assert ticket.messages.filter(kind=MessageKind.BUYER).count() == 1  # the description only
    assert not Attachment.objects.exists()


def test_agent_note_files_are_for_agents_only(client: Client, desk: Desk) -> None:
    ticket = assigned(desk)
    client.force_login(desk.agent)
    response = client.post(
        f"/agent/tickets/{ticket.pk}/reply/",
        {
            "reply-body": "Fraud check result attached.",
            "reply-visibility": "note",
            "reply-attachments": [upload("check.txt", b"score 0.93")],
        },
    )
    assert response.status_code == 302
    note_file = Attachment.objects.get()
    assert note_file.message is not None and note_file.message.kind == MessageKind.NOTE
    agent_page = client.get(f"/agent/tickets/{ticket.pk}/").content.decode()
    assert f'href="{file_url(note_file, "agent")}"' in agent_page
    assert client.get(file_url(note_file, "agent")).status_code == 200

    client.force_login(desk.buyer)
    assert "check.txt" not in client.get(f"/help/requests/{ticket.pk}/").content.decode()
    assert client.get(file_url(note_file)).status_code == 404
    assert client.get(file_url(note_file, "agent")).status_code == 404


def test_agent_bad_file_is_shown_on_the_reply_form_with_the_text_kept(
    client: Client, desk: Desk
) -> None:
    ticket = assigned(desk)
    client.force_login(desk.agent)
    response = client.post(
        f"/agent/tickets/{ticket.pk}/reply/",
        {
            "reply-body": "Please look at this.",
            "reply-visibility": "public",
            "reply-attachments": [upload("icon.svg", SVG_WITH_SCRIPT)],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "icon.svg: SVG images can carry scripts" in html
    assert "Please look at this.</textarea>" in html
    assert not ticket.messages.filter(kind=MessageKind.AGENT).exists()


def test_files_of_another_buyers_ticket_are_not_found(client: Client, desk: Desk) -> None:
    ticket = assigned(desk)
    message = ticket_reply_by_buyer_with_files(
        ticket_id=ticket.pk,
        buyer=desk.buyer,
        body="Passport scan.",
        files=[upload("passport.png", png())],
        now=timezone.now(),
    )
    passport = message.attachments.get()
    mine = open_ticket(desk, now=timezone.now(), buyer=desk.other_buyer)
    client.force_login(desk.other_buyer)
    assert client.get(file_url(passport)).status_code == 404
    # Nor by pairing the file with a ticket of their own.
    assert client.get(f"/help/requests/{mine.pk}/files/{passport.pk}/").status_code == 404
    client.logout()
    response = client.get(file_url(passport))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_an_agent_outside_the_queue_gets_not_found(client: Client, desk: Desk) -> None:
    now = timezone.now()
    ticket = open_ticket(desk, now=now, topic=desk.refund)  # English refunds: not olga's
    services.ticket_route(ticket_id=ticket.pk, now=now)
    message = ticket_reply_by_buyer_with_files(
        ticket_id=ticket.pk,
        buyer=desk.buyer,
        body="Label.",
        files=[upload("label.pdf", pdf())],
        now=now,
    )
    label = message.attachments.get()
    client.force_login(desk.agent_ru)
    assert client.get(file_url(label, "agent")).status_code == 404
    client.force_login(desk.agent)
    response = client.get(file_url(label, "agent"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_contact_form_attaches_files_to_the_first_message(client: Client, desk: Desk) -> None:
    client.force_login(desk.buyer)
    url = f"/help/requests/new/{desk.payment_failed.pk}/chat/"
    form = {
        "order_number": "MP-1001",
        "transaction_id": "TX-42",
        "amount": "59.90",
        "subject": "Charged but the order failed",
        "description": "The bank took the money.",
    }
    blank = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in blank
    assert 'type="file" name="attachments"' in blank and " multiple" in blank
    assert 'accept="image/jpeg,image/png,image/gif,image/webp,application/pdf,text/plain"' in blank
    assert "Up to 5 files of 10 MB each: images, PDF, plain text." in blank
    response = client.post(url, {**form, "attachments": [upload("photo.svg", SVG_WITH_SCRIPT)]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "photo.svg: SVG images can carry scripts" in html
    assert "The bank took the money.</textarea>" in html and 'value="TX-42"' in html
    assert not Ticket.objects.exists()

    statement = upload("statement.pdf", pdf())
    response = client.post(url, {**form, "attachments": [statement, upload("a.jpg", png())]})
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    first = ticket.messages.get(kind=MessageKind.BUYER)
    assert sorted(first.attachments.values_list("name", flat=True)) == ["a.png", "statement.pdf"]


def _page_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_ticket_pages_read_the_same_number_of_queries_however_many_files(
    client: Client, desk: Desk
) -> None:
    ticket = assigned(desk)
    now = timezone.now()

    def reply(*files: Any) -> None:
        ticket_reply_by_buyer_with_files(
            ticket_id=ticket.pk, buyer=desk.buyer, body="More.", files=list(files), now=now
        )

    reply(upload("one.txt", b"1"))
    client.force_login(desk.buyer)
    buyer_one = _page_queries(client, f"/help/requests/{ticket.pk}/")
    client.force_login(desk.agent)
    agent_one = _page_queries(client, f"/agent/tickets/{ticket.pk}/")
    reply(upload("two.txt", b"2"), upload("three.png", png()))
    reply(upload("four.pdf", pdf()))
    assert _page_queries(client, f"/agent/tickets/{ticket.pk}/") == agent_one
    client.force_login(desk.buyer)
    assert _page_queries(client, f"/help/requests/{ticket.pk}/") == buyer_one


# --- API ---------------------------------------------------------------------


def test_api_upload_lists_files_with_download_urls(desk: Desk) -> None:
    ticket = assigned(desk)
    _key, raw = api_key_with("tickets:read", "tickets:write")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.post(
        f"/api/v1/tickets/{ticket.pk}/messages/",
        {"body": "From the app.", "files": [upload("shot.png", png()), upload("a.txt", b"hi")]},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    files = response.json()["attachments"]
    assert [(f["name"], f["content_type"]) for f in files] == [
        ("shot.png", "image/png"),
        ("a.txt", "text/plain"),
    ]
    assert files[1]["size"] == 2
    assert files[1]["url"] == (
        f"http://testserver/api/v1/tickets/{ticket.pk}/attachments/{files[1]['id']}/"
    )
    download = client.get(files[1]["url"])
    assert download.status_code == 200 and body_of(download) == b"hi"
    assert download["Content-Disposition"].startswith("attachment; ")
    assert download["X-Content-Type-Options"] == "nosniff"

    detail = client.get(f"/api/v1/tickets/{ticket.pk}/").json()
    listed = [m["attachments"] for m in detail["messages"] if m["body"] == "From the app."]
    assert listed == [files]


def test_api_bad_file_answers_invalid_attachment_and_saves_nothing(desk: Desk) -> None:
    ticket = assigned(desk)
    client = APIClient()
    client.force_login(desk.buyer)
    response = client.post(
        f"/api/v1/tickets/{ticket.pk}/messages/",
        {"body": "See file.", "files": [upload("x.png", HTML_PAGE), upload("e.txt", b"")]},
        format="multipart",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_attachment"
    assert [(f["name"], f["code"]) for f in error["details"]["files"]] == [
        ("x.png", "type_not_allowed"),
        ("e.txt", "empty"),
    ]
    assert not ticket.messages.filter(body="See file.").exists()
    response = client.post(
        f"/api/v1/tickets/{ticket.pk}/messages/",
        {"body": "Wrong field.", "file": upload("a.txt", b"hi")},
        format="multipart",
    )
    assert response.json()["error"]["details"]["files"][0]["code"] == "unknown_field"


def test_api_note_files_are_hidden_from_buyers(desk: Desk) -> None:
    ticket = assigned(desk)
    message = ticket_reply_by_agent_with_files(
        ticket_id=ticket.pk,
        agent=desk.agent,
        body="Internal.",
        files=[upload("risk.txt", b"high")],
        now=timezone.now(),
        internal=True,
    )
    risk = message.attachments.get()
    url = f"/api/v1/tickets/{ticket.pk}/attachments/{risk.pk}/"
    buyer = APIClient()
    buyer.force_login(desk.buyer)
    answer = buyer.get(url)
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "attachment_not_found"
    agent = APIClient()
    agent.force_login(desk.agent)
    assert agent.get(url).status_code == 200
    stranger = APIClient()
    stranger.force_login(desk.other_buyer)
    assert stranger.get(url).json()["error"]["code"] == "ticket_not_found"


def test_the_schema_documents_uploads_downloads_and_the_error_code(client: Client) -> None:
    schema = yaml.safe_load(client.get("/api/schema/").content)
    create = schema["paths"]["/api/v1/tickets/{ticket_id}/messages/"]["post"]
    assert "multipart/form-data" in create["requestBody"]["content"]
    assert "`invalid_attachment`" in create["responses"]["400"]["description"]
    download = schema["paths"]["/api/v1/tickets/{ticket_id}/attachments/{attachment_id}/"]["get"]
    assert "`tickets:read`" in download["description"]
    assert "404" in download["responses"]
    attachment = schema["components"]["schemas"]["AttachmentOutput"]["properties"]
    assert set(attachment) == {"id", "name", "content_type", "size", "url"}
