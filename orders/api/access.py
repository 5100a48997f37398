"""Who calls the orders, disputes and warranty-claims API, and what they may do.

A caller is an integrator key (trusted with every order and case; its scopes
say what it may do), a key bound to one seller (scope ``seller``: it acts as
that seller and sees only their shops'), or a signed-in person: a buyer sees
their own, a seller their shops', an agent or supervisor everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.request import Request

from accounts.models import User
from api.models import ApiKey
from api.permissions import MissingScope, ScopedAccess


@dataclass(frozen=True)
class MarketCaller:
    """The API key, or the signed-in person, behind a request."""

    api_key: ApiKey | None
    user: User | None

    @property
    def is_key(self) -> bool:
        return self.api_key is not None

    @property
    def is_integrator(self) -> bool:
        """A key not bound to a seller: it sees every order and case."""
        return self.api_key is not None and self.api_key.seller_id is None

    @property
    def seller(self) -> User | None:
        """The seller the caller acts as: a signed-in seller, or a seller-bound key's."""
        if self.api_key is not None:
            return self.api_key.seller if self.api_key.acts_as_seller else None
        return self.user if self.user is not None and self.user.is_seller else None

    @property
    def buyer(self) -> User | None:
        return self.user if self.user is not None and self.user.is_buyer else None

    @property
    def agent(self) -> User | None:
        return self.user if self.user is not None and self.user.is_agent else None

    def has_scope(self, scope: str) -> bool:
        return self.api_key is not None and self.api_key.has_scopes([scope])


def caller_of(request: Request) -> MarketCaller:
    """Return the caller of an authenticated request (MarketAccess has let it in)."""
    if isinstance(request.auth, ApiKey):
        return MarketCaller(api_key=request.auth, user=None)
    user = request.user
    return MarketCaller(api_key=None, user=user if isinstance(user, User) else None)


class MarketAccess(ScopedAccess):
    """ScopedAccess, plus keys bound to a seller on the methods ``view.seller_key_methods`` lists.

    A bound key acts as its seller whatever other scopes it holds, so it
    never sees more than that seller would.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        key = request.auth
        if isinstance(key, ApiKey) and key.seller_id is not None:
            method = (request.method or "GET").upper()
            if key.acts_as_seller and method in getattr(view, "seller_key_methods", ()):
                return True
            raise MissingScope(
                _("A key bound to a seller may only do what that seller does here.")
                if key.acts_as_seller
                else _("This API key lacks the scope(s): seller.")
            )
        return super().has_permission(request, view)
