"""Mail in: a buyer's reply to the desk's mail becomes a message on the right ticket, once."""

from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import io
import json
import logging
import mailbox
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from PIL import Image

from tests.tickets.conftest import Desk, open_ticket
from tickets import services
from tickets.inbound.addresses import reply_address, reply_token
from tickets.inbound.parsing import html_to_text, mail_parse
from tickets.inbound.quotes import reply_strip
from tickets.inbound.service import InboundResult, inbound_mail_receive
from tickets.models import Attachment, InboundMail, Message, MessageKind, Presence, Ticket
from tickets.status import Status

FIXTURES = Path(__file__).parent / "mail_fixtures"
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=2)
URL = "/api/inbound-mail/"
SECRET = "inbound-test-secret"


def eml(
    name: str,
    *,
    ticket: Ticket,
    sender: str | None = None,
    reply_to: str | None = None,
    token: str | None = None,
) -> bytes:
    """Return a fixture mail addressed as a reply about ``ticket``, placeholders filled in."""
    buyer_email = ticket.buyer.email
    values = {
        "FROM": sender or buyer_email,
        "REPLY_TO": reply_to or reply_address(ticket_id=ticket.pk, email=buyer_email),
        "TOKEN": reply_token(ticket=ticket, email=buyer_email) if token is None else token,
        "TICKET_ID": str(ticket.pk),
    }
    raw = (FIXTURES / name).read_bytes()
    for key, value in values.items():
        raw = raw.replace(f"{{{{{key}}}}}".encode(), value.encode())
    return raw


def receive(raw: bytes) -> InboundResult:
    return inbound_mail_receive(mail=mail_parse(raw), now=LATER)


def buyer_messages(ticket: Ticket) -> list[str]:
    return list(
        Message.objects.filter(ticket=ticket, kind=MessageKind.BUYER)
        .order_by("created_at", "id")
        .values_list("body", flat=True)
    )


@pytest.fixture
def waiting(desk: Desk) -> Ticket:
    """Anna's ticket, answered by an agent and waiting for her reply."""
    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=NOW)
    ticket = open_ticket(desk, now=NOW)
    services.ticket_route(ticket_id=ticket.pk, now=NOW)
    services.ticket_reply_by_agent(
        ticket_id=ticket.pk,
        agent=desk.agent,
        body="Refund sent.",
        now=NOW + timedelta(minutes=5),
        then_status=Status.PENDING,
    )
    return Ticket.objects.get(pk=ticket.pk)


def test_a_reply_lands_in_its_ticket_without_the_quoted_history(waiting: Ticket) -> None:
    result = receive(eml("gmail_reply.eml", ticket=waiting))

    assert (result.outcome, result.code) == ("added", "added")
    assert buyer_messages(waiting)[-1] == (
        "Thank you! The second charge is still on my statement though.\nCan you check again?"
    )
    ticket = Ticket.objects.get(pk=waiting.pk)
    assert ticket.status == Status.ASSIGNED  # the reply reopened it for its agent
    record = InboundMail.objects.get()
    assert record.mail_id == "<CAF=gmail-reply-0001@mail.gmail.com>"
    assert (record.outcome, record.ticket, record.added_message) == (
        "added",
        ticket,
        result.message,
    )
    assert result.message is not None and result.message.data["via"] == "email"


def test_the_same_mail_delivered_twice_lands_once(waiting: Ticket) -> None:
    raw = eml("gmail_reply.eml", ticket=waiting)
    first, second = receive(raw), receive(raw)

    assert (first.outcome, second.outcome) == ("added", "duplicate")
    assert second.ticket == waiting
    assert len(buyer_messages(waiting)) == 2  # the description and the one reply
    assert InboundMail.objects.count() == 1


def test_a_reply_from_a_strangers_address_is_rejected_and_logged(
    desk: Desk, waiting: Ticket, caplog: pytest.LogCaptureFixture
) -> None:
    raw = eml("gmail_reply.eml", ticket=waiting, sender=desk.other_buyer.email.upper())
    with caplog.at_level(logging.WARNING, logger="tickets.inbound"):
        result = receive(raw)

    assert (result.outcome, result.code) == ("rejected", "stranger")
    assert len(buyer_messages(waiting)) == 1
    record = InboundMail.objects.get()
    assert record.outcome == "rejected"
    assert desk.other_buyer.email in record.reason and waiting.reference in record.reason
    assert "stranger" in caplog.text


