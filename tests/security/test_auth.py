"""Authentication: secrets stored hashed, revocation at once, sessions that rotate and die,
log-in limits that hold under concurrency, and answers that never tell which addresses exist."""

from __future__ import annotations

import logging
import multiprocessing
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from io import StringIO
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer
from rest_framework.test import APIClient

from accounts import login_limits, services
from accounts.models import Role, User
from api import services as api_services
from api.models import ApiKey
from support_desk.cache import DeskRedisCache
from tests.factories import (
    PASSWORD,
    AgentFactory,
    BuyerFactory,
    SupervisorFactory,
    api_key_with,
)

TOO_MANY = "Too many attempts. Try again in"
WRONG = "Please enter a correct username and password"
URL_IN_MAIL = re.compile(r"https?://[^\s\"<>]+")


def log_in(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def mail_links(message: mail.EmailMessage) -> list[str]:
    """Return the paths of the desk links in a mail's text."""
    return [urlsplit(url).path for url in URL_IN_MAIL.findall(str(message.body))]


# --- Secrets at rest ----------------------------------------------------------------


def database_text() -> str:
    """Return every value of every column of every table, and every session's decoded data."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview):
                        value = value.tobytes()
                    if isinstance(value, bytes):
                        value = value.decode("latin-1")
                    chunks.append(str(value))
    for session in Session.objects.all():
        chunks.append(repr(SessionStore().decode(session.session_data)))
    return "\n".join(chunks)


@pytest.mark.django_db
def test_a_dump_of_the_database_holds_no_password_or_api_key(client: Client) -> None:
    secrets: list[str] = []
    # People made by the services, by sign-up, by the admin, and a password reset.
    made = BuyerFactory(password="factory-Secret-1")
    secrets.append("factory-Secret-1")
    supervisor = SupervisorFactory(password="supervisor-Secret-2")
    secrets.append("supervisor-Secret-2")
    client.post("/accounts/signup/", {"email": "newcomer@example.com"})
    [invite] = mail.outbox
    client.get(mail_links(invite)[0], follow=True)
    client.post(
        "/accounts/signup/finish/",
        {"username": "newcomer", "password1": "signup-Secret-3", "password2": "signup-Secret-3"},
    )
    secrets.append("signup-Secret-3")
    assert User.objects.filter(username="newcomer").exists()
    mail.outbox.clear()
    anonymous = Client()
    anonymous.post("/accounts/password/reset/", {"email": made.email})
    [reset] = mail.outbox
    form_url = anonymous.get(mail_links(reset)[0], follow=True).redirect_chain[-1][0]
    anonymous.post(form_url, {"new_password1": "reset-Secret-4", "new_password2": "reset-Secret-4"})
    secrets.append("reset-Secret-4")
    assert Client().login(username=made.username, password="reset-Secret-4")
    admin = Client()
    admin.force_login(supervisor)
    response = admin.post(
        "/admin/accounts/user/add/",
        {
            "username": "agent-made",
            "usable_password": "true",
            "password1": "admin-Secret-5",
            "password2": "admin-Secret-5",
            "email": "agent-made@example.com",
            "role": Role.AGENT,
        },
    )
    assert response.status_code == 302, response.content
    secrets.append("admin-Secret-5")
    # Keys issued by the service, the management command and the admin.
    _, service_key = api_key_with("tickets:read")
    out = StringIO()
    call_command("create_api_key", "command key", "--scopes", "faq:read", stdout=out)
    command_key = out.getvalue().strip().splitlines()[-1]
    response = admin.post(
        "/admin/api/apikey/add/", {"name": "admin key", "scopes": ["tickets:read"]}, follow=True
    )
    [shown] = [str(m) for m in response.context["messages"] if "sdk_" in str(m)]
    admin_key = re.search(r"sdk_\S+", shown).group(0)  # type: ignore[union-attr]
    keys = [service_key, command_key, admin_key]
    for key in keys:  # every key works, so each is the real secret
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        assert api.get("/api/v1/").status_code == 200
        # The whole key and its secret part (sdk_<prefix>_<secret>; the secret may hold "_").
        secrets += [key, key.split("_", 2)[2]]

    dump = database_text()
    assert len(dump) > 10_000  # the dump did read the tables
    leaked = [secret for secret in secrets if secret in dump]
    assert leaked == []
    assert User.objects.get(username="agent-made").password.startswith("md5$")


# --- Revocation takes effect on the next request -----------------------------------


@pytest.mark.django_db
def test_a_revoked_api_key_is_refused_on_its_very_next_request() -> None:
    api_key, raw_key = api_key_with("tickets:read")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    assert api.get("/api/v1/tickets/").status_code == 200
    api_services.api_key_revoke(api_key=api_key, now=timezone.now())
    refused = api.get("/api/v1/tickets/")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "invalid_api_key"


@pytest.mark.django_db
def test_a_key_revoked_in_the_admin_is_refused_at_once(client: Client) -> None:
    api_key, raw_key = api_key_with("tickets:read")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    assert api.get("/api/v1/tickets/").status_code == 200
    client.force_login(SupervisorFactory())
    response = client.post(
        "/admin/api/apikey/", {"action": "revoke_keys", "_selected_action": [api_key.pk]}
    )
    assert response.status_code == 302
    assert ApiKey.objects.get(pk=api_key.pk).revoked_at is not None
    assert api.get("/api/v1/tickets/").status_code == 401


@pytest.mark.django_db
def test_a_deactivated_persons_session_ends_on_their_next_request(client: Client) -> None:
    agent = AgentFactory()
    assert log_in(client, agent.username, PASSWORD).status_code == 302
    assert client.get("/agent/").status_code == 200
    User.objects.filter(pk=agent.pk).update(is_active=False)
    response = client.get("/agent/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_an_expired_or_orphaned_session_signs_nobody_in(client: Client) -> None:
    buyer = BuyerFactory()
    assert log_in(client, buyer.username, PASSWORD).status_code == 302
    assert client.get("/help/requests/").status_code == 200
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now())
    assert client.get("/help/requests/").status_code == 302
    # A session whose person was deleted is nobody's too.
    other = Client()
    gone = BuyerFactory()
    assert log_in(other, gone.username, PASSWORD).status_code == 302
    User.objects.filter(pk=gone.pk).delete()
    assert other.get("/help/requests/").status_code == 302


# --- The session rotates at log-in and dies at log-out -----------------------------


@pytest.mark.django_db
def test_logging_in_gives_a_new_session_and_the_old_id_is_dead(client: Client) -> None:
    buyer = BuyerFactory()
    session = client.session
    session["before_login"] = "kept"
    session.save()
    before = session.session_key
    assert before is not None
    assert log_in(client, buyer.username, PASSWORD).status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert not SessionStore().exists(before)
    assert client.session["before_login"] == "kept"
    assert client.get("/help/requests/").status_code == 200
    # Someone holding the old id (planted before log-in) is nobody.
    planted = Client()
    planted.cookies["sessionid"] = before
    assert planted.get("/help/requests/").status_code == 302


@pytest.mark.django_db
def test_logging_out_takes_post_only_and_kills_the_session(client: Client) -> None:
    buyer = BuyerFactory()
    assert log_in(client, buyer.username, PASSWORD).status_code == 302
    cookie = client.cookies["sessionid"].value
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/help/requests/").status_code == 200  # the GET changed nothing
    assert client.post("/accounts/logout/").status_code == 302
    assert not SessionStore().exists(cookie)
    copy = Client()
    copy.cookies["sessionid"] = cookie
    assert copy.get("/help/requests/").status_code == 302


@pytest.mark.django_db
def test_setting_a_new_password_ends_every_other_session(client: Client) -> None:
    buyer = BuyerFactory()
    assert log_in(client, buyer.username, PASSWORD).status_code == 302
    other = Client()
    other.post("/accounts/password/reset/", {"email": buyer.email})
    [reset] = mail.outbox
    form_url = other.get(mail_links(reset)[0], follow=True).redirect_chain[-1][0]
    done = other.post(
        form_url, {"new_password1": "brand-new-Pass-9", "new_password2": "brand-new-Pass-9"}
    )
    assert done.status_code == 302
    assert client.get("/help/requests/").status_code == 302
    assert log_in(Client(), buyer.username, "brand-new-Pass-9").status_code == 302
    # The link works once.
    assert "does not work" in other.get(mail_links(reset)[0], follow=True).content.decode()


# --- Log-in limits -----------------------------------------------------------------


@pytest.fixture
def checked_passwords(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Count the passwords checked, per username, wherever authentication runs."""
    counts: Counter[str] = Counter()
    lock = threading.Lock()
    real = ModelBackend.authenticate

    def counting(self: ModelBackend, request: Any, username: Any = None, **kwargs: Any) -> Any:
        with lock:
            counts[str(username)] += 1
        return real(self, request, username=username, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)
    yield counts


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_wrong_logins_check_no_more_passwords_than_the_limit(
    live_server: LiveServer, settings: Settings, checked_passwords: Counter[str]
) -> None:
    settings.DESK_LOGIN_LIMIT_PER_ACCOUNT = 5
    settings.DESK_LOGIN_LIMIT_PER_IP = 1000
    settings.DESK_LOGIN_LIMIT_WINDOW_SECONDS = 900
    buyer = BuyerFactory(username="target")
    url = f"{live_server.url}/accounts/login/"
    start = threading.Barrier(50)
    answers: list[requests.Response] = []
    answers_lock = threading.Lock()

    def guess(number: int) -> None:
        with requests.Session() as browser:
            browser.get(url, timeout=30)
            token = browser.cookies["csrftoken"]
            start.wait(timeout=60)
            answer = browser.post(
                url,
                {
                    "username": buyer.username,
                    "password": f"guess-{number}",
                    "csrfmiddlewaretoken": token,
                },
                allow_redirects=False,
                timeout=60,
            )
        with answers_lock:
            answers.append(answer)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(answers) == 50
    assert checked_passwords[buyer.username] == 5
    statuses = Counter(answer.status_code for answer in answers)
    assert statuses == {200: 5, 429: 45}
    for answer in answers:
        if answer.status_code == 200:
            assert WRONG in answer.text
        else:
            assert f"{TOO_MANY} 15 minutes." in answer.text
            assert 840 <= int(answer.headers["Retry-After"]) <= 900
    # Locked: the right password is refused too, unchecked.
    with requests.Session() as browser:
        browser.get(url, timeout=30)
        right = browser.post(
            url,
            {
                "username": buyer.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            },
            allow_redirects=False,
            timeout=30,
        )
    assert right.status_code == 429 and TOO_MANY in right.text
    assert "sessionid" not in right.cookies
    assert checked_passwords[buyer.username] == 5


@pytest.mark.django_db
def test_the_lock_ends_with_its_window(client: Client, settings: Settings) -> None:
    settings.DESK_LOGIN_LIMIT_PER_ACCOUNT = 3
    settings.DESK_LOGIN_LIMIT_WINDOW_SECONDS = 6  # short, yet long enough for four requests
    buyer = BuyerFactory()
    for _ in range(3):
        assert log_in(client, buyer.username, "wrong").status_code == 200
    refused = log_in(client, buyer.username, PASSWORD)
    assert refused.status_code == 429
    assert f"{TOO_MANY} 1 minute." in refused.content.decode()
    deadline = time.monotonic() + 30
    while (answer := log_in(client, buyer.username, PASSWORD)).status_code == 429:
        assert time.monotonic() < deadline, "the lock outlived its window"
        time.sleep(0.5)
    assert answer.status_code == 302


@pytest.mark.django_db
def test_one_address_guessing_many_accounts_is_stopped(
    settings: Settings, checked_passwords: Counter[str]
) -> None:
    settings.DESK_LOGIN_LIMIT_PER_ACCOUNT = 5
    settings.DESK_LOGIN_LIMIT_PER_IP = 8
    people = [BuyerFactory() for _ in range(9)]
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for person in people[:8]:
        assert log_in(attacker, person.username, "wrong").status_code == 200
    refused = log_in(attacker, people[8].username, PASSWORD)
    assert refused.status_code == 429
    assert checked_passwords[people[8].username] == 0
    # Someone else, elsewhere, is not held up by it.
    assert (
        log_in(Client(REMOTE_ADDR="198.51.100.4"), people[8].username, PASSWORD).status_code == 302
    )


@pytest.mark.django_db
def test_a_successful_login_starts_the_count_again(settings: Settings) -> None:
    settings.DESK_LOGIN_LIMIT_PER_ACCOUNT = 5
    settings.DESK_LOGIN_LIMIT_PER_IP = 13
    buyer = BuyerFactory()
    client = Client()
    # 12 wrong and 3 right: the account starts again after each success, and the
    # address counts failures only, so the last success is its 13th check, not its 15th.
    for _round in range(3):
        for _ in range(4):
            assert log_in(client, buyer.username, "wrong").status_code == 200
        assert log_in(client, buyer.username, PASSWORD).status_code == 302
        client.post("/accounts/logout/")


@pytest.mark.django_db
def test_the_admin_login_is_limited_too(settings: Settings) -> None:
    settings.DESK_LOGIN_LIMIT_PER_ACCOUNT = 3
    supervisor = SupervisorFactory()
    client = Client()
    for _ in range(3):
        client.post("/admin/login/", {"username": supervisor.username, "password": "wrong"})
    response = client.post(
        "/admin/login/?next=/admin/", {"username": supervisor.username, "password": PASSWORD}
    )
    assert TOO_MANY in response.content.decode()
    assert client.get("/admin/").status_code == 302  # still not logged in


def _take_many(username: str, times: int) -> int:
    """Take ``times`` log-in slots for ``username`` (in a child process); return how many passed."""
    from django.db import connections

    connections.close_all()
    passed = 0
    for _ in range(times):
        lock = login_limits.login_attempt_take(
            username=username, address="192.0.2.1", now=time.time()
        )
        passed += lock is None
    return passed


@pytest.mark.django_db
def test_processes_sharing_the_cache_never_pass_more_than_the_limit(
    settings: Settings,
) -> None:
    """The embedded desk's processes share the file cache; full mode shares Redis."""
    settings.DESK_LOGIN_LIMIT_PER_ACCOUNT = 100
    settings.DESK_LOGIN_LIMIT_PER_IP = 10_000
    with multiprocessing.get_context("fork").Pool(4) as pool:
        passed = pool.starmap(_take_many, [("shared-target", 60)] * 4)
    assert sum(passed) == 100


@pytest.mark.django_db
def test_while_redis_is_unreachable_people_still_log_in(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Like the rest of the cache, the limits fail soft: an outage must not lock everyone out."""
    monkeypatch.setattr(login_limits, "_cache", lambda: DeskRedisCache("redis://127.0.0.1:9/0", {}))
    buyer = BuyerFactory()
    client = Client()
    with caplog.at_level(logging.WARNING, logger="accounts.login_limits"):
        wrong = log_in(client, buyer.username, "wrong")
        right = log_in(client, buyer.username, PASSWORD)
    assert wrong.status_code == 200 and WRONG in wrong.content.decode()
    assert right.status_code == 302
    assert any("Redis is unreachable" in record.getMessage() for record in caplog.records)


# --- Which addresses exist is never told -------------------------------------------


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Count the password hashes computed (a check computes one too)."""
    counts: Counter[str] = Counter()
    real = MD5PasswordHasher.encode

    def counting(self: MD5PasswordHasher, password: str, salt: str) -> str:
        counts["encode"] += 1
        return real(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting)
    return counts


@pytest.mark.django_db
def test_login_answers_alike_for_unknown_closed_and_known_accounts(
    client: Client, hashes: Counter[str]
) -> None:
    known = BuyerFactory()
    closed = BuyerFactory()
    User.objects.filter(pk=closed.pk).update(is_active=False)
    pages = []
    for username, password in (
        (known.username, "wrong"),
        ("nobody-has-this-name", "wrong"),
        (closed.username, PASSWORD),
    ):
        hashes.clear()
        response = log_in(client, username, password)
        pages.append((response.status_code, WRONG in response.content.decode()))
        assert hashes["encode"] == 1, username  # the same work: one hash each
    assert pages == [(200, True)] * 3


def _post_and_read(client: Client, url: str, email: str) -> tuple[int, str, str, str]:
    """Post ``email`` to a form; return its status, redirect, landing page and the mail sent."""
    mail.outbox.clear()
    response = client.post(url, {"email": email})
    landing = (
        client.get(response["Location"]).content.decode() if response.status_code == 302 else ""
    )
    landing = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", landing)
    assert len(mail.outbox) == 1, email
    assert mail.outbox[0].to == [email.lower()]
    return response.status_code, response["Location"], landing, str(mail.outbox[0].body)


@pytest.mark.django_db
def test_signup_answers_alike_for_new_and_taken_addresses(client: Client) -> None:
    taken = BuyerFactory(email="taken@example.com")
    people = User.objects.count()
    status_new, to_new, page_new, mail_new = _post_and_read(
        client, "/accounts/signup/", "fresh@example.com"
    )
    status_taken, to_taken, page_taken, mail_taken = _post_and_read(
        client, "/accounts/signup/", "TAKEN@example.com"
    )
    assert (status_new, to_new, page_new) == (status_taken, to_taken, page_taken)
    assert status_new == 302 and "Check your mail" in page_new
    assert "already" not in page_taken.lower()
    assert User.objects.count() == people  # nothing is made before the address is confirmed
    # Only the mailbox learns the difference.
    assert "/accounts/signup/confirm/" in mail_new
    assert taken.username in mail_taken and "/accounts/password/reset/" in mail_taken


@pytest.mark.django_db
def test_password_reset_answers_alike_for_known_and_unknown_addresses(client: Client) -> None:
    known = BuyerFactory(email="known@example.com")
    status_known, to_known, page_known, mail_known = _post_and_read(
        client, "/accounts/password/reset/", "known@example.com"
    )
    status_unknown, to_unknown, page_unknown, mail_unknown = _post_and_read(
        client, "/accounts/password/reset/", "unknown@example.com"
    )
    assert (status_known, to_known, page_known) == (status_unknown, to_unknown, page_unknown)
    assert status_known == 302 and "Check your mail" in page_known
    assert known.username in mail_known and "/accounts/password/reset/" in mail_known
    assert "no account uses it" in mail_unknown and "/accounts/signup/" in mail_unknown


@pytest.mark.django_db
def test_signing_up_through_the_mailed_link_makes_a_buyer_and_lands_where_they_were(
    client: Client,
) -> None:
    response = client.post(
        "/accounts/signup/?next=/help/requests/",
        {"email": "Maria@Example.com", "next": "/help/requests/"},
    )
    assert response["Location"] == "/accounts/signup/sent/"
    [invite] = mail.outbox
    [link] = [path for path in mail_links(invite) if "/signup/confirm/" in path]
    opened = client.get(link)
    assert opened["Location"] == "/accounts/signup/finish/"  # the token leaves the address bar
    page = client.get("/accounts/signup/finish/").content.decode()
    assert "maria@example.com" in page
    mismatch = client.post(
        "/accounts/signup/finish/",
        {"username": "maria", "first_name": "Maria", "password1": "abc", "password2": "abd"},
    )
    assert mismatch.status_code == 400 and 'value="maria"' in mismatch.content.decode()
    done = client.post(
        "/accounts/signup/finish/",
        {
            "username": "maria",
            "first_name": "Maria",
            "password1": "correct-horse-battery-9",
            "password2": "correct-horse-battery-9",
        },
    )
    assert done.status_code == 302 and done["Location"] == "/help/requests/"
    user = User.objects.get(username="maria")
    assert (user.email, user.role, user.is_staff) == ("maria@example.com", Role.BUYER, False)
    assert client.get("/help/requests/").context["user"] == user
    # The link made one account; followed again it says so.
    again = Client().get(link, follow=True)
    assert again.status_code == 400 and "used already" in again.content.decode()


@pytest.mark.django_db
def test_a_forged_or_expired_signup_link_is_refused(client: Client, settings: Settings) -> None:
    invite = services.SignUpInvite(email="x@example.com", next_url="", language="en")
    token = services.signup_link_token(invite)
    assert client.get(f"/accounts/signup/confirm/{token}x/").status_code == 400
    settings.PASSWORD_RESET_TIMEOUT = 0
    time.sleep(1.1)
    assert client.get(f"/accounts/signup/confirm/{token}/").status_code == 400
    assert client.get("/accounts/signup/finish/").status_code == 400


@pytest.mark.django_db
def test_a_buyer_made_without_a_password_sets_one_through_reset(client: Client) -> None:
    buyer = services.user_create(
        username="api-buyer", password=None, email="api-buyer@example.com", role=Role.BUYER
    )
    assert not buyer.has_usable_password()
    client.post("/accounts/password/reset/", {"email": "api-buyer@example.com"})
    [reset] = mail.outbox
    assert "api-buyer" in str(reset.body)
    form_url = client.get(mail_links(reset)[0], follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "first-Pass-77", "new_password2": "first-Pass-77"})
    assert log_in(Client(), "api-buyer", "first-Pass-77").status_code == 302


@pytest.mark.django_db
def test_account_mail_to_one_address_is_limited_without_the_page_saying_so(
    client: Client, settings: Settings
) -> None:
    settings.DESK_LOGIN_LIMIT_MAILS_PER_EMAIL = 3
    answers = {
        client.post("/accounts/signup/", {"email": "flooded@example.com"})["Location"]
        for _ in range(5)
    }
    assert answers == {"/accounts/signup/sent/"}
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_signup_and_reset_requests_count_against_the_address(
    settings: Settings,
) -> None:
    settings.DESK_LOGIN_LIMIT_PER_IP = 4
    client = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(2):
        client.post("/accounts/signup/", {"email": f"a{number}@example.com"})
        client.post("/accounts/password/reset/", {"email": f"b{number}@example.com"})
    refused = client.post("/accounts/password/reset/", {"email": "c@example.com"})
    assert refused.status_code == 429
    assert TOO_MANY in refused.content.decode()
    assert 'value="c@example.com"' in refused.content.decode()  # what was typed stays
    assert len(mail.outbox) == 4
