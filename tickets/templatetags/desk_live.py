"""Template tags of the live pages: the version a drawn page holds."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from tickets import live
from tickets.models import Ticket

register = template.Library()


@register.simple_tag
def buyer_live_version(ticket: Ticket, thread: Iterable[Any]) -> str:
    """Return the version of the buyer's page being drawn, from what it shows."""
    return live.buyer_version_of_page(ticket=ticket, thread=thread)
