"""The security tests' shared world: built once per module, rolled back after it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from tests.security.world import World, build_world


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Build the world once for a module, inside a transaction rolled back when it ends.

    Each test's own ``db`` transaction nests inside (a savepoint), so what one
    test changes is gone before the next.
    """
    # Webhook targets here are local addresses (the tests never send to them).
    with (
        django_db_blocker.unblock(),
        override_settings(DESK_WEBHOOKS_ALLOW_PRIVATE=True),
        transaction.atomic(),
    ):
        built = build_world()
        yield built
        transaction.set_rollback(True)
