"""Every error under /api/v1/ is JSON with a stable code, whatever refused the request."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import override_settings
from django.test.client import encode_multipart
from rest_framework.exceptions import ValidationError
from rest_framework.test import APIClient

from api.errors import exception_handler
from faq.api.views import AnonymousScopedRateThrottle
from tests.factories import BuyerFactory, api_key_with

pytestmark = pytest.mark.django_db


def key_client(*scopes: str) -> APIClient:
    _key, raw = api_key_with(*scopes)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()["error"]
    assert set(body) == {"code", "message", "details"}
    return body


def test_an_unknown_url_under_the_api_is_a_json_not_found() -> None:
    body = error_of(key_client("tickets:read").get("/api/v1/no-such-thing/"), 404)
    assert body["code"] == "not_found"


def test_a_path_that_does_not_match_its_pattern_is_a_json_not_found() -> None:
    body = error_of(key_client("tickets:read").get("/api/v1/tickets/abc/"), 404)
    assert body["code"] == "not_found"


def test_a_method_the_operation_lacks_is_405() -> None:
    body = error_of(key_client("tickets:read").delete("/api/v1/tickets/"), 405)
    assert body["code"] == "method_not_allowed"


def test_a_body_in_an_unsupported_media_type_is_415() -> None:
    response = key_client("tickets:write").post(
        "/api/v1/tickets/", data="topic=payment", content_type="text/plain"
    )
    assert error_of(response, 415)["code"] == "unsupported_media_type"


def test_malformed_json_is_a_parse_error() -> None:
    response = key_client("tickets:write").post(
        "/api/v1/tickets/", data='{"topic": ', content_type="application/json"
    )
    assert error_of(response, 400)["code"] == "parse_error"


def test_validation_errors_name_their_fields() -> None:
    response = key_client("faq:write").post("/api/v1/faq/entries/", {"slug": "x y"}, format="json")
    body = error_of(response, 400)
    assert body["code"] == "validation_error"
    assert {"topic", "slug", "translations"} <= set(body["details"])


def test_a_body_that_is_not_an_object_is_a_body_wide_validation_error() -> None:
    response = key_client("faq:write").post("/api/v1/faq/entries/", [1, 2], format="json")
    body = error_of(response, 400)
    assert body["code"] == "validation_error"
    assert list(body["details"]) == ["non_field_errors"]


def test_a_validation_error_without_fields_is_listed_as_body_wide() -> None:
    response = exception_handler(ValidationError("Give either a or b."), {})
    assert response is not None and response.status_code == 400
    assert response.data["error"]["details"] == {"non_field_errors": ["Give either a or b."]}


def test_throttled_calls_say_when_to_come_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(AnonymousScopedRateThrottle.THROTTLE_RATES, "anon_assistant", "1/hour")
    client = APIClient()
    client.post("/api/v1/assistant", {"question": "refund"}, format="json")
    response = client.post("/api/v1/assistant", {"question": "refund"}, format="json")
    assert error_of(response, 429)["code"] == "throttled"
    assert int(response["Retry-After"]) >= 1


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_too_large_for_the_desk_is_413() -> None:
    buyer = BuyerFactory()
    client = key_client("tickets:write")
    body = encode_multipart("BoUnDaRy", {"body": "x" * 5000, "agent": buyer.username})
    response = client.post(
        "/api/v1/tickets/1/messages/",
        data=body,
        content_type="multipart/form-data; boundary=BoUnDaRy",
    )
    assert error_of(response, 413)["code"] == "request_too_large"


def test_credentials_missing_or_wrong_are_401_with_a_challenge() -> None:
    anonymous = APIClient().get("/api/v1/tickets/")
    assert error_of(anonymous, 401)["code"] == "not_authenticated"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer sdk_nope_nope")
    wrong = client.get("/api/v1/tickets/")
    assert error_of(wrong, 401)["code"] == "invalid_api_key"
    assert wrong["WWW-Authenticate"].startswith("Bearer")


def test_a_cursor_the_list_did_not_give_is_a_bad_request() -> None:
    response = key_client("buyers:read").get("/api/v1/buyers/", {"cursor": "not-a-cursor"})
    assert error_of(response, 400)["code"] == "invalid_cursor"


def test_requests_refused_before_a_view_answer_json_under_api_and_pages_elsewhere() -> None:
    from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
    from django.test import RequestFactory

    from support_desk.urls import handler400, handler403

    factory = RequestFactory()
    too_big = handler400(factory.post("/api/v1/tickets/"), RequestDataTooBig("big"))
    assert too_big.status_code == 413
    assert json.loads(too_big.content)["error"]["code"] == "request_too_large"
    odd = handler400(factory.get("/api/v1/tickets/"), SuspiciousOperation("odd"))
    assert (odd.status_code, json.loads(odd.content)["error"]["code"]) == (400, "bad_request")
    denied = handler403(factory.post("/api/v1/tickets/"), PermissionError())
    assert json.loads(denied.content)["error"]["code"] == "permission_denied"
    page = handler400(factory.get("/help/"), SuspiciousOperation("odd"))
    assert page.status_code == 400 and not page["Content-Type"].startswith("application/json")