def test_the_buyers_address_matches_whatever_its_case(waiting: Ticket) -> None:
    raw = eml("gmail_reply.eml", ticket=waiting, sender=waiting.buyer.email.upper())
    assert receive(raw).outcome == "added"


@pytest.mark.parametrize(
    "forge",
    ["wrong_signature", "unsigned", "signed_for_someone_else", "subject_only"],
)
def test_a_forged_or_unsigned_reply_address_is_rejected(
    desk: Desk, waiting: Ticket, forge: str
) -> None:
    reply_to = {
        "wrong_signature": f"reply+{waiting.pk}.0123456789abcdef@support-desk.test",
        "unsigned": f"reply+{waiting.pk}@support-desk.test",
        # A real address of the desk, but made for another buyer's ticket.
        "signed_for_someone_else": reply_address(
            ticket_id=waiting.pk, email=desk.other_buyer.email
        ),
        # The subject names the ticket; nothing else does.
        "subject_only": "support@support-desk.test",
    }[forge]
    result = receive(eml("gmail_reply.eml", ticket=waiting, reply_to=reply_to, token=""))

    assert result.outcome == "rejected"
    assert result.code == (
        "no_reply_address" if forge in ("unsigned", "subject_only") else "forged_address"
    )
    assert len(buyer_messages(waiting)) == 1
    assert InboundMail.objects.get().outcome == "rejected"


def test_a_signed_token_in_the_quoted_mail_finds_the_ticket_when_the_address_is_lost(
    waiting: Ticket,
) -> None:
    result = receive(eml("forwarded_with_token.eml", ticket=waiting))

    assert result.outcome == "added"
    assert buyer_messages(waiting)[-1] == "Here is the order number you asked for: MP-1001."


def test_an_html_only_reply_is_read_as_plain_text(waiting: Ticket) -> None:
    assert receive(eml("html_only_reply.eml", ticket=waiting)).outcome == "added"
    assert buyer_messages(waiting)[-1] == "Still not working & the card ends in 4242.\nSecond line."


def test_a_russian_outlook_reply_in_windows_1251_is_read_and_cut(desk: Desk) -> None:
    ticket = open_ticket(desk, now=NOW, language="ru", topic=desk.refund, buyer=desk.other_buyer)
    result = receive(eml("outlook_reply_ru.eml", ticket=ticket))

    assert result.outcome == "added"
    assert buyer_messages(ticket)[-1] == "Спасибо, деньги пришли.\nВопрос решён."


def test_a_reply_to_a_closed_ticket_is_refused_politely(
    desk: Desk, waiting: Ticket, django_capture_on_commit_callbacks
) -> None:
    services.ticket_set_status_by_agent(
        ticket_id=waiting.pk, agent=desk.agent, status=Status.SOLVED, now=NOW
    )
    services.sla_sweep(now=NOW + timedelta(days=30))
    assert Ticket.objects.get(pk=waiting.pk).status == Status.CLOSED
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        result = receive(eml("gmail_reply.eml", ticket=waiting))

    assert (result.outcome, result.code) == ("closed", "ticket_closed")
    assert len(buyer_messages(waiting)) == 1
    assert InboundMail.objects.get().outcome == "closed"
    [answer] = mail.outbox
    assert answer.to == [desk.buyer.email]
    assert f"Your request {waiting.reference} is closed" in answer.body
    assert answer.extra_headers["Auto-Submitted"] == "auto-replied"


def test_automatic_replies_are_ignored(waiting: Ticket) -> None:
    result = receive(eml("out_of_office.eml", ticket=waiting))

    assert (result.outcome, result.code) == ("ignored", "automatic_reply")
    assert len(buyer_messages(waiting)) == 1


def test_files_sent_by_mail_pass_the_same_checks_as_uploads(waiting: Ticket) -> None:
    raw = eml("reply_with_attachment.eml", ticket=waiting)
    mail = email.message_from_bytes(raw, policy=email.policy.default)
    image = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(image, format="PNG")
    mail.add_attachment(image.getvalue(), maintype="image", subtype="png", filename="receipt.png")
    result = receive(mail.as_bytes())

    assert result.outcome == "added"
    assert buyer_messages(waiting)[-1] == "Here is my bank statement."
    # The truncated PDF of the fixture is refused; the photo comes along.
    assert "statement.pdf" in InboundMail.objects.get().reason
    attached = Attachment.objects.get(ticket=waiting)
    assert (attached.name, attached.content_type) == ("receipt.png", "image/png")
    assert attached.message == result.message


