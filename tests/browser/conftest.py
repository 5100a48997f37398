"""Browser-test harness: Debian's Chromium driven by Playwright's sync API.

Fixtures for every UI test under tests/browser/:

``chromium_browser``
    One headless Chromium per test session. Skips the browser tests when
    Chromium is missing locally; fails them under ``CI=true``.
``page``
    A fresh browser context and page per test. It records JavaScript errors,
    console errors (Content Security Policy violations among them) and failed
    sub-resource loads (CSS, JS, images), and fails the test at teardown if any
    happened. On failure it saves a screenshot to ``test-artifacts/``.
    The viewport defaults to 1280x800; change it for a test with
    ``@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}], indirect=True)``
    or by overriding the ``viewport`` fixture in a module.
``desk_url``
    ``desk_url("/help/")`` -> the full URL on pytest-django's live server,
    after checking once that the live server serves the desk's CSS and JS.
``login_as``
    ``login_as(page, "buyer", DEMO_PASSWORD)`` fills in the log-in page.
``demo_people``
    The demo users of ``accounts.demo``, created in the test database.
``artifact_path``
    ``artifact_path("name")`` -> ``test-artifacts/name.png``, for screenshots.
"""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_DEFAULT = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
DEFAULT_VIEWPORT = {"width": 1280, "height": 800}
# Assets every desk page loads; the harness refuses to run against a live
# server that does not serve them.
REQUIRED_STATIC = ("/static/css/desk.css", "/static/js/desk.js")

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"


def _artifact_path(name: str, suffix: str = ".png") -> Path:
    """Return test-artifacts/<name><suffix> (file-system safe), creating the folder."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "screenshot"
    return ARTIFACTS_DIR / f"{safe}{suffix}"


def _env_true(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes"}


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the item so fixtures can see if the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def artifact_path() -> Callable[..., Path]:
    """Return ``artifact_path("name")`` -> test-artifacts/name.png (git-ignored)."""
    return _artifact_path


# --- Browser --------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    """Start Debian's Chromium once per session (headless)."""
    executable = os.environ.get("DESK_CHROMIUM") or CHROMIUM_DEFAULT
    if not Path(executable).is_file() or not os.access(executable, os.X_OK):
        reason = (
            f"Chromium not found at {executable} (install Debian's chromium package "
            "or point DESK_CHROMIUM at a Chromium binary)"
        )
        if _env_true("CI"):
            pytest.fail(reason)
        pytest.skip(reason)

    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio event loop running in the main
    # thread for the whole session. Django's ORM sees that running loop and
    # raises SynchronousOnlyOperation for every query made from test code or
    # fixtures (including pytest-django's database flush). The test code is
    # plain synchronous code that merely shares the thread with Playwright's
    # loop, so the check is a false alarm here; switch it off for the session.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def viewport(request: pytest.FixtureRequest) -> dict[str, int]:
    """The page's viewport; parametrize indirectly to change it."""
    return dict(getattr(request, "param", DEFAULT_VIEWPORT))


@dataclass
class PageProblems:
    """What went wrong in the browser while a test ran."""

    js_errors: list[str] = field(default_factory=list)
    # (message, URL the message is about)
    console_errors: list[tuple[str, str]] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    # Pages the test opened that answered 4xx/5xx (a test may mean to).
    error_documents: set[str] = field(default_factory=set)

    def all(self) -> list[str]:
        console = [
            f"{text} ({url})" if url else text
            for text, url in self.console_errors
            # Chromium logs "Failed to load resource" for a 404 *page* too;
            # only sub-resources count as broken.
            if not (text.startswith("Failed to load resource") and url in self.error_documents)
        ]
        return [
            *(f"JavaScript error: {e}" for e in self.js_errors),
            *(f"console error: {e}" for e in console),
            *(f"failed sub-resource: {e}" for e in self.failed_requests),
        ]


@pytest.fixture
def page_problems() -> PageProblems:
    """What the ``page`` fixture records; a test that provokes an error on purpose
    can assert on it here and then clear the list, so teardown does not fail."""
    return PageProblems()


