"""Setting the desk up piece by piece: queues, their hours and holidays, SLA policies, macros.

Built on the upserts of ``tickets.services.config`` and ``macros`` (which
record each change in the audit trail): these add what a caller creating or
changing one thing at a time needs, refusing what the upserts would take as
something else (a second queue with a slug in use, a queue that is its own
fallback).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TypedDict

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_before, audit_change
from faq.models import Topic
from support_desk.errors import DomainError
from tickets.agent_selectors import QueueNotFound
from tickets.models import BusinessHours, Holiday, Macro, Queue, SlaPolicy
from tickets.services._common import InvalidTicket
from tickets.services.config import business_hours_upsert, queue_upsert, sla_policy_upsert
from tickets.services.macros import macro_upsert


class QueueExists(DomainError):
    code = "queue_exists"
    status = 409


class SlaPolicyExists(DomainError):
    code = "sla_policy_exists"
    status = 409


class QueueHasNoHours(DomainError):
    code = "queue_always_open"
    status = 409


class SlaPolicyNotFound(DomainError):
    code = "sla_policy_not_found"
    status = 404


class HolidayNotFound(DomainError):
    code = "holiday_not_found"
    status = 404


class QueueSetup(TypedDict, total=False):
    """A queue's fields as queue_upsert takes them (all but the slug)."""

    name: str
    language: str
    topics: Sequence[Topic]
    hours: BusinessHours | None
    fallback: Queue | None
    escalation_queue: Queue | None
    sla_policy: SlaPolicy | None
    sort_order: int
    is_active: bool


SlaTargetSpec = tuple[Topic | None, int, int, int]


def _lock_queue(slug: str) -> Queue:
    queue = Queue.objects.select_for_update().filter(slug=slug).first()
    if queue is None:
        raise QueueNotFound(_("No queue %(slug)s.") % {"slug": slug})
    return queue


def _check_not_itself(slug: str, setup: QueueSetup) -> None:
    for field in ("fallback", "escalation_queue"):
        other: Any = setup.get(field)
        if other is not None and other.slug == slug:
            raise InvalidTicket(
                _("A queue is not its own fallback or escalation queue."),
                details={field: _("Choose another queue than this one.")},
            )


@transaction.atomic
def queue_create(*, slug: str, setup: QueueSetup) -> Queue:
    """Create the queue ``slug``; raise QueueExists if the slug is taken, InvalidTicket for bad input."""
    if Queue.objects.filter(slug=slug).exists():
        raise QueueExists(
            _("A queue %(slug)s exists.") % {"slug": slug},
            details={"slug": _("Taken by another queue.")},
        )
    _check_not_itself(slug, setup)
    return queue_upsert(slug=slug, **{"topics": (), **setup})  # type: ignore[arg-type]


@transaction.atomic
def queue_change(*, slug: str, changes: QueueSetup) -> Queue:
    """Change the fields of queue ``slug`` given in ``changes``; the others stay.

    Locks the queue. Raises QueueNotFound, InvalidTicket.
    """
    queue = _lock_queue(slug)
    _check_not_itself(slug, changes)
    current: QueueSetup = {
        "name": queue.name,
        "language": queue.language,
        "topics": list(queue.topics.all()),
        "hours": queue.hours,
        "fallback": queue.fallback,
        "escalation_queue": queue.escalation_queue,
        "sla_policy": queue.sla_policy,
        "sort_order": queue.sort_order,
        "is_active": queue.is_active,
    }
    return queue_upsert(slug=slug, **{**current, **changes})  # type: ignore[arg-type]


@transaction.atomic
def queue_hours_put(*, slug: str, time_zone: str, weekly_hours: dict[str, Any]) -> BusinessHours:
    """Set the time zone and week of queue ``slug``'s business hours.

    Hours are shared: every queue with the same hours changes too. A queue
    open around the clock gets hours of its own, named after it. Locks the
    queue. Raises QueueNotFound, InvalidTicket (hours that do not parse).
    """
    queue = _lock_queue(slug)
    if queue.hours is not None:
        return business_hours_upsert(
            name=queue.hours.name, time_zone=time_zone, weekly_hours=weekly_hours
        )
    hours = business_hours_upsert(
        name=_own_hours_name(queue), time_zone=time_zone, weekly_hours=weekly_hours
    )
    queue_change(slug=slug, changes={"hours": hours})
    return hours


