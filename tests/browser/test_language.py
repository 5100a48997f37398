"""The language switch and the phone layout, seen in a real browser."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_signed_in_buyer_switches_to_russian_and_it_sticks(
    page: Any,
    desk_url: Any,
    login_as: Any,
    demo_people: dict[str, Any],
    artifact_path: Any,
) -> None:
    login_as(page, "buyer", DEMO_PASSWORD)

    # The buyer lands on the help centre, in English.
    expect(page).to_have_url(desk_url("/help/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("How can we help you?")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    # desk.js ran and desk.css applied: the no-JS submit button is hidden.
    expect(page.locator(".language-form button[type=submit]")).to_be_hidden()

    # Choosing Russian in the header's select submits the form by itself.
    with page.expect_navigation():
        page.locator("#language-select").select_option("ru")

    expect(page).to_have_url(desk_url("/help/"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text("Чем мы можем помочь?")
    expect(page.get_by_role("button", name="Выйти")).to_be_visible()
    expect(page.locator("#language-select")).to_have_value("ru")

    # The choice is remembered: on a reload ...
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text("Чем мы можем помочь?")

    # ... on another page ...
    page.goto(desk_url("/accounts/login/?next=/help/"))
    # (a signed-in person is sent on from the log-in page)
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("button", name="Выйти")).to_be_visible()

    # ... in the cookie, and on the account (preferred_language).
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies.get("django_language") == "ru"
    buyer = demo_people["buyer"]
    buyer.refresh_from_db()
    assert buyer.preferred_language == "ru"

    page.goto(desk_url("/help/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Чем мы можем помочь?")
    page.screenshot(path=str(artifact_path("language-russian-desktop")), full_page=True)


@pytest.mark.parametrize("viewport", [PHONE], indirect=True, ids=["phone"])
def test_phone_navigation_collapses_behind_menu_toggle(
    page: Any, desk_url: Any, artifact_path: Any
) -> None:
    page.goto(desk_url("/help/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("How can we help you?")

    nav = page.locator("nav.nav")
    toggle = page.locator('label[for="nav-toggle"]')
    login_link = nav.get_by_role("link", name="Log in")

    expect(toggle).to_be_visible()
    expect(nav).to_be_hidden()
    expect(login_link).to_be_hidden()
    page.screenshot(path=str(artifact_path("phone-menu-closed")), full_page=True)

    toggle.click()
    expect(nav).to_be_visible()
    expect(login_link).to_be_visible()
    expect(login_link).to_have_attribute("href", "/accounts/login/?next=/help/")

    overflow = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert overflow["scroll"] <= overflow["inner"], f"horizontal scroll on a phone: {overflow}"
    page.screenshot(path=str(artifact_path("phone-menu-open")), full_page=True)
