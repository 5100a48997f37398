"""Setting the desk up over the API: queues, their hours and holidays, SLA policies, macros."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from audit.models import AuditEntry, AuditSource
from tests.factories import AgentFactory, BuyerFactory, SupervisorFactory, api_key_with
from tests.tickets.conftest import Desk, build_desk
from tickets.models import Holiday, Macro, Priority, Queue, SlaPolicy, SlaTarget

pytestmark = pytest.mark.django_db

QUEUES = "/api/v1/queues/"
POLICIES = "/api/v1/sla-policies/"
MACROS = "/api/v1/macros/"


def key_client(*scopes: str) -> APIClient:
    _key, raw = api_key_with(*scopes)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def session_client(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def error(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()["error"]
    return body


def audited(model: type, object_id: Any) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            content_type__model=model._meta.model_name, object_id=str(object_id)
        ).order_by("pk")
    )


@pytest.fixture
def desk() -> Desk:
    return build_desk()


GREEK = {
    "slug": "el-payment",
    "name": "Πληρωμές",
    "language": "el",
    "topics": ["payment"],
    "fallback": "en-payment",
    "sla_policy": "Standard",
    "business_hours": "Moscow 06–24",
}


def test_a_supervisor_creates_and_changes_a_queue(desk: Desk) -> None:
    client = session_client(SupervisorFactory())
    response = client.post(QUEUES, GREEK, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["slug"], body["language"], body["topics"]) == ("el-payment", "el", ["payment"])
    assert (body["fallback"], body["sla_policy"]) == ("en-payment", "Standard")
    assert body["business_hours"]["name"] == "Moscow 06–24"

    response = client.patch(
        f"{QUEUES}el-payment/",
        {"is_active": False, "business_hours": None, "topics": ["payment", "refund"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    queue = Queue.objects.get(slug="el-payment")
    assert (queue.is_active, queue.hours, queue.name) == (False, None, "Πληρωμές")
    assert sorted(topic.slug for topic in queue.topics.all()) == ["payment", "refund"]
    assert [(entry.action, entry.source) for entry in audited(Queue, queue.pk)] == [
        ("create", AuditSource.API),
        ("update", AuditSource.API),
    ]


def test_bad_queues_are_refused_naming_the_fields(desk: Desk) -> None:
    client = key_client("agents:write")
    response = client.post(QUEUES, {**GREEK, "slug": "el pay", "language": "xx"}, format="json")
    assert response.status_code == 400
    assert {"slug", "language"} <= set(error(response)["details"])
    unknown = client.post(QUEUES, {**GREEK, "fallback": "nowhere"}, format="json")
    assert unknown.status_code == 400 and error(unknown)["code"] == "unknown_reference"
    assert "fallback" in error(unknown)["details"]
    taken = client.post(QUEUES, {**GREEK, "slug": "en-payment"}, format="json")
    assert taken.status_code == 409 and error(taken)["code"] == "queue_exists"
    itself = client.patch(f"{QUEUES}en-refund/", {"fallback": "en-refund"}, format="json")
    assert itself.status_code == 400 and "fallback" in error(itself)["details"]
    assert not Queue.objects.filter(slug="el-payment").exists()
    assert Queue.objects.get(slug="en-refund").fallback is None


def test_a_week_is_set_with_the_week_grids_rules_and_holidays_come_and_go(desk: Desk) -> None:
    client = key_client("agents:write", "agents:read")
    week = {"mon": [["14:00", "18:00"], ["09:00", "13:00"]], "sat": [["10:00", "00:00"]]}
    response = client.put(
        f"{QUEUES}en-payment/hours/",
        {"time_zone": "Europe/Athens", "weekly_hours": week},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["always_open"] is False and body["time_zone"] == "Europe/Athens"
    # Sorted, and midnight as a closing time is the end of the day, as in the admin.
    assert body["weekly_hours"] == {
        "mon": [["09:00", "13:00"], ["14:00", "18:00"]],
        "sat": [["10:00", "24:00"]],
    }
    hours = Queue.objects.get(slug="en-payment").hours
    assert hours is not None and audited(type(hours), hours.pk)[-1].source == AuditSource.API

    bad = client.put(
        f"{QUEUES}en-payment/hours/",
        {
            "time_zone": "Mars/Olympus",
            "weekly_hours": {"tue": [["09:00", "12:00"], ["11:00", "13:00"]]},
        },
        format="json",
    )
    assert bad.status_code == 400
    details = error(bad)["details"]
    assert "time_zone" in details and "overlap" in str(details["weekly_hours"])

    added = client.post(
        f"{QUEUES}en-payment/hours/holidays/",
        {"date": "2026-03-25", "name": "Independence Day"},
        format="json",
    )
    assert added.status_code == 201, added.json()
    assert added.json()["holidays"] == [{"date": "2026-03-25", "name": "Independence Day"}]
    removed = client.delete(f"{QUEUES}en-payment/hours/holidays/2026-03-25/")
    assert removed.status_code == 200 and removed.json()["holidays"] == []
    assert not Holiday.objects.filter(hours=hours, date=date(2026, 3, 25)).exists()
    entry = audited(type(hours), hours.pk)[-1]
    assert (entry.action, entry.source) == ("update", AuditSource.API)
    again = client.delete(f"{QUEUES}en-payment/hours/holidays/2026-03-25/")
    assert again.status_code == 404 and error(again)["code"] == "holiday_not_found"


def test_shared_hours_are_named_and_a_queue_open_around_the_clock_has_no_holidays(
    desk: Desk,
) -> None:
    client = session_client(desk.agent)
    shown = client.get(f"{QUEUES}ru-payment-refund/hours/").json()
    assert shown["name"] == "Moscow 06–24" and shown["shared_with"] == []
    around_the_clock = client.get(f"{QUEUES}en-refund/hours/").json()
    assert around_the_clock["always_open"] is True and around_the_clock["holidays"] == []
    refused = key_client("agents:write").post(
        f"{QUEUES}en-refund/hours/holidays/", {"date": "2026-12-25"}, format="json"
    )
    assert refused.status_code == 409 and error(refused)["code"] == "queue_always_open"


TARGETS = [
    {"topic": None, "priority": "urgent", "first_response_minutes": 15, "resolution_minutes": 240},
    {
        "topic": "payment",
        "priority": "normal",
        "first_response_minutes": 60,
        "resolution_minutes": 600,
    },
]


def test_sla_policies_are_created_listed_and_their_targets_set(desk: Desk) -> None:
    client = key_client("agents:write", "agents:read")
    response = client.post(POLICIES, {"name": "Premium", "targets": TARGETS}, format="json")
    assert response.status_code == 201, response.json()
    policy_id = response.json()["id"]
    assert {target["priority"] for target in response.json()["targets"]} == {"urgent", "normal"}
    names = [policy["name"] for policy in client.get(POLICIES).json()["results"]]
    assert names == ["Premium", "Standard"]

    change = {"targets": [{**TARGETS[0], "first_response_minutes": 10}]}
    response = client.patch(f"{POLICIES}{policy_id}/", change, format="json")
    assert response.status_code == 200, response.json()
    urgent = SlaTarget.objects.get(policy_id=policy_id, topic=None, priority=Priority.URGENT)
    assert urgent.first_response_minutes == 10
    assert SlaTarget.objects.filter(policy_id=policy_id).count() == 2  # the other stays
    assert [(entry.action, entry.source) for entry in audited(SlaPolicy, policy_id)] == [
        ("create", AuditSource.API),
        ("update", AuditSource.API),
    ]


def test_bad_sla_targets_are_refused_naming_the_fields(desk: Desk) -> None:
    client = key_client("agents:write")
    backwards = {**TARGETS[0], "resolution_minutes": 5}
    response = client.post(POLICIES, {"name": "Fast", "targets": [backwards]}, format="json")
    assert response.status_code == 400
    assert "resolution_minutes" in str(error(response)["details"]["targets"])
    twice = client.post(POLICIES, {"name": "Fast", "targets": [TARGETS[0]] * 2}, format="json")
    assert twice.status_code == 400 and "targets" in error(twice)["details"]
    taken = client.post(POLICIES, {"name": "Standard", "targets": []}, format="json")
    assert taken.status_code == 409 and error(taken)["code"] == "sla_policy_exists"
    missing = client.patch(f"{POLICIES}999999/", {"targets": []}, format="json")
    assert missing.status_code == 404 and error(missing)["code"] == "sla_policy_not_found"
    assert not SlaPolicy.objects.filter(name="Fast").exists()


MACRO = {
    "name": "Refund on its way",
    "language": "en",
    "topic": "refund",
    "body": "Hello {buyer_name}, your refund is on its way.",
    "set_status": "solved",
}


def test_a_supervisor_keeps_macros_and_retiring_one_keeps_it_inactive(desk: Desk) -> None:
    client = session_client(SupervisorFactory())
    response = client.post(MACROS, MACRO, format="json")
    assert response.status_code == 201, response.json()
    macro_id = response.json()["id"]
    changed = client.patch(f"{MACROS}{macro_id}/", {"set_status": "pending"}, format="json")
    assert changed.status_code == 200 and changed.json()["body"] == MACRO["body"]
    retired = client.delete(f"{MACROS}{macro_id}/")
    assert retired.status_code == 200 and retired.json()["is_active"] is False
    listed = session_client(desk.agent).get(MACROS).json()["results"]
    assert macro_id not in [macro["id"] for macro in listed]
    assert Macro.objects.get(pk=macro_id).set_status == "pending"
    assert [entry.action for entry in audited(Macro, macro_id)] == ["create", "update", "update"]
    assert {entry.source for entry in audited(Macro, macro_id)} == {AuditSource.API}


def test_bad_macros_are_refused_naming_the_fields(desk: Desk) -> None:
    client = key_client("agents:write")
    response = client.post(
        MACROS, {**MACRO, "language": "xx", "set_status": "closed", "body": ""}, format="json"
    )
    assert response.status_code == 400
    assert {"language", "set_status", "body"} <= set(error(response)["details"])
    client.post(MACROS, MACRO, format="json")
    taken = client.post(MACROS, MACRO, format="json")
    assert taken.status_code == 409 and error(taken)["code"] == "macro_exists"
    assert Macro.objects.filter(name=MACRO["name"]).count() == 1


def test_setting_up_needs_agents_write_and_a_supervisor(desk: Desk) -> None:
    reader = key_client("agents:read")
    for url, body in ((QUEUES, GREEK), (POLICIES, {"name": "X", "targets": []}), (MACROS, MACRO)):
        response = reader.post(url, body, format="json")
        assert response.status_code == 403 and error(response)["code"] == "missing_scope"
    agent = session_client(AgentFactory())
    assert agent.get(POLICIES).status_code == 200  # agents read the set-up
    refused = agent.patch(f"{QUEUES}en-payment/", {"is_active": False}, format="json")
    assert refused.status_code == 403 and error(refused)["code"] == "role_not_allowed"
    buyer = session_client(BuyerFactory())
    assert buyer.get(f"{QUEUES}en-payment/hours/").status_code == 403
    assert buyer.post(QUEUES, GREEK, format="json").status_code == 403
    assert buyer.post(MACROS, MACRO, format="json").status_code == 403
    assert Queue.objects.get(slug="en-payment").is_active is True
    assert not Macro.objects.exists() and not Queue.objects.filter(slug="el-payment").exists()
