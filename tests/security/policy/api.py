"""The access rules of /api/v1/: every operation, the schema and the docs."""

from __future__ import annotations

from tests.security.policy.api_help import help_api_rules
from tests.security.policy.api_market import market_api_rules, webhook_api_rules
from tests.security.policy.api_setup import desk_setup_api_rules
from tests.security.policy.api_tickets import ticket_api_rules
from tests.security.policy.presets import STAFF_OP
from tests.security.policy.rule import Rule, op
from tests.security.world import ANONYMOUS, KEY_ALL, KEY_REVOKED


def api_rules() -> list[Rule]:
    """Every operation of /api/v1/, the schema and the docs."""
    return [
        op("api:root", "GET", scopes=(), ok=200, anonymous=200, people=200),
        op("api:me", "GET", scopes=(), ok=200, people=200),
        op("api:buyer-list", "GET", scopes=("buyers:read",), ok=200, **STAFF_OP, staff=200),
        op(
            "api:buyer-detail",
            "GET",
            scopes=("buyers:read",),
            ok=200,
            args={"username": "buyer"},
            **STAFF_OP,
            staff=200,
        ),
        *(
            op(
                route,
                "GET",
                scopes=(),
                ok=200,
                anonymous=200,
                people=200,
                only=(ANONYMOUS, "buyer_a", "seller", "supervisor", KEY_ALL, KEY_REVOKED),
                note="public and the same for everyone; the schema takes a second to make",
            )
            for route in ("api-schema", "api-docs")
        ),
        *ticket_api_rules(),
        *desk_setup_api_rules(),
        *help_api_rules(),
        *market_api_rules(),
        *webhook_api_rules(),
    ]
