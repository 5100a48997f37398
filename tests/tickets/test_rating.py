"""Finish and rate: the buyer rates a solved or closed ticket once, may change it for a while."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import api_key_with
from tests.tickets.conftest import Desk, open_ticket
from tickets import services
from tickets.models import EventKind, Presence, Rating, Ticket, TicketEvent
from tickets.rating_selectors import agent_rating_summary
from tickets.services.rating import InvalidRating, RatingLocked, RatingNotAllowed, ticket_rate
from tickets.status import Status

pytestmark = pytest.mark.django_db


def assigned(desk: Desk, *, now: datetime, subject: str = "My card was charged twice") -> Ticket:
    """Open a payment ticket and route it to sam, who is online."""
    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=now)
    ticket = open_ticket(desk, now=now, subject=subject)
    assert services.ticket_route(ticket_id=ticket.pk, now=now) == "assigned"
    ticket.refresh_from_db()
    return ticket


def solved(desk: Desk, *, now: datetime, **kwargs: Any) -> Ticket:
    """A ticket sam handled and the buyer marked solved ("my problem is solved")."""
    ticket = assigned(desk, now=now, **kwargs)
    services.ticket_solve_by_buyer(ticket_id=ticket.pk, buyer=desk.buyer, now=now)
    ticket.refresh_from_db()
    return ticket


def rate(desk: Desk, ticket: Ticket, score: int, *, now: datetime, comment: str = "") -> Rating:
    return ticket_rate(ticket_id=ticket.pk, buyer=desk.buyer, score=score, comment=comment, now=now)


# --- The service ---------------------------------------------------------------


def test_rating_is_refused_until_the_ticket_is_solved(desk: Desk) -> None:
    now = timezone.now()
    ticket = assigned(desk, now=now)
    with pytest.raises(RatingNotAllowed):
        rate(desk, ticket, 5, now=now)
    assert not Rating.objects.exists()
    services.ticket_solve_by_buyer(ticket_id=ticket.pk, buyer=desk.buyer, now=now)
    assert rate(desk, ticket, 5, now=now).score == 5


def test_a_closed_ticket_can_be_rated_but_a_reopened_one_cannot(desk: Desk) -> None:
    now = timezone.now()
    closed = solved(desk, now=now - timedelta(days=4))
    services.sla_sweep(now=now)
    closed.refresh_from_db()
    assert closed.status == Status.CLOSED
    assert rate(desk, closed, 3, now=now).score == 3

    reopened = solved(desk, now=now, subject="Refund missing")
    services.ticket_reply_by_buyer(
        ticket_id=reopened.pk, buyer=desk.buyer, body="It is back again.", now=now
    )
    with pytest.raises(RatingNotAllowed):
        rate(desk, reopened, 3, now=now)


def test_the_rating_names_the_agent_and_writes_an_event(desk: Desk) -> None:
    now = timezone.now()
    ticket = solved(desk, now=now - timedelta(hours=1))
    rating = rate(desk, ticket, 4, now=now, comment="  Quick and kind.  ")
    assert (rating.score, rating.comment, rating.agent) == (4, "Quick and kind.", desk.agent)
    event = TicketEvent.objects.get(ticket=ticket, kind=EventKind.RATED)
    assert (event.actor, event.from_value, event.to_value) == (desk.buyer, "", "4")
    assert event.reason == "Quick and kind."
    ticket.refresh_from_db()
    assert ticket.updated_at == now


def test_only_the_tickets_buyer_may_rate(desk: Desk) -> None:
    now = timezone.now()
    ticket = solved(desk, now=now)
    with pytest.raises(services.TicketNotFound):
        ticket_rate(ticket_id=ticket.pk, buyer=desk.other_buyer, score=5, comment="", now=now)
    assert not Rating.objects.exists()


@pytest.mark.parametrize("score", [0, 6, -1, 100])
def test_scores_outside_one_to_five_are_refused(desk: Desk, score: int) -> None:
    now = timezone.now()
    ticket = solved(desk, now=now)
    with pytest.raises(InvalidRating) as refused:
        rate(desk, ticket, score, now=now)
    assert "score" in refused.value.details
    assert not Rating.objects.exists()
    assert not TicketEvent.objects.filter(kind=EventKind.RATED).exists()


def test_a_too_long_comment_is_refused(desk: Desk) -> None:
    now = timezone.now()
    ticket = solved(desk, now=now)
    with pytest.raises(InvalidRating) as refused:
        rate(desk, ticket, 4, now=now, comment="x" * 2001)
    assert "comment" in refused.value.details


def test_the_rating_can_be_changed_within_the_window_and_not_after(
    desk: Desk, settings: Any
) -> None:
    settings.DESK_RATING_CHANGE_DAYS = 7
    given = timezone.now() - timedelta(days=10)
    ticket = solved(desk, now=given)
    rate(desk, ticket, 2, now=given, comment="Slow.")
    changed = rate(desk, ticket, 5, now=given + timedelta(days=6), comment="Sorted in the end.")
    assert (changed.score, changed.comment, changed.created_at) == (5, "Sorted in the end.", given)
    assert Rating.objects.count() == 1
    events = TicketEvent.objects.filter(kind=EventKind.RATED).order_by("id")
    assert [(e.from_value, e.to_value) for e in events] == [("", "2"), ("2", "5")]

    with pytest.raises(RatingLocked):
        rate(desk, ticket, 1, now=given + timedelta(days=7, seconds=1))
    assert Rating.objects.get().score == 5


def test_agent_rating_summary_averages_the_last_thirty_days(desk: Desk) -> None:
    now = timezone.now()
    rate(
        desk,
        solved(desk, now=now - timedelta(days=40), subject="Old"),
        1,
        now=now - timedelta(days=40),
    )
    rate(desk, solved(desk, now=now, subject="One"), 4, now=now)
    rate(desk, solved(desk, now=now, subject="Two"), 5, now=now)
    summary = agent_rating_summary(agent=desk.agent, now=now)
    assert (summary.average, summary.count) == (4.5, 2)
    assert agent_rating_summary(agent=desk.agent_ru, now=now).count == 0


# --- The buyer's page ------------------------------------------------------------


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def rating_section(html: str) -> str:
    start = html.index('id="rate"')
    return html[start : html.index("</section>", start)]


def test_an_open_ticket_page_offers_no_rating(client: Client, desk: Desk) -> None:
    ticket = assigned(desk, now=timezone.now())
    client.force_login(desk.buyer)
    assert 'id="rate"' not in page(client, f"/help/requests/{ticket.pk}/")


def test_the_buyer_rates_a_solved_ticket_on_its_page(client: Client, desk: Desk) -> None:
    ticket = solved(desk, now=timezone.now())
    client.force_login(desk.buyer)
    url = f"/help/requests/{ticket.pk}/"
    section = rating_section(page(client, url))
    assert "Rate our help" in section
    for score in range(1, 6):
        assert f'type="radio" name="score" value="{score}"' in section
    response = client.post(f"{url}rate/", {"score": "4", "comment": "Fast and friendly"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}#rate"
    html = page(client, url)
    assert "Thank you for rating our help." in html
    section = rating_section(html)
    assert "You rated this 4 out of 5." in section
    assert "Fast and friendly" in section  # the form comes back filled, to change it
    assert "Change my rating" in section


@pytest.mark.parametrize("score", ["0", "6", "", "five"])
def test_a_bad_score_shows_an_error_and_keeps_the_comment(
    client: Client, desk: Desk, score: str
) -> None:
    ticket = solved(desk, now=timezone.now())
    client.force_login(desk.buyer)
    response = client.post(
        f"/help/requests/{ticket.pk}/rate/", {"score": score, "comment": "Kept text"}
    )
    assert response.status_code == 400
    section = rating_section(response.content.decode())
    assert "Choose a rating from 1 (poor) to 5 (excellent)." in section
    assert "Kept text</textarea>" in section
    assert not Rating.objects.exists()


def test_rating_an_open_ticket_on_the_page_says_why_not(client: Client, desk: Desk) -> None:
    ticket = assigned(desk, now=timezone.now())
    client.force_login(desk.buyer)
    response = client.post(f"/help/requests/{ticket.pk}/rate/", {"score": "5", "comment": "Hi"})
    assert response.status_code == 400
    section = rating_section(response.content.decode())
    assert "You can rate the help once the request is solved." in section
    assert "Hi</textarea>" in section


def test_another_buyer_gets_not_found(client: Client, desk: Desk) -> None:
    ticket = solved(desk, now=timezone.now())
    client.force_login(desk.other_buyer)
    url = f"/help/requests/{ticket.pk}/rate/"
    assert client.post(url, {"score": "5"}).status_code == 404
    assert client.post(url, {"score": "9"}).status_code == 404
    assert not Rating.objects.exists()


def test_after_the_window_the_rating_is_read_only(client: Client, desk: Desk) -> None:
    long_ago = timezone.now() - timedelta(days=9)
    ticket = solved(desk, now=long_ago)
    rate(desk, ticket, 3, now=long_ago, comment="It was fine.")
    client.force_login(desk.buyer)
    url = f"/help/requests/{ticket.pk}/"
    section = rating_section(page(client, url))
    assert "You rated this 3 out of 5." in section
    assert "This rating can no longer be changed." in section
    assert 'name="score"' not in section
    response = client.post(f"{url}rate/", {"score": "5", "comment": "Changed my mind"})
    assert response.status_code == 400
    assert "This rating can no longer be changed." in response.content.decode()
    assert Rating.objects.get().score == 3


def test_the_agent_sees_the_rating_on_the_ticket_page(client: Client, desk: Desk) -> None:
    ticket = solved(desk, now=timezone.now())
    rate(desk, ticket, 2, now=timezone.now(), comment="Took three days.")
    client.force_login(desk.agent)
    html = page(client, f"/agent/tickets/{ticket.pk}/")
    start = html.index('data-testid="rating"')
    shown = html[start : html.index("</dd>", start)]
    assert "2 out of 5" in shown and "Took three days." in shown
    assert desk.agent.display_name in shown
    assert "Buyer rated the help" in html  # the history


def _replies(desk: Desk, ticket: Ticket, count: int, *, now: datetime) -> None:
    for n in range(count):
        services.ticket_reply_by_agent(
            ticket_id=ticket.pk, agent=desk.agent, body=f"Reply {n}", now=now
        )


def test_ticket_pages_read_a_constant_number_of_queries(client: Client, desk: Desk) -> None:
    now = timezone.now()
    few = assigned(desk, now=now, subject="Few")
    many = assigned(desk, now=now, subject="Many")
    _replies(desk, few, 1, now=now)
    _replies(desk, many, 12, now=now)
    for ticket in (few, many):
        services.ticket_solve_by_buyer(ticket_id=ticket.pk, buyer=desk.buyer, now=now)
        rate(desk, ticket, 5, now=now, comment="Great")
    counts = {}
    for who, prefix in ((desk.buyer, "/help/requests/"), (desk.agent, "/agent/tickets/")):
        client.force_login(who)
        for ticket in (few, many):
            page(client, f"{prefix}{ticket.pk}/")  # session warm
            with CaptureQueriesContext(connection) as queries:
                html = page(client, f"{prefix}{ticket.pk}/")
            assert "Great" in html
            counts[(prefix, ticket.subject)] = len(queries)
    assert counts[("/help/requests/", "Few")] == counts[("/help/requests/", "Many")]
    assert counts[("/agent/tickets/", "Few")] == counts[("/agent/tickets/", "Many")]


# --- The API --------------------------------------------------------------------


def session_client(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def key_client(*scopes: str) -> APIClient:
    _key, raw = api_key_with(*scopes)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_the_buyer_rates_over_the_api_and_the_ticket_shows_it(desk: Desk) -> None:
    ticket = solved(desk, now=timezone.now())
    client = session_client(desk.buyer)
    response = client.post(
        f"/api/v1/tickets/{ticket.pk}/rating/", {"score": 5, "comment": "Great"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["score"], body["comment"], body["agent"]) == (5, "Great", None)
    assert body["changeable_until"]
    shown = client.get(f"/api/v1/tickets/{ticket.pk}/").json()["rating"]
    assert (shown["score"], shown["comment"]) == (5, "Great")


def test_a_key_rates_for_the_buyer_and_agent_scope_sees_the_agent(desk: Desk) -> None:
    ticket = solved(desk, now=timezone.now())
    response = key_client("tickets:write").post(
        f"/api/v1/tickets/{ticket.pk}/rating/", {"score": 3}, format="json"
    )
    assert response.status_code == 200
    assert Rating.objects.get(ticket=ticket).score == 3
    listed = key_client("tickets:read", "agents:read").get("/api/v1/tickets/").json()["results"]
    [row] = [row for row in listed if row["id"] == ticket.pk]
    assert row["rating"]["agent"] == "sam"


def test_api_rating_errors_have_stable_codes(desk: Desk) -> None:
    now = timezone.now()
    open_one = assigned(desk, now=now, subject="Open")
    done = solved(desk, now=now, subject="Done")
    buyer = session_client(desk.buyer)

    bad = buyer.post(f"/api/v1/tickets/{done.pk}/rating/", {"score": 7}, format="json")
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid_rating"
    assert "score" in bad.json()["error"]["details"]

    early = buyer.post(f"/api/v1/tickets/{open_one.pk}/rating/", {"score": 4}, format="json")
    assert early.status_code == 409
    assert early.json()["error"]["code"] == "rating_not_allowed"

    stranger = session_client(desk.other_buyer)
    assert (
        stranger.post(f"/api/v1/tickets/{done.pk}/rating/", {"score": 4}, format="json").status_code
        == 404
    )
    agent = session_client(desk.agent)
    assert (
        agent.post(f"/api/v1/tickets/{done.pk}/rating/", {"score": 4}, format="json").status_code
        == 403
    )
    assert not Rating.objects.exists()


def test_the_rating_operation_is_documented() -> None:
    import yaml

    schema = yaml.safe_load(APIClient().get("/api/schema/").content)
    operation = schema["paths"]["/api/v1/tickets/{ticket_id}/rating/"]["post"]
    assert operation["operationId"] == "tickets_rating_create"
    assert "`tickets:write`" in operation["description"]
    assert {"200", "400", "404", "409"} <= set(operation["responses"])
