"""Demo help-centre content: the seeded topics and their answers in three languages."""

from __future__ import annotations

from datetime import datetime

from faq import services
from faq.demo_content import load_all


def load(*, now: datetime) -> None:
    """Create or update the demo topics and entries; unchanged text is left alone."""
    for module in load_all():
        spec = module.TOPIC
        topic = services.topic_upsert(
            slug=spec["slug"],
            name=spec["name"],
            description=spec["description"],
            icon=spec["icon"],
            sort_order=spec["sort_order"],
            email_contact=spec["email_contact"],
        )
        for entry in module.ENTRIES:
            services.faq_entry_upsert(
                topic=topic,
                slug=entry["slug"],
                texts=entry["text"],
                sort_weight=entry["weight"],
                operator_resolvable=entry["operator_resolvable"],
                email_contact=entry["email_contact"],
            )
