from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _refresh_supervisors_group(**kwargs: Any) -> None:
    """Give the Supervisors group the permissions of models added by the latest migrations."""
    from accounts.services import supervisors_group_ensure

    supervisors_group_ensure()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        # Runs after each app's migrations, so permissions created for any
        # desk app reach the group without someone's role being set again.
        post_migrate.connect(
            _refresh_supervisors_group, dispatch_uid="accounts.refresh_supervisors_group"
        )
