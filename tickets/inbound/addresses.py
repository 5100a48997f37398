"""Signed reply addresses and body tokens that tie a reply to one ticket and its buyer.

The address ``reply+<ticket id>.<signature>@<domain>`` and the token
``[#SD-000042-<signature>]`` carry an HMAC of the ticket id and the buyer's
address made with SECRET_KEY, so nobody can make one for a ticket they were
not mailed about, and a subject line alone never matches a ticket.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from tickets.models import Ticket

_SALT = "tickets.inbound.reply-address"
_SIGNATURE_LENGTH = 16
_TOKEN = re.compile(r"\[#SD-(\d{1,16})-([0-9a-f]{16})\]", re.IGNORECASE)


@dataclass(frozen=True)
class ReplyClaim:
    """A ticket id and signature found in an address or a body; not yet checked."""

    ticket_id: int
    signature: str


def _signature(ticket_id: int, email: str) -> str:
    value = f"{ticket_id}:{email.strip().lower()}"
    return salted_hmac(_SALT, value, algorithm="sha256").hexdigest()[:_SIGNATURE_LENGTH]


def _base() -> tuple[str, str]:
    local, _, domain = settings.DESK_REPLY_ADDRESS.rpartition("@")
    return local.lower(), domain.lower()


def reply_address(*, ticket_id: int, email: str) -> str:
    """Return the signed address a reply about ``ticket_id`` from ``email`` goes to."""
    local, domain = _base()
    return f"{local}+{ticket_id}.{_signature(ticket_id, email)}@{domain}"


def reply_token(*, ticket: Ticket, email: str) -> str:
    """Return the signed token quoted in a mail's footer, found again if the address is lost."""
    return f"[#{ticket.reference}-{_signature(ticket.pk, email)}]"


def claim_from_address(address: str) -> ReplyClaim | None:
    """Return the ticket claim of a reply address of ours, or None for any other address."""
    local = _base()[0]
    pattern = rf"{re.escape(local)}\+(\d{{1,16}})\.([0-9a-f]{{{_SIGNATURE_LENGTH}}})@.+"
    found = re.fullmatch(pattern, address.strip().lower())
    if found is None:
        return None
    return ReplyClaim(ticket_id=int(found.group(1)), signature=found.group(2))


def claims_from_text(text: str) -> list[ReplyClaim]:
    """Return the ticket claims of the reply tokens in a mail's text (quoted parts included)."""
    return [
        ReplyClaim(ticket_id=int(number), signature=signature.lower())
        for number, signature in _TOKEN.findall(text)
    ]


def claim_is_signed_for(claim: ReplyClaim, *, email: str) -> bool:
    """Return whether ``claim`` was signed by the desk for ``email`` on its ticket."""
    return constant_time_compare(claim.signature, _signature(claim.ticket_id, email))
