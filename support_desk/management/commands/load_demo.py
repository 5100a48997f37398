from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from support_desk.demo import DemoNotAllowed, demo_load


class Command(BaseCommand):
    help = "Load the demo data of every app. Running it again changes nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        try:
            demo_load(now=now)
        except DemoNotAllowed as exc:
            raise CommandError(str(exc)) from exc
        # The reports read rollups that beat refreshes every two minutes: have
        # them ready at once, so a supervisor's first look shows the demo.
        from reports.services import reports_rollup

        reports_rollup(now=now)
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
