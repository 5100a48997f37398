"""Every report figure on the seeded week, against numbers worked out by hand (conftest.py)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from reports.selectors import (
    Names,
    ReportFilters,
    figure_backlog_now,
    figure_backlog_trend,
    figure_disputes,
    figure_failing_answers,
    figure_funnel,
    figure_opened,
    figure_refunds,
    figure_satisfaction_agents,
    figure_satisfaction_queues,
    figure_solved,
    report_figures,
    sla_times,
)
from tests.reports.conftest import MONDAY, NOW, Seeded

WEEK = ReportFilters(first=MONDAY, until=MONDAY + timedelta(days=3))
TODAY = date(2026, 3, 4)


def _table(figure: object) -> dict[str, tuple[object, ...]]:
    """Return a figure's rows keyed by their first cell."""
    return {row[0]: row[1:] for row in figure.rows}  # type: ignore[attr-defined]


def test_tickets_opened_per_day_are_stacked_by_topic(seeded: Seeded) -> None:
    figure = figure_opened(WEEK, Names.load())
    assert [column.label for column in figure.columns] == [
        "Day",
        "Payment",
        "Refund",
        "Dispute",
        "Total",
    ]
    # Mon: P1 P2 RU1 (payment), R1 R2 (refund); Tue: P3 P4, the D3 escalation; Wed: D5's.
    assert figure.rows == [
        (date(2026, 3, 2), 3, 2, 0, 5),
        (date(2026, 3, 3), 2, 0, 1, 3),
        (date(2026, 3, 4), 0, 0, 1, 1),
    ]
    datasets = figure.chart["data"]["datasets"]
    assert [d["label"] for d in datasets] == ["Payment", "Refund", "Dispute"]
    assert datasets[0]["data"] == [3, 2, 0]
    assert figure.chart["options"]["scales"]["y"]["stacked"] is True


def test_tickets_solved_count_on_the_day_of_the_last_solve(seeded: Seeded) -> None:
    figure = figure_solved(WEEK, Names.load())
    # Mon: P1; Tue: P2 P3 RU1 (payment), R1; Wed: R2, both escalations.
    assert figure.rows == [
        (date(2026, 3, 2), 1, 0, 0, 1),
        (date(2026, 3, 3), 3, 1, 0, 4),
        (date(2026, 3, 4), 0, 1, 2, 3),
    ]


def test_filters_narrow_the_tickets_to_a_queue_a_language_an_agent(seeded: Seeded) -> None:
    names = Names.load()
    desk = seeded.desk
    russian = ReportFilters(first=WEEK.first, until=WEEK.until, language="ru")
    assert [row[-1] for row in figure_opened(russian, names).rows] == [1, 0, 0]
    refund_queue = ReportFilters(first=WEEK.first, until=WEEK.until, queue_id=desk.en_refund.pk)
    assert [row[-1] for row in figure_opened(refund_queue, names).rows] == [2, 0, 0]
    olga = ReportFilters(first=WEEK.first, until=WEEK.until, agent_id=desk.agent_ru.pk)
    assert [row[-1] for row in figure_solved(olga, names).rows] == [0, 1, 0]
    one_day = ReportFilters(first=MONDAY, until=MONDAY + timedelta(days=1))
    assert figure_opened(one_day, names).rows == [(MONDAY, 3, 2, 5)]


def test_funnel_per_topic_counts_each_step_with_rates_of_the_views(seeded: Seeded) -> None:
    figure = figure_funnel(WEEK, Names.load())
    # views, not solved, contacts, tickets, then not solved / contact / ticket rates
    assert _table(figure) == {
        "Payment": (10, 3, 2, 1, 0.3, 0.2, 0.1),
        "Warranty": (4, 1, 1, 1, 0.25, 0.25, 0.25),
    }
    assert [d["label"] for d in figure.chart["data"]["datasets"]] == [
        "Answer views",
        "“Not solved”",
        "Contact form",
        "Tickets",
    ]


def test_failing_answers_rank_by_contacts_and_link_to_the_admin(seeded: Seeded) -> None:
    figure = figure_failing_answers(WEEK, Names.load())
    payment, warranty = seeded.entries["payment"], seeded.entries["warranty"]
    assert figure.rows == [
        (
            "My payment failed",
            "Payment",
            10,
            3,
            2,
            1,
            0.2,
            f"/admin/faq/faqentry/{payment.pk}/change/",
        ),
        (
            "The seller refuses to repair",
            "Warranty",
            4,
            1,
            1,
            1,
            0.25,
            f"/admin/faq/faqentry/{warranty.pk}/change/",
        ),
    ]
    topic_only = ReportFilters(first=WEEK.first, until=WEEK.until, topic_id=seeded.desk.warranty.pk)
    assert [row[0] for row in figure_failing_answers(topic_only, Names.load()).rows] == [
        "The seller refuses to repair"
    ]


