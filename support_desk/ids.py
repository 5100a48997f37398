"""Public ids that cannot be guessed from one another.

Tickets, disputes, warranty claims, attachments and evidence appear in URLs
and in references buyers quote (``SD-…``). Numbered in sequence, each would
tell how busy the desk is and invite trying the neighbours. Their primary
keys are random integers instead, drawn in Python from the operating
system's secure source.

The range keeps them apart from the small numbers that rows made before the
change (and generated benchmark data) carry, and below 2**53, so they stay
exact in JSON and JavaScript. Uniqueness comes from size: with about 9·10**15
values, even a million rows have a chance of about 1 in 18,000 that any two
collide, and a collision fails the insert on the primary key instead of
writing over anything.
"""

from __future__ import annotations

import secrets

RANDOM_ID_MIN = 2**32
RANDOM_ID_MAX = 2**53  # exclusive: every id is exact as a JSON number


def random_id() -> int:
    """Return a random id in [RANDOM_ID_MIN, RANDOM_ID_MAX)."""
    return RANDOM_ID_MIN + secrets.randbelow(RANDOM_ID_MAX - RANDOM_ID_MIN)
