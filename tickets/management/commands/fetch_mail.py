"""Read replies from a Maildir or an IMAP mailbox and add them to their tickets.

Safe to run again and from cron: every mail is recorded once per Message-ID,
so a mail read twice (a crash before it was marked read, two runs at once)
is added once.
"""

from __future__ import annotations

import imaplib
import mailbox
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tickets.inbound.parsing import UnreadableMail, mail_parse
from tickets.inbound.service import inbound_mail_receive


def _take(raw: bytes) -> str:
    try:
        mail = mail_parse(raw)
    except UnreadableMail:
        return "unreadable"
    return inbound_mail_receive(mail=mail, now=timezone.now()).outcome


def maildir_read(path: Path, *, limit: int) -> Iterator[str]:
    """Take the unread mails of a Maildir, moving each to cur/ marked seen once taken."""
    box = mailbox.Maildir(path, factory=None, create=False)
    for key in sorted(box.iterkeys())[:limit]:
        message = box.get_message(key)
        if "S" in message.get_flags():
            continue
        yield _take(box.get_bytes(key))
        message.set_subdir("cur")
        message.add_flag("S")
        box[key] = message


def imap_read(*, limit: int) -> Iterator[str]:
    """Take the unseen mails of the IMAP folder in settings, marking each seen once taken."""
    if not settings.DESK_INBOUND_IMAP_HOST:
        raise CommandError("Set DESK_INBOUND_IMAP_HOST (and _USER, _PASSWORD) to read IMAP.")
    client_class = imaplib.IMAP4_SSL if settings.DESK_INBOUND_IMAP_SSL else imaplib.IMAP4
    with client_class(settings.DESK_INBOUND_IMAP_HOST, settings.DESK_INBOUND_IMAP_PORT) as client:
        client.login(settings.DESK_INBOUND_IMAP_USER, settings.DESK_INBOUND_IMAP_PASSWORD)
        status, _ = client.select(settings.DESK_INBOUND_IMAP_FOLDER)
        if status != "OK":
            raise CommandError(f"No IMAP folder {settings.DESK_INBOUND_IMAP_FOLDER!r}.")
        _, found = client.uid("search", "UNSEEN")
        for uid in (found[0] or b"").decode().split()[:limit]:
            _, data = client.uid("fetch", uid, "(BODY.PEEK[])")
            raw = next((part[1] for part in data if isinstance(part, tuple)), None)
            if raw is None:
                continue
            yield _take(raw)
            client.uid("store", uid, "+FLAGS", "(\\Seen)")


class Command(BaseCommand):
    help = "Add replies from a Maildir (--maildir PATH) or the IMAP mailbox in settings (--imap)."

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--maildir", type=Path, help="Path of a Maildir (new/, cur/, tmp/).")
        source.add_argument(
            "--imap", action="store_true", help="Read DESK_INBOUND_IMAP_* from settings."
        )
        parser.add_argument("--limit", type=int, default=500, help="At most this many mails.")

    def handle(
        self, *args: Any, maildir: Path | None, imap: bool, limit: int, **options: Any
    ) -> None:
        if maildir is not None:
            if not (maildir / "new").is_dir() or not (maildir / "cur").is_dir():
                raise CommandError(f"{maildir} is not a Maildir (no new/ and cur/ folders).")
            outcomes = Counter(maildir_read(maildir, limit=limit))
        else:
            try:
                outcomes = Counter(imap_read(limit=limit))
            except (OSError, imaplib.IMAP4.error) as error:
                raise CommandError(f"IMAP: {error}") from error
        summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
        self.stdout.write(f"Read {sum(outcomes.values())} mails: {summary or 'none new'}.")
