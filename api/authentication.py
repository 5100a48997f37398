"""Authenticate integrators by API key (``Authorization: Bearer <key>``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.views.decorators.debug import sensitive_variables
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from api import selectors, services
from api.models import ApiKey


@dataclass(frozen=True)
class Integrator:
    """The caller behind an API key: not a person, so it has no role or pk."""

    api_key: ApiKey = field(compare=False)
    is_authenticated: bool = True
    is_anonymous: bool = False
    is_active: bool = True
    is_staff: bool = False
    is_superuser: bool = False
    pk: None = None

    @property
    def username(self) -> str:
        return f"api-key:{self.api_key.prefix}"


class InvalidApiKey(exceptions.AuthenticationFailed):
    default_detail = "The API key is unknown, malformed or revoked."
    default_code = "invalid_api_key"


class ApiKeyAuthentication(BaseAuthentication):
    """Accept ``Authorization: Bearer <key>``; leave other requests to the next scheme."""

    keyword = "Bearer"

    # Error reports show frames' variables: never the key.
    @sensitive_variables("parts", "raw_key")
    def authenticate(self, request: Request) -> tuple[Integrator, ApiKey] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise InvalidApiKey("The Authorization header must be 'Bearer <key>'.")
        try:
            raw_key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise InvalidApiKey() from None
        api_key = selectors.api_key_get_active(raw_key=raw_key)
        if api_key is None:
            raise InvalidApiKey()
        services.api_key_mark_used(api_key=api_key, now=timezone.now())
        return Integrator(api_key=api_key), api_key

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "sdk_<prefix>_<secret>",
            "description": (
                "An integrator key made with `manage.py create_api_key` or in the admin. "
                "Send it as `Authorization: Bearer KEY`. Each operation lists the scopes "
                "the key must hold."
            ),
        }
