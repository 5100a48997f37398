"""Safe retries: a POST with an Idempotency-Key runs once; its retries get the first answer."""

from __future__ import annotations

import json
import threading
import types
from datetime import timedelta
from html import escape
from typing import Any

import pytest
import requests
import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.test.client import encode_multipart
from django.utils import timezone
from rest_framework.test import APIClient

from api import idempotency, tasks
from api.models import IdempotencyRecord, IdempotencyState
from tests.factories import SupervisorFactory, api_key_with
from tests.tickets.conftest import Desk, build_desk
from tickets import services as ticket_services
from tickets.models import Message, Ticket

URL = "/api/v1/tickets/"


@pytest.fixture
def desk(db: None) -> Desk:
    return build_desk()


def key_client(*scopes: str) -> APIClient:
    _key, raw = api_key_with(*scopes)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def ticket_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "topic": "payment",
        "subject": "Charged twice",
        "description": "My card was charged twice at checkout.",
        "language": "en",
        "order_number": "MP-1001",
        "transaction_id": "TX-42",
        "amount": "59.90",
        "buyer": "anna",
    }
    body.update(overrides)
    return {name: value for name, value in body.items() if value is not None}


def post(client: APIClient, body: Any, key: str, url: str = URL) -> Any:
    return client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def error_code(response: Any) -> str:
    code: str = response.json()["error"]["code"]
    return code


# --- Replays ------------------------------------------------------------------


def test_same_key_and_body_twice_opens_one_ticket_and_replays_the_first_answer(
    desk: Desk,
) -> None:
    client = key_client("tickets:write")
    first = post(client, ticket_body(), "order-1001-ticket")
    again = post(client, ticket_body(), "order-1001-ticket")
    assert first.status_code == 201, first.json()
    assert again.status_code == 201
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"] == "application/json"
    # The replay passes the desk's other layers as the first answer did.
    assert again["X-Frame-Options"] == first["X-Frame-Options"] == "DENY"
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Ticket.objects.count() == 1
    assert Ticket.objects.get().pk == first.json()["id"]


