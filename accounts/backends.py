"""Log-in by username and password: Django's model backend, with a cheaper read of the user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from accounts.models import User


class DeskBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        """Return the signed-in user of a request, as Django's backend does.

        Every signed-in request reads its user; a raw query skips the ORM's
        query building (~0.1 ms), and Django still converts the row.
        """
        found = list(
            User._default_manager.raw(
                # Only the model's own table name is put into the text.
                f"SELECT * FROM {User._meta.db_table} WHERE id = %s",  # noqa: S608  # nosec B608  # table name from the model's meta
                [user_id],
            )
        )
        if not found or not self.user_can_authenticate(found[0]):
            return None
        return found[0]
