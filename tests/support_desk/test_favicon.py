"""Browsers ask for /favicon.ico where a page names no icon (the API's raw JSON)."""

from __future__ import annotations

from django.templatetags.static import static
from django.test import Client


def test_favicon_ico_leads_to_the_icon_the_pages_name(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("img/favicon.svg")
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert icon["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in b"".join(icon.streaming_content)  # type: ignore[attr-defined]
