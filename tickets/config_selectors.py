"""Reads of the desk's set-up for supervisors' tools: SLA policies, business hours, macros."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from faq.models import Topic
from tickets.agent_selectors import QueueNotFound
from tickets.models import BusinessHours, Macro, Queue, SlaPolicy
from tickets.services.setup import MacroNotFound, SlaPolicyNotFound


def sla_policy_list() -> QuerySet[SlaPolicy]:
    """Return every SLA policy with its targets and their topics loaded."""
    return SlaPolicy.objects.prefetch_related("targets__topic")


def sla_policy_get(*, policy_id: int) -> SlaPolicy:
    """Return the SLA policy ``policy_id`` with its targets; raise SlaPolicyNotFound."""
    policy = sla_policy_list().filter(pk=policy_id).first()
    if policy is None:
        raise SlaPolicyNotFound(_("No SLA policy %(id)s.") % {"id": policy_id})
    return policy


def sla_policies_by_name(*, names: list[str]) -> dict[str, SlaPolicy]:
    """Return the SLA policies among ``names``, keyed by name."""
    return {policy.name: policy for policy in SlaPolicy.objects.filter(name__in=names)}


def business_hours_by_name(*, names: list[str]) -> dict[str, BusinessHours]:
    """Return the business hours among ``names``, keyed by name."""
    return {hours.name: hours for hours in BusinessHours.objects.filter(name__in=names)}


def topics_by_slug(*, slugs: list[str]) -> dict[str, Topic]:
    """Return the topics (active or not) among ``slugs``, keyed by slug."""
    return {topic.slug: topic for topic in Topic.objects.filter(slug__in=slugs)}


def queue_hours_get(*, slug: str) -> Queue:
    """Return the queue ``slug`` with its hours and their holidays loaded; raise QueueNotFound."""
    queue = (
        Queue.objects.filter(slug=slug)
        .select_related("hours")
        .prefetch_related("hours__holidays", "hours__queues")
        .first()
    )
    if queue is None:
        raise QueueNotFound(_("No queue %(slug)s.") % {"slug": slug})
    return queue


def macro_get(*, macro_id: int) -> Macro:
    """Return the macro ``macro_id``, active or not, with its topic; raise MacroNotFound."""
    macro = Macro.objects.select_related("topic").filter(pk=macro_id).first()
    if macro is None:
        raise MacroNotFound(_("No macro %(id)s.") % {"id": macro_id})
    return macro
