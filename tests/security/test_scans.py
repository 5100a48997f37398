"""The dependency audit of ``make security`` never passes silently unaudited.

``scripts/audit_dependencies.py`` runs pip-audit over the lock files. These
tests drive it without the network: when PyPI's per-release data cannot be
read, the pins that are their project's newest release are checked through
the project JSON, and what cannot be checked fails where the audit is
required (DESK_AUDIT_REQUIRED) and is named loudly elsewhere; an accepted vulnerability
needs its reason; pip-audit's verdict decides the exit code. (The scans
themselves run in ``make security``; the deploy check on the production
settings is also tested in tests/support_desk/test_settings.py.)
"""

from __future__ import annotations

import importlib.util
import subprocess
from dataclasses import dataclass
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


def project_unreadable(name: str) -> str:
    return f"https://pypi.org/pypi/{name}/json answered HTTP 404"


def newest(releases: dict[str, str], vulnerabilities: dict[str, list[dict[str, Any]]]) -> Any:
    """Stand in for PyPI's project JSON: each project's newest release and its vulnerabilities."""

    def data(name: str) -> dict[str, Any] | str:
        if name not in releases:
            return project_unreadable(name)
        return {"info": {"version": releases[name]}, "vulnerabilities": vulnerabilities.get(name)}

    return data


@pytest.fixture
def lock(tmp_path: Path) -> Path:
    path = tmp_path / "requirements.lock"
    path.write_text(
        "# pinned\n"
        "django==6.0.10 \\\n    --hash=sha256:00\n"
        "nh3==0.3.2 \\\n    --hash=sha256:11\n"
        "Pillow==12.0.0 ; python_version >= '3.12'\n"
    )
    return path


def test_unreadable_vulnerability_data_fails_where_the_audit_is_required(
    audit: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(audit, "data_unreachable", unreachable)
    monkeypatch.setattr(audit, "project_data", project_unreadable)
    monkeypatch.setenv("DESK_AUDIT_REQUIRED", "true")

    assert audit.main(["requirements.lock"]) == 1
    said = capsys.readouterr().err
    assert "answered HTTP 404" in said
    assert "NOT checked" in said and "DESK_AUDIT_REQUIRED" in said


def test_unreadable_vulnerability_data_warns_loudly_otherwise(
    audit: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(audit, "data_unreachable", unreachable)
    monkeypatch.setattr(audit, "project_data", project_unreadable)
    monkeypatch.delenv("DESK_AUDIT_REQUIRED", raising=False)

    assert audit.main(["requirements.lock"]) == 0
    said = capsys.readouterr().err
    assert "WARNING, NOT AUDITED" in said and "answered HTTP 404" in said
    assert "checked 0 of" in said


@dataclass
class OfflineAudit:
    """The audit of a small lock where PyPI answers 404 for per-release data."""

    audit: ModuleType
    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]
    lock: Path

    def serve(
        self, releases: dict[str, str], vulnerabilities: dict[str, list[dict[str, Any]]]
    ) -> None:
        self.monkeypatch.setattr(self.audit, "project_data", newest(releases, vulnerabilities))

    def run(self, *, required: bool) -> tuple[int, str]:
        """Return the exit code and what the audit said."""
        if required:
            self.monkeypatch.setenv("DESK_AUDIT_REQUIRED", "true")
        else:
            self.monkeypatch.delenv("DESK_AUDIT_REQUIRED", raising=False)
        code = self.audit.main([str(self.lock)])
        return code, self.capsys.readouterr().err


@pytest.fixture
def offline(
    audit: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lock: Path,
) -> OfflineAudit:
    monkeypatch.setattr(audit, "data_unreachable", unreachable)
    return OfflineAudit(audit, monkeypatch, capsys, lock)


def test_pins_at_their_newest_release_are_checked_through_the_project_json(
    offline: OfflineAudit,
) -> None:
    offline.serve({"django": "6.0.10", "nh3": "0.3.2", "pillow": "12.0"}, {})

    code, said = offline.run(required=True)

    assert code == 0
    # 12.0.0 and 12.0 are the same release.
    assert "checked 3 of 3 pinned releases" in said and "0 known vulnerabilities" in said
    assert "NOT" not in said


def test_a_vulnerability_of_a_newest_release_fails_the_run(offline: OfflineAudit) -> None:
    vulnerable = {
        "nh3": [
            {"id": "GHSA-1111-2222-3333", "aliases": ["CVE-2026-1"], "fixed_in": ["0.3.3"]},
            {"id": "PYSEC-2026-9", "aliases": [], "fixed_in": [], "withdrawn": "2026-11-01"},
        ]
    }
    offline.serve({"django": "6.0.10", "nh3": "0.3.2", "pillow": "12.0.0"}, vulnerable)

    code, said = offline.run(required=False)

    assert code == 1
    assert "VULNERABLE: nh3 0.3.2: GHSA-1111-2222-3333 (fixed in 0.3.3)" in said
    assert "PYSEC-2026-9" not in said  # withdrawn
    assert "1 known vulnerabilities" in said

    # Accepted with its reason, under one of its aliases: the run passes.
    offline.audit.IGNORE_FILE.write_text(
        "CVE-2026-1  # the desk never calls the affected function\n"
    )
    assert offline.run(required=False)[0] == 0


def test_a_pin_with_a_newer_release_is_named_as_not_audited(offline: OfflineAudit) -> None:
    offline.serve({"django": "6.1.3", "nh3": "0.3.2"}, {})

    code, said = offline.run(required=False)

    assert code == 0
    assert "checked 1 of 3 pinned releases" in said
    assert "WARNING, NOT AUDITED: 2 pinned releases were NOT checked" in said
    assert "django 6.0.10 (the newest release is 6.1.3)" in said
    assert "pillow 12.0.0 (https://pypi.org/pypi/pillow/json answered HTTP 404)" in said
    assert offline.run(required=True)[0] == 1


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
