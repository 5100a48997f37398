"""A full run of the desk leaves no password, key, session id, CSRF token or secret in its logs.

One buyer signs up through the mailed link, logs in with a wrong and then
the right password, opens a ticket from an answer, forgets the password and
sets a new one; an integrator key is made with the command, used in the
``Authorization`` header (and a wrong, a revoked and a malformed one
refused); a webhook subscription is made (its secret in the answer) and the
real worker routes the tickets, mails the buyer and posts the events to a
receiver that first fails; a supervisor changes their password in the
admin. Every record of every logger is captured at DEBUG, formatted with its
arguments, exception and extra fields, and searched for each secret the run
handled.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from io import StringIO
from typing import Any
from urllib.parse import urlsplit

import pytest
from celery.worker import WorkController
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone
from django.views.debug import ExceptionReporter
from rest_framework.test import APIClient

from api import services as api_services
from api.models import ApiKey
from tests.factories import PASSWORD, SupervisorFactory
from tests.tickets.conftest import build_desk
from tests.webhooks.conftest import Receiver, receiver  # noqa: F401  (a fixture)
from tickets.models import Ticket
from tickets.status import Status
from webhooks.models import Delivery

SIGNUP_PASSWORD = "signup-Pass-4417-quartz"
WRONG_PASSWORD = "wrong-Pass-9821-basalt"
RESET_PASSWORD = "reset-Pass-3306-granite"
ADMIN_NEW_PASSWORD = "admin-Pass-7733-marble"
URL_TOKEN = "urltoken-5p9XkQ2vB7"

URL_IN_TEXT = re.compile(r"https?://[^\s\"<>]+")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REPLY_SIGNATURE = re.compile(r"reply\+[^.@\s]+\.([^@\s>]+)@")
STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class Captured(logging.Handler):
    """Keep every record, whatever its logger or level."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def every_record(worker: WorkController) -> Iterator[Captured]:
    """Capture every record of every logger at DEBUG (after the worker set its own logging up)."""
    handler = Captured()
    manager = logging.root.manager
    loggers = [logging.root] + [
        logger for logger in manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    saved = [(logger, logger.level, logger.disabled) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
    # Loggers that do not pass records up get the handler themselves.
    own = [logger for logger in loggers if logger is logging.root or not logger.propagate]
    for logger in own:
        logger.addHandler(handler)
    try:
        yield handler
    finally:
        for logger in own:
            logger.removeHandler(handler)
        for logger, level, disabled in saved:
            logger.setLevel(level)
            logger.disabled = disabled


def record_text(record: logging.LogRecord) -> str:
    """Return all a handler could write of a record: message, exception, stack and extra fields."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    parts = [formatter.format(record)]
    for name, value in vars(record).items():
        if name not in STANDARD_ATTRIBUTES:
            parts.append(f"{name}={value!r} {value}")
    return "\n".join(parts)


class Secrets:
    """Every secret the run handled, gathered as it goes."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {"SECRET_KEY": settings.SECRET_KEY}

    def add(self, what: str, value: str) -> None:
        assert value, what
        self.values[f"{what} #{len(self.values)}"] = value

    def from_response(self, client: Client, response: Any) -> Any:
        """Note the session and CSRF cookies a client holds and the tokens of a page's forms."""
        for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
            morsel = client.cookies.get(name)
            if morsel is not None and morsel.value:
                self.add(name, morsel.value)
        if response.get("Content-Type", "").startswith("text/html"):
            for token in CSRF_INPUT.findall(response.content.decode()):
                self.add("csrfmiddlewaretoken", token)
        return response


def wait_for(condition: Callable[[], bool], timeout: float = 90) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def links_in(message: mail.EmailMessage, part: str) -> list[str]:
    return [urlsplit(url).path for url in URL_IN_TEXT.findall(str(message.body)) if part in url]


def the_link(part: str) -> str:
    """Return the one link containing ``part`` in the mail sent so far (the worker mails too)."""
    [link] = [link for message in mail.outbox for link in links_in(message, part)]
    return link


class Browser:
    """A Django test client that checks CSRF as a browser's requests are, noting every secret."""

    def __init__(self, secrets: Secrets) -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.secrets = secrets

    def get(self, path: str, **extra: Any) -> Any:
        return self.secrets.from_response(self.client, self.client.get(path, **extra))

    def post_form(self, page: str, data: dict[str, str], action: str | None = None) -> Any:
        """Open ``page``, then post ``data`` with the page's CSRF token to ``action`` (or the page)."""
        html = self.get(page).content.decode()
        token = CSRF_INPUT.search(html)
        assert token is not None, f"no form on {page}"
        response = self.client.post(action or page, {**data, "csrfmiddlewaretoken": token[1]})
        return self.secrets.from_response(self.client, response)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_full_run_logs_no_secret(
    every_record: Captured,
    receiver: Receiver,  # noqa: F811  (the fixture imported above)
    settings: Any,
) -> None:
    settings.DESK_WEBHOOKS_ALLOW_PRIVATE = True
    receiver.failures = 1  # the first delivery fails: its attempt is logged
    secrets = Secrets()
    desk = build_desk()
    secrets.add("factory password", PASSWORD)

    # A buyer signs up through the mailed link, logs out, then in: wrong password, right one.
    buyer = Browser(secrets)
    assert buyer.post_form("/accounts/signup/", {"email": "Nadia@Example.com"}).status_code == 302
    link = the_link("/signup/confirm/")
    secrets.add("sign-up token", link.rstrip("/").rsplit("/", 1)[-1])
    assert buyer.get(link)["Location"] == "/accounts/signup/finish/"
    finished = buyer.post_form(
        "/accounts/signup/finish/",
        {"username": "nadia", "password1": SIGNUP_PASSWORD, "password2": SIGNUP_PASSWORD},
    )
    assert finished.status_code == 302, finished.content.decode()[:2000]
    assert buyer.post_form("/help/", {}, action="/accounts/logout/").status_code == 302
    wrong = buyer.post_form("/accounts/login/", {"username": "nadia", "password": WRONG_PASSWORD})
    assert wrong.status_code == 200
    right = buyer.post_form("/accounts/login/", {"username": "nadia", "password": SIGNUP_PASSWORD})
    assert right.status_code == 302

    # The buyer opens a ticket from an answer.
    entry = desk.payment_failed
    opened = buyer.post_form(
        f"/help/requests/new/{entry.pk}/chat/",
        {
            "order_number": "MP-1001",
            "transaction_id": "TX-42",
            "amount": "59.90",
            "subject": "Charged but the order failed",
            "description": "The bank took the money, the shop says unpaid.",
        },
    )
    assert opened.status_code == 302, opened.content.decode()[:2000]
    buyer.get(opened["Location"])

    # The buyer forgets the password and sets a new one through the mailed link.
    mail.outbox.clear()
    forgetful = Browser(secrets)
    reset_asked = forgetful.post_form("/accounts/password/reset/", {"email": "nadia@example.com"})
    assert reset_asked.status_code == 302
    reset_link = the_link("/password/reset/")
    secrets.add("reset token", reset_link.rstrip("/").rsplit("/", 1)[-1])
    form_url = forgetful.client.get(reset_link, follow=True).redirect_chain[-1][0]
    done = forgetful.post_form(
        form_url, {"new_password1": RESET_PASSWORD, "new_password2": RESET_PASSWORD}
    )
    assert done.status_code == 302, done.content.decode()[:2000]
    assert (
        Browser(secrets)
        .post_form("/accounts/login/", {"username": "nadia", "password": RESET_PASSWORD})
        .status_code
        == 302
    )

    # An integrator key from the command, used in the header; a webhook with its secret.
    out = StringIO()
    call_command(
        "create_api_key",
        "marketplace",
        "--scopes",
        "tickets:read,tickets:write,webhooks:read,webhooks:write",
        stdout=out,
    )
    raw_key = out.getvalue().strip().splitlines()[-1]
    secrets.add("API key", raw_key)
    secrets.add("API key secret", raw_key.split("_", 2)[2])
    integrator = APIClient()
    integrator.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    hook_url = f"{receiver.url}&token={URL_TOKEN}"
    secrets.add("webhook URL token", URL_TOKEN)
    made = integrator.post(
        "/api/v1/webhooks/", {"url": hook_url, "events": ["ticket.created"]}, format="json"
    )
    assert made.status_code == 201, made.json()
    secrets.add("webhook secret", made.json()["secret"])
    created = integrator.post(
        "/api/v1/tickets/",
        {
            "topic": "payment",
            "subject": "Charged twice",
            "description": "My card was charged twice at checkout.",
            "order_number": "MP-1002",
            "transaction_id": "TX-43",
            "amount": "12.00",
            "buyer": "nadia",
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="order-MP-1002-complaint",
    )
    assert created.status_code == 201, created.json()
    assert integrator.get("/api/v1/tickets/").status_code == 200

    # Keys refused: a wrong secret, a revoked key, a malformed header.
    stranger = APIClient()
    wrong_key = raw_key[:-6] + "Zz9Zz9"
    secrets.add("wrong API key", wrong_key)
    stranger.credentials(HTTP_AUTHORIZATION=f"Bearer {wrong_key}")
    assert stranger.get("/api/v1/tickets/").status_code == 401
    spare, spare_raw = api_services.api_key_issue(name="spare", scopes=["tickets:read"])
    secrets.add("revoked API key", spare_raw)
    api_services.api_key_revoke(api_key=spare, now=timezone.now())
    stranger.credentials(HTTP_AUTHORIZATION=f"Bearer {spare_raw}")
    assert stranger.get("/api/v1/tickets/").status_code == 401
    stranger.credentials(HTTP_AUTHORIZATION=f"Token {raw_key}")
    assert stranger.get("/api/v1/tickets/").status_code == 401

    # A supervisor logs in and changes their password in the admin.
    supervisor = SupervisorFactory(username="sofia")
    admin = Browser(secrets)
    logged_in = admin.post_form(
        "/admin/login/?next=/admin/", {"username": "sofia", "password": PASSWORD}
    )
    assert logged_in.status_code == 302, logged_in.content.decode()[:2000]
    changed = admin.post_form(
        "/admin/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": ADMIN_NEW_PASSWORD,
            "new_password2": ADMIN_NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302, changed.content.decode()[:2000]
    supervisor.refresh_from_db()
    assert supervisor.check_password(ADMIN_NEW_PASSWORD)

    # The worker routes both tickets, mails the buyer and posts the event (after one failure).
    assert wait_for(lambda: not Ticket.objects.filter(status=Status.NEW).exists())
    assert wait_for(lambda: len(receiver.received) >= 1)
    assert wait_for(lambda: Delivery.objects.filter(response_code=503).exists())
    assert wait_for(lambda: any(REPLY_SIGNATURE.search(str(m.reply_to)) for m in mail.outbox))
    for message in mail.outbox:
        for signature in REPLY_SIGNATURE.findall(str(message.reply_to)):
            secrets.add("reply-address signature", signature)
    assert ApiKey.objects.filter(revoked_at__isnull=False).count() == 1

    # Every record the run wrote, searched for every secret it handled.
    texts = [record_text(record) for record in every_record.records]
    assert len(texts) > 50, "the run logged suspiciously little; is the capture working?"
    assert any(r.name == "desk.security" for r in every_record.records)
    # The worker's own records are in the capture too (the failed delivery is logged there;
    # Celery's loggers may have been set up by an earlier worker and not propagate).
    assert any(
        r.name == "webhooks" and "Webhook delivery" in r.getMessage() for r in every_record.records
    )
    leaks = [
        (what, text.splitlines()[0][:200])
        for text in texts
        for what, value in secrets.values.items()
        if value in text
    ]
    assert leaks == [], leaks


# --- Error reports ---------------------------------------------------------------------------


def error_reports(caplog: pytest.LogCaptureFixture) -> str:
    """Return the error reports Django would mail to admins (or a tracker would build) from the log.

    They show the request's POST and every frame's variables, unless marked sensitive.
    """
    records = [
        record
        for record in caplog.records
        if record.name == "django.request" and record.levelno >= logging.ERROR
    ]
    assert records, "the failure was not logged"
    reports = []
    for record in records:
        assert record.exc_info is not None
        reporter = ExceptionReporter(record.request, *record.exc_info, is_email=True)  # type: ignore[attr-defined]
        reports += [reporter.get_traceback_text(), reporter.get_traceback_html()]
    return "\n".join(reports)


@pytest.mark.django_db
def test_a_failure_while_signing_up_reports_no_password(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client(raise_request_exception=False)
    client.post("/accounts/signup/", {"email": "zoe@example.com"})
    client.get(the_link("/signup/confirm/"))

    def disk_full(*, user: Any, role: Any) -> Any:
        raise OSError("No space left on device")

    # Fails inside the account's creation, with the password in the frames above.
    monkeypatch.setattr("accounts.services.user_set_role", disk_full)
    response = client.post(
        "/accounts/signup/finish/",
        {"username": "zoe", "password1": SIGNUP_PASSWORD, "password2": SIGNUP_PASSWORD},
    )

    assert response.status_code == 500
    report = error_reports(caplog)
    assert "No space left on device" in report  # the report is the real one
    assert SIGNUP_PASSWORD not in report


@pytest.mark.django_db
def test_a_failure_while_logging_in_reports_no_password(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    buyer = build_desk().buyer

    def cache_down(*, username: str, address: str, now: float) -> Any:
        raise ConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr("accounts.login_limits.login_attempt_take", cache_down)
    response = Client(raise_request_exception=False).post(
        "/accounts/login/", {"username": buyer.username, "password": PASSWORD}
    )

    assert response.status_code == 500
    report = error_reports(caplog)
    assert "Connection refused" in report
    assert PASSWORD not in report


@pytest.mark.django_db
def test_a_failure_while_checking_an_api_key_reports_no_key(
    caplog: pytest.LogCaptureFixture,
) -> None:
    _api_key, raw_key = api_services.api_key_issue(name="partner", scopes=["tickets:read"])

    keys_table = ApiKey._meta.db_table

    def database_down(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if keys_table in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")

    # The key lookup fails in the database, with the key in the frames above it.
    with connection.execute_wrapper(database_down):
        response = client.get("/api/v1/tickets/")

    assert response.status_code == 500
    report = error_reports(caplog)
    assert "server closed the connection" in report
    assert raw_key.split("_", 2)[2] not in report
