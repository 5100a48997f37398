"""The access rules of the desk's set-up API: queues, agents, topics, hours, SLAs."""

from __future__ import annotations

from tests.security.policy.bodies import fixed
from tests.security.policy.presets import EVERY_DAY, STAFF_OP, SUPERVISOR_OP
from tests.security.policy.rule import Rule, op


def desk_setup_api_rules() -> list[Rule]:
    """Queues, hours, holidays, SLA policies, macros and agents: agents read, supervisors write."""
    queue = {"slug": "queue"}
    return [
        op("api:queue-list", "GET", scopes=("agents:read",), ok=200, **STAFF_OP, staff=200),
        op(
            "api:queue-list",
            "POST",
            scopes=("agents:write",),
            ok=201,
            body=fixed({"slug": "en-shipping", "name": "Shipping", "language": "en"}),
            **SUPERVISOR_OP,
            supervisor=201,
        ),
        op(
            "api:queue-detail",
            "GET",
            scopes=("agents:read",),
            ok=200,
            args=queue,
            **STAFF_OP,
            staff=200,
        ),
        op(
            "api:queue-detail",
            "PATCH",
            scopes=("agents:write",),
            ok=200,
            args=queue,
            body=fixed({"name": "Payments"}),
            **SUPERVISOR_OP,
            supervisor=200,
        ),
        op(
            "api:queue-hours",
            "GET",
            scopes=("agents:read",),
            ok=200,
            args=queue,
            **STAFF_OP,
            staff=200,
        ),
        op(
            "api:queue-hours",
            "PUT",
            scopes=("agents:write",),
            ok=200,
            args=queue,
            body=fixed({"time_zone": "Europe/Berlin", "weekly_hours": EVERY_DAY}),
            **SUPERVISOR_OP,
            supervisor=200,
        ),
        op(
            "api:queue-holidays",
            "GET",
            scopes=("agents:read",),
            ok=200,
            args=queue,
            **STAFF_OP,
            staff=200,
        ),
        op(
            "api:queue-holidays",
            "POST",
            scopes=("agents:write",),
            ok=201,
            args=queue,
            body=fixed({"date": "2030-12-25", "name": "Christmas"}),
            **SUPERVISOR_OP,
            supervisor=201,
        ),
        op(
            "api:queue-holiday",
            "DELETE",
            scopes=("agents:write",),
            ok=200,
            args={"slug": "queue", "day": "holiday"},
            **SUPERVISOR_OP,
            supervisor=200,
        ),
        op("api:sla-policy-list", "GET", scopes=("agents:read",), ok=200, **STAFF_OP, staff=200),
        op(
            "api:sla-policy-list",
            "POST",
            scopes=("agents:write",),
            ok=201,
            body=fixed(
                {
                    "name": "Premium",
                    "targets": [
                        {
                            "priority": "normal",
                            "first_response_minutes": 30,
                            "resolution_minutes": 600,
                        }
                    ],
                }
            ),
            **SUPERVISOR_OP,
            supervisor=201,
        ),
        op(
            "api:sla-policy-detail",
            "GET",
            scopes=("agents:read",),
            ok=200,
            args={"policy_id": "sla_policy"},
            **STAFF_OP,
            staff=200,
        ),
        op(
            "api:sla-policy-detail",
            "PATCH",
            scopes=("agents:write",),
            ok=200,
            args={"policy_id": "sla_policy"},
            body=fixed(
                {
                    "targets": [
                        {
                            "priority": "high",
                            "first_response_minutes": 20,
                            "resolution_minutes": 300,
                        }
                    ]
                }
            ),
            **SUPERVISOR_OP,
            supervisor=200,
        ),
        op("api:macro-list", "GET", scopes=("agents:read",), ok=200, **STAFF_OP, staff=200),
        op(
            "api:macro-list",
            "POST",
            scopes=("agents:write",),
            ok=201,
            body=fixed({"name": "Hello", "language": "en", "body": "Hello {buyer_name}"}),
            **SUPERVISOR_OP,
            supervisor=201,
        ),
        *(
            op(
                "api:macro-detail",
                method,
                scopes=("agents:write",),
                ok=ok,
                args={"macro_id": "macro"},
                body=body,
                **SUPERVISOR_OP,
                supervisor=ok,
            )
            for method, ok, body in (
                ("GET", 200, None),
                ("PATCH", 200, fixed({"body": "Thanks, {buyer_name}!"})),
                ("DELETE", 200, None),
            )
        ),
        op("api:agent-list", "GET", scopes=("agents:read",), ok=200, **STAFF_OP, staff=200),
        op(
            "api:agent-detail",
            "GET",
            scopes=("agents:read",),
            ok=200,
            args={"username": "agent"},
            **STAFF_OP,
            staff=200,
        ),
        op(
            "api:agent-detail",
            "PUT",
            scopes=("agents:write",),
            ok=200,
            args={"username": "agent"},
            body=fixed({"queues": ["en-payment"], "languages": ["en"], "capacity": 5}),
            **SUPERVISOR_OP,
            supervisor=200,
        ),
        op(
            "api:agent-presence",
            "POST",
            scopes=("agents:write",),
            ok=200,
            args={"username": "agent"},
            body=fixed({"presence": "away"}),
            **STAFF_OP,
            agent_in=200,
            agent_out=403,
            supervisor=200,
            missing={"agent_in": 403},
            note="an agent sets only their own presence, refused before any look-up",
        ),
    ]
