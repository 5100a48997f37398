"""Pages of the agent workspace: the home page and the ticket page with its actions.

Every action is a POST that makes one service call. A refused action shows
its reason on the page (the typed text stays in the form), never a 500.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Role, User
from accounts.permissions import role_required
from disputes.views.agent import case_context
from faq import selectors as faq_selectors
from support_desk.errors import DomainError
from tickets import live, selectors, services
from tickets.attachments import InvalidAttachment
from tickets.forms.agent import (
    PUBLIC,
    STATUS_LABELS,
    AssignForm,
    MoveForm,
    PresenceForm,
    PriorityForm,
    ReplyForm,
    StatusForm,
)
from tickets.forms.macros import MacroPickForm
from tickets.macro_selectors import macro_options
from tickets.models import Channel, EventKind, Presence, Ticket, TicketEvent
from tickets.rating_selectors import ticket_rating_get
from tickets.row_words import row_words
from tickets.services.attachments import ticket_reply_by_agent_with_files
from tickets.status import Status, TransitionNotAllowed

agent_only = role_required(Role.AGENT, Role.SUPERVISOR)

# A due time this close counts as "near" on the workspace.
SLA_NEAR = timedelta(hours=1)

DETAIL_LABELS = {
    "transaction_id": gettext_lazy("Transaction id"),
    "amount": gettext_lazy("Amount"),
    "product": gettext_lazy("Product"),
    "purchase_date": gettext_lazy("Purchase date"),
}


def _agent(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@dataclass(frozen=True)
class SlaDue:
    """The SLA deadline a ticket is working towards now, and how close it is."""

    label: str
    due_at: datetime | None
    state: str  # late, near, ok, paused or none


def sla_due(ticket: Ticket, *, now: datetime) -> SlaDue:
    """Return the ticket's next SLA deadline: first response until answered, then resolution."""
    if ticket.status == Status.PENDING:
        return SlaDue(row_words().paused, None, "paused")
    if not ticket.is_open:
        return SlaDue("", None, "none")
    due: datetime | None
    if ticket.first_responded_at is None and ticket.first_response_due_at is not None:
        label, due = row_words().first_response, ticket.first_response_due_at
    else:
        label, due = row_words().resolution, ticket.resolution_due_at
    if due is None:
        return SlaDue("", None, "none")
    state = "late" if due <= now else "near" if due <= now + SLA_NEAR else "ok"
    return SlaDue(label, due, state)


@dataclass(frozen=True)
class TicketRow:
    ticket: Ticket
    sla: SlaDue

    @property
    def status_label(self) -> str:
        return _status_label(self.ticket.status)


@dataclass(frozen=True)
class HistoryRow:
    event: TicketEvent

    def _label(self, value: str) -> str:
        if self.event.kind == EventKind.STATUS:
            return _status_label(value)
        if self.event.kind == EventKind.OPENED and value in Channel.values:
            return str(Channel(value).label)
        return value

    @property
    def from_label(self) -> str:
        return self._label(self.event.from_value)

    @property
    def to_label(self) -> str:
        return self._label(self.event.to_value)


# The SLA watch shows the most urgent tickets; the rest are counted.
SLA_WATCH_SHOWN = 30


@dataclass(frozen=True)
class QueueRow:
    summary: selectors.QueueSummary
    wait_minutes: int | None

    @property
    def wait_hours(self) -> tuple[int, int]:
        return divmod(self.wait_minutes or 0, 60)


