"""What the matrix's requests send: forms and bodies, made afresh for each principal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.security.policy.rule import Body
from tests.security.world import KEY_ALL, World, png_file


def fixed(values: dict[str, Any]) -> Body:
    return lambda world, principal: dict(values)


def is_key(principal: str) -> bool:
    return principal.startswith("key:")


def for_keys(values: dict[str, Any], **key_values: Callable[[World], Any] | str) -> Body:
    """Send ``values``; keys also name what people are (the buyer, the agent, the party)."""

    def body(world: World, principal: str) -> dict[str, Any]:
        if not is_key(principal):
            return dict(values)
        named = {k: v(world) if callable(v) else v for k, v in key_values.items()}
        return {**values, **named}

    return body


def agent_in(world: World) -> str:
    return world.people["agent_in"].username


def _buyer_a(world: World) -> str:
    return world.people["buyer_a"].username


def contact_form(world: World, principal: str) -> dict[str, Any]:
    return {
        "order_number": "MP-S100",
        "transaction_id": "TX-77",
        "amount": "12.50",
        "subject": "Charged but no order",
        "description": "The payment went through twice.",
    }


def evidence_form(world: World, principal: str) -> dict[str, Any]:
    return {"evidence": [png_file("more-proof.png")]}


def agent_reply(world: World, principal: str) -> dict[str, Any]:
    return {"reply-body": "Checking now.", "reply-visibility": "public", "reply-send_anyway": "on"}


def assign_form(world: World, principal: str) -> dict[str, Any]:
    return {"assign-agent": world.people["agent_in"].pk, "assign-reason": "Knows the case"}


def move_form(world: World, principal: str) -> dict[str, Any]:
    return {"move-queue": world.ids["queue_pk:en-warranty"], "move-reason": "About the kettle"}


def claim_form(world: World, principal: str) -> dict[str, Any]:
    return {"item": world.ids["free_item"], "defect": "It leaks.", "remedy": "repair"}


def dispute_form(world: World, principal: str) -> dict[str, Any]:
    return {
        "order_number": world.ids["free_order"],
        "reason": "damaged",
        "wanted_outcome": "full_refund",
        "description": "Dented on arrival.",
    }


def ticket_body(world: World, principal: str) -> dict[str, Any]:
    named = {"buyer": _buyer_a(world)} if is_key(principal) else {}
    return {
        **named,
        "topic": "payment",
        "subject": "Charged twice",
        "description": "At checkout.",
        "order_number": "MP-S100",
        "transaction_id": "TX-9",
        "amount": "12.00",
    }


def evidence_upload(world: World, principal: str) -> dict[str, Any]:
    named = {"party": "buyer"} if principal in (KEY_ALL, "key:disputes:write") else {}
    return {**named, "files": [png_file("api-proof.png")]}


def order_body(world: World, principal: str) -> dict[str, Any]:
    return {
        "number": "MP-S900",
        "buyer": world.people["buyer_a"].username,
        "shop": "kitchen-shop",
        "status": "paid",
        "paid_at": "2026-05-01T10:00:00Z",
        "currency": "EUR",
        "items": [{"title": "Mug", "quantity": 1, "price": "8.00"}],
    }
