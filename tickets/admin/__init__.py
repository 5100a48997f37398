"""The supervisors' admin for tickets: queues, hours, SLA policies, agents and tickets.

Configuration is edited through the forms (models validate themselves in
``clean``); a ticket's status, priority, queue and assignee are read-only
here and change only through ``tickets.services``, which admin actions call.
"""

from tickets.admin import config, macros, mail, tickets

__all__ = ["config", "macros", "mail", "tickets"]
