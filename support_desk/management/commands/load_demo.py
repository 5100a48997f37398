from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from support_desk.demo import DemoNotAllowed, demo_load


class Command(BaseCommand):
    help = "Load the demo data of every app. Running it again changes nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            demo_load(now=timezone.now())
        except DemoNotAllowed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
