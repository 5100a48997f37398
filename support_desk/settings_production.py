"""Production settings: the base settings with every required variable enforced.

Use with ``DJANGO_SETTINGS_MODULE=support_desk.settings_production``. Refuses to
start without a real secret key, PostgreSQL, Redis and the served host names;
turns on HTTPS-only cookies, HSTS and the SSL redirect; never loads demo data.
"""

from __future__ import annotations

from support_desk.env import EnvError, env_bool, env_int, env_str

# Checked before the base settings are read, so that no embedded default
# (a secret key file, a SQLite database) is ever made in production.
_secret = env_str("DJANGO_SECRET_KEY", required=True)
if len(_secret) < 50 or len(set(_secret)) < 5:
    raise EnvError("DJANGO_SECRET_KEY must be at least 50 random characters in production")
if not env_str("DATABASE_URL", required=True).startswith(("postgres://", "postgresql://")):
    raise EnvError("DATABASE_URL must be a postgres:// URL in production")
env_str("REDIS_URL", required=True)
env_str("DJANGO_ALLOWED_HOSTS", required=True)

from support_desk.settings import *  # noqa: E402,F403

DEBUG = False
DESK_DEMO_ALLOWED = False
if DESK_WEBHOOKS_ALLOW_PRIVATE:  # noqa: F405
    raise EnvError(
        "DESK_WEBHOOKS_ALLOW_PRIVATE must be off in production: webhooks to private "
        "addresses would let an API key reach the desk's own network"
    )

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# /healthz and /readyz answer plain HTTP probes from the orchestrator.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if env_bool("DJANGO_BEHIND_TLS_PROXY", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000, minimum=3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
