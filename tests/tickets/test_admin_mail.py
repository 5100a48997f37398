"""Supervisors see the mail the desk owes, sent and received, and cannot change it."""

from __future__ import annotations

from datetime import UTC, datetime

from django.test import Client

from tests.factories import SupervisorFactory
from tests.tickets.conftest import Desk, open_ticket
from tickets.models import InboundMail, Notification

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def test_supervisors_see_the_mail_logs_read_only(client: Client, desk: Desk) -> None:
    client.force_login(SupervisorFactory())
    ticket = open_ticket(desk, now=NOW)
    assert Notification.objects.filter(ticket=ticket).exists()
    InboundMail.objects.create(
        mail_id="<x@example.com>",
        sender="stranger@example.com",
        subject="Re: hi",
        outcome="rejected",
        reason="Sent from a stranger.",
        received_at=NOW,
    )
    outbox = client.get("/admin/tickets/notification/")
    assert outbox.status_code == 200
    assert ticket.subject in outbox.content.decode()
    inbound = client.get("/admin/tickets/inboundmail/")
    assert inbound.status_code == 200
    assert "Sent from a stranger." in inbound.content.decode()
    assert client.get("/admin/tickets/inboundmail/add/").status_code == 403
    row = InboundMail.objects.get()
    assert (
        client.post(f"/admin/tickets/inboundmail/{row.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
