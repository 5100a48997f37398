"""Settings come from the environment; bad values and production gaps stop the start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "support_desk.settings_production",
    "DJANGO_SECRET_KEY": "k3H9-qv7ZxLw2pR8sT4uV6yB1nM5cD0fG8hJ2kL4mN6pQ8rS0tU2vW4xY6zA8bC0dE",
    "DATABASE_URL": "postgres://desk:pw@db.internal:5432/support_desk",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "DJANGO_ALLOWED_HOSTS": "help.example.com",
    "EMAIL_HOST": "smtp.example.com",
}


def manage(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run manage.py in a clean environment holding only ``env`` and a private var dir."""
    clean = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DESK_VAR_DIR": str(tmp_path / "var"),
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert not (tmp_path / "var" / "secret_key").exists(), (
        "production must not make an embedded key"
    )


def test_check_deploy_flags_production_without_a_mail_server(tmp_path: Path) -> None:
    """Without EMAIL_HOST the desk's mail goes to the worker's log: no buyer would get it."""
    env = {name: value for name, value in PRODUCTION_ENV.items() if name != "EMAIL_HOST"}
    result = manage("check", "--deploy", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "mail.E001" in result.stderr + result.stdout
    assert "console.EmailBackend" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "DATABASE_URL",
            "mysql://root@localhost/desk",
            "DATABASE_URL must be a postgres:// or sqlite:/// URL",
        ),
        ("DATABASE_URL", "postgres://desk@db:port/desk", "DATABASE_URL has an invalid port"),
        ("REDIS_URL", "redis://r:6379/zero", "REDIS_URL must end with a database number"),
        ("DJANGO_DEBUG", "perhaps", "DJANGO_DEBUG must be a boolean"),
        ("CELERY_TASK_TIME_LIMIT", "soon", "CELERY_TASK_TIME_LIMIT must be a whole number"),
    ],
)
def test_bad_environment_stops_with_one_line(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    result = manage("migrate", "--check", env={variable: value}, tmp_path=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("support-desk: configuration error: ")
    assert message in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOWED_HOSTS"]
)
def test_production_refuses_to_start_without_required_variable(
    tmp_path: Path, missing: str
) -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env, tmp_path=tmp_path)
    assert result.returncode == 2
    assert f"{missing} must be set" in result.stderr


def test_production_refuses_a_short_secret_key(tmp_path: Path) -> None:
    result = manage(
        "check", env={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": "short"}, tmp_path=tmp_path
    )
    assert result.returncode == 2
    assert "at least 50 random characters" in result.stderr


def test_production_refuses_webhooks_to_private_addresses(tmp_path: Path) -> None:
    result = manage(
        "check", env={**PRODUCTION_ENV, "DESK_WEBHOOKS_ALLOW_PRIVATE": "true"}, tmp_path=tmp_path
    )
    assert result.returncode == 2
    assert "DESK_WEBHOOKS_ALLOW_PRIVATE must be off in production" in result.stderr


def test_production_refuses_demo_data(tmp_path: Path) -> None:
    result = manage("load_demo", env=PRODUCTION_ENV, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "Demo data is disabled" in result.stderr


def test_celery_is_configured_for_safe_redelivery() -> None:
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_ACCEPT_CONTENT == ["json"]
    assert settings.CELERY_TASK_SERIALIZER == "json"
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > settings.CELERY_TASK_TIME_LIMIT


def test_visibility_timeout_shorter_than_task_limit_is_refused(tmp_path: Path) -> None:
    result = manage(
        "check",
        env={"CELERY_TASK_TIME_LIMIT": "600", "CELERY_VISIBILITY_TIMEOUT": "300"},
        tmp_path=tmp_path,
    )
    assert result.returncode == 2
    assert "CELERY_VISIBILITY_TIMEOUT must be at least 660" in result.stderr


def test_every_task_route_points_at_a_declared_queue() -> None:
    declared = {queue.name for queue in settings.CELERY_TASK_QUEUES}
    assert {"routing", "notifications", "webhooks", "maintenance"} <= declared
    assert {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()} <= declared


@pytest.mark.django_db  # Celery's Django fix-up runs the system checks, which ask the database.
def test_beat_schedule_names_registered_tasks() -> None:
    from support_desk.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


def test_ci_runs_on_postgres_and_redis() -> None:
    """Under CI the suite must use the real services, never the embedded fallbacks."""
    from tests.conftest import in_ci

    if not in_ci():
        pytest.skip("only meaningful under CI=true")
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")


def test_a_test_process_removes_its_own_var_folder_when_it_ends() -> None:
    # Each test process writes broker files, results and a secret in a
    # folder of its own; many runs a day must not fill the machine's /tmp.
    script = (
        "import os, subprocess, sys\n"
        "import support_desk.settings_test\n"
        "folder = os.environ['DESK_VAR_DIR']\n"
        # A child forked from the process ends first: the folder stays.
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    sys.exit(0)\n"
        "os.waitpid(pid, 0)\n"
        "assert os.path.isdir(folder), 'a forked child removed the folder'\n"
        "print(folder)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DESK_VAR_DIR": ""},
    )
    assert done.returncode == 0, done.stderr
    folder = Path(done.stdout.strip())
    assert folder.name.startswith("support-desk-test-")
    assert not folder.exists()
