"""Recompute the reports of a range of days from the desk's records."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Min
from django.utils import timezone

from reports.services import reports_rebuild
from tickets.models import Ticket


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"{text!r} is not a date like 2026-01-31.") from error


class Command(BaseCommand):
    help = (
        "Recompute the ticket facts and daily rollups of a range of days (the desk's time zone): "
        "for history the beat rollup never read, or after a correction. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from",
            dest="first",
            help="First day, e.g. 2026-01-01 (default: the oldest ticket's).",
        )
        parser.add_argument(
            "--until",
            dest="until",
            help="Day after the last one, e.g. 2026-02-01 (default: tomorrow).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        today = timezone.localdate(now)
        if options["first"]:
            first = _day(options["first"])
        else:
            oldest = Ticket.objects.aggregate(oldest=Min("created_at"))["oldest"]
            first = timezone.localdate(oldest) if oldest else today
        until = _day(options["until"]) if options["until"] else today + timedelta(days=1)
        if until <= first:
            raise CommandError("--until must come after --from.")
        result = reports_rebuild(first=first, last=until - timedelta(days=1), now=now)
        self.stdout.write(
            f"Rebuilt {result.first_day} to {result.last_day}: {result.facts} ticket facts."
        )
