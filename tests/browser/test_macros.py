"""The agent's macros in Chromium: the page's script fills the reply box and "Then"."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from tests.browser.conftest import quiet_demo_desk
from tickets.models import Ticket
from tickets.status import Status

pytestmark = pytest.mark.browser

SOLVING_MACRO = "Solved, closing · sets solved"


def test_a_solving_macro_sets_then_solved_except_on_an_undecided_cases_ticket(
    page: Any,
    desk_url: Callable[[str], str],
    login_as: Callable[..., None],
    transactional_db: None,
) -> None:
    """On a case's ticket the decision solves it, so "Then" keeps a choice the form offers."""
    quiet_demo_desk(timezone.now())
    agent = User.objects.get(username="agent")
    tickets = list(Ticket.objects.filter(assignee=agent, status=Status.ASSIGNED, language="en"))
    ordinary = next(ticket for ticket in tickets if not ticket.escalates_an_open_case())
    of_a_case = next(ticket for ticket in tickets if ticket.escalates_an_open_case())
    login_as(page, "agent", DEMO_PASSWORD)

    for ticket, then in ((ordinary, "set solved"), (of_a_case, "leave the status as it is")):
        page.goto(desk_url(f"/agent/tickets/{ticket.pk}/"))
        reply = page.locator("[data-testid=reply]")
        reply.locator("#macro-select").select_option(label=SOLVING_MACRO)
        expect(reply.get_by_label("Message")).to_have_value(re.compile("glad we could sort"))
        expect(reply.locator("select[name=reply-then_status] option:checked")).to_have_text(then)
