"""The reports page, the CSV downloads and the queue board: who sees what, bad input, queries."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from reports.selectors import figure_slugs
from tests.factories import BuyerFactory, SupervisorFactory
from tests.reports.conftest import NOW, Seeded
from tests.tickets.conftest import open_ticket
from tickets import services
from tickets.models import Presence

WEEK = "start=2026-03-02&end=2026-03-04"


@pytest.fixture
def at_now() -> Any:
    """Pages see NOW (Wednesday noon of the seeded week) as the time."""
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


@pytest.mark.parametrize("end", ["2026-03-02", "2026-05-30"], ids=["one-day", "ninety-days"])
def test_the_page_asks_a_bounded_number_of_queries_whatever_the_range(
    seeded: Seeded, at_now: None, django_assert_max_num_queries: Any, end: str
) -> None:
    client = _client(seeded.supervisor)
    # Session and user, topics and queues, the figures (two more for SQLite's percentiles).
    with django_assert_max_num_queries(26):
        response = client.get(f"/agent/reports/?start=2026-03-02&end={end}")
    assert response.status_code == 200
    assert response.content.decode().count("<canvas") == len(figure_slugs(own=False))


def test_supervisor_sees_every_figure_with_its_numbers_and_csv_link(
    seeded: Seeded, at_now: None
) -> None:
    page = _client(seeded.supervisor).get(f"/agent/reports/?{WEEK}").content.decode()
    for slug in figure_slugs(own=False):
        assert f'data-testid="figure-{slug}"' in page
        assert f'href="/agent/reports/{slug}.csv?start=2026-03-02&amp;end=2026-03-04"' in page
        assert f'<script id="chart-{slug}" type="application/json">' in page
    # The table beside the first-response chart: 60 and 204 minutes for English payment.
    assert "1 h 00 min" in page and "3 h 24 min" in page
    assert "<script>" not in page  # the CSP allows no inline script


def test_the_page_opens_on_the_last_thirty_days(seeded: Seeded, at_now: None) -> None:
    response = _client(seeded.supervisor).get("/agent/reports/")
    form = response.context["form"]
    assert form.cleaned_data["end"].isoformat() == "2026-03-04"
    assert form.cleaned_data["start"].isoformat() == "2026-02-03"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-03-05&end=2026-03-01", "The end comes before the start."),
        ("start=yesterday&end=2026-03-01", "Enter a valid date."),
        ("start=2020-01-01&end=2026-03-01", "Choose at most 400 days at a time."),
        ("start=0001-01-01&end=9999-12-31", "Choose a day between"),
        (f"{WEEK}&topic=nonsense", "Select a valid choice."),
        (f"{WEEK}&queue=nowhere", "Select a valid choice."),
        (f"{WEEK}&language=xx", "Select a valid choice."),
    ],
)
def test_bad_filters_are_form_errors_on_the_page(
    seeded: Seeded, at_now: None, query: str, message: str
) -> None:
    response = _client(seeded.supervisor).get(f"/agent/reports/?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please correct the errors below." in page
    assert message in page
    assert "<canvas" not in page
    csv_response = _client(seeded.supervisor).get(f"/agent/reports/opened.csv?{query}")
    assert csv_response.status_code == 400
    assert message in csv_response.content.decode()


def test_filters_by_topic_queue_and_language_narrow_the_figures(
    seeded: Seeded, at_now: None
) -> None:
    client = _client(seeded.supervisor)
    rows = _csv(client.get(f"/agent/reports/opened.csv?{WEEK}&language=ru"))
    assert rows[1:] == [
        ["2026-03-02", "1", "1"],
        ["2026-03-03", "0", "0"],
        ["2026-03-04", "0", "0"],
    ]
    rows = _csv(client.get(f"/agent/reports/first-response.csv?{WEEK}&queue=en-refund"))
    assert [row[0] for row in rows[1:]] == ["Refund (English)", "All queues"]
    rows = _csv(client.get(f"/agent/reports/funnel.csv?{WEEK}&topic=warranty"))
    assert [row[0] for row in rows[1:]] == ["Warranty"]


def test_csv_download_is_utf8_text_with_a_file_name_and_raw_numbers(
    seeded: Seeded, at_now: None
) -> None:
    response = _client(seeded.supervisor).get(f"/agent/reports/first-response.csv?{WEEK}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="first-response_2026-03-02_2026-03-04.csv"'
    )
    rows = _csv(response)
    assert rows[0] == [
        "Queue",
        "Answered",
        "Median",
        "90th percentile",
        "Target (normal priority)",
        "Breaches",
        "Met",
    ]
    by_queue = {row[0]: row[1:] for row in rows[1:]}
    assert by_queue["Payment (English)"] == ["3", "60.0", "204.0", "120", "2", "0.5"]
    assert by_queue["Оплата и возвраты"][:3] == ["1", "90.0", "90.0"]


@pytest.mark.django_db
def test_a_desk_whose_rollup_never_ran_says_so() -> None:
    page = _client(SupervisorFactory()).get("/agent/reports/").content.decode()
    assert "the first update has not run yet" in page
    assert "Nothing to show for these filters." in page


def test_unknown_figure_csv_is_not_found(seeded: Seeded, at_now: None) -> None:
    assert _client(seeded.supervisor).get(f"/agent/reports/nothing.csv?{WEEK}").status_code == 404


def test_an_agent_sees_only_their_own_numbers(seeded: Seeded, at_now: None) -> None:
    olga = seeded.desk.agent_ru
    client = _client(olga)
    page = client.get(f"/agent/reports/?{WEEK}").content.decode()
    assert "Your own tickets and ratings." in page
    for slug in ("funnel", "failing-answers", "backlog-now", "backlog", "disputes", "refunds"):
        assert f'data-testid="figure-{slug}"' not in page
        assert client.get(f"/agent/reports/{slug}.csv?{WEEK}").status_code == 404
    # Her one ticket (RU1), her one rating.
    opened = _csv(client.get(f"/agent/reports/opened.csv?{WEEK}"))
    assert [row[-1] for row in opened[1:]] == ["1", "0", "0"]
    agents = _csv(client.get(f"/agent/reports/satisfaction-agents.csv?{WEEK}"))
    assert agents[1:] == [[olga.display_name, "1", "2.0"]]
    times = _csv(client.get(f"/agent/reports/first-response.csv?{WEEK}"))
    assert [row[0] for row in times[1:]] == ["Оплата и возвраты", "All queues"]


def test_buyers_may_not_open_reports_or_the_board_and_strangers_log_in(seeded: Seeded) -> None:
    buyer = _client(seeded.desk.buyer)
    for path in ("/agent/reports/", "/agent/reports/opened.csv", "/agent/board/"):
        assert buyer.get(path).status_code == 403
        response = Client().get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert buyer.get("/agent/board/live/").status_code == 403
    anonymous = Client().get("/agent/board/live/")
    assert anonymous.status_code == 401
    assert anonymous["HX-Refresh"] == "true"


def test_workspace_links_to_reports_and_board(seeded: Seeded) -> None:
    page = _client(seeded.desk.agent).get("/agent/").content.decode()
    assert 'href="/agent/reports/"' in page
    assert 'href="/agent/board/"' in page


def test_board_shows_each_queues_line_and_agents_and_answers_204_until_it_changes(
    seeded: Seeded,
) -> None:
    desk = seeded.desk
    now = timezone.now()
    services.agent_set_presence(agent=desk.agent_ru, presence=Presence.AWAY, now=now)
    waiting = open_ticket(desk, now=now - timedelta(minutes=42), buyer=BuyerFactory())
    services.ticket_route(ticket_id=waiting.pk, now=now - timedelta(minutes=42))
    client = _client(desk.agent)
    response = client.get("/agent/board/")
    rows = {row.queue_id: row for row in response.context["rows"]}
    payment = rows[desk.en_payment.pk]
    assert (payment.waiting, payment.longest_wait_minutes, payment.with_agents) == (1, 42, 1)
    assert (payment.online, payment.away) == (0, 1)
    assert rows[desk.ru_payment_refund.pk].away == 1
    assert 'hx-trigger="every 3s, livenow"' in response.content.decode()

    version = response.context["version"]
    assert client.get(f"/agent/board/live/?v={version}").status_code == 204
    services.agent_set_presence(agent=desk.agent, presence=Presence.AWAY, now=now)
    changed = client.get(f"/agent/board/live/?v={version}")
    assert changed.status_code == 200
    assert changed.context["version"] != version
    assert 'id="board"' in changed.content.decode()


def test_board_reads_live_in_a_fixed_number_of_queries(
    seeded: Seeded, django_assert_max_num_queries: Any
) -> None:
    client = _client(seeded.desk.agent)
    client.get("/agent/board/live/?v=old")
    with django_assert_max_num_queries(4):  # session, user, queues, holidays
        assert client.get("/agent/board/live/?v=old").status_code == 200
