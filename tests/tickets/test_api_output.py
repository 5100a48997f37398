"""The tickets API's output reads its tickets directly and must say exactly what DRF's fields say.

``TicketOutputSerializer`` and ``RatingOutputSerializer`` write their own
``to_representation`` for speed; their declared fields stay the contract
(and the OpenAPI schema). These tests hold the two paths equal on tickets of
every shape the API returns.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from tests.factories import api_key_with
from tests.tickets.conftest import Desk, open_ticket
from tests.tickets.test_rating import rate, solved
from tickets import services
from tickets.api import access
from tickets.api.serializers import RatingOutputSerializer, TicketOutputSerializer
from tickets.models import Priority, Rating, Ticket

pytestmark = pytest.mark.django_db


def generic(serializer: serializers.Serializer, instance: Any) -> dict[str, Any]:
    """What DRF's own path makes of ``instance`` with the serializer's declared fields."""
    return dict(serializers.Serializer.to_representation(serializer, instance))


def tickets_of_every_shape(desk: Desk) -> list[int]:
    """Unrouted, queued, assigned, solved and rated (with and without a comment), reprioritised."""
    now = timezone.now().replace(microsecond=123456)
    unrouted = open_ticket(desk, now=now, subject="Not routed yet")
    queued = open_ticket(desk, now=now, topic=desk.refund, subject="Refund <b>missing</b> & late")
    services.ticket_route(ticket_id=queued.pk, now=now)
    rated = solved(desk, now=now - timedelta(hours=2), subject="Charged twice")
    rate(desk, rated, 4, now=now, comment="Quick & kind.")
    plain = solved(desk, now=now - timedelta(hours=1), subject="Card declined")
    rate(desk, plain, 2, now=now)
    urgent = open_ticket(desk, now=now, topic=desk.warranty, subject="Kettle broke")
    services.ticket_set_priority(
        ticket_id=urgent.pk, actor=desk.agent, priority=Priority.URGENT, now=now
    )
    return [unrouted.pk, queued.pk, rated.pk, plain.pk, urgent.pk]


@pytest.mark.parametrize("zone", ["UTC", "Europe/Athens"])
@pytest.mark.parametrize("agent_scope", [True, False])
def test_a_page_of_tickets_reads_as_drf_fields_would_read_it(
    desk: Desk, zone: str, agent_scope: bool
) -> None:
    ids = tickets_of_every_shape(desk)
    caller = access.Caller(api_key=api_key_with("tickets:read")[0], user=None)
    page = list(access.visible_tickets(caller, related=False).filter(pk__in=ids).order_by("pk"))
    access.complete_page(page)
    assert len(page) == len(ids)
    assert any(ticket.queue is None for ticket in page)
    assert any(ticket.assignee is not None for ticket in page)
    assert sum(getattr(ticket, "rating", None) is not None for ticket in page) == 2

    context = {"request": None, "agent_scope": agent_scope}
    with timezone.override(zone), CaptureQueriesContext(connection) as queries:
        direct = TicketOutputSerializer(page, many=True, context=context).data
    # complete_page gave every ticket its people and rating: writing the page asks nothing more.
    assert queries.captured_queries == []
    with timezone.override(zone):
        expected = [generic(TicketOutputSerializer(context=context), ticket) for ticket in page]

    assert [dict(row) for row in direct] == expected
    assert JSONRenderer().render(direct) == JSONRenderer().render(expected)
    # What the comparison covers, so it cannot pass on empty or all-null rows.
    shown = {row["subject"]: row for row in direct}
    assert shown["Refund <b>missing</b> & late"]["queue"] == desk.en_refund.slug
    assert shown["Not routed yet"]["queue"] is None
    assert shown["Kettle broke"]["priority"] == "urgent"
    assert shown["Charged twice"]["rating"]["comment"] == "Quick & kind."
    assert (shown["Charged twice"]["assignee"] == desk.agent.username) is agent_scope
    assert shown["Charged twice"]["created_at"].endswith("Z") is (zone == "UTC")


def test_a_ticket_just_opened_reads_as_drf_fields_would_read_it(desk: Desk) -> None:
    """The create call answers with the service's own ticket object, not one read back."""
    ticket = open_ticket(desk, now=timezone.now(), subject="Fresh")
    context = {"request": None, "agent_scope": False}
    serializer = TicketOutputSerializer(ticket, context=context)
    assert serializer.data == generic(TicketOutputSerializer(context=context), ticket)
    assert serializer.data["status"] == "new"


@pytest.mark.parametrize("agent_scope", [True, False])
def test_a_rating_reads_as_drf_fields_would_read_it(desk: Desk, agent_scope: bool) -> None:
    now = timezone.now()
    ticket = solved(desk, now=now)
    rate(desk, ticket, 5, now=now, comment="Thank you")
    rating = Rating.objects.select_related("agent").get(ticket=ticket)
    context = {"agent_scope": agent_scope}
    direct = RatingOutputSerializer(rating, context=context).data
    assert direct == generic(RatingOutputSerializer(context=context), rating)
    assert direct["agent"] == (desk.agent.username if agent_scope else None)


def test_every_declared_field_is_in_the_output(desk: Desk) -> None:
    """A field added to the declaration but not to the direct path shows up here."""
    ticket = Ticket.objects.get(pk=tickets_of_every_shape(desk)[2])
    assert list(TicketOutputSerializer(ticket).data) == list(TicketOutputSerializer().fields)
    rating = Rating.objects.get(ticket=ticket)
    assert list(RatingOutputSerializer(rating).data) == list(RatingOutputSerializer().fields)
