"""Hand-written demo content for the help centre, one module per topic.

Each topic module holds only data: ``TOPIC`` (slug, icon, sort order, whether the
topic offers e-mail contact, and the name and description in English, Russian and
Greek) and ``ENTRIES`` (the questions and Markdown answers). A few entries are
deliberately English-only, so that the fallback to English can be seen and tested.
``faq.demo`` reads the modules through :func:`load_all` and seeds the database.
"""

from __future__ import annotations

import importlib
import types

TOPIC_MODULES = ("payment", "refund", "dispute", "warranty")


def load_all() -> list[types.ModuleType]:
    """Import the topic modules and return them in the order of ``TOPIC_MODULES``."""
    return [importlib.import_module(f"{__name__}.{name}") for name in TOPIC_MODULES]
