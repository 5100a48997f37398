from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from api.scopes import SCOPES, UnknownScope
from api.services import api_key_issue


class Command(BaseCommand):
    help = (
        "Create an integrator API key and print it alone on the last line "
        "(shown once; only its hash is stored). Scopes: " + ", ".join(sorted(SCOPES))
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="What the key is for, e.g. 'marketplace backend'.")
        parser.add_argument(
            "--scopes",
            required=True,
            help="Comma-separated scopes, e.g. tickets:read,tickets:write",
        )

    def handle(self, *args: Any, name: str, scopes: str, **options: Any) -> None:
        wanted = [s.strip() for s in scopes.split(",") if s.strip()]
        try:
            api_key, raw_key = api_key_issue(name=name, scopes=wanted)
        except UnknownScope as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Created API key {api_key.name!r} (prefix {api_key.prefix}) with scopes "
            f"{', '.join(api_key.scopes)}. Keep it secret: it is not shown again."
        )
        self.stdout.write(raw_key)