def home_context(
    *, agent: User, now: datetime, queue_ids: list[int] | None = None
) -> dict[str, Any]:
    """Return the workspace's lists (and their live version) as the home page shows them.

    ``queue_ids`` are the agent's queues when the caller has already read them.
    """
    if queue_ids is None:
        queue_ids = selectors.agent_queue_ids(agent=agent)
    queues = [
        QueueRow(
            summary=summary,
            wait_minutes=int((now - summary.oldest_queued_at).total_seconds() // 60)
            if summary.oldest_queued_at
            else None,
        )
        for summary in selectors.queue_summaries(agent=agent, queue_ids=queue_ids)
    ]
    my_tickets = [
        TicketRow(ticket, sla_due(ticket, now=now))
        for ticket in selectors.agent_ticket_list(agent=agent)
    ]
    watch = selectors.agent_sla_watch(
        agent=agent, now=now, shown=SLA_WATCH_SHOWN, queue_ids=queue_ids
    )
    sla_watch = [TicketRow(ticket, sla_due(ticket, now=now)) for ticket in watch]
    # Annotated by the selector: how many tickets the whole watch holds.
    watch_total = sla_watch[0].ticket.watch_total if sla_watch else 0  # type: ignore[attr-defined]
    sla_watch_more = max(0, watch_total - len(sla_watch))
    return {
        "my_tickets": my_tickets,
        "queues": queues,
        "sla_watch": sla_watch,
        "sla_watch_more": sla_watch_more,
        # Everything the lists show, so any change draws them again.
        "live_version": live.digest(
            [(row.ticket.pk, row.ticket.updated_at, row.sla) for row in my_tickets + sla_watch],
            [(row.summary, row.wait_minutes) for row in queues],
            sla_watch_more,
        ),
    }


@require_safe
@agent_only
def agent_home(request: HttpRequest) -> HttpResponse:
    """Show the agent's tickets, queues, SLA watch, presence and "take next"."""
    agent = _agent(request)
    profile = selectors.agent_profile_get(agent=agent)
    return render(
        request,
        "tickets/agent/home.html",
        {
            "profile": profile,
            "presence": profile.presence if profile else Presence.OFFLINE,
            "presences": Presence.choices,
            **home_context(
                agent=agent,
                now=timezone.now(),
                queue_ids=selectors.agent_queue_ids(agent=agent) if profile else [],
            ),
        },
    )


@require_POST
@agent_only
def agent_presence(request: HttpRequest) -> HttpResponse:
    """Set the agent online, away or offline; going online pulls waiting tickets at once."""
    form = PresenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose online, away or offline."))
        return redirect("agent:home")
    try:
        profile = services.agent_set_presence(
            agent=_agent(request), presence=form.cleaned_data["presence"], now=timezone.now()
        )
    except DomainError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("You are now %(presence)s.") % {"presence": profile.get_presence_display().lower()},
        )
    return redirect("agent:home")


@require_POST
@agent_only
def agent_take_next(request: HttpRequest) -> HttpResponse:
    """Give the agent the first waiting ticket of their queues and open it."""
    try:
        ticket = services.ticket_take_next(agent=_agent(request), now=timezone.now())
    except services.AgentNotFound:
        messages.error(
            request, _("You are not set up to take tickets yet: ask a supervisor for a queue.")
        )
        return redirect("agent:home")
    except DomainError as error:
        messages.error(request, error_text(error))
        return redirect("agent:home")
    if ticket is None:
        messages.info(request, _("Nothing is waiting in your queues."))
        return redirect("agent:home")
    messages.success(request, _("%(reference)s is yours.") % {"reference": ticket.reference})
    return redirect("agent:ticket", ticket_id=ticket.pk)


def _status_label(value: object) -> str:
    text = str(value)
    return row_words().statuses.get(text, text)


def error_text(error: DomainError) -> str:
    """Return what the agent reads when a service refuses an action."""
    if isinstance(error, TransitionNotAllowed):
        details = error.details or {}
        return _("A ticket that is %(from)s cannot become %(to)s.") % {
            "from": _status_label(details.get("from")),
            "to": _status_label(details.get("to")),
        }
    return error.message


def _visible_ticket(request: HttpRequest, ticket_id: int) -> Ticket:
    try:
        return selectors.ticket_get_for_agent(agent=_agent(request), ticket_id=ticket_id)
    except services.TicketNotFound as error:
        raise Http404(error.message) from error


def _details(ticket: Ticket) -> list[tuple[str, Any]]:
    details = ticket.details if isinstance(ticket.details, dict) else {}
    return [(str(DETAIL_LABELS.get(key, key)), value) for key, value in details.items()]


@dataclass(frozen=True)
class CameFrom:
    """The help-centre answer a ticket was opened under: its question and address.

    An answer unpublished since has no address to show (its page is gone
    from the help centre); supervisors get its admin page instead.
    """

    question: str
    url: str | None
    published: bool = True


def _came_from(ticket: Ticket, *, agent: User) -> CameFrom | None:
    if ticket.faq_entry_id is None:
        return None
    language = get_language() or "en"
    views = faq_selectors.entry_views_by_id(ids=[ticket.faq_entry_id], language=language)
    view = views.get(ticket.faq_entry_id)
    if view is not None:
        return CameFrom(question=view.question, url=view.url)
    question = faq_selectors.entry_question_any(entry_id=ticket.faq_entry_id, language=language)
    if question is None:  # deleted since the ticket was read
        return None
    admin_url = (
        reverse("admin:faq_faqentry_change", args=[ticket.faq_entry_id])
        if agent.is_staff and agent.has_perm("faq.change_faqentry")
        else None
    )
    return CameFrom(question=question, url=admin_url, published=False)


