"""The funnel's records: what visitors viewed, searched and found helpful."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F

from faq import event_buffer, tasks
from faq.models import FaqEntry, FaqEvent, FaqEventKind, FaqFeedback
from faq.services._common import check_visitor
from faq.visitors import VISITOR_MAX_CHARS


def faq_event_record(
    *,
    kind: FaqEventKind,
    entry: FaqEntry,
    language: str,
    visitor: str,
    now: datetime,
    channel: str = "",
) -> None:
    """Record a funnel step without a database write on the request's path.

    After the request's transaction commits, the event is pushed to the Redis
    buffer (full mode; ``faq_events_flush`` stores it in bulk) or sent to a
    Celery task (embedded mode; ``faq_event_store``).
    """
    event: dict[str, Any] = {
        "kind": str(kind),
        "entry_id": entry.pk,
        "language": language,
        "visitor": check_visitor(visitor),
        "at": now.isoformat(),
        "channel": channel,
    }

    # Robust: a funnel event lost to a Redis or broker outage must never
    # fail the page or the ticket that recorded it.
    # (A named function: Django's robust on_commit logs the callback's __qualname__.)
    def send_faq_event() -> None:
        if event_buffer.enabled():
            event_buffer.push(event)
        else:
            tasks.record_faq_event.delay(**event)

    transaction.on_commit(send_faq_event, robust=True)


@transaction.atomic
def faq_events_flush(*, max_events: int = 5000) -> int:
    """Store buffered funnel events in bulk and count the views; return how many were stored.

    Events of entries deleted in the meantime are dropped.
    """
    events = event_buffer.drain(max_events=max_events)
    if not events:
        return 0
    topics = dict(
        FaqEntry.objects.filter(pk__in={e["entry_id"] for e in events}).values_list(
            "pk", "topic_id"
        )
    )
    rows = [
        FaqEvent(
            kind=FaqEventKind(e["kind"]),
            entry_id=e["entry_id"],
            topic_id=topics[e["entry_id"]],
            language=e["language"][:8],
            visitor=e["visitor"][:VISITOR_MAX_CHARS],
            channel=e.get("channel", "")[:16],
            created_at=datetime.fromisoformat(e["at"]),
        )
        for e in events
        if e["entry_id"] in topics
    ]
    FaqEvent.objects.bulk_create(rows, batch_size=1000)
    views = Counter(row.entry_id for row in rows if row.kind == FaqEventKind.VIEW)
    for entry_id, count in views.items():
        FaqEntry.objects.filter(pk=entry_id).update(view_count=F("view_count") + count)
    return len(rows)


@transaction.atomic
def faq_event_store(
    *, kind: str, entry_id: int, language: str, visitor: str, at: datetime, channel: str = ""
) -> bool:
    """Store one funnel event and count views on the entry; False when the entry is gone."""
    entry = FaqEntry.objects.filter(pk=entry_id).only("pk", "topic_id").first()
    if entry is None:
        return False
    FaqEvent.objects.create(
        kind=FaqEventKind(kind),
        entry_id=entry.pk,
        topic_id=entry.topic_id,
        language=language[:8],
        visitor=check_visitor(visitor),
        channel=channel[:16],
        created_at=at,
    )
    if kind == FaqEventKind.VIEW:
        FaqEntry.objects.filter(pk=entry.pk).update(view_count=F("view_count") + 1)
    return True


def faq_feedback_record(
    *, entry: FaqEntry, visitor: str, language: str, helpful: bool, now: datetime
) -> FaqFeedback:
    """Record a visitor's yes/no on an answer; a second answer replaces the first."""
    feedback, _ = FaqFeedback.objects.update_or_create(
        entry=entry,
        visitor=check_visitor(visitor),
        defaults={
            "topic_id": entry.topic_id,
            "language": language,
            "helpful": helpful,
            "updated_at": now,
        },
        create_defaults={
            "topic_id": entry.topic_id,
            "language": language,
            "helpful": helpful,
            "created_at": now,
            "updated_at": now,
        },
    )
    return feedback
