"""Agents and queue details over the API: who works where, presence, set-up."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import AgentFactory, BuyerFactory, SupervisorFactory
from tests.tickets.conftest import Desk, moscow, open_ticket
from tests.tickets.test_api import error, key_client, routed, session_client
from tickets import services
from tickets.models import AgentProfile, Presence
from tickets.status import Status

AGENTS = "/api/v1/agents/"


def by_username(response: Any) -> dict[str, dict[str, Any]]:
    return {agent["username"]: agent for agent in response.json()["results"]}


def test_agents_are_listed_with_presence_set_up_and_load(desk: Desk) -> None:
    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=timezone.now())
    routed(desk)  # sam is online and free: it is his
    AgentFactory(username="newbie")
    response = key_client("agents:read").get(AGENTS)
    assert response.status_code == 200, response.json()
    agents = by_username(response)
    sam = agents["sam"]
    assert sam["presence"] == "online" and sam["configured"] is True
    assert sam["active_tickets"] == 1 and sam["capacity"] == 3
    assert sam["queues"] == ["en-payment", "en-refund", "en-dispute", "en-warranty"]
    assert agents["olga"]["languages"] == ["ru", "en"]
    newbie = agents["newbie"]
    assert newbie["configured"] is False and newbie["presence"] == "offline"
    assert newbie["capacity"] is None and newbie["queues"] == []
    assert "anna" not in agents  # buyers are not agents


def test_agents_filter_by_queue_and_presence(desk: Desk) -> None:
    services.agent_set_presence(agent=desk.agent_ru, presence=Presence.AWAY, now=timezone.now())
    client = key_client("agents:read")
    assert set(by_username(client.get(AGENTS, {"queue": "ru-payment-refund"}))) == {"olga"}
    assert set(by_username(client.get(AGENTS, {"presence": "away"}))) == {"olga"}
    assert set(by_username(client.get(AGENTS, {"presence": "offline"}))) == {"sam"}


def test_an_agent_is_shown_by_username_and_a_buyer_is_not_an_agent(desk: Desk) -> None:
    client = session_client(desk.agent_ru)
    assert client.get(f"{AGENTS}sam/").json()["name"] == desk.agent.display_name
    response = client.get(f"{AGENTS}anna/")
    assert response.status_code == 404
    assert error(response)["code"] == "agent_not_found"


def test_supervisor_or_key_sets_an_agent_up(desk: Desk) -> None:
    body = {"queues": ["ru-payment-refund"], "languages": ["ru"], "capacity": 7}
    response = key_client("agents:write").put(f"{AGENTS}sam/", body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["queues"] == ["ru-payment-refund"]
    profile = AgentProfile.objects.get(user=desk.agent)
    assert (profile.capacity, profile.languages) == (7, ["ru"])

    newbie = AgentFactory(username="newbie")
    supervisor = session_client(SupervisorFactory())
    response = supervisor.put(f"{AGENTS}newbie/", body, format="json")
    assert response.status_code == 200
    assert response.json()["configured"] is True
    assert AgentProfile.objects.get(user=newbie).presence == Presence.OFFLINE


def test_setting_an_agent_up_names_unknown_queues(desk: Desk) -> None:
    body = {"queues": ["en-payment", "nowhere"], "languages": ["en"], "capacity": 2}
    response = key_client("agents:write").put(f"{AGENTS}sam/", body, format="json")
    assert response.status_code == 400
    assert error(response)["code"] == "unknown_queue"
    assert "nowhere" in error(response)["details"]["queues"]
    assert AgentProfile.objects.get(user=desk.agent).capacity == 3


def test_agents_do_not_set_each_other_up(desk: Desk) -> None:
    body = {"queues": [], "languages": ["en"], "capacity": 9}
    response = session_client(desk.agent).put(f"{AGENTS}olga/", body, format="json")
    assert response.status_code == 403
    assert error(response)["code"] == "role_not_allowed"
    response = key_client("agents:read").put(f"{AGENTS}olga/", body, format="json")
    assert response.status_code == 403
    assert error(response)["code"] == "missing_scope"
    assert AgentProfile.objects.get(user=desk.agent_ru).capacity == 3


def test_an_agent_going_online_gets_the_waiting_ticket(desk: Desk) -> None:
    ticket = routed(desk)
    assert ticket.status == Status.QUEUED
    response = session_client(desk.agent).post(
        f"{AGENTS}sam/presence/", {"presence": "online"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["presence"] == "online"
    assert response.json()["active_tickets"] == 1
    ticket.refresh_from_db()
    assert ticket.assignee == desk.agent


def test_an_agent_sets_only_their_own_presence(desk: Desk) -> None:
    response = session_client(desk.agent).post(
        f"{AGENTS}olga/presence/", {"presence": "online"}, format="json"
    )
    assert response.status_code == 403
    assert error(response)["code"] == "role_not_allowed"
    assert AgentProfile.objects.get(user=desk.agent_ru).presence == Presence.OFFLINE
    # Refused alike whether the name is an agent's or nobody's: no way to probe names.
    nobody = session_client(desk.agent).post(
        f"{AGENTS}nobody/presence/", {"presence": "online"}, format="json"
    )
    assert (nobody.status_code, error(nobody)["code"]) == (403, "role_not_allowed")
    supervisor = session_client(SupervisorFactory())
    assert (
        supervisor.post(f"{AGENTS}olga/presence/", {"presence": "away"}, format="json").json()[
            "presence"
        ]
        == "away"
    )


def test_a_key_sets_presence_with_agents_write(desk: Desk) -> None:
    refused = key_client("agents:read").post(
        f"{AGENTS}sam/presence/", {"presence": "online"}, format="json"
    )
    assert refused.status_code == 403 and error(refused)["code"] == "missing_scope"
    response = key_client("agents:write").post(
        f"{AGENTS}sam/presence/", {"presence": "away"}, format="json"
    )
    assert response.json()["presence"] == "away"
    bad = key_client("agents:write").post(
        f"{AGENTS}sam/presence/", {"presence": "asleep"}, format="json"
    )
    assert bad.status_code == 400 and "presence" in error(bad)["details"]


@pytest.mark.parametrize("url", [AGENTS, f"{AGENTS}sam/", "/api/v1/queues/en-payment/"])
def test_buyers_and_anonymous_callers_do_not_see_agents(desk: Desk, url: str) -> None:
    anonymous = APIClient().get(url)
    assert anonymous.status_code == 401
    assert error(anonymous)["code"] == "not_authenticated"
    buyer = session_client(BuyerFactory()).get(url)
    assert buyer.status_code == 403
    assert error(buyer)["code"] == "role_not_allowed"


def test_queue_detail_shows_hours_counts_and_agents(desk: Desk) -> None:
    noon = moscow(2026, 11, 20, 12, 0)
    waiting = open_ticket(desk, now=noon, language="ru", topic=desk.refund)
    services.ticket_route(ticket_id=waiting.pk, now=noon)  # open: it waits in the Russian queue
    services.agent_set_presence(agent=desk.agent_ru, presence=Presence.AWAY, now=timezone.now())
    response = key_client("agents:read").get("/api/v1/queues/ru-payment-refund/")
    assert response.status_code == 200, response.json()
    queue = response.json()
    assert queue["topics"] == ["payment", "refund"]
    assert queue["fallback"] == "en-payment" and queue["sla_policy"] == "Standard"
    hours = queue["business_hours"]
    assert hours["time_zone"] == "Europe/Moscow"
    assert hours["weekly_hours"]["mon"] == [["06:00", "24:00"]]
    assert queue["open_now"] is (queue["opens_at"] is None)
    assert queue["agents"] == [
        {"username": "olga", "presence": "away", "active_tickets": 0, "capacity": 3}
    ]
    assert queue["agents_online"] == 0
    assert queue["waiting"] == 1
    assert queue["oldest_queued_at"] is not None


def test_an_around_the_clock_queue_has_no_hours(desk: Desk) -> None:
    queue = session_client(desk.agent).get("/api/v1/queues/en-payment/").json()
    assert queue["business_hours"] is None and queue["open_now"] is True
    assert {agent["username"] for agent in queue["agents"]} == {"sam", "olga"}


def test_an_unknown_queue_is_not_found(desk: Desk) -> None:
    response = key_client("agents:read").get("/api/v1/queues/nowhere/")
    assert response.status_code == 404
    assert error(response)["code"] == "queue_not_found"
