"""The Docker Compose deployment agrees with the README, the settings and the image.

Reads docker-compose.yml, Dockerfile, .dockerignore, requirements.lock and
README.md as text: no Docker engine and no database are needed.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings

REPO = Path(__file__).resolve().parent.parent
COMPOSE_FILE = REPO / "docker-compose.yml"
DOCKERFILE = REPO / "Dockerfile"
DOCKERIGNORE = REPO / ".dockerignore"
README = REPO / "README.md"
REQUIREMENTS_LOCK = REPO / "requirements.lock"

APP_SERVICES = ("migrate", "web", "worker", "beat")
LONG_RUNNING_APP_SERVICES = ("web", "worker", "beat")
ALL_SERVICES = {*APP_SERVICES, "postgres", "redis"}
README_SECTION = "## Deploying with Docker Compose"


# --- Helpers ----------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(data, dict), "docker-compose.yml is not a YAML mapping"
    return data


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def readme_commands() -> dict[str, str]:
    """Return {service: command} from the README's Docker Compose table."""
    text = README.read_text()
    start = text.find(README_SECTION)
    assert start != -1, f"README.md has no {README_SECTION!r} section"
    body = text[start + len(README_SECTION) :]
    next_section = re.search(r"^## ", body, re.MULTILINE)
    if next_section:
        body = body[: next_section.start()]
    rows = re.findall(r"^\|\s*`([^`]+)`\s*\|\s*`([^`]+)`\s*\|\s*$", body, re.MULTILINE)
    return dict(rows)


def command_tokens(service: dict[str, Any]) -> list[str]:
    command = service.get("command")
    assert command, "the service has no command"
    if isinstance(command, str):
        return shlex.split(command)
    return [str(token) for token in command]


def option_value(tokens: list[str], option: str) -> str:
    """Return the value of ``--option=value`` or ``--option value`` in a command."""
    for index, token in enumerate(tokens):
        if token.startswith(option + "="):
            return token.split("=", 1)[1]
        if token == option and index + 1 < len(tokens):
            return tokens[index + 1]
    raise AssertionError(f"{option} is not in {tokens}")


