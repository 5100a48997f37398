"""What every figure shares: the filters, the labels of ids, narrowing a rollup."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from faq.models import Topic
from reports.models import NONE
from reports.services.daily import days
from tickets.models import Queue

MAX_DAYS = 400
FRACTIONS = (0.5, 0.9)


@dataclass(frozen=True)
class ReportFilters:
    """What a report covers: days ``first`` up to ``until`` (not included), and narrowing choices.

    ``agent_id`` limits tickets and ratings to one agent's (an agent's own report).
    """

    first: date
    until: date
    topic_id: int | None = None
    queue_id: int | None = None
    language: str | None = None
    agent_id: int | None = None

    @property
    def last(self) -> date:
        return self.until - timedelta(days=1)

    @property
    def is_own(self) -> bool:
        return self.agent_id is not None

    def day_list(self) -> list[date]:
        return list(days(self.first, self.last))


@dataclass
class Names:
    """Labels of the ids the rollups keep, and the slugs the filters use; read once per page."""

    topics: dict[int, str] = field(default_factory=dict)
    queues: dict[int, str] = field(default_factory=dict)
    topic_slugs: dict[str, int] = field(default_factory=dict)
    queue_slugs: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Names:
        """Read every topic and queue (the filter form lists them too): two queries."""
        names = cls()
        for pk, slug, name in Topic.objects.order_by("sort_order", "slug").values_list(
            "pk", "slug", "name"
        ):
            names.topics[pk] = name
            names.topic_slugs[slug] = pk
        for pk, slug, name in Queue.objects.order_by("sort_order", "name").values_list(
            "pk", "slug", "name"
        ):
            names.queues[pk] = name
            names.queue_slugs[slug] = pk
        return names

    def topic(self, topic_id: int) -> str:
        return self.topics.get(topic_id, _("Topic %(id)s") % {"id": topic_id})

    def queue(self, queue_id: int) -> str:
        if queue_id == NONE:
            return _("Not routed yet")
        return self.queues.get(queue_id, _("Queue %(id)s") % {"id": queue_id})

    def agents(self, ids: set[int]) -> dict[int, str]:
        """Return display names of the agents ``ids`` (one query)."""
        users = User.objects.filter(pk__in=ids - {NONE})
        names = {user.pk: user.display_name for user in users}
        names[NONE] = _("No agent")
        return names


# --- Scoping ---------------------------------------------------------------------


def scoped(rows: Any, filters: ReportFilters, *, day: str) -> QuerySet[Any]:
    """Narrow a rollup or the facts to the filters; ``day`` names the day column used."""
    rows = rows.order_by().filter(**{f"{day}__gte": filters.first, f"{day}__lt": filters.until})
    if filters.topic_id is not None:
        rows = rows.filter(topic_id=filters.topic_id)
    if filters.queue_id is not None and "queue_id" in _fields(rows):
        rows = rows.filter(queue_id=filters.queue_id)
    if filters.language:
        rows = rows.filter(language=filters.language)
    if filters.agent_id is not None and "agent_id" in _fields(rows):
        rows = rows.filter(agent_id=filters.agent_id)
    return rows


def _fields(rows: QuerySet[Any]) -> set[str]:
    return {model_field.name for model_field in rows.model._meta.get_fields()}
