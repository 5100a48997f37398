"""Template tags of the agent workspace."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template
from django.template.defaultfilters import date
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from tickets.views.agent import SlaDue

register = template.Library()


@register.simple_tag
def sla_due(sla: SlaDue) -> SafeString:
    """Draw a ticket's next SLA deadline: its label, the due time and how close it is.

    A tag rather than an included template: the workspace draws it for every
    row of its lists.
    """
    if sla.due_at is not None:
        due = localtime(sla.due_at)
        note = {"late": _("late"), "near": _("due soon")}.get(sla.state)
        return format_html(
            '<span class="sla sla--{}" title="{}">{}: <time datetime="{}">{}</time>{}</span>',
            sla.state,
            sla.label,
            sla.label,
            due.isoformat(),  # the date filter's "c"
            date(due, "j M H:i"),
            f" · {note}" if note else "",
        )
    if sla.state == "paused":
        return format_html('<span class="sla sla--paused">{}</span>', sla.label)
    return mark_safe('<span class="muted">—</span>')  # nosec B308  # a constant
