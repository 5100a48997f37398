"""Settings for the test suite.

Locally the suite runs embedded (SQLite, file broker) unless DATABASE_URL and
REDIS_URL are given. Under ``CI=true`` it runs on the machine's PostgreSQL and
Redis, and the integration tests fail rather than skip when they are missing.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from support_desk.env import env_bool

if env_bool("CI", False):
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/support_desk")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
# Each test process gets its own var/ (broker files, results, cache, secret),
# removed when that process ends (not when a child forked from it does).
os.environ["DESK_VAR_DIR"] = tempfile.mkdtemp(prefix="support-desk-test-")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-" + "x" * 20)

from support_desk.settings import *  # noqa: F403


def _remove_var_dir(path: str = os.environ["DESK_VAR_DIR"], owner: int = os.getpid()) -> None:
    if os.getpid() == owner:
        shutil.rmtree(path, ignore_errors=True)


atexit.register(_remove_var_dir)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "attachments": STORAGES["attachments"],  # noqa: F405
}
DESK_DEMO_ALLOWED = True
# Lists show what a test just wrote; the sync test sets its own lag.
DESK_API_SYNC_LAG_SECONDS = 0
# Tests call the API far faster than an integrator may; the limits' own test lowers them.
DESK_API_RATES = dict.fromkeys(DESK_API_RATES, "100000/min")  # noqa: F405
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405
WHITENOISE_USE_FINDERS = True

# Several test runs may share this machine's PostgreSQL and Redis: each run
# gets its own test database and broker keys. The cache lives in another
# Redis database, so one run clearing its cache never drops another's tasks.
_RUN = os.getpid()
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"test_support_desk_{_RUN}"}  # noqa: F405
else:
    # A file, not shared-cache memory: the in-process Celery worker and the
    # test write at once, and only a file database has WAL and a busy timeout
    # (shared-cache memory refuses a locked table at once).
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(os.environ["DESK_VAR_DIR"], "test.sqlite3")
    }
if REDIS_URL:  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = f"test-{_RUN}:"  # noqa: F405
    CELERY_RESULT_BACKEND = CELERY_BROKER_URL = REDIS_URL  # noqa: F405
    CACHES["default"]["LOCATION"] = REDIS_URL.rsplit("/", 1)[0] + "/14"  # noqa: F405
    # Runs side by side share that database: each clears only its own keys.
    CACHES["default"]["KEY_PREFIX"] = f"test-{_RUN}"  # noqa: F405
