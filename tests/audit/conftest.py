"""People and a little configuration for the audit trail's tests, built through the services."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from faq import services as faq_services
from faq.models import Topic
from tests.factories import AgentFactory, SupervisorFactory


@pytest.fixture
def supervisor(db: None) -> User:
    return SupervisorFactory(username="sofia")


@pytest.fixture
def admin_client(client: Client, supervisor: User) -> Client:
    client.force_login(supervisor)
    return client


@pytest.fixture
def agent(db: None) -> User:
    return AgentFactory(username="alex")


@pytest.fixture
def payment(db: None) -> Topic:
    return faq_services.topic_upsert(
        slug="payment", name={"en": "Payment"}, description={"en": "Paying"}
    )
