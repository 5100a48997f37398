"""Every admin page a supervisor uses opens, and no status can be typed into a form."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from support_desk.demo import demo_load

pytestmark = pytest.mark.django_db

# Rows whose status changes only through their services.
STATUS_MODELS = ("tickets.ticket", "disputes.dispute", "disputes.warrantyclaim", "orders.order")


@pytest.fixture
def supervisor_client(client: Client) -> Client:
    demo_load(now=timezone.now())
    client.force_login(User.objects.get(username="supervisor"))
    return client


def test_every_registered_model_lists_and_opens_for_the_demo_supervisor(
    supervisor_client: Client,
) -> None:
    index = supervisor_client.get("/admin/")
    assert index.status_code == 200
    seen = 0
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if not model_admin.has_view_permission(index.wsgi_request):
            continue
        listing = supervisor_client.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        )
        assert listing.status_code == 200, opts.label
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            page = supervisor_client.get(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            )
            assert page.status_code == 200, opts.label
        seen += 1
    labels = {model._meta.label_lower for model in admin.site._registry}
    assert {
        "faq.topic",
        "faq.faqentry",
        "tickets.queue",
        "tickets.businesshours",
        "tickets.slapolicy",
        "tickets.macro",
        "tickets.agentprofile",
        "api.apikey",
        "orders.shop",
        "orders.order",
        "disputes.dispute",
        "disputes.warrantyclaim",
        "accounts.user",
        "audit.auditentry",
    } <= labels
    assert seen >= 20


@pytest.mark.parametrize("label", STATUS_MODELS)
def test_status_is_shown_but_never_a_form_field(supervisor_client: Client, label: str) -> None:
    from django.apps import apps

    model = apps.get_model(label)
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None
    opts = model._meta
    page = supervisor_client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    )
    assert page.status_code == 200
    assert "status" not in page.context["adminform"].form.fields
    assert 'name="status"' not in page.content.decode()
    assert obj.get_status_display() in page.content.decode()  # type: ignore[attr-defined]
