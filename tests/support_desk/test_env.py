"""The typed environment readers refuse bad values with a clear message."""

from __future__ import annotations

import pytest

from support_desk.env import (
    EnvError,
    env_bool,
    env_database,
    env_int,
    env_list,
    env_redis_url,
    env_str,
)


def test_env_str_uses_default_when_unset_or_empty() -> None:
    assert env_str("X", "fallback", environ={}) == "fallback"
    assert env_str("X", "fallback", environ={"X": "  "}) == "fallback"
    assert env_str("X", "fallback", environ={"X": " value "}) == "value"


def test_env_str_required_names_the_variable() -> None:
    with pytest.raises(EnvError, match="SECRET must be set"):
        env_str("SECRET", required=True, environ={})


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("TRUE", True), ("yes", True), ("off", False), ("0", False)]
)
def test_env_bool_accepts_common_spellings(raw: str, expected: bool) -> None:
    assert env_bool("FLAG", not expected, environ={"FLAG": raw}) is expected


def test_env_bool_refuses_anything_else() -> None:
    with pytest.raises(EnvError, match="FLAG must be a boolean"):
        env_bool("FLAG", False, environ={"FLAG": "maybe"})


def test_env_int_refuses_words_and_values_below_minimum() -> None:
    assert env_int("N", 5, environ={"N": "42"}) == 42
    with pytest.raises(EnvError, match="N must be a whole number, got 'ten'"):
        env_int("N", 5, environ={"N": "ten"})
    with pytest.raises(EnvError, match="N must be at least 10, got 3"):
        env_int("N", 5, minimum=10, environ={"N": "3"})


def test_env_list_splits_and_strips() -> None:
    assert env_list("HOSTS", ["a"], environ={"HOSTS": " x.com, ,y.com "}) == ["x.com", "y.com"]
    assert env_list("HOSTS", ["a"], environ={}) == ["a"]


def test_env_database_parses_postgres_url() -> None:
    config = env_database(
        "DATABASE_URL",
        "sqlite:///unused",
        environ={"DATABASE_URL": "postgres://desk:pw@db.internal:5433/support_desk"},
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "support_desk")


@pytest.mark.parametrize(
    "url",
    [
        "mysql://root@localhost/desk",
        "not a url",
        "postgres://desk:secret@db:notaport/desk",
        "postgres:///",
        "postgres://desk:secret@db:5432/",
    ],
)
def test_env_database_refuses_malformed_urls_without_leaking_password(url: str) -> None:
    with pytest.raises(EnvError, match="DATABASE_URL") as excinfo:
        env_database("DATABASE_URL", "sqlite:///unused", environ={"DATABASE_URL": url})
    assert "secret" not in str(excinfo.value)


def test_env_redis_url_checks_scheme_port_and_db() -> None:
    assert env_redis_url("REDIS_URL", environ={}) is None
    assert (
        env_redis_url("REDIS_URL", environ={"REDIS_URL": "redis://r:6379/2"}) == "redis://r:6379/2"
    )
    for bad in ("http://r:6379/0", "redis://r:port/0", "redis://r:6379/zero"):
        with pytest.raises(EnvError, match="REDIS_URL"):
            env_redis_url("REDIS_URL", environ={"REDIS_URL": bad})
