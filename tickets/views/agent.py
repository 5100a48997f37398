"""Pages of the agent workspace."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required


@role_required(Role.AGENT, Role.SUPERVISOR)
def agent_home(request: HttpRequest) -> HttpResponse:
    """Show the agent's workspace."""
    return render(request, "tickets/agent_home.html")
