"""Generate a desk at scale fast: people, queues, agents and a year of tickets.

Small tables (business hours, the SLA policy, 50 queues, 200 agents with
their profiles, 10,000 buyers) are written through the ORM. Tickets, their
messages, history and ratings are written with PostgreSQL ``COPY`` from
pools of worker processes, each building its chunk of rows as COPY text and
sending it over its own connection; the secondary indexes of those tables are
dropped first and built again after (one sort each, instead of millions of
random inserts), then every table is analysed.

The shape, as a busy marketplace's desk has it after a year:

- tickets opened over 365 days (ids 1, 2, … in order of opening, below the
  random ids the desk gives), 70/20/10 en/ru/el as the buyers' languages
  are, the desk's four topics three times as often
  as the others, web/chat/email/API 45/30/20/5, priority low/normal/high/
  urgent 10/70/15/5; a buyer's share of the tickets is skewed (some buyers
  write a lot);
- everything older than four days is closed (the solved ones closed by the
  sweep after 72 h); the last four days hold the work in progress: a few
  thousand tickets waiting in queues, online agents at capacity, pending and
  solved ones within the desk's reminder and close windows, and the SLA
  breaches the watch has already escalated, so the sweepers find nothing to
  do when the bench starts;
- ~5 messages a ticket (the buyer's description, the desk's receipt, the
  agent joining, the replies), the history the services write (opened,
  queued, assigned, solved, closed) and a rating on a third of the closed
  tickets.
"""

from bench.ticketdata.generate import clear, counts, generate, generated, reset_to_generated
from bench.ticketdata.rows import AGENTS, BUYERS, DEFAULT_TICKETS, PREFIX

__all__ = [
    "AGENTS",
    "BUYERS",
    "DEFAULT_TICKETS",
    "PREFIX",
    "clear",
    "counts",
    "generate",
    "generated",
    "reset_to_generated",
]
