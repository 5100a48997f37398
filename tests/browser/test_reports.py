"""Reports and the queue board in a real browser: charts drawn by Chart.js, a CSV, live updates."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reports.selectors import figure_slugs
from reports.services import reports_rebuild
from tests.factories import PASSWORD, BuyerFactory
from tests.reports.conftest import MONDAY, build_seeded
from tests.tickets.conftest import open_ticket
from tickets import services

pytestmark = pytest.mark.browser

WEEK = "?start=2026-03-02&end=2026-03-04"

# For every chart on the page: does Chart.js hold it, with at least one
# non-zero number, and did it paint pixels onto its canvas?
_CHARTS_DRAWN = """
() => Array.from(document.querySelectorAll("canvas[data-chart]")).map((canvas) => {
  const chart = window.Chart && window.Chart.getChart(canvas);
  const values = chart ? chart.data.datasets.flatMap((dataset) => dataset.data) : [];
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted += 1;
  return {
    id: canvas.dataset.chart,
    drawn: Boolean(chart),
    numbers: values.filter((value) => typeof value === "number" && value !== 0).length,
    painted,
  };
})
"""


def test_supervisor_sees_every_chart_drawn_and_downloads_a_csv(
    page: Any,
    desk_url: Any,
    login_as: Any,
    transactional_db: None,
    artifact_path: Any,
) -> None:
    build_seeded()
    reports_rebuild(first=MONDAY, last=timezone.localdate(), now=timezone.now())
    login_as(page, "boss", PASSWORD)
    page.goto(desk_url("/agent/"))
    page.get_by_test_id("agent-links").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1, name="Reports")).to_be_visible()

    page.goto(desk_url("/agent/reports/" + WEEK))
    canvases = page.locator("canvas[data-chart]")
    expect(canvases).to_have_count(len(figure_slugs(own=False)))
    charts = page.evaluate(_CHARTS_DRAWN)
    assert [chart["id"] for chart in charts] == [
        f"chart-{slug}" for slug in figure_slugs(own=False)
    ]
    for chart in charts:
        assert chart["drawn"], f"{chart['id']} was not drawn by Chart.js"
        assert chart["numbers"] > 0, f"{chart['id']} has no numbers"
        assert chart["painted"] > 500, f"{chart['id']} painted almost nothing"
    page.screenshot(path=str(artifact_path("reports-supervisor")), full_page=True)

    # The numbers are there as a table too.
    figure = page.get_by_test_id("figure-first-response")
    figure.get_by_text("Numbers").click()
    row = figure.get_by_role("row", name="Payment (English)")
    expect(row).to_contain_text("1 h 00 min")  # median of 30, 60 and 240 minutes
    expect(row).to_contain_text("3 h 24 min")  # their 90th percentile: 204 minutes

    with page.expect_download() as caught:
        page.get_by_test_id("csv-opened").click()
    download = caught.value
    assert download.suggested_filename == "opened_2026-03-02_2026-03-04.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[0][0] == "Day"
    assert rows[0][-1] == "Total"
    assert [row[-1] for row in rows[1:]] == ["5", "3", "1"]


def test_the_queue_board_follows_the_line_without_a_reload(
    page: Any,
    desk_url: Any,
    login_as: Any,
    transactional_db: None,
    artifact_path: Any,
) -> None:
    data = build_seeded()
    login_as(page, "sam", PASSWORD)
    page.goto(desk_url("/agent/board/"))
    payment = page.locator(f'[data-testid="board-queue"][data-queue="{data.desk.en_payment.pk}"]')
    expect(payment.get_by_test_id("waiting")).to_have_text("0")
    page.screenshot(path=str(artifact_path("queue-board-empty")), full_page=True)

    # A buyer's ticket lands in the payment queue: the board shows it within a poll.
    now = timezone.now()
    ticket = open_ticket(data.desk, now=now, buyer=BuyerFactory(username="walk-in"))
    services.ticket_route(ticket_id=ticket.pk, now=now)
    expect(payment.get_by_test_id("waiting")).to_have_text("1", timeout=10_000)
    expect(payment.get_by_test_id("longest-wait")).to_contain_text("min")
    expect(page.get_by_test_id("board-summary")).to_contain_text("1 ticket waiting")
    page.screenshot(path=str(artifact_path("queue-board")), full_page=True)
