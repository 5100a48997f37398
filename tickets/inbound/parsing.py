"""Read an inbound mail, raw MIME or a provider's parsed JSON, into one shape.

Text comes from the text/plain part when there is one, else from the HTML
part with its tags stripped by nh3. Headers that cannot be decoded are read
as empty rather than failing the whole mail.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from typing import Any

import nh3

# Headers a reply address of ours may arrive in (the envelope recipient lands in the last two).
RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")
MAIL_ID_MAX = 300


class UnreadableMail(ValueError):
    """The input is not a mail the desk can read."""


@dataclass(frozen=True)
class InboundFile:
    name: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class InboundMessage:
    """A received mail reduced to what the desk uses."""

    mail_id: str
    sender: str
    recipients: list[str]
    subject: str
    text: str
    automatic: bool = False
    files: list[InboundFile] = field(default_factory=list)


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # a header the parser could not decode
        return ""
    return "" if value is None else str(value).strip()


def _headers(message: EmailMessage, name: str) -> list[str]:
    try:
        return [str(value) for value in message.get_all(name, [])]
    except Exception:
        return []


def html_to_text(markup: str) -> str:
    """Return the readable text of an HTML mail part: tags, styles and quoted blocks dropped."""
    markup = re.sub(r"\s+", " ", markup)
    markup = re.sub(r"(?i)<br\b[^>]*>", "\n", markup)
    markup = re.sub(r"(?i)</(p|div|li|tr|h[1-6]|table|ul|ol)\s*>", "\n", markup)
    text = nh3.clean(
        markup,
        tags=set(),
        attributes={},
        clean_content_tags={"blockquote", "script", "style", "head", "title"},
    )
    text = html.unescape(text)
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def is_automatic(*, auto_submitted: str, precedence: str, sender: str, autoreply: bool) -> bool:
    """Return whether a mail was sent by a machine (out-of-office, bounce, list)."""
    if auto_submitted and auto_submitted.lower() != "no":
        return True
    if precedence.lower() in ("bulk", "junk", "list", "auto_reply"):
        return True
    local = sender.partition("@")[0]
    return autoreply or local in ("mailer-daemon", "postmaster")


def _fallback_id(content: bytes) -> str:
    """Return a Message-ID for a mail without one: the same bytes give the same id."""
    return f"<{hashlib.sha256(content).hexdigest()}@no-message-id>"


def _address(value: str) -> str:
    return parseaddr(value)[1].strip().lower()


def _text_of(message: EmailMessage) -> str:
    for preference in ("plain", "html"):
        part = message.get_body(preferencelist=(preference,))
        if part is None:
            continue
        try:
            content = part.get_content()
        except (LookupError, ValueError):  # an unknown charset or a broken encoding
            payload = part.get_payload(decode=True)
            content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
        if not isinstance(content, str):
            continue
        return html_to_text(content) if preference == "html" else content
    return ""


def _files_of(message: EmailMessage) -> list[InboundFile]:
    files = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        files.append(
            InboundFile(
                name=part.get_filename() or "",
                content_type=part.get_content_type(),
                content=payload,
            )
        )
    return files


def mail_parse(raw: bytes) -> InboundMessage:
    """Read one raw MIME mail; raise UnreadableMail if it has no sender."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    sender = _address(_header(message, "From"))
    if not sender:
        raise UnreadableMail("The mail has no From address.")
    recipients = [
        address.lower()
        for _, address in getaddresses(
            [value for name in RECIPIENT_HEADERS for value in _headers(message, name)]
        )
        if address
    ]
    return InboundMessage(
        mail_id=(_header(message, "Message-ID") or _fallback_id(raw))[:MAIL_ID_MAX],
        sender=sender,
        recipients=recipients,
        subject=_header(message, "Subject")[:300],
        text=_text_of(message),
        automatic=is_automatic(
            auto_submitted=_header(message, "Auto-Submitted"),
            precedence=_header(message, "Precedence"),
            sender=sender,
            autoreply=bool(_header(message, "X-Autoreply") or _header(message, "X-Autorespond")),
        ),
        files=_files_of(message),
    )


def _field(data: dict[str, Any], *names: str) -> Any:
    for name in names:
        if data.get(name) not in (None, ""):
            return data[name]
    return None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [
            str(item.get("Email", "")) if isinstance(item, dict) else str(item) for item in value
        ]
    return [str(value)]


def mail_from_json(data: Any) -> InboundMessage:
    """Read a provider's parsed mail (JSON) into a message; raise UnreadableMail.

    Takes the common field names of Postmark, Mailgun and SendGrid: a full
    MIME copy under ``raw``/``email``/``body-mime``, else ``from``,
    ``to``/``recipient``, ``subject``, ``text``/``html``, ``message_id`` and
    an optional ``headers`` object.
    """
    if not isinstance(data, dict):
        raise UnreadableMail("Expected a JSON object.")
    raw = _field(data, "raw", "email", "body-mime", "RawEmail")
    if isinstance(raw, str):
        return mail_parse(raw.encode("utf-8", "surrogateescape"))
    headers = data.get("headers") or data.get("Headers") or {}
    if isinstance(headers, list):  # Postmark: [{"Name": ..., "Value": ...}]
        headers = {
            str(h.get("Name", "")): str(h.get("Value", "")) for h in headers if isinstance(h, dict)
        }
    if not isinstance(headers, dict):
        headers = {}
    lowered = {str(name).lower(): str(value) for name, value in headers.items()}
    sender = _address(str(_field(data, "from", "From", "sender") or ""))
    if not sender:
        raise UnreadableMail("The mail has no From address.")
    recipients = [
        address.lower()
        for _, address in getaddresses(
            _as_list(_field(data, "to", "To", "ToFull"))
            + _as_list(_field(data, "recipient", "OriginalRecipient", "envelope_to"))
            + _as_list(_field(data, "cc", "Cc"))
        )
        if address
    ]
    text = _field(data, "text", "TextBody", "body-plain")
    if not isinstance(text, str):
        markup = _field(data, "html", "HtmlBody", "body-html")
        text = html_to_text(markup) if isinstance(markup, str) else ""
    mail_id = str(
        _field(data, "message_id", "MessageID", "Message-Id", "message-id")
        or lowered.get("message-id")
        or _fallback_id(json.dumps(data, sort_keys=True, default=str).encode())
    )
    return InboundMessage(
        mail_id=mail_id.strip()[:MAIL_ID_MAX],
        sender=sender,
        recipients=recipients,
        subject=str(_field(data, "subject", "Subject") or "")[:300],
        text=text,
        automatic=is_automatic(
            auto_submitted=lowered.get("auto-submitted", ""),
            precedence=lowered.get("precedence", ""),
            sender=sender,
            autoreply="x-autoreply" in lowered or "x-autorespond" in lowered,
        ),
    )
