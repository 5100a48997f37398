"""The tickets API: opening tickets for buyers, listing and reading them, who sees what."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import AgentFactory, SellerFactory, api_key_with
from tests.tickets.conftest import Desk, open_ticket
from tickets import services, tasks
from tickets.models import Channel, MessageKind, Ticket
from tickets.services._common import TaskSend
from tickets.status import Status

URL = "/api/v1/tickets/"


def key_client(*scopes: str) -> APIClient:
    _key, raw = api_key_with(*scopes)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def warmed_key_client(*scopes: str) -> APIClient:
    """A key client past its first call (which also records when the key was last used)."""
    client = key_client(*scopes)
    assert client.get("/api/v1/me").status_code == 200
    return client


def session_client(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def payment_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "topic": "payment",
        "subject": "Charged twice",
        "description": "My card was charged twice at checkout.",
        "language": "en",
        "order_number": "MP-1001",
        "transaction_id": "TX-42",
        "amount": "59.90",
        "buyer": "anna",
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}


def routed(desk: Desk, **kwargs: Any) -> Ticket:
    """Open a ticket through the service and route it (queued: nobody is online)."""
    now = timezone.now()
    ticket = open_ticket(desk, now=now, **kwargs)
    services.ticket_route(ticket_id=ticket.pk, now=now)
    ticket.refresh_from_db()
    return ticket


def error(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()["error"]
    return body


# --- Opening ----------------------------------------------------------------


def test_key_opens_a_ticket_for_a_buyer_by_username(
    desk: Desk, django_capture_on_commit_callbacks: Any
) -> None:
    client = key_client("tickets:write")
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(URL, payment_body(faq_entry=desk.payment_failed.pk), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    ticket = Ticket.objects.get(pk=body["id"])
    assert ticket.buyer == desk.buyer
    assert body["reference"] == f"SD-{ticket.pk:06d}"
    assert body["status"] == "new"
    assert body["topic"] == "payment"
    assert body["channel"] == "api"
    assert body["faq_entry"] == desk.payment_failed.pk
    assert body["details"] == {"transaction_id": "TX-42", "amount": "59.90"}
    assert body["priority"] == "normal"
    assert body["queue"] is None and body["assignee"] is None
    assert body["buyer"] == "anna"
    # Routing is sent once the ticket is committed.
    sends = [c for c in callbacks if isinstance(c, TaskSend) and c.task is tasks.route_ticket]
    assert [c.kwargs for c in sends] == [{"ticket_id": ticket.pk}]


def test_key_opens_a_ticket_for_an_unknown_email_making_a_login_less_buyer(desk: Desk) -> None:
    client = key_client("tickets:write")
    body = payment_body(buyer=None, buyer_email="New.Person@Example.com", channel="email")
    response = client.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    buyer = Ticket.objects.get(pk=response.json()["id"]).buyer
    assert buyer.is_buyer and buyer.email == "New.Person@example.com"
    assert buyer.username == "new.person"
    assert not buyer.has_usable_password()
    assert response.json()["channel"] == "email"
    # The same email again finds that buyer rather than making another.
    again = client.post(URL, body, format="json")
    assert Ticket.objects.get(pk=again.json()["id"]).buyer == buyer


def test_a_new_buyers_username_does_not_clash_with_a_taken_one(desk: Desk) -> None:
    client = key_client("tickets:write")
    response = client.post(
        URL, payment_body(buyer=None, buyer_email="anna@elsewhere.example"), format="json"
    )
    assert response.status_code == 201
    buyer = Ticket.objects.get(pk=response.json()["id"]).buyer
    assert buyer != desk.buyer
    assert buyer.username == "anna-2"


def test_key_opens_a_ticket_for_a_known_buyers_email(desk: Desk) -> None:
    response = key_client("tickets:write").post(
        URL, payment_body(buyer=None, buyer_email=desk.buyer.email.upper()), format="json"
    )
    assert response.status_code == 201
    assert response.json()["buyer"] == "anna"


def test_signed_in_buyer_opens_their_own_ticket(desk: Desk) -> None:
    client = session_client(desk.buyer)
    response = client.post(URL, payment_body(buyer=None), format="json")
    assert response.status_code == 201, response.json()
    assert Ticket.objects.get(pk=response.json()["id"]).buyer == desk.buyer
    refused = client.post(URL, payment_body(buyer="dmitri"), format="json")
    assert refused.status_code == 400
    assert error(refused)["code"] == "invalid_ticket"
    assert "buyer" in error(refused)["details"]


def test_signed_in_agent_cannot_open_tickets(desk: Desk) -> None:
    response = session_client(desk.agent).post(URL, payment_body(), format="json")
    assert response.status_code == 403
    assert error(response)["code"] == "role_not_allowed"


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"order_number": "", "amount": None}, {"order_number", "amount"}),
        ({"subject": ""}, {"subject"}),
        ({"subject": "x" * 201}, {"subject"}),
        ({"channel": "fax"}, {"channel"}),
        ({"amount": "-3"}, {"amount"}),
        ({"amount": "lots"}, {"amount"}),
        ({"language": "xx"}, {"language"}),
        ({"topic": "warranty", "product": ""}, {"product", "purchase_date"}),
        ({"buyer_email": "anna@example.com"}, {"buyer"}),
        ({"buyer": None}, {"buyer"}),
    ],
)
def test_invalid_ticket_names_every_bad_field(
    desk: Desk, overrides: dict[str, Any], fields: set[str]
) -> None:
    response = key_client("tickets:write").post(URL, payment_body(**overrides), format="json")
    assert response.status_code == 400
    assert error(response)["code"] == "invalid_ticket"
    details = error(response)["details"]
    assert set(details) == fields
    assert all(isinstance(message, str) and message for message in details.values())
    assert not Ticket.objects.exists()


def test_faq_entry_of_another_topic_or_unknown_is_refused(desk: Desk) -> None:
    client = key_client("tickets:write")
    for entry_id in (desk.warranty_repair.pk, 999999):
        response = client.post(URL, payment_body(faq_entry=entry_id), format="json")
        assert response.status_code == 400
        assert error(response)["code"] == "invalid_ticket"
        assert set(error(response)["details"]) == {"faq_entry"}


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"topic": "nonsense"}, "unknown_topic", "topic"),
        ({"buyer": "nobody"}, "unknown_buyer", "buyer"),
        ({"buyer": "sam"}, "not_a_buyer", "buyer"),
        ({"buyer": None, "buyer_email": "sam@example.com"}, "not_a_buyer", "buyer_email"),
    ],
)
def test_unknown_names_answer_stable_codes(
    desk: Desk, overrides: dict[str, Any], code: str, field: str
) -> None:
    response = key_client("tickets:write").post(URL, payment_body(**overrides), format="json")
    assert response.status_code == 400
    assert error(response)["code"] == code
    assert field in error(response)["details"]


def test_a_sellers_username_is_not_a_buyer(desk: Desk) -> None:
    SellerFactory(username="shop")
    response = key_client("tickets:write").post(URL, payment_body(buyer="shop"), format="json")
    assert error(response)["code"] == "not_a_buyer"


@pytest.mark.parametrize(
    "scopes", [("tickets:read",), ("agents:read", "agents:write"), ("faq:read",)]
)
def test_key_without_tickets_write_cannot_open_a_ticket(desk: Desk, scopes: tuple[str]) -> None:
    response = key_client(*scopes).post(URL, payment_body(), format="json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert error(response)["code"] == "missing_scope"
    assert "tickets:write" in error(response)["message"]
    assert not Ticket.objects.exists()


def test_no_credentials_is_401(desk: Desk) -> None:
    response = APIClient().get(URL)
    assert response.status_code in (401, 403)
    assert error(response)["code"] == "not_authenticated"


# --- Listing -----------------------------------------------------------------


def test_signed_in_buyer_lists_only_their_own_tickets(desk: Desk) -> None:
    mine = routed(desk)
    routed(desk, buyer=desk.other_buyer)
    response = session_client(desk.buyer).get(URL)
    assert response.status_code == 200
    assert [t["id"] for t in response.json()["results"]] == [mine.pk]


def test_agent_lists_tickets_of_their_queues_and_key_lists_all(desk: Desk) -> None:
    payment = routed(desk)
    refund = routed(desk, topic=desk.refund)
    olga_sees = session_client(desk.agent_ru).get(URL).json()["results"]
    assert [t["id"] for t in olga_sees] == [payment.pk]  # olga does not work en-refund
    everything = key_client("tickets:read").get(URL).json()["results"]
    assert {t["id"] for t in everything} == {payment.pk, refund.pk}


def test_list_filters_by_status_topic_queue_buyer(desk: Desk) -> None:
    payment = routed(desk)
    refund = routed(desk, topic=desk.refund, buyer=desk.other_buyer)
    services.ticket_take_next(agent=desk.agent, now=timezone.now())  # takes the payment one
    client = key_client("tickets:read")

    def ids(**params: str) -> set[int]:
        response = client.get(URL, params)
        assert response.status_code == 200, response.json()
        return {t["id"] for t in response.json()["results"]}

    assert ids(status="assigned") == {payment.pk}
    assert ids(status="queued,assigned") == {payment.pk, refund.pk}
    assert ids(status="closed") == set()
    assert ids(topic="refund") == {refund.pk}
    assert ids(queue="en-payment") == {payment.pk}
    assert ids(queue="en-refund", topic="payment") == set()
    assert ids(buyer="dmitri") == {refund.pk}
    # Names nobody has list nothing, as any filter matching nothing does.
    assert ids(queue="no-such-queue") == set()
    assert ids(topic="no-such-topic", status="queued") == set()
    assert ids(buyer="nobody", queue="en-payment") == set()


def test_list_since_an_update_in_change_order_page_by_page(desk: Desk) -> None:
    first, second, third = (routed(desk) for _ in range(3))
    services.ticket_reply_by_buyer(
        ticket_id=first.pk, buyer=desk.buyer, body="Any news?", now=timezone.now()
    )
    first.refresh_from_db()
    client = key_client("tickets:read")
    seen: list[int] = []
    url: str | None = f"{URL}?page_size=2"
    while url:
        page = client.get(url).json()
        seen += [t["id"] for t in page["results"]]
        url = page["next"]
    assert seen == [second.pk, third.pk, first.pk]
    since = client.get(URL, {"updated_since": first.updated_at.isoformat()}).json()["results"]
    assert [t["id"] for t in since] == [first.pk]
    future = (timezone.now() + timedelta(days=1)).isoformat()
    assert client.get(URL, {"updated_since": future}).json()["results"] == []


@pytest.mark.parametrize(
    "params", [{"updated_since": "yesterday"}, {"status": "open"}, {"status": ","}]
)
def test_list_refuses_bad_filters_as_json(desk: Desk, params: dict[str, str]) -> None:
    response = key_client("tickets:read").get(URL, params)
    assert response.status_code == 400
    assert error(response)["code"] == "validation_error"
    assert set(error(response)["details"]) == set(params)


def test_list_runs_the_same_queries_for_1_and_30_tickets(desk: Desk) -> None:
    client = warmed_key_client("tickets:read", "agents:read")
    routed(desk)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"page_size": 50})
        assert response.status_code == 200
        return len(queries)

    # Assigned, so the one-ticket page reads an agent too (people are read
    # in queries of their own, skipped when no ticket has one).
    services.agent_set_presence(agent=desk.agent, presence="online", now=timezone.now())
    assert Ticket.objects.filter(assignee__isnull=False).exists()
    one = count()
    for index in range(29):
        routed(desk, topic=(desk.refund, desk.payment)[index % 2], buyer=desk.other_buyer)
    assert count() == one


def test_list_joins_only_the_topic_and_queue_to_the_tickets(desk: Desk) -> None:
    # Each table joined multiplies the plans PostgreSQL weighs: with the people
    # and the rating joined too, planning a page took ten times its scan.
    client = warmed_key_client("tickets:read", "agents:read")
    routed(desk)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    ticket_reads = [query["sql"] for query in queries if 'FROM "tickets_ticket"' in query["sql"]]
    assert len(ticket_reads) == 1
    assert ticket_reads[0].count(" JOIN ") == 2


# --- Reading one -------------------------------------------------------------


def _with_note(desk: Desk) -> Ticket:
    ticket = routed(desk)
    now = timezone.now()
    services.ticket_reply_by_agent(
        ticket_id=ticket.pk, agent=desk.agent, body="Looks like fraud.", internal=True, now=now
    )
    services.ticket_reply_by_agent(
        ticket_id=ticket.pk, agent=desk.agent, body="We are checking.", now=now
    )
    return ticket


def _kinds(response: Any) -> list[str]:
    assert response.status_code == 200, response.json()
    return [m["kind"] for m in response.json()["messages"] if m["kind"] != "system"]


def test_internal_notes_are_hidden_from_buyers_and_plain_read_keys(desk: Desk) -> None:
    ticket = _with_note(desk)
    url = f"{URL}{ticket.pk}/"
    assert _kinds(session_client(desk.buyer).get(url)) == ["buyer", "agent"]
    assert _kinds(key_client("tickets:read").get(url)) == ["buyer", "agent"]
    assert _kinds(key_client("tickets:read", "agents:read").get(url)) == ["buyer", "note", "agent"]
    assert _kinds(session_client(desk.agent).get(url)) == ["buyer", "note", "agent"]
    buyer_view = session_client(desk.buyer).get(url).json()
    assert "Looks like fraud." not in str(buyer_view)
    agent_message = next(m for m in buyer_view["messages"] if m["kind"] == "agent")
    assert agent_message["author"] is None
    assert agent_message["author_name"] == desk.agent.display_name


def test_detail_shows_the_place_in_line_while_queued(desk: Desk) -> None:
    routed(desk, buyer=desk.other_buyer)
    ticket = routed(desk)
    body = session_client(desk.buyer).get(f"{URL}{ticket.pk}/").json()
    assert body["status"] == "queued" and body["queue"] == "en-payment"
    assert body["wait"]["position"] == 2
    assert body["wait"]["queue_open"] is True


def test_another_buyers_ticket_is_404_for_a_buyer(desk: Desk) -> None:
    theirs = routed(desk, buyer=desk.other_buyer)
    response = session_client(desk.buyer).get(f"{URL}{theirs.pk}/")
    assert response.status_code == 404
    assert error(response)["code"] == "ticket_not_found"
    assert session_client(desk.buyer).get(f"{URL}999999/").status_code == 404


def test_agent_outside_the_tickets_queue_gets_404(desk: Desk) -> None:
    refund = routed(desk, topic=desk.refund)
    assert session_client(desk.agent_ru).get(f"{URL}{refund.pk}/").status_code == 404
    supervisor = AgentFactory(username="sue", role="supervisor")
    assert session_client(supervisor).get(f"{URL}{refund.pk}/").status_code == 200


def test_assignee_is_shown_only_with_agent_scope(desk: Desk) -> None:
    ticket = routed(desk)
    services.ticket_take_next(agent=desk.agent, now=timezone.now())
    url = f"{URL}{ticket.pk}/"
    assert key_client("tickets:read").get(url).json()["assignee"] is None
    assert key_client("tickets:read", "agents:read").get(url).json()["assignee"] == "sam"
    assert session_client(desk.buyer).get(url).json()["assignee"] is None
    assert session_client(desk.agent).get(url).json()["status"] == Status.ASSIGNED


def test_detail_runs_the_same_queries_for_few_and_many_messages(desk: Desk) -> None:
    ticket = routed(desk)
    client = warmed_key_client("tickets:read", "agents:read")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{URL}{ticket.pk}/").status_code == 200
        return len(queries)

    few = count()
    for index in range(10):
        services.ticket_reply_by_agent(
            ticket_id=ticket.pk,
            agent=(desk.agent, desk.agent_ru)[index % 2],
            body=f"Note {index}",
            internal=bool(index % 3),
            now=timezone.now(),
        )
        services.ticket_reply_by_buyer(
            ticket_id=ticket.pk, buyer=desk.buyer, body="More", now=timezone.now()
        )
    assert count() == few
    assert Ticket.objects.get(pk=ticket.pk).messages.filter(kind=MessageKind.NOTE).exists()


def test_ticket_channel_defaults_to_api_but_accepts_the_others(desk: Desk) -> None:
    client = key_client("tickets:write")
    for channel in Channel.values:
        response = client.post(URL, payment_body(channel=channel), format="json")
        assert response.json()["channel"] == channel