def conversation_context(*, agent: User, ticket: Ticket, now: datetime) -> dict[str, Any]:
    """Return what the conversation shows, and its live state (noting ``agent`` as a viewer)."""
    sla = sla_due(ticket, now=now)
    thread = list(selectors.ticket_thread(ticket=ticket, for_agent=True))
    return {
        "ticket": ticket,
        "now": now,
        "sla": sla,
        "status_label": _status_label(ticket.status),
        "thread": thread,
        "live": live.agent_page(
            agent=agent, ticket=ticket, thread=thread, sla_state=sla.state, now=now
        ),
    }


def _render_ticket(
    request: HttpRequest,
    ticket: Ticket,
    *,
    status: int = 200,
    **bound: Any,
) -> HttpResponse:
    """Render the ticket page; ``bound`` holds a submitted form to show with its errors.

    With ``reply_changes`` (what others did since the agent's reply form was
    loaded) the reply box asks whether to send anyway.
    """
    now = timezone.now()
    agent = _agent(request)
    context: dict[str, Any] = {
        **conversation_context(agent=agent, ticket=ticket, now=now),
        "reply_changes": [],
        "details": _details(ticket),
        "came_from": _came_from(ticket, agent=agent),
        "order": selectors.ticket_order(ticket=ticket),
        "history": [HistoryRow(event) for event in selectors.ticket_history(ticket=ticket)],
        "other_tickets": [
            TicketRow(other, sla_due(other, now=now))
            for other in selectors.buyer_other_tickets(ticket=ticket)
        ],
        "reply_form": ReplyForm(prefix="reply"),
        "status_form": StatusForm(prefix="status"),
        "priority_form": PriorityForm(prefix="priority", initial={"priority": ticket.priority}),
        "assign_form": AssignForm(prefix="assign", queue=ticket.queue),
        "move_form": MoveForm(prefix="move", current=ticket.queue),
    }
    context.update(_rating_and_macros(request, ticket))
    context.update(case_context(agent=_agent(request), ticket_id=ticket.pk))
    context.update(bound)
    return render(request, "tickets/agent/ticket.html", context, status=status)


def render_ticket_with(
    request: HttpRequest, *, ticket_id: int, status: int, **bound: Any
) -> HttpResponse:
    """Render a visible ticket's page with a submitted form (from another app's action)."""
    return _render_ticket(request, _visible_ticket(request, ticket_id), status=status, **bound)


