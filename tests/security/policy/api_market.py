"""The access rules of the marketplace API (orders, disputes, claims) and of webhooks."""

from __future__ import annotations

from tests.security.policy.bodies import agent_in, evidence_upload, fixed, for_keys, order_body
from tests.security.policy.presets import CLAIM_ARGS, DISPUTE_ARGS, NO_PEOPLE
from tests.security.policy.rule import Rule, op
from tests.security.world import KEY_HOOK_OWNER, KEY_SELLER_B


def market_api_rules() -> list[Rule]:
    """Orders, disputes and warranty claims: parties see their own, the desk sees all."""
    party_read = {
        "buyer_a": 200,
        "buyer_b": 404,
        "seller": 200,
        "seller_b": 404,
        "staff": 200,
    }
    seller_keys_read = {"key:seller": 200, KEY_SELLER_B: 404}
    seller_step = {"buyers": 403, "seller": 200, "seller_b": 404, "staff": 403}
    buyer_step = {"buyer_a": 200, "buyer_b": 404, "sellers": 403, "staff": 403}
    agent_step = {"buyers": 403, "sellers": 403, "agent_in": 200, "agent_out": 404}
    rules = [
        op(
            "api:order-list",
            "GET",
            scopes=("orders:read",),
            ok=200,
            seller_keys=200,
            people=200,
        ),
        *(
            op(
                "api:order-list",
                method,
                scopes=("orders:write",),
                ok=200,
                body=order_body,
                **NO_PEOPLE,
            )
            for method in ("POST", "PUT")
        ),
        op(
            "api:order-detail",
            "GET",
            scopes=("orders:read",),
            ok=200,
            args={"number": "order"},
            seller_keys=seller_keys_read,
            **party_read,
        ),
    ]
    for kind, case, prefix in (
        ("dispute", "dispute", "api/v1/disputes/<int:case_id>/"),
        ("claim", "claim", "api/v1/warranty-claims/<int:case_id>/"),
    ):
        listing = "api:dispute-list" if kind == "dispute" else "api:warranty-claim-list"
        detail = "api:dispute-detail" if kind == "dispute" else "api:warranty-claim-detail"
        args = {"case_id": case}
        rules += [
            op(listing, "GET", scopes=("disputes:read",), ok=200, seller_keys=200, people=200),
            op(
                listing,
                "POST",
                scopes=("disputes:write",),
                ok=201,
                body=(
                    (
                        lambda world, principal: {
                            "order": world.ids["free_order"],
                            "reason": "damaged",
                            "wanted_outcome": "full_refund",
                            "description": "Dented.",
                        }
                    )
                    if kind == "dispute"
                    else (
                        lambda world, principal: {
                            "item": world.ids["free_item"],
                            "defect": "Leaks.",
                            "remedy": "repair",
                        }
                    )
                ),
                buyer_a=201,
                buyer_b=404,
                sellers=403,
                staff=403,
                note="B cannot open a case on A's order",
            ),
            op(
                detail,
                "GET",
                scopes=("disputes:read",),
                ok=200,
                args=args,
                seller_keys=seller_keys_read,
                **party_read,
            ),
            op(
                prefix + "evidence/",
                "POST",
                scopes=("disputes:write",),
                ok=201,
                args=args,
                body=evidence_upload,
                multipart=True,
                seller_keys={"key:seller": 201, KEY_SELLER_B: 404},
                buyer_a=201,
                buyer_b=404,
                seller=201,
                seller_b=404,
                staff=403,
            ),
            op(
                prefix + "evidence/<int:evidence_id>/",
                "GET",
                scopes=("disputes:read",),
                ok=200,
                args={
                    "case_id": case,
                    "evidence_id": f"{case}_evidence" if kind == "claim" else "evidence",
                },
                seller_keys=seller_keys_read,
                **party_read,
            ),
            op(
                prefix + "evidence/<int:evidence_id>/",
                "GET",
                scopes=("disputes:read",),
                ok=404,
                args={
                    "case_id": case,
                    "evidence_id": "claim_evidence" if kind == "dispute" else "evidence",
                },
                seller_keys=404,
                buyers=404,
                sellers=404,
                staff=404,
                note="evidence of another case through this one",
            ),
        ]
    statement = fixed({"statement": "As agreed."})
    rules += [
        *(
            op(
                f"api/v1/disputes/<int:case_id>/{step}/",
                "POST",
                scopes=("disputes:write",),
                ok=200,
                args=DISPUTE_ARGS,
                body=body,
                seller_keys={"key:seller": 200, KEY_SELLER_B: 404},
                **seller_step,
            )
            for step, body in (
                ("accept", statement),
                ("reject", statement),
                ("counter-offer", fixed({"amount": "5.00", "statement": "Half"})),
            )
        ),
        *(
            op(
                f"api/v1/disputes/<int:case_id>/{step}/",
                "POST",
                scopes=("disputes:write",),
                ok=200,
                args={"case_id": case},
                body=fixed({}),
                **buyer_step,
            )
            for step, case in (
                ("accept-offer", "dispute_countered"),
                ("escalate", "dispute_countered"),
                ("cancel", "dispute"),
            )
        ),
        op(
            "api/v1/disputes/<int:case_id>/decide/",
            "POST",
            scopes=("disputes:write", "agents:write"),
            ok=200,
            args={"case_id": "dispute_escalated"},
            body=for_keys(
                {"refund_amount": "10.00", "return_required": False, "note": "Half back"},
                agent=agent_in,
            ),
            **agent_step,
            supervisor=200,
            note="an agent decides only the cases whose ticket they may work, as on the web",
        ),
        *(
            op(
                f"api/v1/warranty-claims/<int:case_id>/{step}/",
                "POST",
                scopes=("disputes:write",),
                ok=200,
                args=CLAIM_ARGS,
                body=statement,
                seller_keys={"key:seller": 200, KEY_SELLER_B: 404},
                **seller_step,
            )
            for step in ("accept", "refuse")
        ),
        op(
            "api/v1/warranty-claims/<int:case_id>/cancel/",
            "POST",
            scopes=("disputes:write",),
            ok=200,
            args=CLAIM_ARGS,
            body=fixed({}),
            **buyer_step,
        ),
        op(
            "api/v1/warranty-claims/<int:case_id>/decide/",
            "POST",
            scopes=("disputes:write", "agents:write"),
            ok=200,
            args={"case_id": "claim_escalated"},
            body=for_keys({"remedy": "repair", "note": "Repair it"}, agent=agent_in),
            **agent_step,
            supervisor=200,
        ),
    ]
    return rules