def test_json_key_order_and_spacing_do_not_make_another_request(desk: Desk) -> None:
    client = key_client("tickets:write")
    body = ticket_body()
    first = client.post(
        URL, json.dumps(body), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    shuffled = json.dumps(dict(reversed(list(body.items()))), indent=2)
    again = client.post(URL, shuffled, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert Ticket.objects.count() == 1


def test_without_a_key_every_post_runs(desk: Desk) -> None:
    client = key_client("tickets:write")
    client.post(URL, ticket_body(), format="json")
    client.post(URL, ticket_body(), format="json")
    assert Ticket.objects.count() == 2
    assert not IdempotencyRecord.objects.exists()


def test_same_key_with_another_body_is_422_and_creates_nothing(desk: Desk) -> None:
    client = key_client("tickets:write")
    assert post(client, ticket_body(), "k-1").status_code == 201
    other = post(client, ticket_body(subject="Charged three times"), "k-1")
    assert other.status_code == 422
    assert other.json() == {
        "error": {
            "code": "idempotency_key_reused",
            "message": "This Idempotency-Key was already used with a different request; "
            "use a new key for a new request.",
            "details": None,
        }
    }
    assert list(Ticket.objects.values_list("subject", flat=True)) == ["Charged twice"]


def test_same_key_on_another_endpoint_is_422(desk: Desk) -> None:
    client = key_client("tickets:write")
    ticket_id = post(client, ticket_body(), "k-1").json()["id"]
    reply = post(client, {"body": "Any news?"}, "k-1", url=f"{URL}{ticket_id}/messages/")
    assert reply.status_code == 422
    assert error_code(reply) == "idempotency_key_reused"
    assert not Message.objects.filter(body="Any news?").exists()


def test_callers_use_the_same_key_independently(desk: Desk) -> None:
    marketplace = key_client("tickets:write")
    partner = key_client("tickets:write")
    buyer = APIClient()
    buyer.force_login(desk.buyer)
    answers = [
        post(marketplace, ticket_body(), "shared-key"),
        post(partner, ticket_body(), "shared-key"),
        post(buyer, ticket_body(buyer=None), "shared-key"),
    ]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert not any("Idempotent-Replayed" in a for a in answers)
    assert len({a.json()["id"] for a in answers}) == 3
    assert Ticket.objects.count() == 3
    # Each caller's retry still finds its own first answer.
    assert post(partner, ticket_body(), "shared-key").content == answers[1].content


def test_a_refused_request_is_replayed_as_that_refusal(desk: Desk) -> None:
    client = key_client("tickets:write")
    first = post(client, ticket_body(subject=""), "k-1")
    assert first.status_code == 400
    assert error_code(first) == "invalid_ticket"
    again = post(client, ticket_body(subject=""), "k-1")
    assert again.status_code == 400
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    # A corrected request is a new request: it needs a new key.
    assert post(client, ticket_body(), "k-1").status_code == 422
    assert post(client, ticket_body(), "k-2").status_code == 201
    assert Ticket.objects.count() == 1


def test_a_server_error_is_not_kept_so_the_retry_runs(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = ticket_services.ticket_open
    calls = []

    def fails_once(**kwargs: Any) -> Ticket:
        calls.append(kwargs)
        if len(calls) == 1:
            raise RuntimeError("the database went away")
        return real_open(**kwargs)

    monkeypatch.setattr(ticket_services, "ticket_open", fails_once)
    _key, raw = api_key_with("tickets:write")
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    failed = post(client, ticket_body(), "k-1")
    assert failed.status_code == 500
    assert not IdempotencyRecord.objects.exists()
    retry = post(client, ticket_body(), "k-1")
    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry
    assert len(calls) == 2
    assert Ticket.objects.count() == 1


def test_a_missing_scope_is_not_kept_so_a_retry_with_a_better_key_runs(desk: Desk) -> None:
    api_key, raw = api_key_with("tickets:read")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert post(client, ticket_body(), "k-1").status_code == 403
    api_key.scopes = ["tickets:read", "tickets:write"]
    api_key.save(update_fields=["scopes"])
    assert post(client, ticket_body(), "k-1").status_code == 201
    assert Ticket.objects.count() == 1


def test_an_expired_key_runs_again(desk: Desk) -> None:
    client = key_client("tickets:write")
    first = post(client, ticket_body(), "k-1")
    record = IdempotencyRecord.objects.get()
    assert record.expires_at - record.created_at == timedelta(
        hours=settings.DESK_IDEMPOTENCY_TTL_HOURS
    )
    IdempotencyRecord.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    again = post(client, ticket_body(), "k-1")
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert again.json()["id"] != first.json()["id"]
    assert Ticket.objects.count() == 2
    assert IdempotencyRecord.objects.get().expires_at > timezone.now()


def test_a_retried_upload_adds_its_files_once_though_its_boundary_differs(desk: Desk) -> None:
    client = key_client("tickets:write")
    ticket_id = post(client, ticket_body(), "open").json()["id"]

    def upload(boundary: str) -> Any:
        data = {
            "body": "The receipt.",
            "files": [SimpleUploadedFile("receipt.txt", b"paid 59.90 twice", "text/plain")],
        }
        return client.post(
            f"{URL}{ticket_id}/messages/",
            encode_multipart(boundary, data),
            content_type=f"multipart/form-data; boundary={boundary}",
            HTTP_IDEMPOTENCY_KEY="receipt",
        )

    first = upload("first-boundary")
    again = upload("second-boundary")
    assert first.status_code == 201, first.json()
    assert [f["name"] for f in first.json()["attachments"]] == ["receipt.txt"]
    assert again["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert Message.objects.filter(body="The receipt.").count() == 1

    def other_file(boundary: str) -> Any:
        data = {
            "body": "The receipt.",
            "files": [SimpleUploadedFile("receipt.txt", b"paid 59.90 once", "text/plain")],
        }
        return client.post(
            f"{URL}{ticket_id}/messages/",
            encode_multipart(boundary, data),
            content_type=f"multipart/form-data; boundary={boundary}",
            HTTP_IDEMPOTENCY_KEY="receipt",
        )

    assert other_file("third-boundary").status_code == 422


def test_an_upload_larger_than_the_in_memory_limit_is_kept_by_its_contents(
    desk: Desk, settings: Any
) -> None:
    client = key_client("tickets:write")
    ticket_id = post(client, ticket_body(), "open").json()["id"]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    data = {"body": "The log.", "files": [SimpleUploadedFile("log.txt", b"line\n" * 1000)]}
    first = client.post(
        f"{URL}{ticket_id}/messages/", data, format="multipart", HTTP_IDEMPOTENCY_KEY="log"
    )
    data["files"] = [SimpleUploadedFile("log.txt", b"line\n" * 1000)]
    again = client.post(
        f"{URL}{ticket_id}/messages/", data, format="multipart", HTTP_IDEMPOTENCY_KEY="log"
    )
    assert first.status_code == 201, first.json()
    assert first.json()["attachments"][0]["size"] == 5000
    assert again["Idempotent-Replayed"] == "true"
    assert Message.objects.filter(body="The log.").count() == 1


def test_a_json_body_too_large_to_compare_is_413_and_runs_nothing(
    desk: Desk, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post(key_client("tickets:write"), ticket_body(description="x" * 2000), "k-1")
    assert response.status_code == 413
    assert error_code(response) == "request_too_large"
    assert not Ticket.objects.exists()
    assert not IdempotencyRecord.objects.exists()


def test_a_malformed_upload_is_a_parse_error(desk: Desk) -> None:
    client = key_client("tickets:write")
    ticket_id = post(client, ticket_body(), "open").json()["id"]
    messages = Message.objects.filter(ticket_id=ticket_id).count()
    response = client.post(
        f"{URL}{ticket_id}/messages/",
        b"--b\r\nno headers and no end",
        content_type="multipart/form-data; boundary=",
        HTTP_IDEMPOTENCY_KEY="broken",
    )
    assert response.status_code == 400
    assert error_code(response) == "parse_error"
    assert Message.objects.filter(ticket_id=ticket_id).count() == messages


# --- Bad keys and callers ---------------------------------------------------------


@pytest.mark.parametrize("key", ["", "x" * 256, "has space", "ключ"])
def test_a_malformed_key_is_400_and_creates_nothing(desk: Desk, key: str) -> None:
    client = key_client("tickets:write")
    response = post(client, ticket_body(), key)
    assert response.status_code == 400
    assert error_code(response) == "invalid_idempotency_key"
    assert not Ticket.objects.exists()


def test_a_key_of_255_characters_is_accepted(desk: Desk) -> None:
    client = key_client("tickets:write")
    assert post(client, ticket_body(), "k" * 255).status_code == 201
    assert post(client, ticket_body(), "k" * 255)["Idempotent-Replayed"] == "true"


def test_requests_without_credentials_are_not_recorded(desk: Desk) -> None:
    response = post(APIClient(), ticket_body(), "k-1")
    assert response.status_code == 401
    assert error_code(response) == "not_authenticated"
    bad_key = APIClient()
    bad_key.credentials(HTTP_AUTHORIZATION="Bearer sdk_deadbeef_nope")
    assert error_code(post(bad_key, ticket_body(), "k-1")) == "invalid_api_key"
    assert not IdempotencyRecord.objects.exists()


# --- A retry while the first request runs ----------------------------------------


def _running_record(owner: str, key: str, body: dict[str, Any]) -> IdempotencyRecord:
    """Insert the row a first request holds while it runs."""
    request = RequestFactory().post(URL, json.dumps(body), content_type="application/json")
    claim = idempotency.idempotency_claim(
        owner=owner,
        key=key,
        fingerprint=idempotency.request_fingerprint(request),
        method="POST",
        path=URL,
        now=timezone.now(),
    )
    assert claim.won
    return claim.record


def test_a_retry_waits_for_the_running_request_and_gets_its_answer(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    api_key, raw = api_key_with("tickets:write")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    record = _running_record(f"key:{api_key.pk}", "k-1", ticket_body())
    answer = b'{"id": 7, "reference": "SD-000007"}'
    waits = []

    def first_request_finishes(seconds: float) -> None:
        waits.append(seconds)
        IdempotencyRecord.objects.filter(pk=record.pk).update(
            state=IdempotencyState.DONE,
            response_status=201,
            response_content_type="application/json",
            response_body=answer,
        )

    monkeypatch.setattr(
        idempotency,
        "time",
        types.SimpleNamespace(monotonic=idempotency.time.monotonic, sleep=first_request_finishes),
    )
    retry = post(client, ticket_body(), "k-1")
    assert waits, "the retry found the answer without waiting"
    assert retry.status_code == 201
    assert retry.content == answer
    assert retry["Idempotent-Replayed"] == "true"
    assert not Ticket.objects.exists()


def test_a_retry_runs_itself_when_the_running_request_fails_meanwhile(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    api_key, raw = api_key_with("tickets:write")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    record = _running_record(f"key:{api_key.pk}", "k-1", ticket_body())

    def first_request_fails(seconds: float) -> None:
        idempotency.idempotency_release(record=record)

    monkeypatch.setattr(
        idempotency,
        "time",
        types.SimpleNamespace(monotonic=idempotency.time.monotonic, sleep=first_request_fails),
    )
    retry = post(client, ticket_body(), "k-1")
    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry
    assert Ticket.objects.count() == 1
    assert IdempotencyRecord.objects.get().state == IdempotencyState.DONE


def test_a_retry_that_outwaits_the_running_request_is_409(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    api_key, raw = api_key_with("tickets:write")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    _running_record(f"key:{api_key.pk}", "k-1", ticket_body())
    monkeypatch.setattr(idempotency, "WAIT_SECONDS", 0.0)
    retry = post(client, ticket_body(), "k-1")
    assert retry.status_code == 409
    assert error_code(retry) == "idempotency_in_progress"
    assert not Ticket.objects.exists()
    # Another request with the running key is refused at once, without waiting.
    assert error_code(post(client, ticket_body(subject="Other"), "k-1")) == (
        "idempotency_key_reused"
    )


# --- Expiry ---------------------------------------------------------------------


def test_purge_task_deletes_only_expired_records(db: None) -> None:
    now = timezone.now()
    ttl = timedelta(hours=settings.DESK_IDEMPOTENCY_TTL_HOURS)
    for key, made_at in [("old", now - ttl - timedelta(minutes=1)), ("fresh", now)]:
        idempotency.idempotency_claim(
            owner="key:1", key=key, fingerprint="f", method="POST", path=URL, now=made_at
        )
    assert tasks.idempotency_purge() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]


def test_purge_runs_hourly_from_beat() -> None:
    entries = [
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == tasks.idempotency_purge.name
    ]
    assert [e["schedule"] for e in entries] == [3600.0]
    assert settings.CELERY_TASK_ROUTES["maintenance.*"]["queue"] == "maintenance"


# --- Admin -----------------------------------------------------------------------


def test_supervisors_see_records_in_the_admin_but_cannot_add_or_change_them(desk: Desk) -> None:
    client = key_client("tickets:write")
    post(client, ticket_body(), "order-1001-ticket")
    record = IdempotencyRecord.objects.get()
    admin = Client()
    admin.force_login(SupervisorFactory())
    listing = admin.get("/admin/api/idempotencyrecord/")
    assert listing.status_code == 200
    assert "order-1001-ticket" in listing.content.decode()
    detail = admin.get(f"/admin/api/idempotencyrecord/{record.pk}/change/")
    assert detail.status_code == 200
    assert escape(f'"reference":"SD-{Ticket.objects.get().pk:06d}"') in detail.content.decode()
    assert admin.get("/admin/api/idempotencyrecord/add/").status_code == 403
    admin.post(f"/admin/api/idempotencyrecord/{record.pk}/change/", {"key": "changed"})
    assert IdempotencyRecord.objects.get().key == "order-1001-ticket"


# --- Documentation -----------------------------------------------------------------


def test_schema_documents_the_header_on_every_post(db: None) -> None:
    schema = yaml.safe_load(APIClient().get("/api/schema/").content)
    posts = {
        path: operations["post"]
        for path, operations in schema["paths"].items()
        if "post" in operations and path.startswith("/api/v1/")
    }
    assert "/api/v1/tickets/" in posts and "/api/v1/disputes/{case_id}/evidence/" in posts
    for path, operation in posts.items():
        headers = [p["name"] for p in operation["parameters"] if p["in"] == "header"]
        assert headers == ["Idempotency-Key"], path
        assert "idempotency_key_reused" in operation["responses"]["422"]["description"], path
        assert "idempotency_in_progress" in operation["responses"]["409"]["description"], path


# --- Concurrent duplicates -------------------------------------------------------------


@pytest.fixture
def live_desk(transactional_db: None) -> Desk:
    return build_desk()


@pytest.mark.integration
def test_twenty_concurrent_duplicates_open_one_ticket_and_all_get_its_answer(
    live_desk: Desk, live_server: Any
) -> None:
    _key, raw = api_key_with("tickets:write")
    senders = 20
    start = threading.Barrier(senders)
    answers: list[tuple[int, bytes, str | None]] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def send() -> None:
        try:
            with requests.Session() as session:
                session.trust_env = False  # straight to the live server, never a proxy
                start.wait(timeout=30)
                response = session.post(
                    f"{live_server.url}{URL}",
                    json=ticket_body(),
                    headers={"Authorization": f"Bearer {raw}", "Idempotency-Key": "dup"},
                    timeout=60,
                )
            with lock:
                answers.append(
                    (
                        response.status_code,
                        response.content,
                        response.headers.get("Idempotent-Replayed"),
                    )
                )
        except BaseException as error:
            with lock:
                failures.append(error)

    threads = [threading.Thread(target=send) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert len(answers) == senders
    assert Ticket.objects.count() == 1
    ticket = Ticket.objects.get()
    assert {(status, body) for status, body, _replayed in answers} == {(201, answers[0][1])}
    assert json.loads(answers[0][1])["id"] == ticket.pk
    assert sorted(replayed or "" for _s, _b, replayed in answers) == [""] + ["true"] * 19
    assert IdempotencyRecord.objects.get().state == IdempotencyState.DONE
