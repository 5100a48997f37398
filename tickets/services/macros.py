"""Canned replies: filling a macro's placeholders for one ticket, and keeping macros."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_before, audit_change
from faq.models import Topic
from tickets.models import Macro, Ticket
from tickets.services._common import InvalidTicket
from tickets.status import Status

PLACEHOLDERS = ("buyer_name", "reference", "order_number", "agent_name", "subject")
# Only a bare name in braces is a placeholder. Anything else — {ticket.buyer.password},
# {buyer_name.__class__}, {0}, {subject:>999999} — is text and stays as it is.
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
MACRO_STATUSES = ("", Status.PENDING, Status.SOLVED)


def macro_values(*, ticket: Ticket, agent: User | None) -> dict[str, str]:
    """Return what each placeholder stands for on ``ticket`` (agents by first name, as buyers see them)."""
    values = {
        "buyer_name": ticket.buyer.display_name,
        "reference": ticket.reference,
        "order_number": ticket.order_number,
        "subject": ticket.subject,
    }
    if agent is not None:
        values["agent_name"] = agent.display_name
    return values


def macro_fill(body: str, values: dict[str, str]) -> str:
    """Replace the known ``{name}`` placeholders in ``body``; leave everything else as written.

    Deliberately not ``str.format_map``: formatting evaluates attribute
    access, indexing and format specs in the template, which a macro's text
    must never reach. Replacement values are never scanned again.
    """

    def value(match: re.Match[str]) -> str:
        return values.get(match.group(1), match.group(0))

    return _PLACEHOLDER.sub(value, body)


def macro_unknown_placeholders(body: str) -> list[str]:
    """Return the ``{name}`` placeholders in ``body`` that are not known (typos, mostly)."""
    return sorted({name for name in _PLACEHOLDER.findall(body) if name not in PLACEHOLDERS})


def macro_render(*, macro: Macro, ticket: Ticket, agent: User | None) -> str:
    """Return the macro's text filled in for ``ticket`` and the agent replying."""
    return macro_fill(macro.body, macro_values(ticket=ticket, agent=agent))


def macro_upsert(
    *,
    name: str,
    language: str,
    body: str,
    topic: Topic | None = None,
    set_status: str = "",
    sort_order: int = 100,
    is_active: bool = True,
) -> Macro:
    """Create or update the macro ``name`` in ``language``; raise InvalidTicket for bad input."""
    if language not in dict(settings.LANGUAGES):
        raise InvalidTicket(_("Unknown language."), details={"language": language})
    if set_status not in MACRO_STATUSES:
        raise InvalidTicket(_("Choose pending or solved."), details={"set_status": set_status})
    if not name.strip() or not body.strip():
        raise InvalidTicket(_("A macro needs a name and a text."))
    with transaction.atomic():
        before = audit_before(Macro, name=name.strip(), language=language)
        macro, _created = Macro.objects.update_or_create(
            name=name.strip(),
            language=language,
            defaults={
                "body": body.strip(),
                "topic": topic,
                "set_status": set_status,
                "sort_order": sort_order,
                "is_active": is_active,
            },
        )
        audit_change(obj=macro, before=before)
    return macro
