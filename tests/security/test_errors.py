"""With DEBUG off, a failure tells the caller nothing about the desk's insides.

A 500 page and a 500 API answer carry no traceback, exception text, SQL,
file path or setting; API errors keep the one JSON shape with a stable code.
The failure is still logged, with its traceback, for the people who run
the desk. This module is its own URLconf: the desk's routes plus views that
fail on purpose.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from support_desk import urls as desk_urls
from tests.factories import api_key_with

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

# What a leaking answer would show: the exception's text, with a path, SQL, a
# connection string and a setting in it.
LEAKY_MESSAGE = (
    'could not connect to "db.internal" (10.9.8.7) as desk password=hunter2-leak '
    "while running SELECT secret_column FROM leaked_table_name in /srv/desk/tickets/services.py"
)
MISSING_TABLE = "no_such_table_for_the_error_test"


class LeakyError(RuntimeError):
    """An unexpected failure whose text must stay in the log."""


def failing_page(request: HttpRequest) -> HttpResponse:
    raise LeakyError(LEAKY_MESSAGE)


def failing_query_page(request: HttpRequest) -> HttpResponse:
    # A savepoint keeps the test's own transaction usable after the error.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT secret_column FROM {MISSING_TABLE}")
    return HttpResponse("unreachable")


class FailingApi(APIView):
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []

    def get(self, request: Request) -> Response:
        raise LeakyError(LEAKY_MESSAGE)

    def post(self, request: Request) -> Response:
        return failing_query_page(request._request)  # type: ignore[return-value]


urlpatterns = [
    path("help/failing/", failing_page),
    path("help/failing-query/", failing_query_page),
    path("api/v1/failing/", FailingApi.as_view()),
    *desk_urls.urlpatterns,
]
handler400 = desk_urls.handler400
handler403 = desk_urls.handler403
handler404 = desk_urls.handler404
handler500 = desk_urls.handler500


def internals() -> list[str]:
    """Return text that no answer to a caller may contain."""
    return [
        "Traceback",
        "LeakyError",
        "hunter2-leak",
        "10.9.8.7",
        "db.internal",
        "leaked_table_name",
        MISSING_TABLE,
        "secret_column",
        "SELECT",
        "/srv/desk",
        str(settings.BASE_DIR),
        ".py",
        settings.SECRET_KEY,
        "DJANGO_SETTINGS_MODULE",
        "DATABASES",
    ]


def assert_reveals_nothing(response: Any) -> str:
    text = response.content.decode()
    leaked = [item for item in internals() if item in text]
    assert leaked == [], f"the answer shows {leaked}"
    return text


def error_json(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    return body["error"]


@pytest.fixture
def client() -> Client:
    return Client(raise_request_exception=False)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient(raise_request_exception=False)


def server_errors_logged(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.records
        if record.name == "django.request" and record.levelno == logging.ERROR
    ]


def test_debug_is_off_as_in_production() -> None:
    assert settings.DEBUG is False


def test_a_failing_page_shows_the_plain_500_page(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    response = client.get("/help/failing/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "Something went wrong" in assert_reveals_nothing(response)
    # The people who run the desk still get the whole story, in the log.
    [record] = server_errors_logged(caplog)
    assert record.exc_info is not None and LEAKY_MESSAGE in str(record.exc_info[1])


def test_a_database_error_on_a_page_shows_nothing_of_the_query(client: Client) -> None:
    response = client.get("/help/failing-query/")

    assert response.status_code == 500
    assert "Something went wrong" in assert_reveals_nothing(response)


def test_a_database_error_in_a_real_page_shows_nothing_of_it(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> Any:
        raise OperationalError(LEAKY_MESSAGE)

    monkeypatch.setattr("faq.selectors.entry_search", broken)

    response = client.get("/help/search/", {"q": "refund"})

    assert response.status_code == 500
    assert_reveals_nothing(response)


def test_a_failing_api_call_answers_the_json_server_error(
    api_client: APIClient, caplog: pytest.LogCaptureFixture
) -> None:
    response = api_client.get("/api/v1/failing/")

    body = error_json(response, 500)
    assert body["code"] == "server_error"
    assert body["details"] is None
    assert_reveals_nothing(response)
    assert len(server_errors_logged(caplog)) == 1


def test_a_database_error_in_the_api_shows_nothing_of_the_query(api_client: APIClient) -> None:
    response = api_client.post("/api/v1/failing/", {"note": "x"}, format="json")

    assert error_json(response, 500)["code"] == "server_error"
    assert_reveals_nothing(response)


def test_a_database_error_in_a_real_api_operation_shows_nothing_of_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(caller: Any) -> Any:
        raise OperationalError(LEAKY_MESSAGE)

    monkeypatch.setattr("tickets.api.access.visible_tickets", broken)
    _key, raw_key = api_key_with("tickets:read")
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")

    response = client.get("/api/v1/tickets/")

    assert error_json(response, 500)["code"] == "server_error"
    text = assert_reveals_nothing(response)
    assert raw_key not in text


@pytest.mark.parametrize(
    ("method", "url", "payload", "status", "code"),
    [
        ("get", "/api/v1/no-such-resource/", None, 404, "not_found"),
        ("get", "/api/v1/tickets/123456789/", None, 401, "not_authenticated"),
        ("post", "/api/v1/tickets/", '{"subject": ', 401, "not_authenticated"),
    ],
)
def test_api_refusals_keep_the_error_shape_and_say_nothing_internal(
    api_client: APIClient, method: str, url: str, payload: str | None, status: int, code: str
) -> None:
    call = getattr(api_client, method)
    response = call(url, payload, content_type="application/json") if payload else call(url)

    body = error_json(response, status)
    assert body["code"] == code
    assert_reveals_nothing(response)


def test_malformed_json_is_refused_without_echoing_the_parser_internals() -> None:
    _key, raw_key = api_key_with("tickets:write")
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")

    response = client.post(
        "/api/v1/tickets/", '{"subject": "SELECT secret', content_type="application/json"
    )

    body = error_json(response, 400)
    assert body["code"] == "parse_error"
    assert "secret" not in response.content.decode()
    assert_reveals_nothing(response)


def test_the_page_not_found_answer_shows_nothing_of_the_url_map(client: Client) -> None:
    response = client.get("/help/requests/not-a-number/")

    assert response.status_code == 404
    text = assert_reveals_nothing(response)
    assert "URLconf" not in text and "urlpatterns" not in text


def test_a_page_request_django_cannot_read_gets_the_desks_400_page(client: Client) -> None:
    # More fields than DATA_UPLOAD_MAX_NUMBER_FIELDS: Django refuses the body as suspicious.
    fields = {f"field{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    response = client.post("/accounts/login/", fields)

    assert response.status_code == 400
    text = assert_reveals_nothing(response)
    assert "The request could not be read" in text
    assert 'href="/help/"' in text
