"""Desk-wide maintenance tasks, run by beat on the maintenance queue."""

from __future__ import annotations

from importlib import import_module

from celery import shared_task
from django.conf import settings


@shared_task(name="maintenance.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Delete expired log-in sessions through the session engine."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()


@shared_task(name="maintenance.ping")
def ping(*, token: str) -> dict[str, str]:
    """Answer with ``token``: proves a worker took a message and a result came back."""
    return {"token": token, "answer": "pong"}