def test_first_response_and_resolution_medians_and_90th_percentiles_per_queue(
    seeded: Seeded,
) -> None:
    desk = seeded.desk
    times = {row.queue_id: row for row in sla_times(WEEK, now=NOW)}
    payment = times[desk.en_payment.pk]
    # First responses 30, 60, 240: median 60; 90th: 60 + 0.8 * 180 = 204.
    assert payment.first_response == pytest.approx([60, 204])
    # Resolutions 120, 120 (26 h less 24 h pending), 480: median 120; 90th: 120 + 0.8 * 360.
    assert payment.resolution == pytest.approx([120, 408])
    assert (payment.tickets, payment.answered, payment.solved) == (4, 3, 3)
    assert (payment.first_response_target, payment.resolution_target) == (120, 24 * 60)
    # Office hours: first responses 120 and 30 business minutes, resolutions 480 and 510.
    refund = times[desk.en_refund.pk]
    assert refund.first_response == pytest.approx([75, 111])
    assert refund.resolution == pytest.approx([495, 507])
    # Moscow hours: 23:00 → 06:30 is 60 + 30 minutes; solved 08:00: 60 + 120.
    russian = times[desk.ru_payment_refund.pk]
    assert russian.first_response == pytest.approx([90, 90])
    assert russian.resolution == pytest.approx([180, 180])
    # Escalation tickets were decided without a reply: resolution only (19 h and 2 h).
    disputes = times[desk.en_dispute.pk]
    assert disputes.first_response == [None, None]
    assert disputes.resolution == pytest.approx([630, 1038])
    # Every queue together: first responses 30 30 60 90 120 240; resolutions of 8 tickets.
    overall = times[None]
    assert overall.first_response == pytest.approx([75, 180])
    assert overall.tickets == 9


def test_breaches_per_queue_count_targets_missed_by_now_or_by_when_done(seeded: Seeded) -> None:
    desk = seeded.desk
    times = {row.queue_id: row for row in sla_times(WEEK, now=NOW)}
    # P3 answered after its 2 h; P4 never answered, and unsolved past its 24 h.
    payment = times[desk.en_payment.pk]
    assert (payment.first_response_breaches, payment.resolution_breaches) == (2, 1)
    # D3's ticket waited past its 4 h first-response target before it was decided.
    disputes = times[desk.en_dispute.pk]
    assert (disputes.first_response_breaches, disputes.resolution_breaches) == (1, 0)
    assert times[desk.en_refund.pk].first_response_breaches == 0
    assert (times[None].first_response_breaches, times[None].resolution_breaches) == (3, 1)
    # Asked on Tuesday at noon, P4's resolution target (Wednesday 10:00) had not passed.
    earlier = {row.queue_id: row for row in sla_times(WEEK, now=NOW - timedelta(days=1))}
    assert earlier[desk.en_payment.pk].resolution_breaches == 0


def test_satisfaction_per_agent_and_per_queue_with_the_number_of_ratings(seeded: Seeded) -> None:
    names = Names.load()
    sam, olga = seeded.desk.agent.display_name, seeded.desk.agent_ru.display_name
    # sam: 5, 3, 4; olga: 2.
    assert figure_satisfaction_agents(WEEK, names).rows == [(sam, 3, 4.0), (olga, 1, 2.0)]
    assert figure_satisfaction_queues(WEEK, names).rows == [
        ("Payment (English)", 2, 4.0),
        ("Refund (English)", 1, 4.0),
        ("Оплата и возвраты", 1, 2.0),
    ]
    own = ReportFilters(first=WEEK.first, until=WEEK.until, agent_id=seeded.desk.agent_ru.pk)
    assert figure_satisfaction_agents(own, names).rows == [(olga, 1, 2.0)]


def test_backlog_per_queue_now_with_the_oldest_wait(seeded: Seeded) -> None:
    figure = figure_backlog_now(WEEK, Names.load(), now=NOW, today=TODAY)
    # Only P4 is open: opened Tue 10:00, 26 hours before now.
    assert figure.rows == [("Payment (English)", 1, 26 * 60)]


def test_backlog_over_time_counts_what_was_open_at_each_day_end(seeded: Seeded) -> None:
    figure = figure_backlog_trend(WEEK, Names.load())
    queues = [column.label for column in figure.columns[1:-1]]
    assert queues == ["Оплата и возвраты", "Payment (English)", "Refund (English)", "Disputes"]
    # Mon end: RU1, P2 (pending), R1 R2; oldest P2 from 11:00, 13 h.
    # Tue end: P4, R2, D3's ticket; oldest R2 from Mon 20:00, 28 h. Wed (now): P4, 26 h.
    assert figure.rows == [
        (date(2026, 3, 2), 1, 1, 2, 0, 13 * 60),
        (date(2026, 3, 3), 0, 1, 1, 1, 28 * 60),
        (date(2026, 3, 4), 0, 1, 0, 0, 38 * 60),
    ]


def test_disputes_opened_escalated_and_their_outcomes(seeded: Seeded) -> None:
    figure = figure_disputes(WEEK, Names.load())
    assert figure.rows == [
        ("Opened", 5),
        ("Escalated to the desk", 2),
        ("Resolved: full refund", 2),
        ("Resolved: partial refund", 1),
        ("Resolved: no refund", 1),
        ("Withdrawn", 1),
    ]


def test_refund_totals_by_currency(seeded: Seeded) -> None:
    figure = figure_refunds(WEEK, Names.load())
    # EUR: 50 in full and 20 in part (and one decided with nothing); USD: 30 in full.
    assert figure.rows == [("EUR", 3, Decimal("70.00")), ("USD", 1, Decimal("30.00"))]
    monday = ReportFilters(first=MONDAY, until=MONDAY + timedelta(days=1))
    assert figure_refunds(monday, Names.load()).rows == [("EUR", 1, Decimal("50.00"))]


def test_an_agents_own_report_has_no_desk_wide_figures(seeded: Seeded) -> None:
    own = ReportFilters(first=WEEK.first, until=WEEK.until, agent_id=seeded.desk.agent.pk)
    with pytest.raises(KeyError):
        report_figures(own, slugs=["funnel"], names=Names.load(), now=NOW, today=TODAY)
    figures = report_figures(
        own, slugs=["first-response"], names=Names.load(), now=NOW, today=TODAY
    )
    # sam's tickets only: olga's Russian ticket is not in his numbers.
    queues = [row[0] for row in figures["first-response"].rows]
    assert "Оплата и возвраты" not in queues
