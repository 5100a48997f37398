"""A real Celery worker takes tasks from the broker and answers.

Locally the broker is kombu's filesystem transport (the embedded default);
under CI it is Redis. No eager mode: messages cross the broker.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from celery import Celery
from celery.worker import WorkController
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from support_desk import tasks
from support_desk.celery import app as celery_app

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

RESULT_TIMEOUT = 30


def test_task_goes_through_the_broker_and_comes_back(worker: WorkController) -> None:
    token = uuid.uuid4().hex
    result = tasks.ping.delay(token=token)
    assert result.get(timeout=RESULT_TIMEOUT) == {"token": token, "answer": "pong"}


def test_maintenance_task_runs_on_its_queue_against_the_database(worker: WorkController) -> None:
    expired = SessionStore()
    expired["who"] = "old"
    expired.set_expiry(timezone.now() - timedelta(days=1))
    expired.save()
    alive = SessionStore()
    alive["who"] = "new"
    alive.save()

    result = tasks.clear_expired_sessions.apply_async()
    result.get(timeout=RESULT_TIMEOUT)

    assert list(Session.objects.values_list("session_key", flat=True)) == [alive.session_key]


def test_tasks_are_routed_to_their_named_queue() -> None:
    router = celery_app.amqp.router
    assert router.route({}, "maintenance.ping")["queue"].name == "maintenance"
    assert router.route({}, "routing.route_ticket")["queue"].name == "routing"
    assert router.route({}, "webhooks.deliver")["queue"].name == "webhooks"
    assert router.route({}, "notifications.ticket_received")["queue"].name == "notifications"


def test_ci_worker_uses_redis(worker: WorkController) -> None:
    """Under CI=true the real worker must be talking to Redis, not the file broker."""
    from tests.conftest import in_ci

    if not in_ci():
        pytest.skip("only meaningful under CI=true")
    assert isinstance(worker.app, Celery)
    assert worker.app.connection_for_read().transport_cls in ("redis", "rediss")
    token = uuid.uuid4().hex
    assert tasks.ping.delay(token=token).get(timeout=RESULT_TIMEOUT)["token"] == token
