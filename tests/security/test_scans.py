"""The dependency audit of ``make security`` never passes silently unaudited.

``scripts/audit_dependencies.py`` runs pip-audit over the lock files. These
tests drive it without the network: when PyPI's vulnerability data cannot be
read it must fail where the audit is required (DESK_AUDIT_REQUIRED) and
warn loudly elsewhere; an accepted vulnerability
needs its reason; pip-audit's verdict decides the exit code. (The scans
themselves run in ``make security``; the deploy check on the production
settings is also tested in tests/support_desk/test_settings.py.)
"""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def audit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> ModuleType:
    """Load the script as a module, with an ignore file of the test's own."""
    spec = importlib.util.spec_from_file_location(
        "audit_dependencies", ROOT / "scripts" / "audit_dependencies.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "IGNORE_FILE", tmp_path / ".pip-audit-ignore")
    monkeypatch.delenv("CI", raising=False)
    return module


def unreachable(name: str, version: str) -> str:
    return f"https://pypi.org/pypi/{name}/{version}/json answered HTTP 404"


def test_unreadable_vulnerability_data_fails_where_the_audit_is_required(
    audit: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(audit, "data_unreachable", unreachable)
    monkeypatch.setenv("DESK_AUDIT_REQUIRED", "true")

    assert audit.main(["requirements.lock"]) == 1
    said = capsys.readouterr().err
    assert "answered HTTP 404" in said
    assert "NOT checked" in said and "DESK_AUDIT_REQUIRED" in said


def test_unreadable_vulnerability_data_warns_loudly_otherwise(
    audit: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(audit, "data_unreachable", unreachable)
    monkeypatch.delenv("DESK_AUDIT_REQUIRED", raising=False)

    assert audit.main(["requirements.lock"]) == 0
    said = capsys.readouterr().err
    assert "WARNING, NOT AUDITED" in said and "answered HTTP 404" in said


class PipAuditRuns:
    """Stand in for pip-audit: record each command, answer with ``returncode``."""

    def __init__(self, returncode: int) -> None:
        self.returncode = returncode
        self.commands: list[list[str]] = []

    def __call__(self, command: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
        self.commands.append(command)
        return subprocess.CompletedProcess(command, self.returncode)


@pytest.mark.parametrize(("verdict", "exit_code"), [(0, 0), (1, 1)])
def test_pip_audit_checks_every_lock_strictly_and_decides(
    audit: ModuleType, monkeypatch: pytest.MonkeyPatch, verdict: int, exit_code: int
) -> None:
    runs = PipAuditRuns(verdict)
    monkeypatch.setattr(audit, "data_unreachable", lambda name, version: None)
    monkeypatch.setattr(audit.subprocess, "run", runs)

    assert audit.main(["requirements.lock", "requirements-dev.lock"]) == exit_code
    audited = [command[command.index("--requirement") + 1] for command in runs.commands]
    assert audited == [str(ROOT / "requirements.lock"), str(ROOT / "requirements-dev.lock")]
    # A dependency pip-audit cannot look up fails the run instead of being skipped.
    assert all("--strict" in command for command in runs.commands)


def test_an_accepted_vulnerability_is_passed_on_with_its_reason(
    audit: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    audit.IGNORE_FILE.write_text(
        "# accepted\nGHSA-aaaa-bbbb-cccc  # only the CLI's serve mode; the desk never runs it\n"
    )
    runs = PipAuditRuns(0)
    monkeypatch.setattr(audit, "data_unreachable", lambda name, version: None)
    monkeypatch.setattr(audit.subprocess, "run", runs)

    assert audit.main(["requirements.lock"]) == 0
    [command] = runs.commands
    assert command[command.index("--ignore-vuln") + 1] == "GHSA-aaaa-bbbb-cccc"


def test_an_accepted_vulnerability_without_a_reason_stops_the_scan(
    audit: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    audit.IGNORE_FILE.write_text("PYSEC-2026-1\n")

    with pytest.raises(SystemExit) as stopped:
        audit.ignored_ids()
    assert stopped.value.code == 2
    assert "why it does not apply" in capsys.readouterr().err


def test_the_repositorys_ignore_file_is_well_formed(audit: ModuleType) -> None:
    audit.IGNORE_FILE = ROOT / ".pip-audit-ignore"
    assert isinstance(audit.ignored_ids(), list)
