"""Supervisors configure the desk and watch tickets in the admin; tickets change only through services."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from accounts.models import User
from support_desk.demo import demo_load
from tests.factories import SupervisorFactory
from tickets.models import (
    AgentProfile,
    BusinessHours,
    EventKind,
    Priority,
    Queue,
    SlaPolicy,
    Ticket,
)
from tickets.status import Status

pytestmark = pytest.mark.django_db

MODELS = ("queue", "businesshours", "slapolicy", "agentprofile", "ticket")


@pytest.fixture
def supervisor() -> User:
    demo_load(now=timezone.now())
    user = User.objects.get(username="supervisor")
    assert user.is_staff and not user.is_superuser
    return user


@pytest.fixture
def admin_client(client: Client, supervisor: User) -> Client:
    client.force_login(supervisor)
    return client


def post_data(response: Any, **changes: Any) -> dict[str, Any]:
    """Return the POST a browser would send for the change page in ``response``, with changes."""
    data: dict[str, Any] = {}

    def add(form: forms.BaseForm) -> None:
        for name, field in form.fields.items():
            value = field.prepare_value(form[name].value())
            if isinstance(field, forms.BooleanField):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif isinstance(value, list | tuple):
                data[form.add_prefix(name)] = [str(v) for v in value]
            elif value is not None:
                data[form.add_prefix(name)] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    data.update(changes)
    return data


def test_every_tickets_page_renders_for_the_demo_supervisor(admin_client: Client) -> None:
    objects = {
        "queue": Queue.objects.all(),
        "businesshours": BusinessHours.objects.all(),
        "slapolicy": SlaPolicy.objects.all(),
        "agentprofile": AgentProfile.objects.all(),
        "ticket": Ticket.objects.all(),
    }
    assert admin_client.get("/admin/").status_code == 200
    for model in MODELS:
        listing = admin_client.get(f"/admin/tickets/{model}/")
        assert listing.status_code == 200, model
        assert len(listing.context["cl"].result_list) == objects[model].count(), model
        for obj in objects[model]:
            page = admin_client.get(f"/admin/tickets/{model}/{obj.pk}/change/")
            assert page.status_code == 200, (model, obj)
        if model != "ticket":
            assert admin_client.get(f"/admin/tickets/{model}/add/").status_code == 200, model


@pytest.mark.parametrize(
    "query",
    [
        "?status__exact=queued",
        "?sla=late",
        "?sla=escalated",
        "?priority__exact=3",
        "?channel__exact=email&language__exact=en",
        "?q=kettle",
        "?q=buyer2",
        "?o=10",
        "?o=-9.1",
    ],
)
def test_ticket_list_filters_search_and_sorting_work(admin_client: Client, query: str) -> None:
    assert admin_client.get(f"/admin/tickets/ticket/{query}").status_code == 200


def test_ticket_list_shows_references_and_late_first_responses(admin_client: Client) -> None:
    html = admin_client.get("/admin/tickets/ticket/").content.decode()
    ticket = Ticket.objects.get(
        subject="Kettle stopped heating after 3 months, seller refuses repair"
    )
    assert ticket.reference in html
    assert "Kettle stopped heating" in html
    escalated = admin_client.get("/admin/tickets/ticket/?sla=escalated").context["cl"].result_list
    assert [t.subject for t in escalated] == ["The seller has not answered my dispute for a week"]


@pytest.mark.parametrize("form", ["SD-{id:06d}", "sd-{id}", " SD-{id} "])
def test_ticket_search_finds_a_reference(admin_client: Client, form: str) -> None:
    ticket = Ticket.objects.get(subject="Jacket not as described: wrong colour and size")
    response = admin_client.get("/admin/tickets/ticket/", {"q": form.format(id=ticket.pk)})
    assert response.status_code == 200
    assert [t.pk for t in response.context["cl"].result_list] == [ticket.pk]


def test_buyer_search_finds_their_tickets(admin_client: Client) -> None:
    response = admin_client.get("/admin/tickets/ticket/", {"q": "buyer2@demo"})
    found = {t.buyer.username for t in response.context["cl"].result_list}
    assert found == {"buyer2"}


def test_status_and_routing_are_read_only_but_the_subject_can_be_corrected(
    admin_client: Client,
) -> None:
    ticket = Ticket.objects.get(subject="Payment declined but my bank shows a pending charge")
    assert ticket.status == Status.ASSIGNED
    url = f"/admin/tickets/ticket/{ticket.pk}/change/"
    page = admin_client.get(url)
    data = post_data(
        page,
        subject="Payment declined, yet a pending charge on my card",
        status=Status.CLOSED,
        priority=str(Priority.URGENT),
        queue=str(Queue.objects.get(slug="en-escalations").pk),
        assignee="",
    )
    events_before = ticket.events.count()
    response = admin_client.post(url, data)
    assert response.status_code == 302, (
        getattr(response, "context", None) and response.context["adminform"].form.errors
    )
    changed = Ticket.objects.get(pk=ticket.pk)
    assert changed.subject == "Payment declined, yet a pending charge on my card"
    assert (changed.status, changed.priority, changed.queue_id, changed.assignee_id) == (
        Status.ASSIGNED,
        ticket.priority,
        ticket.queue_id,
        ticket.assignee_id,
    )
    assert changed.events.count() == events_before


def test_tickets_cannot_be_added_or_deleted_in_the_admin(admin_client: Client) -> None:
    ticket = Ticket.objects.first()
    assert ticket is not None
    assert admin_client.get("/admin/tickets/ticket/add/").status_code == 403
    assert admin_client.get(f"/admin/tickets/ticket/{ticket.pk}/delete/").status_code == 403
    assert Ticket.objects.filter(pk=ticket.pk).exists()


def run_action(client: Client, action: str, *tickets: Ticket) -> list[str]:
    response = client.post(
        "/admin/tickets/ticket/",
        {"action": action, "_selected_action": [t.pk for t in tickets], "index": "0"},
    )
    assert response.status_code == 302
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_set_priority_actions_go_through_the_service(
    admin_client: Client, supervisor: User
) -> None:
    queued = Ticket.objects.get(subject="Оплата не прошла, но деньги списаны с карты")
    assigned = Ticket.objects.get(subject="Payment declined but my bank shows a pending charge")
    due_before = assigned.first_response_due_at
    notes = run_action(admin_client, "set_priority_urgent", queued, assigned)
    assert notes == ["2 tickets are now Urgent."]
    for ticket in (queued, assigned):
        ticket.refresh_from_db()
        assert ticket.priority == Priority.URGENT
        event = ticket.events.filter(kind=EventKind.PRIORITY).latest("id")
        assert (event.actor, event.to_value) == (supervisor, "Urgent")
    # The service recounts the SLA for the new priority: urgent payment is due sooner.
    assert assigned.first_response_due_at is not None and due_before is not None
    assert assigned.first_response_due_at < due_before

    run_action(admin_client, "set_priority_high", queued)
    queued.refresh_from_db()
    assert queued.priority == Priority.HIGH


def test_mark_solved_goes_through_the_service_and_reports_refusals(
    admin_client: Client, supervisor: User
) -> None:
    assigned = Ticket.objects.get(
        subject="Kettle stopped heating after 3 months, seller refuses repair"
    )
    closed = Ticket.objects.get(status=Status.CLOSED)
    new = Ticket.objects.get(status=Status.NEW)
    notes = run_action(admin_client, "mark_solved", assigned, closed, new)
    assert f"{closed.reference}: A ticket cannot go from 'closed' to 'solved'." in notes
    assert f"{new.reference}: A ticket cannot go from 'new' to 'solved'." in notes
    assert "1 ticket marked solved." in notes
    assigned.refresh_from_db()
    assert assigned.status == Status.SOLVED
    event = assigned.events.filter(kind=EventKind.STATUS).latest("id")
    assert (event.actor, event.from_value, event.to_value) == (
        supervisor,
        Status.ASSIGNED,
        Status.SOLVED,
    )
    assert Ticket.objects.get(pk=closed.pk).status == Status.CLOSED
    assert Ticket.objects.get(pk=new.pk).status == Status.NEW


def test_a_superuser_without_an_agent_role_is_told_why_mark_solved_refuses(
    client: Client, supervisor: User
) -> None:
    root = User.objects.create_superuser("root", "root@example.com", "a-good-root-password-9")
    client.force_login(root)
    ticket = Ticket.objects.filter(status=Status.ASSIGNED).first()
    assert ticket is not None
    notes = run_action(client, "mark_solved", ticket)
    assert notes == ["Only agents and supervisors solve tickets; your account has another role."]
    assert Ticket.objects.get(pk=ticket.pk).status == Status.ASSIGNED


def test_sla_targets_are_checked_in_the_inline(admin_client: Client) -> None:
    policy = SlaPolicy.objects.get(name="Standard")
    url = f"/admin/tickets/slapolicy/{policy.pk}/change/"
    page = admin_client.get(url)
    inline = page.context["inline_admin_formsets"][0].formset
    first = next(
        form
        for form in inline.forms
        if form.instance.pk
        and form.instance.topic_id is None
        and form.instance.priority == Priority.URGENT
    )
    extra = inline.forms[-1]
    target = first.instance

    backwards = post_data(page)
    backwards[first.add_prefix("first_response_minutes")] = "60"
    backwards[first.add_prefix("resolution_minutes")] = "30"
    response = admin_client.post(url, backwards)
    assert response.status_code == 200
    assert "at least the first-response time" in response.content.decode()

    duplicate = post_data(page)
    duplicate[extra.add_prefix("topic")] = str(target.topic_id or "")
    duplicate[extra.add_prefix("priority")] = str(target.priority)
    duplicate[extra.add_prefix("first_response_minutes")] = "10"
    duplicate[extra.add_prefix("resolution_minutes")] = "20"
    response = admin_client.post(url, duplicate)
    assert response.status_code == 200
    assert (
        "Two targets for every other topic at priority Urgent: keep one."
        in response.content.decode()
    )
    assert policy.targets.count() == len(inline.forms) - 1
    target.refresh_from_db()
    assert target.resolution_minutes >= target.first_response_minutes


def test_agent_capacity_is_editable_in_the_list_and_at_least_one(admin_client: Client) -> None:
    profile = AgentProfile.objects.get(user__username="agent_ru")
    listing = admin_client.get("/admin/tickets/agentprofile/")
    formset = listing.context["cl"].formset
    data: dict[str, Any] = {"_save": "Save"}
    for name, value in {
        "TOTAL_FORMS": formset.total_form_count(),
        "INITIAL_FORMS": formset.initial_form_count(),
        "MIN_NUM_FORMS": 0,
        "MAX_NUM_FORMS": 1000,
    }.items():
        data[f"form-{name}"] = str(value)
    for index, form in enumerate(formset.forms):
        data[f"form-{index}-id"] = str(form.instance.pk)
        data[f"form-{index}-capacity"] = str(form.instance.capacity)
    target = next(i for i, f in enumerate(formset.forms) if f.instance.pk == profile.pk)
    data[f"form-{target}-capacity"] = "0"
    refused = admin_client.post("/admin/tickets/agentprofile/", data)
    assert refused.status_code == 200
    assert AgentProfile.objects.get(pk=profile.pk).capacity == 4
    data[f"form-{target}-capacity"] = "6"
    assert admin_client.post("/admin/tickets/agentprofile/", data).status_code == 302
    assert AgentProfile.objects.get(pk=profile.pk).capacity == 6


def test_presence_actions_go_through_the_service(admin_client: Client) -> None:
    profile = AgentProfile.objects.get(user__username="agent")
    response = admin_client.post(
        "/admin/tickets/agentprofile/",
        {"action": "set_offline", "_selected_action": [profile.pk], "index": "0"},
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.presence == "offline"
    assert profile.presence_changed_at is not None


def test_a_queue_cannot_be_its_own_fallback(admin_client: Client) -> None:
    queue = Queue.objects.get(slug="en-refund")
    url = f"/admin/tickets/queue/{queue.pk}/change/"
    response = admin_client.post(url, post_data(admin_client.get(url), fallback=str(queue.pk)))
    assert response.status_code == 200
    assert response.context["errors"]
    assert Queue.objects.get(pk=queue.pk).fallback_id is None


def test_people_without_staff_access_get_no_ticket_admin(client: Client) -> None:
    demo_load(now=timezone.now())
    client.force_login(User.objects.get(username="agent"))
    response = client.get("/admin/tickets/ticket/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    # A fresh supervisor gets the same pages as the demo one.
    client.force_login(SupervisorFactory())
    assert client.get("/admin/tickets/ticket/").status_code == 200
