"""The admin, the agent workspace and the API docs work in a real browser under the CSP."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_supervisor_reaches_the_admin_and_it_runs_without_csp_errors(
    page: Any, desk_url: Any, login_as: Any, demo_people: dict[str, Any], artifact_path: Any
) -> None:
    login_as(page, "supervisor", DEMO_PASSWORD)
    expect(page).to_have_url(desk_url("/agent/"))
    page.get_by_role("link", name="Configure the desk").click()
    expect(page).to_have_url(desk_url("/admin/"))
    page.get_by_role("link", name="API keys").first.click()
    page.get_by_role("link", name="Add API key").click()
    page.get_by_label("Name").fill("partner tool")
    page.get_by_label("buyers:read", exact=False).check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Copy the key now")
    expect(page.locator("#result_list")).to_contain_text("partner tool")
    page.screenshot(path=str(artifact_path("admin-api-key-created")))


def test_api_docs_render_the_schema_from_local_files(
    page: Any, desk_url: Any, artifact_path: Any
) -> None:
    page.goto(desk_url("/api/docs/"))
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Support Desk API")
    expect(page.get_by_text("/api/v1/me").first).to_be_visible()
    page.screenshot(path=str(artifact_path("api-docs")))


def test_a_buyer_opening_the_agent_workspace_is_refused(
    page: Any, desk_url: Any, login_as: Any, demo_people: dict[str, Any]
) -> None:
    login_as(page, "buyer", DEMO_PASSWORD)
    response = page.goto(desk_url("/agent/"))
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You may not open this page")
