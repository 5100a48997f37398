"""Settings for Support Desk, read wholly from the environment.

With no variables set the desk runs embedded: SQLite, a file-based Celery
broker and cache under ``var/``, so a real worker and beat run beside the web
process with no server installed. ``DATABASE_URL`` and ``REDIS_URL`` switch to
full mode (PostgreSQL, Redis as broker, result store and cache).
``.env.example`` documents every variable.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from support_desk.env import (
    EnvError,
    env_bool,
    env_database,
    env_int,
    env_list,
    env_rates,
    env_redis_url,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("DESK_VAR_DIR", str(BASE_DIR / "var"))).resolve()


def _var_path(*parts: str) -> Path:
    """Return a path under VAR_DIR, creating its folder."""
    path = VAR_DIR.joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _embedded_secret_key() -> str:
    """Return the secret key of this checkout, made once and kept in var/."""
    key_file = _var_path() / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


# --- Core -----------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "") or _embedded_secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# Demo data and demo logins exist only where this is true; never in production.
DESK_DEMO_ALLOWED = env_bool("DESK_DEMO_ALLOWED", True)
DESK_SITE_NAME = env_str("DESK_SITE_NAME", "Support Desk")
DESK_SUPPORT_EMAIL = env_str("DESK_SUPPORT_EMAIL", "support@support-desk.test")
DESK_HOTLINE_PHONE = env_str("DESK_HOTLINE_PHONE", "+1 800 555 0100")
# Links in mail point here.
DESK_BASE_URL = env_str("DESK_BASE_URL", "http://127.0.0.1:8000")
# Tickets: solved ones close after this long; pending ones remind the buyer,
# then close if the reminder goes unanswered.
DESK_SOLVED_CLOSE_AFTER_HOURS = env_int("DESK_SOLVED_CLOSE_AFTER_HOURS", 72, minimum=1)
DESK_PENDING_REMIND_AFTER_HOURS = env_int("DESK_PENDING_REMIND_AFTER_HOURS", 48, minimum=1)
DESK_PENDING_CLOSE_AFTER_HOURS = env_int("DESK_PENDING_CLOSE_AFTER_HOURS", 72, minimum=1)
# Disputes: open until this many days after delivery; the seller answers within
# DESK_DISPUTE_SELLER_DAYS, and silence escalates to the desk ("escalate") or
# resolves for the buyer ("buyer"). Warranty claims: the seller answers within days.
DESK_DISPUTE_WINDOW_DAYS = env_int("DESK_DISPUTE_WINDOW_DAYS", 30, minimum=1)
DESK_DISPUTE_SELLER_DAYS = env_int("DESK_DISPUTE_SELLER_DAYS", 5, minimum=1)
DESK_DISPUTE_SELLER_SILENCE = env_str("DESK_DISPUTE_SELLER_SILENCE", "escalate")
if DESK_DISPUTE_SELLER_SILENCE not in ("escalate", "buyer"):
    raise EnvError("DESK_DISPUTE_SELLER_SILENCE: use escalate or buyer.")
DESK_WARRANTY_SELLER_DAYS = env_int("DESK_WARRANTY_SELLER_DAYS", 5, minimum=1)
# The seller is mailed once this many hours before their deadline; a resolved
# dispute or claim closes (no more steps) this many days after its last step.
DESK_CASE_REMIND_HOURS = env_int("DESK_CASE_REMIND_HOURS", 24, minimum=1)
DESK_CASE_CLOSE_AFTER_DAYS = env_int("DESK_CASE_CLOSE_AFTER_DAYS", 14, minimum=1)
# A buyer may change their rating of the help for this many days.
DESK_RATING_CHANGE_DAYS = env_int("DESK_RATING_CHANGE_DAYS", 7, minimum=1)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "support_desk",
    "accounts",
    "faq",
    "tickets",
    "orders",
    "disputes",
    "api",
    "webhooks",
    "reports",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Changes made while serving a request name its caller, address and id in the audit trail.
    "audit.middleware.AuditRequestMiddleware",
    # Every refused request (401, 403, 429) is logged once on desk.security (support_desk.security_log).
    "support_desk.security_log.RefusalLogMiddleware",
    # Before anything reads the body: an oversized API request is refused unread.
    "api.limits.ApiBodyLimitMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "faq.visitors.VisitorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Needs the caller (authentication) and the caller's language; last, so a
    # replayed answer passes every other layer as the first answer did.
    "api.idempotency.IdempotencyMiddleware",
]

ROOT_URLCONF = "support_desk.urls"
WSGI_APPLICATION = "support_desk.wsgi.application"
ASGI_APPLICATION = "support_desk.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.desk",
            ],
        },
    },
]
# Django's form renderer, with <select> lists drawn without a template per option.
FORM_RENDERER = "support_desk.forms_renderer.DeskFormRenderer"

# --- Database -------------------------------------------------------------

_default_sqlite = f"sqlite:///{VAR_DIR / 'desk.sqlite3'}"
_database = env_database("DATABASE_URL", _default_sqlite)
if _database["ENGINE"] == "django.db.backends.sqlite3":
    _var_path()
    # Web, worker and beat share the file: WAL and IMMEDIATE transactions keep
    # them from failing with "database is locked".
    _database["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # The reports' covering index lists columns PostgreSQL reads from the index
    # alone; SQLite builds it without them, which is all the embedded desk needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    _database["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
    _database["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _database}
# The live checks' statements are prepared once per PostgreSQL connection
# (support_desk.prepared); false behind a pooler in transaction mode.
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache and Celery ----------------------------------------------

REDIS_URL = env_redis_url("REDIS_URL")
DESK_FULL_MODE = REDIS_URL is not None

if REDIS_URL:
    CACHES: dict[str, Any] = {
        "default": {"BACKEND": "support_desk.cache.DeskRedisCache", "LOCATION": REDIS_URL}
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(_var_path("cache")),
        }
    }
    # kombu's filesystem transport: a real broker with no server to run.
    _broker_dir = str(_var_path("broker", "messages"))
    CELERY_BROKER_URL = "filesystem://localhost//"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": _broker_dir,
        "data_folder_out": _broker_dir,
        "control_folder": str(_var_path("broker", "control")),
        "store_processed": False,
        "polling_interval": 0.2,
    }
    CELERY_RESULT_BACKEND = f"file://{_var_path('results')}"

# The longest task may run CELERY_TASK_TIME_LIMIT seconds; a message not acked
# by then comes back only after the visibility timeout, so that is longer.
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300, minimum=1)
CELERY_TASK_SOFT_TIME_LIMIT = max(1, CELERY_TASK_TIME_LIMIT - 30)
CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = env_int(
    "CELERY_VISIBILITY_TIMEOUT", 3600, minimum=CELERY_TASK_TIME_LIMIT + 60
)
# Web processes send tasks after their commit and must not wait for a broker
# that is down (the sweepers send later what could not be sent): one
# connection attempt, not kombu's retries for up to broker_connection_timeout.
# Workers and beat reconnect by their own, patient policy.
CELERY_BROKER_TRANSPORT_OPTIONS["max_retries"] = 0
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# Unless this is set, Celery's Django fixup closes every database connection
# before and after each task, and each task pays for a new PostgreSQL
# connection. With it the fixup closes them only every that many tasks, and
# support_desk.celery applies CONN_MAX_AGE and the health checks around each
# task, as Django does around each request.
CELERY_DB_REUSE_MAX = 1000
# Celery queues are kinds of work; agent queues are database rows.
CELERY_TASK_DEFAULT_QUEUE = "default"
DESK_CELERY_QUEUES = ["default", "routing", "notifications", "webhooks", "maintenance"]
CELERY_TASK_QUEUES = [Queue(name, routing_key=name) for name in DESK_CELERY_QUEUES]
CELERY_TASK_ROUTES = {
    "routing.*": {"queue": "routing"},
    "notifications.*": {"queue": "notifications"},
    "webhooks.*": {"queue": "webhooks"},
    "maintenance.*": {"queue": "maintenance"},
}
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "maintenance.clear_expired_sessions",
        "schedule": 3600.0,
    },
    "flush-faq-events": {
        # Funnel events buffered in Redis (full mode) are stored in bulk.
        "task": "maintenance.flush_faq_events",
        "schedule": 5.0,
    },
    "route-unrouted-tickets": {
        # Tickets saved while the broker was down (or whose message was lost)
        # are routed here; free online agents get waiting tickets.
        "task": "routing.sweep",
        "schedule": 10.0,
    },
    "resend-owed-mail": {
        # Mail whose message was lost or whose retries ran out goes again.
        "task": "notifications.sweep",
        "schedule": 60.0,
    },
    "dispute-deadlines": {
        # Safe to run twice; after downtime it acts on everything missed, once.
        "task": "maintenance.dispute_deadlines",
        "schedule": 60.0,
    },
    "sla-watch": {
        "task": "maintenance.sla_sweep",
        "schedule": 60.0,
    },
    "purge-idempotency-keys": {
        "task": "maintenance.idempotency_purge",
        "schedule": 3600.0,
    },
    "send-due-webhooks": {
        # Webhook retries wait here for their time, as do deliveries whose message was lost.
        "task": "webhooks.sweep",
        "schedule": 60.0,
    },
    "reports-rollup": {
        # Facts of changed tickets and the last days' rollups; catches up after downtime.
        "task": "maintenance.reports_rollup",
        "schedule": 120.0,
    },
    "refresh-faq-search": {
        # A safety net: content changes refresh search right after commit.
        "task": "maintenance.refresh_faq_search",
        "schedule": 3600.0,
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(_var_path() / "celerybeat-schedule")

# --- Auth -----------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "help:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password guesses: per username and per client address, in a window that runs
# from the first attempt; over a limit every attempt is refused unchecked until
# the window ends (429, "try again in N minutes"). Sign-up and password-reset
# requests count against the address too, and their mail is limited per recipient.
DESK_LOGIN_LIMIT_PER_ACCOUNT = env_int("DESK_LOGIN_LIMIT_PER_ACCOUNT", 5, minimum=1)
DESK_LOGIN_LIMIT_PER_IP = env_int("DESK_LOGIN_LIMIT_PER_IP", 50, minimum=1)
DESK_LOGIN_LIMIT_WINDOW_SECONDS = env_int("DESK_LOGIN_LIMIT_WINDOW_SECONDS", 900, minimum=1)
DESK_LOGIN_LIMIT_MAILS_PER_EMAIL = env_int("DESK_LOGIN_LIMIT_MAILS_PER_EMAIL", 3, minimum=1)

# --- Internationalisation -------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("el", _("Greek"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static and uploaded files --------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = env_str("DJANGO_STATIC_ROOT", str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env_str("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media"))
# Ticket attachments live outside MEDIA_ROOT and have no URL: only the desk's
# own view serves them, after checking who asks.
DESK_ATTACHMENTS_DIR = env_str("DESK_ATTACHMENTS_DIR", str(VAR_DIR / "attachments"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "attachments": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DESK_ATTACHMENTS_DIR, "base_url": None},
    },
}
# What may be attached to a message: per-file size, files per message, and the
# kinds accepted. Kinds are recognised by content, never by name.
DESK_ATTACHMENT_KNOWN_TYPES = (
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "application/pdf",
    "text/plain",
)
DESK_ATTACHMENT_MAX_BYTES = env_int("DESK_ATTACHMENT_MAX_MB", 10, minimum=1) * 1024 * 1024
DESK_ATTACHMENT_MAX_FILES = env_int("DESK_ATTACHMENT_MAX_FILES", 5, minimum=1)
DESK_ATTACHMENT_TYPES = env_list("DESK_ATTACHMENT_TYPES", list(DESK_ATTACHMENT_KNOWN_TYPES))
if _unknown_types := sorted(set(DESK_ATTACHMENT_TYPES) - set(DESK_ATTACHMENT_KNOWN_TYPES)):
    raise EnvError(
        f"DESK_ATTACHMENT_TYPES: unknown {', '.join(_unknown_types)}; "
        f"known: {', '.join(DESK_ATTACHMENT_KNOWN_TYPES)}"
    )

# --- Mail -----------------------------------------------------------------

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Support Desk <support@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_email_host = env_str("EMAIL_HOST", "")
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("EMAIL_PORT", 587, minimum=1),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                # A mail server that stops answering fails the send, which is retried.
                "timeout": 30,
            },
        }
    }
else:
    # Embedded mode prints every sent message in the worker's output.
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# Replies to the desk's mail go to reply+<ticket>.<signature>@ this address's domain.
DESK_REPLY_ADDRESS = env_str("DESK_REPLY_ADDRESS", "reply@support-desk.test")
# Shared secret of the inbound-mail endpoint (HMAC-SHA256 of the body); empty: endpoint off.
DESK_INBOUND_SECRET = env_str("DESK_INBOUND_SECRET", "")
DESK_INBOUND_MAX_BYTES = env_int("DESK_INBOUND_MAX_BYTES", 25 * 1024 * 1024, minimum=1024)
# The mailbox `manage.py fetch_mail --imap` reads.
DESK_INBOUND_IMAP_HOST = env_str("DESK_INBOUND_IMAP_HOST", "")
DESK_INBOUND_IMAP_PORT = env_int("DESK_INBOUND_IMAP_PORT", 993, minimum=1)
DESK_INBOUND_IMAP_USER = env_str("DESK_INBOUND_IMAP_USER", "")
DESK_INBOUND_IMAP_PASSWORD = env_str("DESK_INBOUND_IMAP_PASSWORD", "")
DESK_INBOUND_IMAP_FOLDER = env_str("DESK_INBOUND_IMAP_FOLDER", "INBOX")
DESK_INBOUND_IMAP_SSL = env_bool("DESK_INBOUND_IMAP_SSL", True)

# --- Security headers -----------------------------------------------------

# Django's database sessions and model backend, each reading a request's
# session and user without the ORM's query building (accounts.sessions, .backends).
SESSION_ENGINE = "accounts.sessions"
AUTHENTICATION_BACKENDS = ["accounts.backends.DeskBackend"]
SESSION_COOKIE_HTTPONLY = True
# Logs the refusal on desk.security; JSON under /api/, Django's page elsewhere.
CSRF_FAILURE_VIEW = "support_desk.security_log.csrf_failure"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    # Scripts and styles only from the desk's own files, or inline with this response's
    # nonce: no injected <script>, event handler, style attribute or evaluated string
    # runs (tests/security/test_csp.py; the API docs' page styles are a static file).
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# --- API ------------------------------------------------------------------

REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.DeskCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    # Each key (or signed-in person) per scope and window: DESK_API_RATES below.
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.CallerRateThrottle"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Proxies in front of the desk: throttles then trust only their X-Forwarded-For hops.
    "NUM_PROXIES": env_int("DJANGO_NUM_PROXIES", 0, minimum=0),
    "DEFAULT_THROTTLE_RATES": {
        # Calls open to anonymous buyers (FAQ feedback, the assistant), per client address.
        "anon_feedback": env_str("DESK_THROTTLE_ANON_FEEDBACK", "30/min"),
        "anon_assistant": env_str("DESK_THROTTLE_ANON_ASSISTANT", "20/min"),
    },
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append(
        "rest_framework.renderers.BrowsableAPIRenderer"
    )

# API rate limits per API key (or signed-in person) and window, by the scope an
# operation needs, else by "read" (GET) or "write"; override any of them, e.g.
# DESK_API_RATES="read=3000/min,tickets:write=60/min". Over it: 429 + Retry-After.
DESK_API_RATES = env_rates(
    "DESK_API_RATES",
    {
        "read": "1200/min",
        "write": "300/min",
        "tickets:write": "120/min",
        "disputes:write": "120/min",
        "orders:write": "600/min",
    },
)
# A whole request to /api/ (files included) may hold at most this much; JSON
# bodies at most DATA_UPLOAD_MAX_MEMORY_SIZE (Django's 2.5 MB).
DESK_API_MAX_BODY_MB = env_int("DESK_API_MAX_BODY_MB", 60, minimum=1)

# Sync lists (tickets, orders, disputes, claims by update time) end each pass
# this many seconds back, so changes still being committed are never passed over.
DESK_API_SYNC_LAG_SECONDS = env_int("DESK_API_SYNC_LAG_SECONDS", 2, minimum=0)

# A POST's Idempotency-Key is honoured (its first answer replayed) this long.
DESK_IDEMPOTENCY_TTL_HOURS = env_int("DESK_IDEMPOTENCY_TTL_HOURS", 24, minimum=1)

SPECTACULAR_SETTINGS = {
    "TITLE": "Support Desk API",
    "DESCRIPTION": (
        "REST API for integrators: the marketplace's back end, partner tools and apps. "
        "Authenticate with an API key in the `Authorization: Bearer KEY` header; each "
        "operation lists the scopes it needs. Errors are JSON: "
        '`{"error": {"code": ..., "message": ..., "details": ...}}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.idempotency.schema_add_idempotency_key",
    ],
}

# --- Webhooks -------------------------------------------------------------

# Webhooks go only to public addresses: loopback, private and link-local ones
# would let a subscription reach services inside the desk's own network. True
# lifts that, for tests and local development only.
DESK_WEBHOOKS_ALLOW_PRIVATE = env_bool("DESK_WEBHOOKS_ALLOW_PRIVATE", False)
# How long one delivery attempt may take (connect, send, answer), in seconds.
DESK_WEBHOOKS_TIMEOUT_SECONDS = env_int("DESK_WEBHOOKS_TIMEOUT_SECONDS", 10, minimum=1)

# --- Logging --------------------------------------------------------------

# desk.security holds one record per refused request (who, what, when; see
# support_desk.security_log); Django's own copies of those answers on
# django.request and django.security.csrf are dropped. django.template's DEBUG
# records are cut to their message: the exception they carry prints the
# template context, CSRF token and form data included. SQL is never logged
# with its parameters (sessions' keys are among them).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "drop_logged_refusals": {"()": "support_desk.security_log.DropLoggedRefusals"},
        "drop_template_context": {"()": "support_desk.security_log.DropTemplateContext"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["drop_logged_refusals"]},
        "django.security.csrf": {"filters": ["drop_logged_refusals"]},
        "django.template": {"filters": ["drop_template_context"]},
        "desk.security": {"level": "INFO"},
    },
}
