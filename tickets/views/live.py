"""The checks open pages make every few seconds: 204 when nothing changed, else the region.

Each page region that updates itself (the buyer's request, the agent's
conversation, the agent's lists) asks its URL here with the version it
holds. The answer is "204 No Content" when that version is still current,
which costs one indexed query; otherwise it is the region drawn again with
its new version in it. Access is the page's own: someone else's ticket is a
404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.models import Role, User
from tickets import live, selectors
from tickets.services._common import TicketNotFound
from tickets.views import agent as agent_views
from tickets.views import buyer as buyer_views

View = Callable[..., HttpResponse]


def _live_only(*roles: Role) -> Callable[[View], View]:
    """Let only signed-in people with one of ``roles`` ask; others get an error, not a page.

    A poll must never have the log-in page swapped into a region: a session
    that ended answers 401 with ``HX-Refresh``, and htmx reloads the whole
    page, which then leads to the log-in page.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return HttpResponse(status=401, headers={"HX-Refresh": "true"})
            if getattr(user, "role", None) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return require_safe(never_cache(wrapped))

    return decorator


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _unchanged() -> HttpResponse:
    return HttpResponse(status=204)


@_live_only(Role.BUYER)
def buyer_ticket_live(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Answer the buyer's open request page: 204, or its live region drawn again."""
    buyer = _user(request)
    try:
        version = live.buyer_version_now(buyer=buyer, ticket_id=ticket_id)
    except TicketNotFound as error:
        raise Http404(error.message) from error
    if request.GET.get("v") == version:
        return _unchanged()
    ticket = buyer_views._own_ticket(request, ticket_id)
    context = buyer_views._ticket_context(ticket, now=timezone.now())
    return render(request, "tickets/buyer/detail.html#live", context)


@_live_only(Role.AGENT, Role.SUPERVISOR)
def agent_ticket_live(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Answer the agent's open ticket page: 204, or the conversation drawn again.

    Every check also says the agent is still viewing the ticket, and the
    others viewing it are part of what the page shows.
    """
    agent = _user(request)
    now = timezone.now()
    try:
        state, version = live.agent_ticket_now(agent=agent, ticket_id=ticket_id)
    except TicketNotFound as error:
        raise Http404(error.message) from error
    page = live.AgentPage(
        version=version,
        viewers=live.viewers_touch(ticket_id=ticket_id, agent=agent, now=now),
        sla_state=agent_views.sla_due(state, now=now).state,
    )
    if request.GET.get("v") == str(page.version) and request.GET.get("k") == page.key:
        return _unchanged()
    try:
        ticket = selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    except TicketNotFound as error:
        raise Http404(error.message) from error
    context = agent_views.conversation_context(agent=agent, ticket=ticket, now=now)
    return render(request, "tickets/agent/ticket.html#conversation", context)


@_live_only(Role.AGENT, Role.SUPERVISOR)
def agent_home_live(request: HttpRequest) -> HttpResponse:
    """Answer the agent's open workspace: 204, or the lists drawn again.

    The lists are few and short (an agent's tickets and queues), so the
    check reads them and compares what they would show; only drawing them is
    skipped.
    """
    context = agent_views.home_context(agent=_user(request), now=timezone.now())
    if request.GET.get("v") == context["live_version"]:
        return _unchanged()
    return render(request, "tickets/agent/home.html#lists", context)
