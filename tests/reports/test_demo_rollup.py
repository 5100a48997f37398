"""The demo's figures are in the reports as soon as the demo is loaded."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from reports.models import DailyTicketStats, TicketFact
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_load_demo_fills_the_reports_at_once() -> None:
    call_command("load_demo", stdout=StringIO())

    assert TicketFact.objects.count() == Ticket.objects.count() > 0
    assert DailyTicketStats.objects.exists()
