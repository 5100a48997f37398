"""The tickets API in the OpenAPI contract: operations, scopes, error answers, examples."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("/api/v1/tickets/", "get"): ("tickets_list", ["tickets:read"], {"200", "400", "401", "403"}),
    ("/api/v1/tickets/", "post"): (
        "tickets_create",
        ["tickets:write"],
        {"201", "400", "401", "403"},
    ),
    ("/api/v1/tickets/{ticket_id}/", "get"): (
        "tickets_retrieve",
        ["tickets:read", "agents:read"],
        {"200", "404"},
    ),
    ("/api/v1/tickets/{ticket_id}/messages/", "post"): (
        "tickets_messages_create",
        ["tickets:write", "agents:write"],
        {"201", "400", "404", "409"},
    ),
    ("/api/v1/tickets/{ticket_id}/status/", "post"): (
        "tickets_status_create",
        ["tickets:write", "agents:write"],
        {"200", "409"},
    ),
    ("/api/v1/tickets/take-next/", "post"): (
        "tickets_take_next",
        ["agents:write"],
        {"200", "204", "409"},
    ),
    ("/api/v1/tickets/{ticket_id}/assign/", "post"): (
        "tickets_assign",
        ["agents:write"],
        {"200", "404", "409"},
    ),
    ("/api/v1/queues/", "get"): ("queues_list", ["agents:read"], {"200", "403"}),
}


@pytest.fixture(scope="module")
def schema(django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/")
    assert response.status_code == 200
    loaded: dict[str, Any] = yaml.safe_load(response.content)
    return loaded


@pytest.mark.parametrize(("path", "method"), sorted(OPERATIONS))
def test_each_ticket_operation_names_its_scopes_and_errors(
    schema: dict[str, Any], path: str, method: str
) -> None:
    operation_id, scopes, statuses = OPERATIONS[(path, method)]
    operation = schema["paths"][path][method]
    assert operation["operationId"] == operation_id
    for scope in scopes:
        assert f"`{scope}`" in operation["description"]
    assert statuses <= set(operation["responses"])
    for status, response in operation["responses"].items():
        if status.startswith(("4", "5")):
            assert response["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }


def test_create_documents_its_fields_codes_and_an_example(schema: dict[str, Any]) -> None:
    create = schema["paths"]["/api/v1/tickets/"]["post"]
    body = schema["components"]["schemas"]["TicketCreateInputRequest"]
    assert set(body["required"]) == {"topic", "subject", "description"}
    assert {"buyer", "buyer_email", "faq_entry", "order_number", "channel"} <= set(
        body["properties"]
    )
    bad_request = create["responses"]["400"]["description"]
    for code in ("invalid_ticket", "unknown_topic", "unknown_buyer", "not_a_buyer"):
        assert f"`{code}`" in bad_request
    assert "examples" in create["requestBody"]["content"]["application/json"]
    ticket = schema["components"]["schemas"]["TicketOutput"]["properties"]
    assert {"id", "reference", "status", "queue", "assignee", "resolution_due_at"} <= set(ticket)
