"""Background work of tickets: routing, sweeping, SLA watch, notifications.

Thin: ids in, one service call. Every task is idempotent: the services check
the world first and claim rows under locks.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

logger = logging.getLogger("tickets.tasks")

# The database went away (a restart, a failover) or chose this transaction as
# a deadlock victim: worth another try a little later. Anything else is a bug.
DATABASE_TRANSIENT = (OperationalError, InterfaceError)
RETRY_WHEN_DATABASE_AWAY: dict[str, Any] = {
    "autoretry_for": DATABASE_TRANSIENT,
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "max_retries": 6,
}

# Logged when a task finds no ticket for its id. Tasks are sent after their
# transaction commits, so this means the ticket was deleted (erasure) since,
# never that a task ran before the commit; the chaos tests count these lines.
TICKET_MISSING = "found no ticket"


def _missing(task: str, ticket_id: int) -> str:
    logger.warning("%s %s %s; nothing to do.", task, TICKET_MISSING, ticket_id)
    return "ticket-missing"


@shared_task(name="routing.route_ticket", **RETRY_WHEN_DATABASE_AWAY)
def route_ticket(*, ticket_id: int) -> str:
    """Put a saved ticket into its queue and, if one is free, with an agent.

    Tickets saved before it and still waiting (a backlog) are routed with it.
    """
    from tickets.services import TicketNotFound, ticket_route
    from tickets.services.routing import ROUTE_BATCH

    try:
        return ticket_route(ticket_id=ticket_id, now=timezone.now(), batch=ROUTE_BATCH)
    except TicketNotFound:
        return _missing("routing.route_ticket", ticket_id)


@shared_task(name="tickets.assistant_reply", **RETRY_WHEN_DATABASE_AWAY)
def assistant_reply(*, ticket_id: int) -> bool | str:
    """Post the assistant's matching answers on a new ticket, if any match well."""
    from tickets.services import TicketNotFound
    from tickets.services.assistant import ticket_assistant_reply

    try:
        return ticket_assistant_reply(ticket_id=ticket_id, now=timezone.now()) is not None
    except TicketNotFound:
        return _missing("tickets.assistant_reply", ticket_id)


@shared_task(name="routing.fill_agent", **RETRY_WHEN_DATABASE_AWAY)
def fill_agent(*, agent_id: int) -> int:
    """Give an online agent waiting tickets from their queues, up to their capacity."""
    from tickets.services import agent_fill

    return len(agent_fill(agent_id=agent_id, now=timezone.now()))


@shared_task(name="routing.sweep")
def sweep() -> int:
    """Re-send tickets that were saved but never routed; assign waiting tickets to free agents."""
    from tickets.services import routing_sweep

    return routing_sweep(now=timezone.now())


@shared_task(name="maintenance.sla_sweep")
def sla_sweep() -> dict[str, int]:
    """Escalate SLA breaches, remind pending buyers, close what has waited long enough."""
    from tickets.services import sla_sweep as run

    return run(now=timezone.now())


@shared_task(
    name="notifications.send",
    autoretry_for=(OSError,),
    retry_backoff=5,
    retry_backoff_max=600,
    max_retries=8,
)
def send_notification(*, notification_id: int) -> str:
    """Send one owed mail, once; a failure leaves it owed and the task retries with back-off."""
    from tickets.notifications import notification_send

    return notification_send(notification_id=notification_id, now=timezone.now())


@shared_task(name="notifications.sweep")
def sweep_notifications() -> int:
    """Re-send owed mail whose message was lost or whose retries ran out."""
    from tickets.notifications import notifications_sweep

    return notifications_sweep(now=timezone.now())