@require_safe
@agent_only
def agent_ticket(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Show a ticket of the agent's queues: header, thread, history and the actions."""
    return _render_ticket(request, _visible_ticket(request, ticket_id))


def _refused(
    request: HttpRequest, ticket: Ticket, name: str, form: forms.Form, error: DomainError
) -> HttpResponse:
    """Show the page again with the service's reason on the submitted form."""
    form.add_error(None, error_text(error))
    return _render_ticket(request, ticket, status=error.status, **{name: form})


def _done(request: HttpRequest, ticket_id: int, text: str) -> HttpResponseRedirect:
    messages.success(request, text)
    return redirect("agent:ticket", ticket_id=ticket_id)


@require_POST
@agent_only
def agent_ticket_reply(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Add a public reply or an internal note, optionally setting the status after it."""
    ticket = _visible_ticket(request, ticket_id)
    form = ReplyForm(request.POST, request.FILES, prefix="reply")
    if not form.is_valid():
        return _render_ticket(request, ticket, status=400, reply_form=form)
    if not form.cleaned_data["send_anyway"]:
        # Others wrote or changed the ticket since this form was loaded: ask first.
        changes = live.ticket_changes_since(
            ticket=ticket, version=form.cleaned_data["loaded_version"], agent=_agent(request)
        )
        if changes:
            return _render_ticket(
                request, ticket, status=409, reply_form=form, reply_changes=changes
            )
    try:
        ticket_reply_by_agent_with_files(
            ticket_id=ticket.pk,
            files=form.cleaned_data["attachments"],
            agent=_agent(request),
            body=form.cleaned_data["body"],
            now=timezone.now(),
            internal=form.internal,
            then_status=form.status,
        )
    except InvalidAttachment as error:
        for text in error.texts():
            form.add_error("attachments", text)
        return _render_ticket(request, ticket, status=400, reply_form=form)
    except DomainError as error:
        return _refused(request, ticket, "reply_form", form, error)
    return _done(
        request, ticket.pk, _("Internal note added.") if form.internal else _("Reply sent.")
    )


@require_POST
@agent_only
def agent_ticket_status(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Set the ticket pending or solved."""
    ticket = _visible_ticket(request, ticket_id)
    form = StatusForm(request.POST, prefix="status")
    if not form.is_valid():
        return _render_ticket(request, ticket, status=400, status_form=form)
    try:
        services.ticket_set_status_by_agent(
            ticket_id=ticket.pk,
            agent=_agent(request),
            status=form.cleaned_data["status"],
            now=timezone.now(),
        )
    except DomainError as error:
        return _refused(request, ticket, "status_form", form, error)
    label = STATUS_LABELS[Status(form.cleaned_data["status"])]
    return _done(request, ticket.pk, _("Status set to %(status)s.") % {"status": label})


@require_POST
@agent_only
def agent_ticket_priority(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Change the ticket's priority (its SLA due times follow)."""
    ticket = _visible_ticket(request, ticket_id)
    form = PriorityForm(request.POST, prefix="priority")
    if not form.is_valid():
        return _render_ticket(request, ticket, status=400, priority_form=form)
    try:
        changed = services.ticket_set_priority(
            ticket_id=ticket.pk,
            priority=form.cleaned_data["priority"],
            actor=_agent(request),
            now=timezone.now(),
        )
    except DomainError as error:
        return _refused(request, ticket, "priority_form", form, error)
    return _done(
        request,
        ticket.pk,
        _("Priority set to %(priority)s.") % {"priority": changed.get_priority_display()},
    )


@require_POST
@agent_only
def agent_ticket_assign(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Give the ticket to another agent of its queue."""
    ticket = _visible_ticket(request, ticket_id)
    form = AssignForm(request.POST, prefix="assign", queue=ticket.queue)
    if not form.is_valid():
        return _render_ticket(request, ticket, status=400, assign_form=form)
    agent = form.cleaned_data["agent"]
    try:
        services.ticket_assign(
            ticket_id=ticket.pk,
            agent=agent,
            actor=_agent(request),
            now=timezone.now(),
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        return _refused(request, ticket, "assign_form", form, error)
    return _done(request, ticket.pk, _("Assigned to %(agent)s.") % {"agent": agent.display_name})


@require_POST
@agent_only
def agent_ticket_move(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Move the ticket to another queue, saying why; that queue's agents are offered it."""
    ticket = _visible_ticket(request, ticket_id)
    form = MoveForm(request.POST, prefix="move", current=ticket.queue)
    if not form.is_valid():
        return _render_ticket(request, ticket, status=400, move_form=form)
    queue = form.cleaned_data["queue"]
    try:
        services.ticket_move_to_queue(
            ticket_id=ticket.pk,
            queue=queue,
            actor=_agent(request),
            now=timezone.now(),
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        return _refused(request, ticket, "move_form", form, error)
    messages.success(request, _("Moved to %(queue)s.") % {"queue": queue.name})
    # The agent may no longer see the ticket once it left their queues.
    if not selectors.ticket_may_open(agent=_agent(request), ticket_id=ticket.pk):
        return redirect("agent:home")
    return redirect("agent:ticket", ticket_id=ticket.pk)


def _rating_and_macros(request: HttpRequest, ticket: Ticket) -> dict[str, Any]:
    """Return the buyer's rating and the macros offered in the reply box (filled in)."""
    return {
        "rating": ticket_rating_get(ticket=ticket),
        "macro_options": macro_options(ticket=ticket, agent=_agent(request)),
    }


@require_POST
@agent_only
def agent_ticket_macro(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Put a macro's text into the reply box, after anything typed, and its status into "Then".

    Nothing is sent: the page comes back with the reply form filled in, for
    browsers without JavaScript (static/js/macros.js does the same in place).
    """
    ticket = _visible_ticket(request, ticket_id)
    typed = {
        "body": request.POST.get("reply-body", ""),
        "visibility": request.POST.get("reply-visibility") or PUBLIC,
        "then_status": request.POST.get("reply-then_status", ""),
    }
    form = MacroPickForm(request.POST, options=macro_options(ticket=ticket, agent=_agent(request)))
    if not form.is_valid():
        reply = ReplyForm(prefix="reply", initial=typed)
        return _render_ticket(request, ticket, status=400, reply_form=reply, macro_form=form)
    option = form.option
    body = typed["body"].rstrip()
    typed["body"] = f"{body}\n\n{option.text}" if body else option.text
    typed["then_status"] = option.set_status or typed["then_status"]
    return _render_ticket(request, ticket, reply_form=ReplyForm(prefix="reply", initial=typed))