@pytest.fixture
def page(
    request: pytest.FixtureRequest,
    chromium_browser: Any,
    viewport: dict[str, int],
    page_problems: PageProblems,
) -> Iterator[Any]:
    """A new context and page per test that fails the test on any browser error."""
    context = chromium_browser.new_context(viewport=viewport, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()

    watch(page, page_problems)

    yield page

    call_report = getattr(request.node, "rep_call", None)
    failed = call_report is None or call_report.failed
    problems = page_problems.all()
    if (failed or problems) and not page.is_closed():
        try:
            page.screenshot(path=str(_artifact_path(request.node.name)), full_page=True)
        except Exception as exc:  # a dead page must not hide the real failure
            print(f"could not save screenshot: {exc}")
    context.close()
    if problems:
        pytest.fail(
            "The browser reported problems during the test:\n  " + "\n  ".join(problems),
            pytrace=False,
        )


def watch(page: Any, problems: PageProblems) -> None:
    """Record a page's browser errors in ``problems``, where the ``page`` fixture checks them."""

    def on_console(message: Any) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            where = (message.location or {}).get("url", "")
            # Chromium asks for /favicon.ico by itself, whatever the page says,
            # and only sometimes before the test ends: not the page's error.
            if urllib.parse.urlsplit(where).path != "/favicon.ico":
                problems.console_errors.append((message.text, where))

    def on_response(response: Any) -> None:
        # A 4xx/5xx page may be what a test wants to see; a broken stylesheet,
        # script or image on a page never is.
        if response.status < 400:
            return
        if response.request.resource_type == "document":
            problems.error_documents.add(response.url)
        else:
            problems.failed_requests.append(f"HTTP {response.status} {response.url}")

    def on_request_failed(request: Any) -> None:
        # ERR_ABORTED is the browser dropping a load because the page moved on
        # (a click navigated away mid-load), not a broken resource.
        if request.resource_type != "document" and "ERR_ABORTED" not in (request.failure or ""):
            problems.failed_requests.append(f"{request.failure} {request.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.js_errors.append(str(error)))
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)


@pytest.fixture
def open_page(chromium_browser: Any, page_problems: PageProblems) -> Iterator[Callable[[], Any]]:
    """Return ``open_page()``: a page in a new browser context (its own cookies), checked like ``page``.

    For a second or third person in one test (a seller, an agent).
    """
    contexts: list[Any] = []

    def new_page() -> Any:
        context = chromium_browser.new_context(
            viewport={"width": 1280, "height": 800}, locale="en-US"
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        extra = context.new_page()
        watch(extra, page_problems)
        return extra

    yield new_page
    for context in contexts:
        context.close()


def agent_takes_the_escalation(
    agent_page: Any, desk_url: Callable[[str], str], ticket: Any, *, case_reference: str
) -> None:
    """In the signed-in agent's workspace: go online, which gives them the waiting
    escalation ticket (its row names the case), and open it from "My tickets"."""
    from playwright.sync_api import expect

    agent_page.goto(desk_url("/agent/"))
    presence = agent_page.locator("[data-testid=presence]")
    with agent_page.expect_navigation():
        presence.get_by_role("button", name="Online").click()
    expect(presence.get_by_role("button", name="Online")).to_have_attribute("aria-pressed", "true")
    ticket_row = agent_page.locator("[data-testid=my-tickets] tr", has_text=ticket.reference)
    expect(ticket_row).to_contain_text(case_reference)
    with agent_page.expect_navigation():
        ticket_row.get_by_role("link", name=ticket.reference).click()
    expect(agent_page).to_have_url(desk_url(f"/agent/tickets/{ticket.pk}/"))


def quiet_demo_desk(now: Any) -> tuple[Any, Any]:
    """Load the demo desk with nothing waiting to be routed and nobody online.

    The demo keeps a ticket saved but not yet routed; it is routed here, as the
    worker would on start, so it never waits ahead of a test's own ticket.
    Returns the demo buyer and seller.
    """
    from accounts.models import User
    from support_desk.demo import demo_load
    from tickets import services
    from tickets.models import Presence, Ticket
    from tickets.status import Status

    demo_load(now=now)
    for ticket_id in Ticket.objects.filter(status=Status.NEW).values_list("id", flat=True):
        services.ticket_route(ticket_id=ticket_id, now=now)
    for username in ("agent", "agent_ru", "supervisor"):
        services.agent_set_presence(
            agent=User.objects.get(username=username), presence=Presence.OFFLINE, now=now
        )
    return User.objects.get(username="buyer"), User.objects.get(username="seller")


def queue_agent(*, username: str, password: str, name: tuple[str, str], queue: str) -> Any:
    """Create an English-speaking agent (capacity 5) who works only ``queue`` (a slug)."""
    from accounts.models import Role
    from accounts.services import user_create
    from tickets import services
    from tickets.models import Queue

    agent = user_create(
        username=username,
        password=password,
        role=Role.AGENT,
        first_name=name[0],
        last_name=name[1],
    )
    services.agent_configure(
        agent=agent, queues=[Queue.objects.get(slug=queue)], languages=["en"], capacity=5
    )
    return agent


# --- Server and people ----------------------------------------------------


@pytest.fixture
def desk_url(live_server: Any) -> Callable[[str], str]:
    """Return ``desk_url(path)``: the full URL of ``path`` on the live server.

    pytest-django's live server wraps the site in Django's StaticFilesHandler
    (django.contrib.staticfiles is installed), which serves /static/ from the
    finders even with DEBUG off. Check that it really does, so a UI test never
    passes against an unstyled, script-less page.
    """
    base = live_server.url.rstrip("/")
    for path in REQUIRED_STATIC:
        try:
            with urllib.request.urlopen(base + path, timeout=10) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        if status != 200:
            pytest.fail(f"The live server answers {status} for {path}; static files are broken")

    def build(path: str = "/") -> str:
        if not path.startswith("/"):
            path = "/" + path
        return base + path

    return build


@pytest.fixture
def demo_people(transactional_db: None) -> dict[str, Any]:
    """Create the demo users (the live server's thread sees them: transactional_db)."""
    from django.utils import timezone

    from accounts import demo
    from accounts.models import User

    demo.load(now=timezone.now())
    usernames = [person.username for person in demo.DEMO_PEOPLE]
    return {user.username: user for user in User.objects.filter(username__in=usernames)}


@pytest.fixture
def login_as(desk_url: Callable[[str], str]) -> Callable[..., None]:
    """Return ``login_as(page, username, password)``: log in through the log-in page."""

    def log_in(page: Any, username: str, password: str, next_path: str = "") -> None:
        from playwright.sync_api import expect

        url = desk_url("/accounts/login/")
        if next_path:
            url += "?next=" + urllib.parse.quote(next_path)
        page.goto(url)
        form = page.locator("main form", has=page.locator('input[name="password"]'))
        form.locator('input[name="username"]').fill(username)
        form.locator('input[name="password"]').fill(password)
        with page.expect_navigation():
            form.locator('button[type="submit"]').click()
        errors = page.locator(".form-errors, .field__error")
        if errors.count():
            raise AssertionError(f"Logging in as {username!r} failed: {errors.all_inner_texts()}")
        expect(page.locator('[data-testid="signed-in-as"]')).to_be_attached()

    return log_in


RouteTicket = Callable[[int], None]


@pytest.fixture
def route_ticket(request: pytest.FixtureRequest) -> RouteTicket:
    """Return ``route_ticket(ticket_id)``: see the submitted ticket routed, as the desk does it.

    On PostgreSQL (CI) a real Celery worker routes it from the broker, and this
    waits until it has. On the embedded run (SQLite, one writer at a time, the
    worker's tasks in threads of this process) the test thread makes the
    routing task's own service call instead, so the live server's pages never
    wait on the worker's writes (it also stores a funnel event for every
    answer viewed).
    """
    import time

    from django.db import connection
    from django.utils import timezone

    from tickets import services
    from tickets.models import Ticket
    from tickets.status import Status

    if connection.vendor != "postgresql":

        def route_here(ticket_id: int) -> None:
            services.ticket_route(ticket_id=ticket_id, now=timezone.now())

        return route_here

    request.node.add_marker(pytest.mark.integration)
    request.getfixturevalue("worker")

    def wait_for_worker(ticket_id: int) -> None:
        deadline = time.monotonic() + 30
        while Ticket.objects.get(pk=ticket_id).status == Status.NEW:
            assert time.monotonic() < deadline, "the worker did not route the ticket"
            time.sleep(0.2)

    return wait_for_worker
