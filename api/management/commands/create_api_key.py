from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from api.scopes import SCOPES, UnknownScope
from api.services import SellerBinding, api_key_issue


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
        parser.add_argument(
            "--seller",
            metavar="USERNAME",
            help="With the scope seller: the seller account the key acts as.",
        )

    def handle(
        self, *args: Any, name: str, scopes: str, seller: str | None = None, **options: Any
    ) -> None:
        wanted = [s.strip() for s in scopes.split(",") if s.strip()]
        account = None
        if seller:
            account = User.objects.filter(username=seller).first()
            if account is None:
                raise CommandError(f"No account is called {seller!r}.")
        try:
            api_key, raw_key = api_key_issue(name=name, scopes=wanted, seller=account)
        except (UnknownScope, SellerBinding) as exc:
            raise CommandError(str(exc)) from exc
        acting = f", acting as seller {account.username!r}" if account is not None else ""
        self.stdout.write(
            f"Created API key {api_key.name!r} (prefix {api_key.prefix}) with scopes "
            f"{', '.join(api_key.scopes)}{acting}. Keep it secret: it is not shown again."
        )
        self.stdout.write(raw_key)
