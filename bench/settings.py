"""The desk's own settings, plus the bench URLs and a Server-Timing header.

Everything else (middleware, templates, database options) stays as the desk
ships it, so a scenario's cost against ``/bench/bare`` is honest.
"""

from support_desk.settings import *  # noqa: F403
from support_desk.settings import MIDDLEWARE as _DESK_MIDDLEWARE

ROOT_URLCONF = "bench.urls"

# First, so the header times every other middleware and the view.
MIDDLEWARE = ["bench.middleware.ServerTimingMiddleware", *_DESK_MIDDLEWARE]

# The load client calls far faster than an integrator may; the limit is still
# counted on every call (its cost is part of the measurement), never reached.
DESK_API_RATES = dict.fromkeys(DESK_API_RATES, "100000000/min")  # noqa: F405
