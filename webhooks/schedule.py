"""When a delivery is tried again, and when the desk gives up: pure, no database."""

from __future__ import annotations

from datetime import timedelta

# A delivery is retried for this long after its event, then marked failed.
RETRY_WINDOW = timedelta(days=1)
# The wait after the first failed attempt; each later one doubles it, up to LONGEST_WAIT.
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
# A claim older than this belongs to a worker that died while sending.
CLAIM_TIMEOUT = timedelta(minutes=10)


def retry_wait(attempts: int) -> timedelta:
    """Return the wait after ``attempts`` failed attempts: 30 s, 1 min, 2 min, 4 min … 1 h."""
    doublings = min(max(attempts - 1, 0), 16)
    return min(FIRST_WAIT * 2**doublings, LONGEST_WAIT)
