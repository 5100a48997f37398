"""Demo people: the same logins on every machine, for demo data only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from accounts import services
from accounts.models import Role, User

DEMO_PASSWORD = "demo-pass-2026"


@dataclass(frozen=True)
class DemoPerson:
    username: str
    role: Role
    first_name: str
    last_name: str
    language: str
    description: str


DEMO_PEOPLE = (
    DemoPerson(
        "buyer", Role.BUYER, "Anna", "Miller", "en", "buyer with orders, tickets and disputes"
    ),
    DemoPerson("buyer2", Role.BUYER, "Dmitri", "Ivanov", "ru", "second buyer, reads in Russian"),
    DemoPerson("seller", Role.SELLER, "Lena", "Papadopoulou", "en", "seller of the demo shop"),
    DemoPerson("seller2", Role.SELLER, "Marco", "Rossi", "en", "seller of a second shop"),
    DemoPerson("agent", Role.AGENT, "Sam", "Taylor", "en", "agent on the English queues"),
    DemoPerson("agent_ru", Role.AGENT, "Olga", "Smirnova", "ru", "agent on the Russian queue"),
    DemoPerson(
        "supervisor", Role.SUPERVISOR, "Chris", "Walker", "en", "supervisor: /admin/ and reports"
    ),
)


def load(*, now: datetime) -> None:
    """Create the demo people that do not exist yet; leave existing ones alone."""
    existing = set(
        User.objects.filter(username__in=[p.username for p in DEMO_PEOPLE]).values_list(
            "username", flat=True
        )
    )
    for person in DEMO_PEOPLE:
        if person.username in existing:
            continue
        services.user_create(
            username=person.username,
            password=DEMO_PASSWORD,
            role=person.role,
            email=f"{person.username}@demo.support-desk.test",
            first_name=person.first_name,
            last_name=person.last_name,
            preferred_language=person.language,
        )