def _own_hours_name(queue: Queue) -> str:
    # Hours left by this queue when it went back to around the clock are taken up again.
    return f"{queue.slug} hours"


def _hours_of(slug: str) -> BusinessHours:
    queue = _lock_queue(slug)
    if queue.hours is None:
        raise QueueHasNoHours(
            _("Queue %(slug)s is open around the clock: set its hours first.") % {"slug": slug}
        )
    return queue.hours


@transaction.atomic
def queue_holiday_add(*, slug: str, day: date, name: str) -> BusinessHours:
    """Close queue ``slug``'s hours all day on ``day`` (renaming it if already a holiday).

    Raises QueueNotFound, QueueHasNoHours.
    """
    hours = _hours_of(slug)
    return business_hours_upsert(
        name=hours.name,
        time_zone=hours.time_zone,
        weekly_hours=hours.weekly_hours,
        holidays=[(day, name)],
    )


@transaction.atomic
def queue_holiday_remove(*, slug: str, day: date) -> BusinessHours:
    """Open queue ``slug``'s hours again on ``day`` as the week says.

    Raises QueueNotFound, QueueHasNoHours, HolidayNotFound.
    """
    hours = _hours_of(slug)
    before = audit_before(BusinessHours, pk=hours.pk)
    deleted, _rows = Holiday.objects.filter(hours=hours, date=day).delete()
    if not deleted:
        raise HolidayNotFound(_("No holiday on %(day)s.") % {"day": day.isoformat()})
    audit_change(obj=hours, before=before)
    return hours


@transaction.atomic
def sla_policy_create(*, name: str, targets: Sequence[SlaTargetSpec]) -> SlaPolicy:
    """Create the SLA policy ``name`` with its targets; raise SlaPolicyExists if the name is taken."""
    if SlaPolicy.objects.filter(name=name).exists():
        raise SlaPolicyExists(
            _("An SLA policy %(name)s exists.") % {"name": name},
            details={"name": _("Taken by another policy.")},
        )
    return sla_policy_upsert(name=name, targets=targets)


@transaction.atomic
def sla_policy_targets_set(*, policy_id: int, targets: Sequence[SlaTargetSpec]) -> SlaPolicy:
    """Set the given targets of policy ``policy_id`` (others stay); raise SlaPolicyNotFound."""
    policy = SlaPolicy.objects.select_for_update().filter(pk=policy_id).first()
    if policy is None:
        raise SlaPolicyNotFound(_("No SLA policy %(id)s.") % {"id": policy_id})
    return sla_policy_upsert(name=policy.name, targets=targets)


class MacroExists(DomainError):
    code = "macro_exists"
    status = 409


class MacroNotFound(DomainError):
    code = "macro_not_found"
    status = 404


class MacroSetup(TypedDict, total=False):
    """A macro's fields as macro_upsert takes them (all but its name and language)."""

    body: str
    topic: Topic | None
    set_status: str
    sort_order: int
    is_active: bool


def _lock_macro(macro_id: int) -> Macro:
    macro = Macro.objects.select_for_update().filter(pk=macro_id).first()
    if macro is None:
        raise MacroNotFound(_("No macro %(id)s.") % {"id": macro_id})
    return macro


@transaction.atomic
def macro_create(*, name: str, language: str, setup: MacroSetup) -> Macro:
    """Create a macro; raise MacroExists when ``language`` has one named ``name``, InvalidTicket for bad input."""
    if Macro.objects.filter(name=name.strip(), language=language).exists():
        raise MacroExists(
            _("A macro %(name)s exists in %(language)s.") % {"name": name, "language": language},
            details={"name": _("Taken in this language.")},
        )
    return macro_upsert(name=name, language=language, **{"body": "", **setup})  # type: ignore[arg-type]


@transaction.atomic
def macro_change(*, macro_id: int, changes: MacroSetup) -> Macro:
    """Change the fields of macro ``macro_id`` given in ``changes``; the others stay.

    Its name and language are what it is known by and do not change. Locks
    the macro. Raises MacroNotFound, InvalidTicket.
    """
    macro = _lock_macro(macro_id)
    current: MacroSetup = {
        "body": macro.body,
        "topic": macro.topic,
        "set_status": macro.set_status,
        "sort_order": macro.sort_order,
        "is_active": macro.is_active,
    }
    merged = {**current, **changes}
    return macro_upsert(name=macro.name, language=macro.language, **merged)  # type: ignore[arg-type]
