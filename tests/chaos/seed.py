"""Seed the chaos desk: the demo data, an integrator key, and a queue of ten agents for claims.

Run with the desk's environment (``python -m tests.chaos.seed``); prints one
JSON line with what the tests need. Everything goes through the desk's own
services, as the admin and the API would.
"""

from __future__ import annotations

import json
import os

import django

AGENT_PASSWORD = "chaos-pass-2026"
CLAIM_AGENTS = 10
CLAIM_TOPIC = "claims"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "support_desk.settings")
    django.setup()

    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import Role
    from accounts.services import user_create
    from api.services import api_key_issue
    from faq.services import topic_upsert
    from tickets.models import Presence
    from tickets.services import agent_configure, agent_set_presence, queue_upsert

    call_command("load_demo", verbosity=0)
    now = timezone.now()
    # A topic of its own, served by one queue of ten agents, all away: a ticket
    # there waits until one of them takes it (test_concurrency).
    topic = topic_upsert(
        slug=CLAIM_TOPIC, name={"en": "Claims race"}, description={"en": "Chaos tests."}
    )
    queue = queue_upsert(slug="claims", name="Claims race", language="en", topics=[topic])
    agents = []
    for n in range(1, CLAIM_AGENTS + 1):
        agent = user_create(
            username=f"claimer{n}",
            password=AGENT_PASSWORD,
            role=Role.AGENT,
            email=f"claimer{n}@support-desk.test",
        )
        agent_configure(agent=agent, queues=[queue], languages=["en"], capacity=5)
        agent_set_presence(agent=agent, presence=Presence.AWAY, now=now)
        agents.append(agent.username)
    _key, raw_key = api_key_issue(
        name="chaos load",
        scopes=[
            "buyers:read",
            "buyers:write",
            "faq:read",
            "tickets:read",
            "tickets:write",
            "agents:read",
            "agents:write",
            "orders:read",
            "orders:write",
            "disputes:read",
            "disputes:write",
            "webhooks:read",
            "webhooks:write",
        ],
    )
    print(
        json.dumps(
            {
                "api_key": raw_key,
                "claim_agents": agents,
                "claim_topic": CLAIM_TOPIC,
                "password": AGENT_PASSWORD,
                "demo_password": "demo-pass-2026",
            }
        )
    )


if __name__ == "__main__":
    main()
