"""factory_boy factories that build data through the desk's own services."""

from __future__ import annotations

from typing import Any

import factory

from accounts import services as account_services
from accounts.models import Role, User
from api import services as api_services
from api.models import ApiKey

PASSWORD = "a-good-test-password-7"


class UserFactory(factory.Factory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    first_name = factory.Faker("first_name")
    role = Role.BUYER
    password = PASSWORD
    preferred_language = ""

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        return account_services.user_create(**kwargs)


class BuyerFactory(UserFactory):
    role = Role.BUYER


class SellerFactory(UserFactory):
    role = Role.SELLER


class AgentFactory(UserFactory):
    role = Role.AGENT


class SupervisorFactory(UserFactory):
    role = Role.SUPERVISOR


def api_key_with(
    *scopes: str, name: str = "integration", seller: User | None = None
) -> tuple[ApiKey, str]:
    """Issue a key with ``scopes`` (bound to ``seller``) through the service; return it and its secret."""
    return api_services.api_key_issue(name=name, scopes=list(scopes), seller=seller)
