"""create_api_key on the command line, and the OpenAPI contract."""

from __future__ import annotations

from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from api.models import ApiKey
from tests.factories import BuyerFactory, SellerFactory

pytestmark = pytest.mark.django_db


def test_create_api_key_prints_the_key_alone_on_the_last_line() -> None:
    out = StringIO()
    call_command(
        "create_api_key", "marketplace backend", "--scopes", "tickets:read,buyers:read", stdout=out
    )
    raw_key = out.getvalue().strip().splitlines()[-1]
    api_key = ApiKey.objects.get()
    assert api_key.name == "marketplace backend"
    assert api_key.scopes == ["buyers:read", "tickets:read"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    assert client.get("/api/v1/me").json()["api_key"]["prefix"] == api_key.prefix


def test_create_api_key_refuses_unknown_scope() -> None:
    with pytest.raises(CommandError, match="unknown scope"):
        call_command(
            "create_api_key", "x", "--scopes", "tickets:read,everything", stdout=StringIO()
        )
    assert not ApiKey.objects.exists()


def test_create_api_key_binds_a_seller_key_that_sees_only_that_sellers_disputes() -> None:
    seller = SellerFactory(username="lena")
    out = StringIO()
    call_command(
        "create_api_key", "lena's shop", "--scopes", "seller", "--seller", "lena", stdout=out
    )
    raw_key = out.getvalue().strip().splitlines()[-1]
    assert "acting as seller 'lena'" in out.getvalue()
    assert ApiKey.objects.get().seller == seller
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    assert client.get("/api/v1/disputes/").status_code == 200


@pytest.mark.parametrize(
    ("scopes", "seller", "error"),
    [
        ("seller", None, "Choose the seller"),
        ("tickets:read", "lena", "Only a key with the scope `seller`"),
        ("seller", "anna", "is not a seller account"),
        ("seller", "nobody", "No account is called 'nobody'"),
    ],
)
def test_create_api_key_refuses_a_seller_key_without_its_seller(
    scopes: str, seller: str | None, error: str
) -> None:
    SellerFactory(username="lena")
    BuyerFactory(username="anna")
    extra = ["--seller", seller] if seller else []
    with pytest.raises(CommandError, match=error):
        call_command("create_api_key", "x", "--scopes", scopes, *extra, stdout=StringIO())
    assert not ApiKey.objects.exists()


def test_schema_validates_with_drf_spectacular() -> None:
    out = StringIO()
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null", stdout=out, stderr=out
    )


def test_schema_documents_the_key_scheme_and_error_shape() -> None:
    response = APIClient().get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    scheme = schema["components"]["securitySchemes"]["ApiKey"]
    assert scheme["type"] == "http"
    assert scheme["scheme"] == "bearer"
    me = schema["paths"]["/api/v1/me"]["get"]
    assert {"ApiKey": []} in me["security"]
    assert "401" in me["responses"]
    assert "Error" in schema["components"]["schemas"]


def test_api_docs_page_is_served_from_local_static_files() -> None:
    response = APIClient().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html and "unpkg" not in html
