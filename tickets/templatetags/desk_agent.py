"""Template tags of the agent workspace.

The workspace draws its lists' rows with tags rather than template loops or
included templates: a page holds up to 50 rows, and a row drawn by the
template language costs several times what ``format_html`` does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.dates import MONTHS_3
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from tickets.status import Status

if TYPE_CHECKING:
    from tickets.views.agent import SlaDue, TicketRow

register = template.Library()


def day_and_time(at: datetime) -> str:
    """Return ``at`` as the date filter's "j M H:i" draws it ("23 Nov 14:05"), in fewer steps."""
    return f"{at.day} {MONTHS_3[at.month].title()} {at:%H:%M}"


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


@register.simple_tag
def sla_due(sla: SlaDue) -> SafeString:
    """Draw a ticket's next SLA deadline: its label, the due time and how close it is."""
    if sla.due_at is not None:
        due = localtime(sla.due_at)
        if sla.state == "late":
            note = f" · {_('late')}"
        elif sla.state == "near":
            note = f" · {_('due soon')}"
        else:
            note = ""
        return format_html(
            '<span class="sla sla--{}" title="{}">{}: <time datetime="{}">{}</time>{}</span>',
            sla.state,
            sla.label,
            sla.label,
            due.isoformat(),  # the date filter's "c"
            day_and_time(due),
            note,
        )
    if sla.state == "paused":
        return format_html('<span class="sla sla--paused">{}</span>', sla.label)
    return mark_safe('<span class="muted">—</span>')  # nosec B308  # a constant


@register.simple_tag
def my_ticket_row(row: TicketRow) -> SafeString:
    """Draw one row of the agent's own tickets: reference, subject, buyer, status, priority, SLA."""
    ticket = row.ticket
    return format_html(
        '<tr class="row--{}"><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td>'
        '<td><span class="priority priority--{}">{}</span></td><td>{}</td></tr>',
        row.sla.state,
        ticket_url(ticket.pk),
        ticket.reference,
        ticket.subject,
        ticket.buyer.display_name,
        row.status_label,
        ticket.priority,
        ticket.get_priority_display(),
        sla_due(row.sla),
    )


@register.simple_tag
def sla_watch_item(row: TicketRow) -> SafeString:
    """Draw one ticket of the SLA watch: reference, subject, queue, who has it, and its SLA."""
    ticket = row.ticket
    return format_html(
        '<li class="sla-list__item"><a href="{}">{}</a> {} '
        '<span class="muted">· {} · {}</span><br>{}</li>',
        ticket_url(ticket.pk),
        ticket.reference,
        ticket.subject,
        ticket.queue.name if ticket.queue else "",
        ticket.assignee.display_name if ticket.assignee else _("unassigned"),
        sla_due(row.sla),
    )
