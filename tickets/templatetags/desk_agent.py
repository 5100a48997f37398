"""Template tags of the agent workspace.

The workspace draws its lists' rows with tags rather than template loops or
included templates: a page holds up to 50 rows, and a row drawn by the
template language costs several times what one formatted string does. Every
value a row shows goes through ``html.escape`` (what Django's ``escape``
does inside, without its lazy-string checks), and the words every row repeats
come translated once per language (``tickets.row_words``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from html import escape
from typing import TYPE_CHECKING, Any

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from tickets.row_words import RowWords, row_words
from tickets.status import Status

if TYPE_CHECKING:
    from tickets.views.agent import SlaDue, TicketRow

register = template.Library()


def day_and_time(at: datetime) -> str:
    """Return ``at`` as the date filter's "j M H:i" draws it ("23 Nov 14:05"), in fewer steps."""
    return f"{at.day} {row_words().months[at.month]} {at:%H:%M}"


# A ticket id no real ticket has, marking where the id goes in the ticket page's address.
_ID_MARK = 987654321987654321


@lru_cache(maxsize=16)
def _ticket_url_around_id(prefix: str, urlconf: str | None) -> tuple[str, str]:
    url = reverse("agent:ticket", args=[_ID_MARK], urlconf=urlconf)
    before, _mark, after = url.partition(str(_ID_MARK))
    return before, after


def ticket_url(ticket_id: int) -> str:
    """Return ``reverse("agent:ticket", args=[ticket_id])``, reversed once and not for every row."""
    before, after = _ticket_url_around_id(get_script_prefix(), get_urlconf())
    return f"{before}{int(ticket_id)}{after}"


@register.filter
def statuses_open_to_agent(choices: Iterable[tuple[str, str]], case: Any) -> list[tuple[str, str]]:
    """Return the status choices an agent may pick: not "solved" while the ticket's case is open.

    The case's decision solves the ticket; the services refuse "solved"
    before it (``ticket_of_a_case``), so the forms do not offer it.
    """
    if not getattr(case, "is_open", False):
        return list(choices)
    return [(value, label) for value, label in choices if value != Status.SOLVED]


def _sla_html(sla: SlaDue, words: RowWords) -> str:
    if sla.due_at is not None:
        due = localtime(sla.due_at)
        if sla.state == "late":
            note = f" · {escape(words.late)}"
        elif sla.state == "near":
            note = f" · {escape(words.due_soon)}"
        else:
            note = ""
        label = escape(sla.label)
        return (
            f'<span class="sla sla--{escape(sla.state)}" title="{label}">{label}: '
            f'<time datetime="{escape(due.isoformat())}">{escape(day_and_time(due))}</time>'
            f"{note}</span>"
        )
    if sla.state == "paused":
        return f'<span class="sla sla--paused">{escape(sla.label)}</span>'
    return '<span class="muted">—</span>'


@register.simple_tag
def sla_due(sla: SlaDue) -> SafeString:
    """Draw a ticket's next SLA deadline: its label, the due time and how close it is."""
    return mark_safe(_sla_html(sla, row_words()))  # noqa: S308  # nosec B308 B703  # escaped


@register.simple_tag
def my_ticket_row(row: TicketRow) -> SafeString:
    """Draw one row of the agent's own tickets: reference, subject, buyer, status, priority, SLA."""
    ticket, words = row.ticket, row_words()
    priority = ticket.priority
    return mark_safe(  # noqa: S308  # nosec B308 B703  # every value escaped
        f'<tr class="row--{escape(row.sla.state)}">'
        f'<td><a href="{escape(ticket_url(ticket.pk))}">{escape(ticket.reference)}</a></td>'
        f"<td>{escape(ticket.subject)}</td>"
        f"<td>{escape(ticket.buyer.display_name)}</td>"
        f"<td>{escape(row.status_label)}</td>"
        f'<td><span class="priority priority--{escape(str(priority))}">'
        f"{escape(words.priorities.get(priority, str(priority)))}</span></td>"
        f"<td>{_sla_html(row.sla, words)}</td></tr>"
    )


@register.simple_tag
def sla_watch_item(row: TicketRow) -> SafeString:
    """Draw one ticket of the SLA watch: reference, subject, queue, who has it, and its SLA."""
    ticket, words = row.ticket, row_words()
    queue = ticket.queue.name if ticket.queue else ""
    assignee = ticket.assignee.display_name if ticket.assignee else words.unassigned
    return mark_safe(  # noqa: S308  # nosec B308 B703  # every value escaped
        f'<li class="sla-list__item"><a href="{escape(ticket_url(ticket.pk))}">'
        f"{escape(ticket.reference)}</a> {escape(ticket.subject)} "
        f'<span class="muted">· {escape(queue)} · {escape(assignee)}</span><br>'
        f"{_sla_html(row.sla, words)}</li>"
    )