# --- The HTTP endpoint -------------------------------------------------------


def signed(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture
def inbound_on(settings) -> None:
    settings.DESK_INBOUND_SECRET = SECRET


def test_the_endpoint_refuses_a_bad_signature(
    client: Client, waiting: Ticket, inbound_on: None
) -> None:
    raw = eml("gmail_reply.eml", ticket=waiting)
    for signature in (signed(raw, "not-the-secret"), signed(raw + b"x"), "", "sha256=zz"):
        response = client.post(
            URL, raw, content_type="message/rfc822", HTTP_X_DESK_SIGNATURE=signature
        )
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "bad_signature"
    assert not InboundMail.objects.exists()
    assert len(buyer_messages(waiting)) == 1


def test_the_endpoint_takes_a_signed_raw_mail_once(
    client: Client, waiting: Ticket, inbound_on: None
) -> None:
    raw = eml("gmail_reply.eml", ticket=waiting)
    answers = [
        client.post(URL, raw, content_type="message/rfc822", HTTP_X_DESK_SIGNATURE=signed(raw))
        for _ in range(2)
    ]

    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json() == {"outcome": "added", "code": "added", "ticket": waiting.reference}
    assert answers[1].json()["outcome"] == "duplicate"
    assert len(buyer_messages(waiting)) == 2


def test_the_endpoint_takes_a_providers_parsed_json(
    client: Client, waiting: Ticket, inbound_on: None
) -> None:
    body = json.dumps(
        {
            "From": f"Anna <{waiting.buyer.email}>",
            "To": reply_address(ticket_id=waiting.pk, email=waiting.buyer.email),
            "Subject": f"Re: [{waiting.reference}] My card was charged twice",
            "MessageID": "postmark-0001",
            "TextBody": "Yes, please refund.\n\nOn Fri, 20 Nov 2026, Support Desk wrote:\n> Hi",
            "Headers": [{"Name": "X-Spam-Status", "Value": "No"}],
        }
    ).encode()
    response = client.post(
        URL, body, content_type="application/json", HTTP_X_DESK_SIGNATURE=signed(body)
    )

    assert response.status_code == 200
    assert response.json()["outcome"] == "added"
    assert buyer_messages(waiting)[-1] == "Yes, please refund."


def test_the_endpoint_answers_bad_input_with_stable_codes(
    client: Client, settings, inbound_on: None
) -> None:
    junk = b"{not json"
    response = client.post(
        URL, junk, content_type="application/json", HTTP_X_DESK_SIGNATURE=signed(junk)
    )
    assert (response.status_code, response.json()["error"]["code"]) == (400, "unreadable_mail")

    no_sender = b"Subject: hi\n\nhello\n"
    response = client.post(
        URL, no_sender, content_type="message/rfc822", HTTP_X_DESK_SIGNATURE=signed(no_sender)
    )
    assert (response.status_code, response.json()["error"]["code"]) == (400, "unreadable_mail")

    form = b"a=b"
    response = client.post(
        URL,
        form,
        content_type="application/x-www-form-urlencoded",
        HTTP_X_DESK_SIGNATURE=signed(form),
    )
    assert (response.status_code, response.json()["error"]["code"]) == (
        415,
        "unsupported_media_type",
    )

    settings.DESK_INBOUND_SECRET = ""
    response = client.post(URL, form, content_type="message/rfc822", HTTP_X_DESK_SIGNATURE="")
    assert (response.status_code, response.json()["error"]["code"]) == (503, "inbound_disabled")


# --- fetch_mail ---------------------------------------------------------------


def test_fetch_mail_reads_a_maildir_once(desk: Desk, waiting: Ticket, tmp_path: Path) -> None:
    box = mailbox.Maildir(tmp_path / "inbox", create=True)
    box.add(eml("gmail_reply.eml", ticket=waiting))
    box.add(
        eml("gmail_reply.eml", ticket=waiting, sender=desk.other_buyer.email).replace(
            b"CAF=gmail-reply-0001", b"stranger-0001"
        )
    )
    out = StringIO()

    call_command("fetch_mail", maildir=tmp_path / "inbox", stdout=out)
    assert out.getvalue().strip() == "Read 2 mails: 1 added, 1 rejected."
    assert buyer_messages(waiting)[-1].startswith("Thank you! The second charge")
    assert not list((tmp_path / "inbox" / "new").iterdir())

    # Again: nothing is unread; and a mail put back unread is recognised by its Message-ID.
    again = StringIO()
    call_command("fetch_mail", maildir=tmp_path / "inbox", stdout=again)
    assert again.getvalue().strip() == "Read 0 mails: none new."
    box.add(eml("gmail_reply.eml", ticket=waiting))
    call_command("fetch_mail", maildir=tmp_path / "inbox", stdout=again)
    assert "1 duplicate" in again.getvalue()
    assert len(buyer_messages(waiting)) == 2


def test_fetch_mail_says_what_is_missing(tmp_path: Path, settings) -> None:
    with pytest.raises(CommandError, match="not a Maildir"):
        call_command("fetch_mail", maildir=tmp_path / "missing")
    settings.DESK_INBOUND_IMAP_HOST = ""
    with pytest.raises(CommandError, match="DESK_INBOUND_IMAP_HOST"):
        call_command("fetch_mail", imap=True)


# --- Quoted history (no database) --------------------------------------------


@pytest.mark.parametrize(
    ("reply", "kept"),
    [
        (  # Gmail, English, the attribution wrapped over two lines
            "Sounds good.\n\nOn Fri, 20 Nov 2026 at 10:05, Support Desk <reply+1.ab@x.test>\nwrote:\n> old",
            "Sounds good.",
        ),
        (  # Apple Mail
            "Done.\n\nOn 20 Nov 2026, at 10:05, Support Desk <support@localhost> wrote:\n\n> old",
            "Done.",
        ),
        (  # Outlook, English
            "See attached.\n\n-----Original Message-----\nFrom: Support\nSent: Friday\n\nold text",
            "See attached.",
        ),
        (  # Outlook, a header block under a line
            "Ok.\n________________________________\nFrom: Support Desk\nSent: 20 November\nold",
            "Ok.",
        ),
        (  # Gmail in Russian: a date and an address, then a colon
            "Спасибо!\n\nпт, 20 нояб. 2026 г. в 10:05, Support Desk <support@localhost>:\n> старое",
            "Спасибо!",
        ),
        (  # Russian Apple Mail / Yandex
            "Хорошо.\n\n20 нояб. 2026 г., в 10:05, Support Desk написал(а):\n> старое",
            "Хорошо.",
        ),
        (  # Russian Outlook without a separator line
            "Получил.\n\nОт: Support Desk <support@localhost>\nОтправлено: 20 ноября 2026 г.\nстарое",
            "Получил.",
        ),
        (  # Greek Gmail
            "Ευχαριστώ.\n\nΣτις Παρ 20 Νοε 2026 στις 10:05, ο/η Support Desk <support@localhost> έγραψε:\n> παλιό",
            "Ευχαριστώ.",
        ),
        (  # Greek Outlook
            "Εντάξει.\n\nΑπό: Support Desk\nΣτάλθηκε: Παρασκευή\nπαλιό",
            "Εντάξει.",
        ),
        (  # a signature after "-- " and a phone's footer
            "Call me.\n\n-- \nAnna\n+7 900",
            "Call me.",
        ),
        ("Thanks.\n\nSent from my iPhone", "Thanks."),
        (  # answers written between quoted lines are kept
            "> Which card?\nThe Visa.\n> Which date?\nYesterday.",
            "The Visa.\nYesterday.",
        ),
        (  # text that merely mentions "wrote" stays
            "My friend wrote: it should work.\nFrom: the shop, they said nothing.",
            "My friend wrote: it should work.\nFrom: the shop, they said nothing.",
        ),
    ],
)
def test_quoted_history_is_cut_from_replies(reply: str, kept: str) -> None:
    assert reply_strip(reply) == kept


def test_html_is_read_as_text_without_tags_or_quotes() -> None:
    markup = (
        "<div>Line <b>one</b> &amp; more</div><div>Line two<br>three</div>"
        "<style>p{}</style><blockquote>quoted</blockquote><script>x()</script>"
    )
    assert html_to_text(markup) == "Line one & more\nLine two\nthree"
