"""How the abuse corpus travels: raw multipart bodies and raw MIME mail, names untouched.

Django's test client takes the last path part of a file's name before it
sends it, so a name like ``../../etc/passwd`` would never reach the desk
as sent. These builders put every name on the wire as an attacker's own
client would.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from email.utils import encode_rfc2231, format_datetime

from django.utils import timezone


@dataclass(frozen=True)
class Part:
    """One file as sent: the name, the bytes and the type the client claims."""

    name: str
    data: bytes
    content_type: str = "application/octet-stream"


def _quoted(name: str) -> str:
    """Quote a file name for a multipart header the way browsers do (HTML's form encoding).

    Browsers send every other character raw (UTF-8), NUL and bidi overrides
    included; a quote or a line break would end the header, so they are
    percent-encoded.
    """
    return name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def multipart(fields: Mapping[str, str], files: Iterable[tuple[str, Part]]) -> tuple[bytes, str]:
    """Return a multipart/form-data body and its content type, file names as given."""
    boundary = f"----desk-abuse-{uuid.uuid4().hex}"
    lines: list[bytes] = []
    for field, value in fields.items():
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{field}"'.encode(),
            b"",
            value.encode(),
        ]
    for field, part in files:
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{field}"; filename="{_quoted(part.name)}"'.encode(
                "utf-8", "surrogateescape"
            ),
            f"Content-Type: {part.content_type}".encode(),
            b"",
            part.data,
        ]
    lines += [f"--{boundary}--".encode(), b""]
    return b"\r\n".join(lines), f"multipart/form-data; boundary={boundary}"


def mime_reply(
    *, sender: str, to: str, subject: str, text: str, files: Sequence[Part]
) -> tuple[bytes, str]:
    """Return a raw MIME mail with ``files`` attached, and its Message-ID.

    Names go in RFC 2231 form (``filename*=utf-8''…``), which carries any
    character, line breaks and NUL included, as a hostile sender may.
    """
    boundary = f"=={uuid.uuid4().hex}=="
    mail_id = f"<{uuid.uuid4().hex}@abuse.example>"
    lines = [
        f"From: {sender}",
        f"To: {to}",
        f"Subject: {subject}",
        f"Message-ID: {mail_id}",
        f"Date: {format_datetime(timezone.now())}",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/mixed; boundary="{boundary}"',
        "",
        f"--{boundary}",
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: 8bit",
        "",
        text,
        "",
    ]
    raw = "\r\n".join(lines).encode()
    for part in files:
        encoded = base64.encodebytes(part.data).decode().replace("\n", "\r\n")
        raw += (
            "\r\n".join(
                [
                    f"--{boundary}",
                    f"Content-Type: {part.content_type}",
                    "Content-Transfer-Encoding: base64",
                    f"Content-Disposition: attachment; filename*={encode_rfc2231(part.name, 'utf-8')}",
                    "",
                    encoded,
                ]
            ).encode()
            + b"\r\n"
        )
    raw += f"--{boundary}--\r\n".encode()
    return raw, mail_id
