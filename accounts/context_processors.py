"""Template context every page of the desk needs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def desk(request: HttpRequest) -> dict[str, Any]:
    """Return the site name for the base template."""
    return {"desk_site_name": settings.DESK_SITE_NAME}
