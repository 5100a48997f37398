"""Template context every page of the desk needs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def desk(request: HttpRequest) -> dict[str, Any]:
    """Return the site name and support contacts for the templates."""
    return {
        "desk_site_name": settings.DESK_SITE_NAME,
        "desk_support_email": settings.DESK_SUPPORT_EMAIL,
        "desk_hotline_phone": settings.DESK_HOTLINE_PHONE,
    }