def depends_on(service: dict[str, Any]) -> dict[str, str]:
    """Return {dependency: condition}; the short list form means service_started."""
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return dict.fromkeys(deps, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def volume_mounts(service: dict[str, Any]) -> dict[str, str]:
    """Return {target: source} of a service's volumes, short or long syntax."""
    mounts = {}
    for volume in service.get("volumes") or []:
        if isinstance(volume, str):
            source, _, rest = volume.partition(":")
            target = rest.split(":", 1)[0]
        else:
            source, target = volume.get("source", ""), volume["target"]
        mounts[target] = source
    return mounts


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


_INTERPOLATION = re.compile(r"\$\$|\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Expand ${VAR}, ${VAR:-default} and ${VAR:?error} the way Compose does."""

    def expand(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name", "op", "arg")
        current = variables.get(name)
        if op in (":-", ":?") and not current:
            current = None
        if current is not None:
            return current
        if op in (":?", "?"):
            raise AssertionError(f"${{{name}}} is required: {arg}")
        return arg or ""

    return _INTERPOLATION.sub(expand, value)


def dockerfile_instructions() -> list[tuple[str, str]]:
    """Return (INSTRUCTION, arguments) pairs with continuation lines joined."""
    instructions = []
    pending = ""
    for raw in DOCKERFILE.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    assert not pending, "the Dockerfile ends inside a continued line"
    return instructions


def dockerfile_env(instructions: list[tuple[str, str]]) -> dict[str, str]:
    """Return the ENV values set by the given instructions, later ones winning."""
    env: dict[str, str] = {}
    for keyword, arguments in instructions:
        if keyword != "ENV":
            continue
        tokens = shlex.split(arguments)
        if all("=" in token for token in tokens):
            for token in tokens:
                key, value = token.split("=", 1)
                env[key] = value
        else:  # legacy form: ENV KEY value with spaces
            env[tokens[0]] = " ".join(tokens[1:])
    return env


def final_stage(instructions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    starts = [i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM"]
    assert starts, "the Dockerfile has no FROM"
    return instructions[starts[-1] :]


# --- The services and their commands -------------------------------------------


def test_compose_defines_exactly_the_desk_services(services: dict[str, Any]) -> None:
    assert set(services) == ALL_SERVICES


def test_readme_table_lists_a_command_for_each_app_service() -> None:
    assert set(readme_commands()) == set(APP_SERVICES)


@pytest.mark.parametrize("name", APP_SERVICES)
def test_compose_commands_match_readme(services: dict[str, Any], name: str) -> None:
    assert command_tokens(services[name]) == shlex.split(readme_commands()[name])


def test_app_services_build_one_image_from_the_repository(services: dict[str, Any]) -> None:
    builds = set()
    for name in APP_SERVICES:
        build = services[name].get("build")
        assert build, f"{name} does not build the desk's image"
        if isinstance(build, str):
            build = {"context": build}
        context = (REPO / build.get("context", ".")).resolve()
        dockerfile = build.get("dockerfile", "Dockerfile")
        builds.add((context, dockerfile, services[name].get("image")))
    assert len(builds) == 1, f"web, worker, beat and migrate build differently: {builds}"
    context, dockerfile, _ = builds.pop()
    assert context == REPO
    assert (context / dockerfile).resolve() == DOCKERFILE


def test_worker_consumes_every_celery_queue(services: dict[str, Any]) -> None:
    queues = option_value(command_tokens(services["worker"]), "--queues").split(",")
    assert queues == list(settings.DESK_CELERY_QUEUES)


def test_web_listens_on_the_published_and_probed_port(services: dict[str, Any]) -> None:
    web = services["web"]
    port = option_value(command_tokens(web), "--bind").rsplit(":", 1)[1]
    published = {str(mapping).rsplit(":", 1)[-1] for mapping in web.get("ports", [])}
    assert port in published
    probe = " ".join(web["healthcheck"]["test"])
    assert f"127.0.0.1:{port}/healthz" in probe
    exposed = [args for keyword, args in dockerfile_instructions() if keyword == "EXPOSE"]
    assert port in " ".join(exposed).split()


# --- Health checks and start order ---------------------------------------------


@pytest.mark.parametrize("name", sorted(ALL_SERVICES - {"migrate"}))
def test_every_long_running_service_has_a_healthcheck(services: dict[str, Any], name: str) -> None:
    healthcheck = services[name].get("healthcheck") or {}
    assert not healthcheck.get("disable"), f"{name}'s healthcheck is disabled"
    test = healthcheck.get("test")
    assert test, f"{name} has no healthcheck"
    assert test not in (["NONE"], "NONE")


def test_postgres_and_redis_healthchecks_use_their_own_clients(services: dict[str, Any]) -> None:
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "redis-cli ping" in " ".join(services["redis"]["healthcheck"]["test"])


def test_migrate_runs_once_after_postgres_is_healthy(services: dict[str, Any]) -> None:
    migrate = services["migrate"]
    assert depends_on(migrate).get("postgres") == "service_healthy"
    # "always"/"unless-stopped" would run the finished one-off job again and again.
    assert migrate.get("restart", "no") in ("no", "on-failure")


@pytest.mark.parametrize("name", LONG_RUNNING_APP_SERVICES)
def test_app_starts_after_migrate_and_healthy_backing_services(
    services: dict[str, Any], name: str
) -> None:
    deps = depends_on(services[name])
    assert deps.get("migrate") == "service_completed_successfully"
    assert deps.get("postgres") == "service_healthy"
    assert deps.get("redis") == "service_healthy"


# --- Volumes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data_dir"), [("postgres", "/var/lib/postgresql/data"), ("redis", "/data")]
)
def test_backing_services_keep_data_in_named_volumes(
    compose: dict[str, Any], name: str, data_dir: str
) -> None:
    source = volume_mounts(compose["services"][name]).get(data_dir)
    assert source, f"{name} mounts nothing on {data_dir}"
    assert source in (compose.get("volumes") or {}), f"{source!r} is not a top-level volume"


def test_beat_schedule_is_on_a_named_volume_in_the_image_var_dir(compose: dict[str, Any]) -> None:
    beat = compose["services"]["beat"]
    schedule = option_value(command_tokens(beat), "--schedule")
    var_dir = dockerfile_env(final_stage(dockerfile_instructions()))["DESK_VAR_DIR"]
    # The image's settings put the schedule in the same place as the command.
    assert schedule == f"{var_dir}/celerybeat-schedule"
    source = volume_mounts(beat).get(var_dir)
    assert source in (compose.get("volumes") or {}), f"beat has no named volume on {var_dir}"


# --- Environment -------------------------------------------------------------------


def test_app_services_share_one_environment(services: dict[str, Any]) -> None:
    envs = [environment(services[name]) for name in APP_SERVICES]
    assert all(env == envs[0] for env in envs)


def test_app_environment_points_at_the_compose_postgres_and_redis(
    services: dict[str, Any],
) -> None:
    env = environment(services["web"])
    assert re.fullmatch(r"\$\{DJANGO_SECRET_KEY:\?[^}]+\}", env["DJANGO_SECRET_KEY"])
    postgres_env = environment(services["postgres"])
    database = urlsplit(interpolate(env["DATABASE_URL"], {}))
    assert database.scheme in ("postgres", "postgresql")
    assert (database.hostname, database.port) == ("postgres", 5432)
    assert database.username == postgres_env["POSTGRES_USER"]
    assert database.password == interpolate(postgres_env["POSTGRES_PASSWORD"], {})
    assert database.path.lstrip("/") == postgres_env["POSTGRES_DB"]
    redis = urlsplit(interpolate(env["REDIS_URL"], {}))
    assert (redis.scheme, redis.hostname, redis.port) == ("redis", "redis", 6379)


def test_compose_environment_is_accepted_by_production_settings(
    services: dict[str, Any], tmp_path: Path
) -> None:
    """Load the image's settings with the compose environment, as web would."""
    image_env = dockerfile_env(final_stage(dockerfile_instructions()))
    assert image_env.get("DJANGO_SETTINGS_MODULE") == "support_desk.settings_production"
    given = {"DJANGO_SECRET_KEY": "compose-test-" + "0123456789abcdefghij" * 3}
    env = {
        "PATH": os.environ.get("PATH", ""),
        **image_env,
        **{k: interpolate(v, given) for k, v in environment(services["web"]).items()},
        # Keep the probe's files out of the real /var/lib.
        "DESK_VAR_DIR": str(tmp_path),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    probe = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], "
        "'full': s.DESK_FULL_MODE, 'broker': s.CELERY_BROKER_URL, "
        "'hosts': s.ALLOWED_HOSTS, 'ssl_redirect': s.SECURE_SSL_REDIRECT, "
        "'exempt': s.SECURE_REDIRECT_EXEMPT, 'static_root': str(s.STATIC_ROOT)}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded["engine"] == "django.db.backends.postgresql"
    assert loaded["full"] is True
    assert loaded["broker"] == env["REDIS_URL"]
    # Plain-HTTP local compose by default; the web probe's host is allowed.
    assert loaded["ssl_redirect"] is False
    assert "127.0.0.1" in loaded["hosts"]
    # Even with the redirect on, the probed path answers over plain HTTP.
    assert any(re.search(pattern, "healthz") for pattern in loaded["exempt"])
    assert loaded["static_root"] == image_env["DJANGO_STATIC_ROOT"]


# --- The image ---------------------------------------------------------------------


def test_dockerfile_base_image_is_python_312_or_newer() -> None:
    instructions = dockerfile_instructions()
    stages: dict[str, str] = {}
    image = ""
    for keyword, arguments in instructions:
        if keyword != "FROM":
            continue
        tokens = [t for t in arguments.split() if not t.startswith("--platform")]
        image = stages.get(tokens[0], tokens[0])
        if len(tokens) == 3 and tokens[1].lower() == "as":
            stages[tokens[2]] = image
    match = re.match(r"(?:docker\.io/)?(?:library/)?python:(\d+)\.(\d+)", image)
    assert match, f"the final image is not built on an official Python image: {image!r}"
    assert (int(match.group(1)), int(match.group(2))) >= (3, 12)


def test_dockerfile_installs_requirements_lock() -> None:
    instructions = final_stage(dockerfile_instructions())
    copies = [args.split() for keyword, args in instructions if keyword in ("COPY", "ADD")]
    assert any("requirements.lock" in sources[:-1] for sources in copies)
    installs = [
        shlex.split(args)
        for keyword, args in instructions
        if keyword == "RUN" and "pip install" in args
    ]
    assert any(
        tokens[i : i + 2] in (["-r", "requirements.lock"], ["--requirement", "requirements.lock"])
        for tokens in installs
        for i in range(len(tokens))
    ), "no RUN pip install -r requirements.lock"


def test_dockerfile_collects_static_files_where_production_serves_them() -> None:
    instructions = final_stage(dockerfile_instructions())
    collect = next(
        (i for i, (k, args) in enumerate(instructions) if k == "RUN" and "collectstatic" in args),
        None,
    )
    assert collect is not None, "the image does not run collectstatic"
    at_build = dockerfile_env(instructions[:collect]).get("DJANGO_STATIC_ROOT")
    assert at_build, "DJANGO_STATIC_ROOT is not set before collectstatic"
    assert dockerfile_env(instructions)["DJANGO_STATIC_ROOT"] == at_build
    assert "compilemessages" in " ".join(args for k, args in instructions if k == "RUN")


def test_dockerfile_runs_as_a_non_root_user() -> None:
    users = [args for keyword, args in final_stage(dockerfile_instructions()) if keyword == "USER"]
    assert users, "the image runs as root"
    assert users[-1].split(":")[0] not in ("root", "0")


def test_dockerignore_keeps_local_state_out_of_the_image() -> None:
    patterns = {
        line.strip().rstrip("/")
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".venv", "var", ".git", ".env"} <= patterns


# --- The lock file -------------------------------------------------------------------

_PINNED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9_,.-]+\])?==[^=\s;]+(\s*;.+)?$")


def locked_requirements() -> list[str]:
    lines = []
    for raw in REQUIREMENTS_LOCK.read_text().splitlines():
        line = raw.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def test_requirements_lock_pins_every_package_with_double_equals() -> None:
    requirements = locked_requirements()
    assert requirements, "requirements.lock is empty"
    unpinned = [line for line in requirements if not _PINNED.match(line)]
    assert unpinned == [], f"not pinned with ==: {unpinned}"


def test_requirements_lock_has_the_programs_the_services_run(services: dict[str, Any]) -> None:
    locked = {re.split(r"[\[=]", line, maxsplit=1)[0].lower() for line in locked_requirements()}
    programs = {command_tokens(services[name])[0] for name in APP_SERVICES} - {"python"}
    assert programs <= locked, f"not in requirements.lock: {programs - locked}"
