"""Tickets, their history and messages; agent queues, business hours, SLA policies, agents.

Models hold tables, constraints and predicates. Every write goes through
``tickets.services``.
"""

from tickets.models.config import (
    AgentProfile,
    BusinessHours,
    Holiday,
    Presence,
    Priority,
    Queue,
    SlaPolicy,
    SlaTarget,
    always_open_hours,
)
from tickets.models.conversation import (
    Attachment,
    InboundMail,
    Macro,
    Notification,
    NotificationKind,
    NotificationState,
    Rating,
    attachment_path,
)
from tickets.models.tickets import (
    BUYER_VISIBLE_KINDS,
    REFERENCE_PREFIX,
    Channel,
    EventKind,
    Message,
    MessageKind,
    Ticket,
    TicketEvent,
    reference_to_id,
)

__all__ = [
    "BUYER_VISIBLE_KINDS",
    "REFERENCE_PREFIX",
    "AgentProfile",
    "Attachment",
    "BusinessHours",
    "Channel",
    "EventKind",
    "Holiday",
    "InboundMail",
    "Macro",
    "Message",
    "MessageKind",
    "Notification",
    "NotificationKind",
    "NotificationState",
    "Presence",
    "Priority",
    "Queue",
    "Rating",
    "SlaPolicy",
    "SlaTarget",
    "Ticket",
    "TicketEvent",
    "always_open_hours",
    "attachment_path",
    "reference_to_id",
]
