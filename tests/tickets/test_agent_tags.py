"""The workspace's row tags draw what the template language drew, faster; its status choices."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.template.defaultfilters import date
from django.urls import get_script_prefix, reverse, set_script_prefix
from django.utils import translation

from tickets.templatetags.desk_agent import day_and_time, statuses_open_to_agent, ticket_url


@pytest.mark.parametrize("language", ["en", "ru", "el"])
def test_day_and_time_reads_as_the_date_filter_in_every_language(language: str) -> None:
    with translation.override(language):
        for month in range(1, 13):
            at = datetime(2026, month, 3 + month, 9, 5, tzinfo=UTC)
            assert day_and_time(at) == date(at, "j M H:i")


@pytest.mark.parametrize("prefix", ["/", "/desk/"])
def test_ticket_url_is_the_reversed_address_under_any_script_prefix(prefix: str) -> None:
    before = get_script_prefix()
    set_script_prefix(prefix)
    try:
        for ticket_id in (1, 42, 8477866989618606):
            assert ticket_url(ticket_id) == reverse("agent:ticket", args=[ticket_id])
            assert ticket_url(ticket_id).startswith(prefix)
    finally:
        set_script_prefix(before)


@pytest.mark.parametrize(
    ("case", "offered"),
    [
        (None, ["", "pending", "solved"]),
        ("", ["", "pending", "solved"]),  # no case in the page's context
        (SimpleNamespace(is_open=False), ["", "pending", "solved"]),
        (SimpleNamespace(is_open=True), ["", "pending"]),
    ],
    ids=["no case", "missing", "decided", "open"],
)
def test_solved_is_offered_unless_the_tickets_case_is_open(
    case: object, offered: list[str]
) -> None:
    choices = [("", "leave it"), ("pending", "Pending"), ("solved", "Solved")]
    assert [value for value, _label in statuses_open_to_agent(choices, case)] == offered
