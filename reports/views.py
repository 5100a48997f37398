"""The reports page, each chart's numbers as CSV, and the live queue board.

Supervisors see the whole desk; an agent's reports hold only their own
tickets and ratings. Bad filters are shown as form errors, never a 500.
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.models import Role, User
from accounts.permissions import role_required
from reports import board
from reports.figures import Figure
from reports.forms import ReportFilterForm
from reports.selectors import Names, figure_slugs, report_figures, report_sections, rollup_ran_at

desk_staff = role_required(Role.AGENT, Role.SUPERVISOR)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _own_agent_id(user: User) -> int | None:
    """Return whose numbers the user may see: None (everyone's) for a supervisor."""
    return None if user.is_supervisor else user.pk


@require_safe
@desk_staff
def reports_page(request: HttpRequest) -> HttpResponse:
    """Show the filters and every figure the user may see, each as a chart and a table."""
    user = _user(request)
    now = timezone.now()
    today = timezone.localdate(now)
    names = Names.load()
    form = ReportFilterForm(request.GET, names=names, today=today)
    context: dict[str, Any] = {"form": form, "own": not user.is_supervisor, "sections": []}
    if form.is_valid():
        filters = form.filters(agent_id=_own_agent_id(user))
        context.update(
            sections=report_sections(filters, names=names, now=now, today=today),
            query=form.query_string(),
            filters=filters,
            ran_at=rollup_ran_at(),
        )
    return render(request, "reports/page.html", context)


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, Decimal | date):
        return str(value)
    return value


def _csv(figure: Figure, *, first: date, last: date) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{figure.slug}_{first.isoformat()}_{last.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([str(column.label) for column in figure.columns])
    for row in figure.rows:
        writer.writerow([_csv_value(value) for value in row])
    return response


@require_safe
@desk_staff
def reports_csv(request: HttpRequest, figure: str) -> HttpResponse:
    """Answer one figure's numbers as a CSV file, with the page's filters."""
    user = _user(request)
    if figure not in figure_slugs(own=not user.is_supervisor):
        raise Http404("No such report.")
    now = timezone.now()
    today = timezone.localdate(now)
    names = Names.load()
    form = ReportFilterForm(request.GET, names=names, today=today)
    if not form.is_valid():
        errors = "; ".join(
            f"{name}: {' '.join(str(message) for message in messages)}"
            for name, messages in form.errors.items()
        )
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    filters = form.filters(agent_id=_own_agent_id(user))
    found = report_figures(filters, slugs=[figure], names=names, now=now, today=today)
    return _csv(found[figure], first=filters.first, last=filters.last)


@require_safe
@desk_staff
def board_page(request: HttpRequest) -> HttpResponse:
    """Show every active queue's line, longest wait and agents, for a wall screen."""
    return render(request, "reports/board.html", board.board_context(now=timezone.now()))


@require_safe
@never_cache
def board_live(request: HttpRequest) -> HttpResponse:
    """Answer the open board: 204 when nothing it shows changed, else the board drawn again.

    A poll never gets the log-in page: a session that ended answers 401 with
    ``HX-Refresh``, so the whole page reloads and then asks to log in.
    """
    user = request.user
    if not user.is_authenticated:
        return HttpResponse(status=401, headers={"HX-Refresh": "true"})
    if getattr(user, "role", None) not in (Role.AGENT, Role.SUPERVISOR):
        return HttpResponse(status=403)
    context = board.board_context(now=timezone.now())
    if request.GET.get("v") == context["version"]:
        return HttpResponse(status=204)
    return render(request, "reports/board.html#board", context)
