"""Reads of macros: the ones offered on a ticket, rendered for the agent replying."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet

from accounts.models import User
from tickets.models import Macro, Ticket
from tickets.services.macros import macro_render


def _offered(ticket: Ticket, language: str) -> QuerySet[Macro]:
    return (
        Macro.objects.filter(
            Q(topic_id=ticket.topic_id) | Q(topic__isnull=True), is_active=True, language=language
        )
        .select_related("topic")
        .order_by("sort_order", "name")
    )


def macros_for_ticket(*, ticket: Ticket) -> list[Macro]:
    """Return the active macros for the ticket's topic (or every topic) in its language.

    When the ticket's language has none, the desk's default language's are
    offered instead.
    """
    macros = list(_offered(ticket, ticket.language))
    if not macros and ticket.language != settings.LANGUAGE_CODE:
        macros = list(_offered(ticket, settings.LANGUAGE_CODE))
    return macros


@dataclass(frozen=True)
class MacroOption:
    """A macro offered in the reply box, with its text filled in for this ticket."""

    macro: Macro
    text: str

    @property
    def set_status(self) -> str:
        return self.macro.set_status


def macro_options(*, ticket: Ticket, agent: User | None) -> list[MacroOption]:
    """Return the macros offered on ``ticket``, each rendered for ``agent``."""
    return [
        MacroOption(macro=macro, text=macro_render(macro=macro, ticket=ticket, agent=agent))
        for macro in macros_for_ticket(ticket=ticket)
    ]


def macro_list(*, language: str | None = None, topic_slug: str | None = None) -> QuerySet[Macro]:
    """Return the active macros, optionally of one language and of one topic (or every topic)."""
    macros = Macro.objects.filter(is_active=True).select_related("topic")
    if language:
        macros = macros.filter(language=language)
    if topic_slug:
        macros = macros.filter(Q(topic__slug=topic_slug) | Q(topic__isnull=True))
    return macros.order_by("language", "sort_order", "name")
