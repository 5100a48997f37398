"""Serving attachments: only to people who may see the ticket, never rendered in the desk's origin.

A buyer gets the files of their own tickets except those on internal notes;
an agent those of the tickets of their queues. Anyone else signed in gets
404, as for a file that does not exist; anonymous visitors are asked to log in. Files go out as downloads with the type found
by content, ``nosniff`` and a sandboxing CSP; only re-encoded images may be
shown inline.
"""

from __future__ import annotations

import logging
import unicodedata
from urllib.parse import quote

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from accounts.models import Role, User
from support_desk.errors import DomainError
from tickets import selectors
from tickets.attachments import INLINE_TYPES, attachment_get_on_ticket
from tickets.models import Attachment

logger = logging.getLogger("tickets")

FILE_CSP = "default-src 'none'; sandbox"


def content_disposition(name: str, *, inline: bool) -> str:
    """Return a Content-Disposition naming the file in UTF-8, with a plain ASCII fallback."""
    stem, dot, extension = name.rpartition(".")
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ascii_stem = "".join(ch for ch in ascii_stem if ch.isprintable() and ch not in '"\\;')
    fallback = f"{ascii_stem.strip() or 'file'}{dot}{extension}"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def attachment_response(attachment: Attachment, *, inline: bool) -> FileResponse:
    """Answer with the file, as a download unless it is a re-encoded image asked for inline."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        logger.error("attachment %s: file missing from storage", attachment.pk)
        raise Http404("No such file.") from None
    show_inline = inline and attachment.content_type in INLINE_TYPES
    content_type = attachment.content_type
    if content_type == "text/plain":
        content_type = "text/plain; charset=utf-8"
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(attachment.name, inline=show_inline)
    response["X-Content-Type-Options"] = "nosniff"
    # Set here, the desk's page policy is left off: the file may load nothing and run nothing.
    response["Content-Security-Policy"] = FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private"
    return response


def _wants_inline(request: HttpRequest) -> bool:
    return request.GET.get("inline") == "1"


def _viewer(request: HttpRequest, *roles: Role) -> User:
    """Return the signed-in viewer of one of ``roles``; anyone else is told the file is not there."""
    user = request.user
    if not isinstance(user, User) or user.role not in roles:
        raise Http404("No such file.")
    return user


def _sign_in_first(request: HttpRequest) -> HttpResponseBase | None:
    if request.user.is_authenticated:
        return None
    return redirect_to_login(request.get_full_path())


@require_safe
def buyer_attachment(request: HttpRequest, ticket_id: int, attachment_id: int) -> HttpResponseBase:
    """Send a file of the buyer's own ticket; files of internal notes do not exist for them."""
    if (login := _sign_in_first(request)) is not None:
        return login
    buyer = _viewer(request, Role.BUYER)
    try:
        ticket = selectors.ticket_get_for_buyer(buyer=buyer, ticket_id=ticket_id)
        attachment = attachment_get_on_ticket(
            ticket=ticket, attachment_id=attachment_id, internal=False
        )
    except DomainError as error:
        raise Http404(error.message) from error
    return attachment_response(attachment, inline=_wants_inline(request))


@require_safe
def agent_attachment(request: HttpRequest, ticket_id: int, attachment_id: int) -> HttpResponseBase:
    """Send a file of a ticket the agent may work, internal notes' files included."""
    if (login := _sign_in_first(request)) is not None:
        return login
    agent = _viewer(request, Role.AGENT, Role.SUPERVISOR)
    try:
        ticket = selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
        attachment = attachment_get_on_ticket(
            ticket=ticket, attachment_id=attachment_id, internal=True
        )
    except DomainError as error:
        raise Http404(error.message) from error
    return attachment_response(attachment, inline=_wants_inline(request))
