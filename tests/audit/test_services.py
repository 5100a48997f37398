"""Configuration written by the services leaves one audit entry per change, with before and after."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from accounts.models import User
from api import services as api_services
from audit.models import AuditAction, AuditEntry, AuditSource
from faq import services as faq_services
from faq.models import Topic
from tickets import services
from tickets.models import BusinessHours, Priority, Queue
from tickets.services.macros import macro_upsert

pytestmark = pytest.mark.django_db

NINE_TO_SIX = {day: [["09:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("UTC"))


def test_business_hours_created_then_changed_then_upserted_again_unchanged() -> None:
    hours = services.business_hours_upsert(
        name="London office", time_zone="Europe/London", weekly_hours=NINE_TO_SIX
    )
    services.business_hours_upsert(
        name="London office", time_zone="Europe/London", weekly_hours=NINE_TO_SIX
    )
    later = {**NINE_TO_SIX, "sat": [["10:00", "14:00"]]}
    services.business_hours_upsert(
        name="London office",
        time_zone="Europe/London",
        weekly_hours=later,
        holidays=[(date(2026, 12, 25), "Christmas")],
    )

    created, changed = AuditEntry.objects.filter(object_id=str(hours.pk)).order_by("id")
    assert created.action == AuditAction.CREATE
    assert created.changes["weekly_hours"] == [None, NINE_TO_SIX]
    assert created.source == AuditSource.SERVICE and created.actor is None
    assert changed.action == AuditAction.UPDATE
    assert changed.changes == {
        "weekly_hours": [NINE_TO_SIX, later],
        "holidays": [[], [{"date": "2026-12-25", "name": "Christmas"}]],
    }


def test_queue_topics_and_hours_changes_are_named(payment: Topic) -> None:
    hours = services.business_hours_upsert(name="Office", time_zone="UTC", weekly_hours=NINE_TO_SIX)
    services.queue_upsert(slug="en-pay", name="Payments", language="en", topics=[])
    services.queue_upsert(
        slug="en-pay", name="Payments", language="en", topics=[payment], hours=hours
    )
    queue = Queue.objects.get(slug="en-pay")
    update = AuditEntry.objects.filter(object_id=str(queue.pk), action=AuditAction.UPDATE).get(
        content_type__model="queue"
    )
    assert update.changes == {
        "topics": [[], ["Payment"]],
        "hours": [None, "Office (UTC)"],
    }


def test_sla_targets_and_agent_set_up_changes_are_recorded(payment: Topic, agent: User) -> None:
    policy = services.sla_policy_upsert(name="Gold", targets=[(None, Priority.HIGH, 30, 240)])
    services.sla_policy_upsert(name="Gold", targets=[(None, Priority.HIGH, 15, 240)])
    change = AuditEntry.objects.get(
        content_type__model="slapolicy", object_id=str(policy.pk), action=AuditAction.UPDATE
    )
    before, after = change.changes["targets"]
    assert [row["first_response_minutes"] for row in before] == [30]
    assert [row["first_response_minutes"] for row in after] == [15]

    queue = services.queue_upsert(slug="en", name="English", language="en", topics=[])
    services.agent_configure(agent=agent, queues=[queue], languages=["en"], capacity=3)
    services.agent_configure(agent=agent, queues=[queue], languages=["en", "ru"], capacity=5)
    profile_entries = AuditEntry.objects.filter(content_type__model="agentprofile").order_by("id")
    assert [entry.action for entry in profile_entries] == [AuditAction.CREATE, AuditAction.UPDATE]
    assert profile_entries[1].changes == {
        "languages": [["en"], ["en", "ru"]],
        "capacity": [3, 5],
    }
    assert profile_entries[1].object_repr == "alex"


def test_macros_and_topics_changes_are_recorded(payment: Topic) -> None:
    macro_upsert(name="Thanks", language="en", body="Thank you, {buyer_name}.")
    macro_upsert(name="Thanks", language="en", body="Thank you, {buyer_name}.")
    macro_upsert(name="Thanks", language="en", body="Thanks, {buyer_name}!", set_status="solved")
    macro = AuditEntry.objects.filter(content_type__model="macro").order_by("id")
    assert [entry.action for entry in macro] == [AuditAction.CREATE, AuditAction.UPDATE]
    assert macro[1].changes == {
        "body": ["Thank you, {buyer_name}.", "Thanks, {buyer_name}!"],
        "set_status": ["", "solved"],
    }

    faq_services.topic_upsert(
        slug="payment", name={"en": "Payments", "ru": "Оплата"}, description={"en": "Paying"}
    )
    topic = AuditEntry.objects.filter(content_type__model="topic").order_by("id").last()
    assert topic is not None and topic.action == AuditAction.UPDATE
    assert topic.changes["name"] == ["Payment", "Payments"]
    assert topic.changes["translations"][1] == [
        {"description": "", "language": "ru", "name": "Оплата"}
    ]


def test_api_keys_are_recorded_when_issued_and_revoked_never_with_their_secret(
    supervisor: User,
) -> None:
    key, raw_key = api_services.api_key_issue(
        name="Marketplace", scopes=["tickets:read"], created_by=supervisor
    )
    assert api_services.api_key_revoke(api_key=key, now=NOW)
    assert not api_services.api_key_revoke(api_key=key, now=NOW)

    issued, revoked = AuditEntry.objects.filter(content_type__model="apikey").order_by("id")
    assert issued.action == AuditAction.CREATE and issued.label == "issue"
    assert issued.actor == supervisor and issued.actor_name == "sofia"
    assert issued.changes["scopes"] == [None, ["tickets:read"]]
    assert revoked.action == AuditAction.CUSTOM and revoked.label == "revoke"
    assert revoked.changes == {"revoked_at": [None, NOW.isoformat()]}
    everything = json.dumps(list(AuditEntry.objects.values()), default=str)
    key.refresh_from_db()
    assert raw_key not in everything
    assert key.key_hash not in everything
    assert "key_hash" not in everything


def test_demo_hours_upserted_twice_leave_one_entry() -> None:
    for _ in range(2):
        services.business_hours_upsert(
            name="Moscow", time_zone="Europe/Moscow", weekly_hours=NINE_TO_SIX
        )
    hours = BusinessHours.objects.get(name="Moscow")
    assert AuditEntry.objects.filter(object_id=str(hours.pk)).count() == 1
