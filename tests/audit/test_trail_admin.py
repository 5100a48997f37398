"""The audit trail is there to read: supervisors see and filter it, nobody edits or deletes it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEntry
from support_desk.demo import demo_load
from tickets import services
from tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db

TRAIL = ("auditentry", "tickethistory", "disputehistory", "claimhistory")


@pytest.fixture
def demo_supervisor_client(client: Client) -> Client:
    demo_load(now=timezone.now())
    client.force_login(User.objects.get(username="supervisor"))
    return client


def test_every_page_of_the_trail_lists_and_shows_but_offers_no_change(
    demo_supervisor_client: Client,
) -> None:
    client = demo_supervisor_client
    services.queue_upsert(slug="en-extra", name="Extra", language="en", topics=[])
    for model in TRAIL:
        listing = client.get(f"/admin/audit/{model}/")
        assert listing.status_code == 200, model
        rows = listing.context["cl"].result_list
        assert rows, model
        assert "delete_selected" not in listing.content.decode(), model
        page = client.get(f"/admin/audit/{model}/{rows[0].pk}/change/")
        assert page.status_code == 200, model
        assert not page.context["has_change_permission"]
        assert 'name="_save"' not in page.content.decode(), model


@pytest.mark.parametrize("model", TRAIL)
def test_adding_changing_or_deleting_a_line_is_forbidden(
    demo_supervisor_client: Client, model: str
) -> None:
    client = demo_supervisor_client
    services.queue_upsert(slug="en-extra", name="Extra", language="en", topics=[])
    row = client.get(f"/admin/audit/{model}/").context["cl"].result_list[0]
    counts = (AuditEntry.objects.count(), TicketEvent.objects.count())

    assert client.get(f"/admin/audit/{model}/add/").status_code == 403
    assert client.post(f"/admin/audit/{model}/add/", {"note": "x"}).status_code == 403
    assert client.post(f"/admin/audit/{model}/{row.pk}/change/", {"note": "x"}).status_code == 403
    assert client.get(f"/admin/audit/{model}/{row.pk}/delete/").status_code == 403
    assert client.post(f"/admin/audit/{model}/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = client.post(
        f"/admin/audit/{model}/",
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert (AuditEntry.objects.count(), TicketEvent.objects.count()) == counts


def test_ticket_events_filter_by_kind_actor_date_and_ticket(
    demo_supervisor_client: Client,
) -> None:
    client = demo_supervisor_client
    agent = User.objects.get(username="agent")
    ticket = Ticket.objects.filter(events__actor=agent).first()
    assert ticket is not None
    url = "/admin/audit/tickethistory/"

    by_kind = client.get(url, {"kind__exact": "status"}).context["cl"].result_list
    assert by_kind and {event.kind for event in by_kind} == {"status"}
    by_actor = client.get(url, {"by": str(agent.pk)}).context["cl"].result_list
    assert by_actor and {event.actor_id for event in by_actor} == {agent.pk}
    by_desk = client.get(url, {"by": "desk"}).context["cl"].result_list
    assert all(event.actor_id is None for event in by_desk)
    by_ticket = client.get(url, {"q": ticket.reference}).context["cl"].result_list
    assert {event.ticket_id for event in by_ticket} == {ticket.pk}
    assert len(by_ticket) == ticket.events.count()
    day = ticket.events.first().created_at  # type: ignore[union-attr]
    dated = client.get(
        url,
        {
            "created_at__year": str(day.year),
            "created_at__month": str(day.month),
            "created_at__day": str(day.day),
        },
    )
    assert dated.status_code == 200
    assert dated.context["cl"].result_list


def test_configuration_changes_filter_by_type_and_show_before_and_after(
    demo_supervisor_client: Client,
) -> None:
    client = demo_supervisor_client
    queue = services.queue_upsert(slug="en-extra", name="Extra", language="en", topics=[])
    services.queue_upsert(slug="en-extra", name="Extra help", language="en", topics=[])
    entry = AuditEntry.objects.filter(object_id=str(queue.pk), changes__has_key="name").latest("id")
    listing = client.get(
        "/admin/audit/auditentry/", {"type": str(entry.content_type_id), "action__exact": "update"}
    )
    assert entry in listing.context["cl"].result_list
    page = client.get(reverse("admin:audit_auditentry_change", args=[entry.pk])).content.decode()
    assert "Extra help" in page and "<td>Extra</td>" in page
