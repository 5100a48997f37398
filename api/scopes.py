"""The scopes an integrator key can hold: the contract of what each key may do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SCOPES: dict[str, StrOrPromise] = {
    "buyers:read": _("Look up buyer accounts"),
    "buyers:write": _("Create and update buyer accounts"),
    "faq:read": _(
        "Read topics and FAQ entries, search them, record buyers' feedback, ask the assistant"
    ),
    "faq:write": _("Create and edit topics and FAQ entries"),
    "tickets:read": _("Read tickets, their messages and attachments"),
    "tickets:write": _("Open tickets for buyers, post messages, change status, rate"),
    "agents:read": _("Read queues and agents"),
    "agents:write": _("Change queues, agents' presence and assignments"),
    "orders:read": _("Read marketplace orders"),
    "orders:write": _("Create and update marketplace orders"),
    "disputes:read": _("Read disputes and warranty claims"),
    "disputes:write": _("Open disputes and warranty claims and take them through their steps"),
    "seller": _(
        "Act as the seller the key is bound to: read their shops' orders, disputes and "
        "warranty claims, and answer them"
    ),
    "webhooks:read": _("Read the key's own webhook subscriptions and their delivery logs"),
    "webhooks:write": _(
        "Subscribe the key to webhook events, change and delete its subscriptions, redeliver"
    ),
}


class UnknownScope(ValueError):
    """A scope name that is not in SCOPES."""


def scopes_validate(scopes: list[str]) -> list[str]:
    """Return the scopes sorted and without duplicates; raise UnknownScope otherwise."""
    unknown = sorted(set(scopes) - SCOPES.keys())
    if unknown:
        raise UnknownScope(
            f"unknown scope(s): {', '.join(unknown)}; known: {', '.join(sorted(SCOPES))}"
        )
    if not scopes:
        raise UnknownScope("at least one scope is required")
    return sorted(set(scopes))
