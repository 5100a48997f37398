"""Every write of tickets: opening, routing, assignment, the conversation, the SLA watch.

Views, API views, admin actions, tasks and commands call these and nothing else.
"""

from tickets.services._common import (
    AgentAtCapacity,
    AgentNotFound,
    AgentNotInQueue,
    InvalidTicket,
    TicketClosed,
    TicketNotFound,
    TicketOfACase,
)
from tickets.services.assignment import (
    agent_fill,
    agent_profile_ensure,
    agent_set_presence,
    ticket_assign,
    ticket_take_next,
)
from tickets.services.config import (
    agent_configure,
    business_hours_upsert,
    queue_upsert,
    sla_policy_upsert,
)
from tickets.services.conversation import (
    ticket_reply_by_agent,
    ticket_reply_by_buyer,
    ticket_set_status_by_agent,
    ticket_solve_by_buyer,
    ticket_withdraw_by_buyer,
)
from tickets.services.opening import TicketRequest, ticket_open, topic_fields
from tickets.services.routing import (
    routing_sweep,
    ticket_move_to_queue,
    ticket_route,
    ticket_set_priority,
)
from tickets.services.sla_watch import sla_sweep, ticket_escalate, ticket_remind_pending

__all__ = [
    "AgentAtCapacity",
    "AgentNotFound",
    "AgentNotInQueue",
    "InvalidTicket",
    "TicketClosed",
    "TicketNotFound",
    "TicketOfACase",
    "TicketRequest",
    "agent_configure",
    "agent_fill",
    "agent_profile_ensure",
    "agent_set_presence",
    "business_hours_upsert",
    "queue_upsert",
    "routing_sweep",
    "sla_policy_upsert",
    "sla_sweep",
    "ticket_assign",
    "ticket_escalate",
    "ticket_move_to_queue",
    "ticket_open",
    "ticket_remind_pending",
    "ticket_reply_by_agent",
    "ticket_reply_by_buyer",
    "ticket_route",
    "ticket_set_priority",
    "ticket_set_status_by_agent",
    "ticket_solve_by_buyer",
    "ticket_take_next",
    "ticket_withdraw_by_buyer",
    "topic_fields",
]
