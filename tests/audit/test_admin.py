"""Changes made in the admin are recorded once, with who, where from, before and after."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from api.models import ApiKey
from audit.models import AuditAction, AuditEntry, AuditSource
from faq.models import Topic
from tickets import services
from tickets.models import AgentProfile, Macro, Queue
from tickets.services.macros import macro_upsert

pytestmark = pytest.mark.django_db


def queue_form(queue: Queue, **changes: Any) -> dict[str, Any]:
    data = {
        "name": queue.name,
        "slug": queue.slug,
        "language": queue.language,
        "topics": [str(pk) for pk in queue.topics.values_list("pk", flat=True)],
        "hours": str(queue.hours_id or ""),
        "fallback": str(queue.fallback_id or ""),
        "escalation_queue": str(queue.escalation_queue_id or ""),
        "sla_policy": str(queue.sla_policy_id or ""),
        "sort_order": str(queue.sort_order),
        "is_active": "on" if queue.is_active else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_a_queue_edited_in_the_admin_is_recorded_once_with_who_and_where(
    admin_client: Client, supervisor: User, payment: Topic
) -> None:
    queue = services.queue_upsert(slug="en-pay", name="Payments", language="en", topics=[])
    AuditEntry.objects.all().delete()
    url = reverse("admin:tickets_queue_change", args=[queue.pk])
    response = admin_client.post(
        url,
        queue_form(queue, name="Payments (EN)", topics=[str(payment.pk)]),
        HTTP_X_REQUEST_ID="req-42",
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302

    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.UPDATE
    assert entry.changes == {"name": ["Payments", "Payments (EN)"], "topics": [[], ["Payment"]]}
    assert entry.source == AuditSource.ADMIN
    assert entry.actor == supervisor and entry.actor_name == "sofia"
    assert entry.request_id == "req-42"
    assert entry.ip_address == "203.0.113.9"


def test_saving_an_unchanged_queue_records_nothing(admin_client: Client) -> None:
    queue = services.queue_upsert(slug="en-pay", name="Payments", language="en", topics=[])
    before = AuditEntry.objects.count()
    url = reverse("admin:tickets_queue_change", args=[queue.pk])
    assert admin_client.post(url, queue_form(queue)).status_code == 302
    assert AuditEntry.objects.count() == before


def test_an_api_key_issued_in_the_admin_is_recorded_once_and_a_scope_change_too(
    admin_client: Client, supervisor: User
) -> None:
    add = reverse("admin:api_apikey_add")
    response = admin_client.post(add, {"name": "Partner", "scopes": ["tickets:read"]})
    assert response.status_code == 302
    key = ApiKey.objects.get(name="Partner")
    issued = AuditEntry.objects.get(content_type__model="apikey")
    assert (issued.action, issued.label, issued.source) == (
        AuditAction.CREATE,
        "issue",
        AuditSource.ADMIN,
    )
    assert issued.actor == supervisor

    change = reverse("admin:api_apikey_change", args=[key.pk])
    response = admin_client.post(
        change, {"name": "Partner", "scopes": ["tickets:read", "tickets:write"]}
    )
    assert response.status_code == 302
    scoped = AuditEntry.objects.filter(content_type__model="apikey").latest("id")
    assert scoped.action == AuditAction.UPDATE
    assert scoped.changes == {"scopes": [["tickets:read"], ["tickets:read", "tickets:write"]]}

    revoke = reverse("admin:api_apikey_changelist")
    admin_client.post(revoke, {"action": "revoke_keys", "_selected_action": [key.pk]})
    assert list(
        AuditEntry.objects.filter(content_type__model="apikey")
        .order_by("id")
        .values_list("label", flat=True)
    ) == ["issue", "", "revoke"]


def test_capacity_changed_in_the_list_is_recorded_per_agent(
    admin_client: Client, agent: User
) -> None:
    queue = services.queue_upsert(slug="en", name="English", language="en", topics=[])
    profile = services.agent_configure(agent=agent, queues=[queue], languages=["en"], capacity=3)
    before = AuditEntry.objects.count()
    url = reverse("admin:tickets_agentprofile_changelist")
    response = admin_client.post(
        url,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(profile.pk),
            "form-0-capacity": "7",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    assert AgentProfile.objects.get(pk=profile.pk).capacity == 7
    assert AuditEntry.objects.count() == before + 1
    assert AuditEntry.objects.latest("id").changes == {"capacity": [3, 7]}


def test_a_macro_deleted_in_the_admin_is_recorded_with_what_it_said(
    admin_client: Client,
) -> None:
    macro = macro_upsert(name="Bye", language="en", body="Goodbye {buyer_name}.")
    url = reverse("admin:tickets_macro_delete", args=[macro.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Macro.objects.filter(pk=macro.pk).exists()
    gone = AuditEntry.objects.latest("id")
    assert gone.action == AuditAction.DELETE
    assert gone.object_id == str(macro.pk)
    assert gone.changes["body"] == ["Goodbye {buyer_name}.", None]


def test_an_agent_set_up_through_the_api_names_the_caller(
    client: Client, supervisor: User, agent: User
) -> None:
    services.queue_upsert(slug="en", name="English", language="en", topics=[])
    client.force_login(supervisor)
    response = client.put(
        f"/api/v1/agents/{agent.username}/",
        {"queues": ["en"], "languages": ["en"], "capacity": 4},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    entry = AuditEntry.objects.filter(content_type__model="agentprofile").get()
    assert entry.source == AuditSource.API
    assert entry.actor == supervisor
    assert entry.changes["capacity"] == [None, 4]


def test_a_webhook_subscription_made_and_changed_in_the_admin_is_recorded_without_its_secret(
    admin_client: Client, settings: Any
) -> None:
    from tests.factories import api_key_with
    from webhooks.models import Subscription

    settings.DESK_WEBHOOKS_ALLOW_PRIVATE = True
    key, _ = api_key_with("tickets:read", "webhooks:write", name="Hooks")
    form = {
        "api_key": str(key.pk),
        "url": "http://127.0.0.1:9/hook",
        "events": ["ticket.created"],
        "description": "",
        "active": "on",
    }
    assert admin_client.post(reverse("admin:webhooks_subscription_add"), form).status_code == 302
    subscription = Subscription.objects.get()
    change = reverse("admin:webhooks_subscription_change", args=[subscription.pk])
    form["url"] = "http://127.0.0.1:9/other"
    assert admin_client.post(change, form).status_code == 302

    made, changed = AuditEntry.objects.filter(content_type__model="subscription").order_by("id")
    assert made.action == AuditAction.CREATE and made.source == AuditSource.ADMIN
    assert changed.changes == {"url": ["http://127.0.0.1:9/hook", "http://127.0.0.1:9/other"]}
    subscription.refresh_from_db()
    assert "secret" not in made.changes
    assert subscription.secret not in str(list(AuditEntry.objects.values()))
