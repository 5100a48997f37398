"""The assistant's first reply in the thread: marked automatic, its answers linked, one closes it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from faq import services as faq_services
from faq.search import faq_search_refresh
from tests.tickets.conftest import Desk, open_ticket
from tickets import services
from tickets.models import MessageKind, Presence, Ticket
from tickets.services.assistant import ticket_assistant_reply
from tickets.status import Status

pytestmark = pytest.mark.django_db

QUESTION = "My refund has not arrived"


@pytest.fixture
def refund_answer(desk: Desk) -> Any:
    entry = faq_services.faq_entry_upsert(
        topic=desk.refund,
        slug="refund-not-arrived",
        texts={
            "en": (
                QUESTION,
                "Refunds reach your card within 10 business days after the seller accepts "
                "the return.",
            )
        },
    )
    faq_search_refresh()
    return entry


def answered(desk: Desk, *, now: datetime, replies: int = 0) -> Ticket:
    """A queued refund ticket the assistant answered, then ``replies`` agent replies."""
    ticket = open_ticket(desk, now=now, topic=desk.refund, subject=QUESTION)
    services.ticket_route(ticket_id=ticket.pk, now=now)
    assert ticket_assistant_reply(ticket_id=ticket.pk, now=now) is not None
    for n in range(replies):
        services.ticket_reply_by_agent(
            ticket_id=ticket.pk, agent=desk.agent, body=f"Reply {n}", now=now
        )
    ticket.refresh_from_db()
    return ticket


def html_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def assistant_part(html: str) -> str:
    start = html.index('data-testid="assistant-reply"')
    return html[start : html.index("</li>", html.index("</ul>", start))]


def test_the_buyer_sees_the_automatic_reply_with_linked_answers(
    client: Client, desk: Desk, refund_answer: Any
) -> None:
    ticket = answered(desk, now=timezone.now())
    client.force_login(desk.buyer)
    part = assistant_part(html_of(client, f"/help/requests/{ticket.pk}/"))
    assert "Automatic reply" in part
    assert "An automatic reply while you wait" in part
    assert (
        f'href="/help/refund/refund-not-arrived/" data-testid="assistant-answer">{QUESTION}</a>'
        in part
    )
    assert f'action="/help/requests/{ticket.pk}/answers/{refund_answer.pk}/solved/"' in part
    assert "This solved my problem" in part


def test_this_solved_my_problem_closes_the_ticket_with_a_confirmation(
    client: Client, desk: Desk, refund_answer: Any
) -> None:
    ticket = answered(desk, now=timezone.now())
    client.force_login(desk.buyer)
    url = f"/help/requests/{ticket.pk}/"
    response = client.post(f"{url}answers/{refund_answer.pk}/solved/")
    assert response.status_code == 302 and response["Location"] == url
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    html = html_of(client, url)
    assert "Glad that answer solved it. We have closed this request" in html
    assert 'data-testid="status">Closed' in html
    assert 'data-testid="closed-note"' in html
    part = assistant_part(html)
    assert QUESTION in part  # still linked, for later
    assert "This solved my problem" not in part


def test_another_buyer_or_an_answer_not_offered_gets_not_found(
    client: Client, desk: Desk, refund_answer: Any
) -> None:
    ticket = answered(desk, now=timezone.now())
    client.force_login(desk.other_buyer)
    url = f"/help/requests/{ticket.pk}/answers/{refund_answer.pk}/solved/"
    assert client.post(url).status_code == 404
    client.force_login(desk.buyer)
    assert (
        client.post(
            f"/help/requests/{ticket.pk}/answers/{desk.payment_failed.pk}/solved/"
        ).status_code
        == 404
    )
    assert client.get(url).status_code == 405
    ticket.refresh_from_db()
    assert ticket.status == Status.QUEUED


def test_a_solved_ticket_is_not_closed_this_way(
    client: Client, desk: Desk, refund_answer: Any
) -> None:
    now = timezone.now()
    ticket = answered(desk, now=now)
    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=now)
    services.ticket_solve_by_buyer(ticket_id=ticket.pk, buyer=desk.buyer, now=now)
    client.force_login(desk.buyer)
    url = f"/help/requests/{ticket.pk}/"
    assert "This solved my problem" not in assistant_part(html_of(client, url))
    response = client.post(f"{url}answers/{refund_answer.pk}/solved/", follow=True)
    assert "This request can no longer be closed this way." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.SOLVED


def test_the_agent_sees_the_automatic_reply_read_only(
    client: Client, desk: Desk, refund_answer: Any
) -> None:
    ticket = answered(desk, now=timezone.now())
    client.force_login(desk.agent)
    part = assistant_part(html_of(client, f"/agent/tickets/{ticket.pk}/"))
    assert "Automatic reply" in part
    assert 'href="/help/refund/refund-not-arrived/"' in part
    assert "<form" not in part and "This solved my problem" not in part


def test_the_ticket_pages_read_a_constant_number_of_queries(
    client: Client, desk: Desk, refund_answer: Any
) -> None:
    now = timezone.now()
    few = answered(desk, now=now, replies=1)
    many = answered(desk, now=now, replies=12)
    assert many.messages.filter(kind=MessageKind.ASSISTANT).count() == 1
    for who, prefix in ((desk.buyer, "/help/requests/"), (desk.agent, "/agent/tickets/")):
        client.force_login(who)
        counts = []
        for ticket in (few, many):
            html_of(client, f"{prefix}{ticket.pk}/")  # session warm
            with CaptureQueriesContext(connection) as queries:
                assistant_part(html_of(client, f"{prefix}{ticket.pk}/"))
            counts.append(len(queries))
        assert counts[0] == counts[1], (prefix, counts)
