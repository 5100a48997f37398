"""Background work of the help centre: storing funnel events, refreshing search."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task


@shared_task(name="maintenance.record_faq_event")
def record_faq_event(
    *, kind: str, entry_id: int, language: str, visitor: str, at: str, channel: str = ""
) -> bool:
    """Store one funnel event recorded by a page or the API."""
    from faq.services import faq_event_store

    return faq_event_store(
        kind=kind,
        entry_id=entry_id,
        language=language,
        visitor=visitor,
        at=datetime.fromisoformat(at),
        channel=channel,
    )


@shared_task(name="maintenance.refresh_faq_search")
def refresh_faq_search() -> None:
    """Rebuild the search vocabulary after content changed."""
    from faq.search import faq_search_refresh

    faq_search_refresh()


@shared_task(name="maintenance.flush_faq_events")
def flush_faq_events() -> int:
    """Store the funnel events buffered in Redis (full mode)."""
    from faq import event_buffer
    from faq.services import faq_events_flush

    return faq_events_flush() if event_buffer.enabled() else 0
