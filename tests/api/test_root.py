"""The API's front door lists where to go."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient


@pytest.mark.django_db
def test_the_root_links_every_resource_family() -> None:
    response = APIClient().get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    for name, path in {
        "me": "/api/v1/me",
        "buyers": "/api/v1/buyers/",
        "topics": "/api/v1/topics/",
        "faq": "/api/v1/faq/",
        "tickets": "/api/v1/tickets/",
        "queues": "/api/v1/queues/",
        "orders": "/api/v1/orders/",
        "disputes": "/api/v1/disputes/",
        "warranty_claims": "/api/v1/warranty-claims/",
        "schema": "/api/schema/",
    }.items():
        assert body[name].endswith(path), name
