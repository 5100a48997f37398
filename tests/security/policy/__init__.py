"""Who may do what: every route of the desk × method × principal → the answer expected.

A principal is a role in a relation to the world's objects (tests/security/world.py):
``anonymous``; ``buyer_a`` (owns the tickets, disputes, claims and files) and
``buyer_b`` (owns none of them); ``seller`` (party to A's cases) and
``seller_b`` (not); ``agent_in`` (works the queues of A's tickets) and
``agent_out`` (works another); ``supervisor`` (staff); one API key per scope
(``key:<scope>``, the ``seller`` key bound to the party seller), ``key:all``
(every scope but seller), ``key:seller_b`` (bound to the other seller),
``key:hook_owner`` (owns the webhook subscription) and ``key:revoked``.

A rule names a route (its URL name, or its pattern when it has no name), a
method, what fills the URL (names of the world's ids), what the request
sends, and for every principal the status expected, or ``LOGIN`` for the
page asking to log in. Rules say what the desk promises, by hand:

- something that is not yours answers 404, exactly as something that does
  not exist (the test asks for a missing id too and compares);
- a 403 only ever refuses a role or a key's scope, never one object;
- whoever is not an agent (buyers, sellers, anonymous visitors, keys
  without an agents scope) never sees what only agents read (``AGENT_ONLY``
  in the world: internal notes and their files, the reasons of routing and
  assignments, agents' usernames and emails); the rows in ``reveals`` prove
  the check can see them;
- nobody outside ``B_TICKET_EYES`` sees buyer B's ticket (its subject and its
  file's name are planted as markers), on any page or in any answer.

The rules by surface: ``pages``, ``api`` (``api_tickets``, ``api_setup``,
``api_help``, ``api_market``) and ``admin``; how a rule is written in
``rule``, what most share in ``presets``, what requests send in ``bodies``.
"""

from __future__ import annotations

from tests.security.policy.admin import admin_rules
from tests.security.policy.api import api_rules
from tests.security.policy.pages import page_rules
from tests.security.policy.rule import (
    ADMIN_LOGIN,
    AGENT_EYES,
    B_TICKET_EYES,
    LOGIN,
    PAGE_PRINCIPALS,
    Outcome,
    Rule,
)

__all__ = [
    "ADMIN_LOGIN",
    "AGENT_EYES",
    "B_TICKET_EYES",
    "LOGIN",
    "PAGE_PRINCIPALS",
    "Outcome",
    "Rule",
    "rules",
]


def rules() -> list[Rule]:
    """Return every rule of the matrix."""
    return [*page_rules(), *api_rules(), *admin_rules()]
