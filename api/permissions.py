"""Who may call an endpoint: API keys by scope, signed-in people by role."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from api.models import ApiKey


class MissingScope(exceptions.PermissionDenied):
    default_detail = "This API key lacks a scope the operation needs."
    default_code = "missing_scope"


class RoleNotAllowed(exceptions.PermissionDenied):
    default_detail = "Your account's role may not use this operation."
    default_code = "role_not_allowed"


class ScopedAccess(BasePermission):
    """Check ``view.required_scopes[method]`` for keys and ``view.allowed_roles`` for people.

    ``required_scopes`` maps an HTTP method (or ``"*"``) to the scopes a key
    needs; ``allowed_roles`` lists the roles a session user must have.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        if isinstance(request.auth, ApiKey):
            required = scopes_for(view, request.method or "GET")
            if not request.auth.has_scopes(required):
                missing = sorted(set(required) - set(request.auth.scopes))
                raise MissingScope(
                    f"This API key lacks the scope(s): {', '.join(missing)}.",
                )
            return True
        allowed = getattr(view, "allowed_roles", ())
        if getattr(request.user, "role", None) not in allowed:
            raise RoleNotAllowed()
        return True


def scopes_for(view: Any, method: str) -> list[str]:
    """Return the scopes a key needs to call ``method`` on ``view``."""
    required: dict[str, list[str]] = getattr(view, "required_scopes", {})
    method = method.upper()
    if method == "HEAD" and "HEAD" not in required:
        method = "GET"  # HEAD is GET without the body: it needs what GET needs
    return list(required.get(method, required.get("*", [])))
