"""Configuration writes: business hours, SLA policies, queues and agents.

Idempotent upserts by natural key, shared by the demo loader, tests and
commands; the admin edits the same rows through its forms.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction

from accounts.models import User
from audit.services import audit_before, audit_change
from faq.models import Topic
from tickets.hours import InvalidHours, check_time_zone, parse_weekly_hours
from tickets.models import AgentProfile, BusinessHours, Holiday, Queue, SlaPolicy, SlaTarget
from tickets.services._common import InvalidTicket
from tickets.services.assignment import agent_profile_ensure


@transaction.atomic
def business_hours_upsert(
    *,
    name: str,
    time_zone: str,
    weekly_hours: dict[str, Any],
    holidays: Iterable[tuple[date, str]] = (),
) -> BusinessHours:
    """Create or update named business hours and add the given holidays."""
    try:
        check_time_zone(time_zone)
        parse_weekly_hours(weekly_hours)
    except InvalidHours as error:
        raise InvalidTicket(str(error)) from error
    before = audit_before(BusinessHours, name=name)
    hours, _ = BusinessHours.objects.update_or_create(
        name=name, defaults={"time_zone": time_zone, "weekly_hours": weekly_hours}
    )
    for day, label in holidays:
        Holiday.objects.update_or_create(hours=hours, date=day, defaults={"name": label})
    audit_change(obj=hours, before=before)
    return hours


@transaction.atomic
def sla_policy_upsert(
    *, name: str, targets: Sequence[tuple[Topic | None, int, int, int]]
) -> SlaPolicy:
    """Create or update an SLA policy; targets are (topic or None, priority, first response, resolution) minutes."""
    before = audit_before(SlaPolicy, name=name)
    policy, _ = SlaPolicy.objects.get_or_create(name=name)
    for topic, priority, first_response, resolution in targets:
        SlaTarget.objects.update_or_create(
            policy=policy,
            topic=topic,
            priority=priority,
            defaults={"first_response_minutes": first_response, "resolution_minutes": resolution},
        )
    audit_change(obj=policy, before=before)
    return policy


@transaction.atomic
def queue_upsert(
    *,
    slug: str,
    name: str,
    language: str,
    topics: Iterable[Topic],
    hours: BusinessHours | None = None,
    fallback: Queue | None = None,
    escalation_queue: Queue | None = None,
    sla_policy: SlaPolicy | None = None,
    sort_order: int = 100,
    is_active: bool = True,
) -> Queue:
    """Create or update a queue by slug."""
    if language not in dict(settings.LANGUAGES):
        raise InvalidTicket(f"Language {language!r} is not one of the desk's languages.")
    before = audit_before(Queue, slug=slug)
    queue, _ = Queue.objects.update_or_create(
        slug=slug,
        defaults={
            "name": name,
            "language": language,
            "hours": hours,
            "fallback": fallback,
            "escalation_queue": escalation_queue,
            "sla_policy": sla_policy,
            "sort_order": sort_order,
            "is_active": is_active,
        },
    )
    queue.topics.set(list(topics))
    audit_change(obj=queue, before=before)
    return queue


@transaction.atomic
def agent_configure(
    *,
    agent: User,
    queues: Iterable[Queue],
    languages: Sequence[str],
    capacity: int,
) -> AgentProfile:
    """Set an agent's queues, languages and capacity (presence is theirs to set)."""
    unknown = [code for code in languages if code not in dict(settings.LANGUAGES)]
    if unknown or not languages:
        raise InvalidTicket(f"Languages must be some of {sorted(dict(settings.LANGUAGES))}.")
    if capacity < 1:
        raise InvalidTicket("Capacity is at least 1.")
    before = audit_before(AgentProfile, user=agent)
    profile = agent_profile_ensure(agent=agent)
    profile.languages = list(languages)
    profile.capacity = capacity
    profile.save(update_fields=["languages", "capacity"])
    profile.queues.set(list(queues))
    audit_change(obj=profile, before=before)
    return profile