def webhook_api_rules() -> list[Rule]:
    """Webhook subscriptions: each key its own; people have none."""
    hook = {"subscription_id": "subscription"}
    owner = {KEY_HOOK_OWNER: 200}
    return [
        op("api:webhook-list", "GET", scopes=("webhooks:read",), ok=200, **NO_PEOPLE),
        op(
            "api:webhook-list",
            "POST",
            scopes=("webhooks:write",),
            ok=201,
            body=fixed({"url": "http://127.0.0.1:9/new-hook", "events": ["dispute.*"]}),
            keys={"key:webhooks:write": 400},
            **NO_PEOPLE,
            note="a key hears only of what its scopes let it read",
        ),
        op(
            "api:webhook-detail",
            "GET",
            scopes=("webhooks:read",),
            ok=404,
            args=hook,
            keys=owner,
            **NO_PEOPLE,
        ),
        op(
            "api:webhook-detail",
            "PATCH",
            scopes=("webhooks:write",),
            ok=404,
            args=hook,
            body=fixed({"description": "Ours"}),
            keys=owner,
            **NO_PEOPLE,
        ),
        op(
            "api:webhook-detail",
            "DELETE",
            scopes=("webhooks:write",),
            ok=404,
            args=hook,
            keys={KEY_HOOK_OWNER: 204},
            **NO_PEOPLE,
        ),
        op(
            "api:webhook-delivery-list",
            "GET",
            scopes=("webhooks:read",),
            ok=404,
            args=hook,
            keys=owner,
            **NO_PEOPLE,
        ),
        op(
            "api:webhook-redeliver",
            "POST",
            scopes=("webhooks:write",),
            ok=404,
            args={"subscription_id": "subscription", "delivery_id": "delivery"},
            keys={KEY_HOOK_OWNER: 409},
            **NO_PEOPLE,
            note="the owner is told the delivery is not finished yet",
        ),
    ]
