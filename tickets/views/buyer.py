"""The buyer's pages: the contact form, their requests and each request's thread."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Role, User
from accounts.permissions import role_required
from disputes import selectors as dispute_selectors
from faq import selectors as faq_selectors
from faq.models import FaqEntry
from faq.visitors import visitor_key
from tickets import selectors, services
from tickets.attachments import InvalidAttachment
from tickets.forms.buyer import ContactForm, ReplyForm
from tickets.forms.rating import RatingForm
from tickets.models import Channel, Message, MessageKind, Queue, Ticket
from tickets.rating_selectors import ticket_rating_view
from tickets.services import rating as rating_service
from tickets.services.assistant import ticket_accept_assistant_answer
from tickets.services.attachments import ticket_open_with_files, ticket_reply_by_buyer_with_files
from tickets.status import Status

# The contact ways that open a ticket, and the channel each one gives it.
CONTACT_CHANNELS = {"chat": Channel.CHAT, "email": Channel.EMAIL}
REQUESTS_PER_PAGE = 25
# Statuses in which a chat ticket still waits for its agent to join.
WAITING_FOR_AGENT = (Status.NEW, Status.QUEUED)

buyer_only = role_required(Role.BUYER)


def _language() -> str:
    language = get_language() or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _buyer(request: HttpRequest) -> User:
    return cast(User, request.user)


def _way_allowed(entry: FaqEntry, way: str) -> bool:
    if way == "chat":
        return entry.operator_resolvable
    if way == "email":
        return entry.allows_email()
    return False


@buyer_only
@require_http_methods(["GET", "HEAD", "POST"])
def ticket_new(request: HttpRequest, entry_id: int, way: str) -> HttpResponse:
    """Ask what the topic needs, then open a ticket from the answer the buyer came from.

    An answer that is not shown, or a contact way it does not offer, sends
    the buyer back with a message instead of a form.
    """
    language = _language()
    try:
        view = faq_selectors.entry_get_by_id(entry_id=entry_id, language=language)
    except Http404:
        messages.warning(
            request,
            _(
                "That answer is no longer available. Find the one that matches your problem "
                "and contact us from there."
            ),
        )
        return redirect("help:home")
    entry = view.entry
    if not _way_allowed(entry, way):
        messages.warning(
            request,
            _(
                "This answer cannot be followed up that way. Choose one of the ways offered below it."
            ),
        )
        return redirect("help:entry", entry.topic.slug, entry.slug)
    now = timezone.now()
    form = ContactForm(
        request.POST or None, request.FILES or None, topic_slug=entry.topic.slug, today=now.date()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = ticket_open_with_files(
                buyer=_buyer(request),
                files=data["attachments"],
                topic=entry.topic,
                request=services.TicketRequest(
                    subject=data["subject"],
                    description=data["description"],
                    language=language,
                    channel=CONTACT_CHANNELS[way],
                    order_number=data.get("order_number", ""),
                    transaction_id=data.get("transaction_id", ""),
                    amount=data.get("amount"),
                    product=data.get("product", ""),
                    purchase_date=data.get("purchase_date"),
                ),
                now=now,
                faq_entry=entry,
                visitor=visitor_key(request),
            )
        except services.InvalidTicket as error:
            form.add_service_errors(error)
        except InvalidAttachment as error:
            for text in error.texts():
                form.add_error("attachments", text)
        else:
            messages.success(
                request,
                _("Your request %(reference)s is open.") % {"reference": ticket.reference},
            )
            return redirect("requests:detail", ticket.pk)
    topic = faq_selectors.topic_get(slug=entry.topic.slug, language=language)
    return render(
        request,
        "tickets/buyer/new.html",
        {"form": form, "view": view, "topic": topic, "way": way},
        status=400 if request.method == "POST" else 200,
    )


@dataclass(frozen=True)
class RequestRow:
    ticket: Ticket
    topic_name: str
    position: int | None


def _topic_names(language: str) -> dict[int, str]:
    return {view.topic.pk: view.name for view in faq_selectors.topic_list(language=language)}


@buyer_only
@require_safe
def ticket_list(request: HttpRequest) -> HttpResponse:
    """List the buyer's requests, newest first, with their place in line while queued."""
    page = Paginator(
        selectors.ticket_list_for_buyer(buyer=_buyer(request)), REQUESTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    names = _topic_names(_language())
    rows = [
        RequestRow(
            ticket=ticket,
            topic_name=names.get(ticket.topic_id, ticket.topic.name),
            position=getattr(ticket, "ahead", 0) + 1 if ticket.status == Status.QUEUED else None,
        )
        for ticket in page.object_list
    ]
    return render(request, "tickets/buyer/list.html", {"page": page, "rows": rows})


@dataclass(frozen=True)
class ThreadItem:
    message: Message
    author: str
    is_mine: bool


def _author(message: Message) -> str:
    """Name a message's author as the buyer sees it: agents by first name only."""
    if message.kind == MessageKind.BUYER:
        return _("You")
    if message.kind == MessageKind.AGENT:
        first_name = message.author.first_name if message.author is not None else ""
        return first_name or _("Support agent")
    if message.kind == MessageKind.ASSISTANT:
        return _("Assistant")
    return _("Support Desk")


DETAIL_LABELS = {
    "transaction_id": gettext_lazy("Transaction id"),
    "amount": gettext_lazy("Amount paid"),
    "product": gettext_lazy("Product"),
    "purchase_date": gettext_lazy("Purchase date"),
}


def _detail_rows(ticket: Ticket) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    # A linked order is shown whole, with its dispute, beside these rows.
    if ticket.order_number and ticket.order_id is None:
        rows.append((_("Order number"), ticket.order_number))
    for key, label in DETAIL_LABELS.items():
        value = ticket.details.get(key)
        if value in (None, ""):
            continue
        if key == "purchase_date":
            with suppress(ValueError):
                value = date.fromisoformat(str(value))
        rows.append((str(label), value))
    return rows


def _ticket_context(ticket: Ticket, *, now: datetime) -> dict[str, Any]:
    """Return what the ticket page and its live partial show."""
    language = _language()
    wait = selectors.ticket_wait_estimate(ticket=ticket, now=now)
    queue_time_zone = ""
    fallback_language = ""
    if wait is not None and not wait.queue_open and ticket.queue is not None:
        queue_time_zone = ticket.queue.hours.time_zone if ticket.queue.hours else "UTC"
        if wait.fallback_open and ticket.queue.fallback_id:
            fallback = Queue.objects.only("language").get(pk=ticket.queue.fallback_id)
            fallback_language = get_language_info(fallback.language)["name_translated"]
    open_to_buyer = ticket.status in (Status.QUEUED, Status.ASSIGNED, Status.PENDING)
    case_ticket = ticket.escalates_an_open_case()
    thread = [
        ThreadItem(
            message=message,
            author=_author(message),
            is_mine=message.kind == MessageKind.BUYER,
        )
        for message in selectors.ticket_thread(ticket=ticket, for_agent=False)
    ]
    return {
        "ticket": ticket,
        "topic_name": _topic_names(language).get(ticket.topic_id, ticket.topic.name),
        "detail_rows": _detail_rows(ticket),
        "wait": wait,
        "wait_hours": round(wait.minutes / 60) if wait is not None and wait.minutes >= 90 else 0,
        "queue_time_zone": queue_time_zone,
        "fallback_language": fallback_language,
        "chat_waiting": ticket.channel == Channel.CHAT and ticket.status in WAITING_FOR_AGENT,
        "thread": thread,
        "can_reply": ticket.can_buyer_reply(),
        # A case's ticket ends with the case, on the case's page.
        "can_solve": open_to_buyer and not case_ticket,
        "can_accept_answer": open_to_buyer and not case_ticket,
    }


def _own_ticket(request: HttpRequest, ticket_id: int) -> Ticket:
    try:
        return selectors.ticket_get_for_buyer(buyer=_buyer(request), ticket_id=ticket_id)
    except services.TicketNotFound as error:
        raise Http404(error.message) from error


def _render_ticket(
    request: HttpRequest,
    ticket_id: int,
    *,
    reply_form: ReplyForm,
    status: int = 200,
    rating_form: RatingForm | None = None,
) -> HttpResponse:
    ticket, now = _own_ticket(request, ticket_id), timezone.now()
    context = _ticket_context(ticket, now=now)
    context["reply_form"] = reply_form
    context["ticket_order"] = (
        dispute_selectors.ticket_order_for_buyer(
            buyer=_buyer(request), ticket_id=ticket.pk, order_id=ticket.order_id, now=now
        )
        if ticket.order_id is not None
        else None
    )
    context.update(_rating_context(ticket, rating_form))
    return render(request, "tickets/buyer/detail.html", context, status=status)


@buyer_only
@require_safe
def ticket_detail(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Show one of the buyer's requests: status, place in line, the thread and the reply box."""
    return _render_ticket(request, ticket_id, reply_form=ReplyForm())


def _detail_url(ticket_id: int, anchor: str = "") -> str:
    return reverse("requests:detail", args=[ticket_id]) + anchor


@buyer_only
@require_POST
def ticket_reply(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Add the buyer's message; a pending or solved request reopens."""
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            ticket_reply_by_buyer_with_files(
                ticket_id=ticket_id,
                files=form.cleaned_data["attachments"],
                buyer=_buyer(request),
                body=form.cleaned_data["body"],
                now=timezone.now(),
            )
        except services.TicketNotFound as error:
            raise Http404(error.message) from error
        except (services.InvalidTicket, services.TicketClosed) as error:
            # The page shows the refusal above the text the buyer typed.
            form.add_error("body", error.message)
        except InvalidAttachment as error:
            for text in error.texts():
                form.add_error("attachments", text)
        else:
            messages.success(request, _("Your message was sent."))
            return redirect(_detail_url(ticket_id, "#reply"))
    return _render_ticket(request, ticket_id, reply_form=form, status=400)


@buyer_only
@require_POST
def ticket_solve(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Mark the buyer's request solved ("my problem is solved")."""
    try:
        services.ticket_solve_by_buyer(
            ticket_id=ticket_id, buyer=_buyer(request), now=timezone.now()
        )
    except services.TicketNotFound as error:
        raise Http404(error.message) from error
    except (services.TicketClosed, services.TicketOfACase) as error:
        messages.warning(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Glad it is solved. If the problem comes back, reply here and we reopen the request."
            ),
        )
    return redirect(_detail_url(ticket_id))


def _rating_context(ticket: Ticket, form: RatingForm | None) -> dict[str, Any]:
    """Return the rating section's state; a submitted form keeps what the buyer chose and wrote."""
    if form is None and not rating_service.ticket_can_be_rated(ticket):
        return {"rating_view": None, "rating_form": None}
    view = ticket_rating_view(ticket=ticket, now=timezone.now())
    if form is None and view.can_rate:
        initial = (
            {"score": view.rating.score, "comment": view.rating.comment} if view.rating else {}
        )
        form = RatingForm(initial=initial)
    return {"rating_view": view, "rating_form": form}


@buyer_only
@require_POST
def ticket_rate(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Rate the help on a solved or closed request (1–5, optional comment), or change the rating."""
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            rating_service.ticket_rate(
                ticket_id=ticket_id,
                buyer=_buyer(request),
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                now=timezone.now(),
            )
        except services.TicketNotFound as error:
            raise Http404(error.message) from error
        except (
            rating_service.InvalidRating,
            rating_service.RatingNotAllowed,
            rating_service.RatingLocked,
        ) as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Thank you for rating our help."))
            return redirect(_detail_url(ticket_id, "#rate"))
    return _render_ticket(request, ticket_id, reply_form=ReplyForm(), rating_form=form, status=400)


@buyer_only
@require_POST
def ticket_accept_answer(request: HttpRequest, ticket_id: int, entry_id: int) -> HttpResponse:
    """Close the request because an answer the assistant offered solved the problem."""
    try:
        ticket_accept_assistant_answer(
            ticket_id=ticket_id,
            buyer=_buyer(request),
            entry_id=entry_id,
            visitor=visitor_key(request),
            now=timezone.now(),
        )
    except services.TicketNotFound as error:
        raise Http404(error.message) from error
    except (services.InvalidTicket, services.TicketOfACase) as error:
        messages.warning(request, error.message)
    else:
        messages.success(
            request,
            _("Glad that answer solved it. We have closed this request; no need to wait for us."),
        )
    return redirect(_detail_url(ticket_id))
