#!/usr/bin/env python3
"""Check the locked dependencies for known vulnerabilities with pip-audit.

Usage: scripts/audit_dependencies.py LOCK [LOCK ...]   (run by `make security`)

pip-audit reads each pinned release's vulnerability data from PyPI's JSON API
(https://pypi.org/pypi/<name>/<version>/json). A vulnerability found fails the
run unless its id is listed in .pip-audit-ignore with the reason it does not
apply. A dependency pip-audit cannot look up fails the run too (--strict), so
nothing passes unaudited.

Where the per-release JSON cannot be read but the project JSON can
(https://pypi.org/pypi/<name>/json, which some registry mirrors serve alone),
the project JSON's vulnerability list, which is the newest release's, checks
every pin that is its project's newest release; a vulnerability found fails
the run the same way. A pin with a newer release, or whose data cannot be
read, is not audited: the run names each in capitals and goes on, so `make
test` works offline and behind such an index; with DESK_AUDIT_REQUIRED=true
(set it on CI machines that reach pypi.org) it fails instead.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
IGNORE_FILE = ROOT / ".pip-audit-ignore"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)")
# An id (PYSEC-…, GHSA-…, CVE-…) then "#" and the reason it is accepted.
IGNORE_LINE = re.compile(r"^(?P<id>[A-Za-z0-9][A-Za-z0-9_.:-]+)\s*#\s*(?P<reason>\S.*)$")


def say(message: str) -> None:
    print(f"support-desk: {message}", file=sys.stderr)


def audit_required() -> bool:
    return os.environ.get("DESK_AUDIT_REQUIRED", "").strip().lower() in ("1", "true", "yes", "on")


def ignored_ids() -> list[str]:
    """Return the accepted vulnerability ids; each line must give its reason."""
    if not IGNORE_FILE.exists():
        return []
    ids = []
    for number, line in enumerate(IGNORE_FILE.read_text().splitlines(), start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        match = IGNORE_LINE.match(text)
        if match is None:
            say(f"{IGNORE_FILE.name}:{number}: write 'ID  # why it does not apply here'")
            sys.exit(2)
        ids.append(match["id"])
    return ids


def first_pin(lock: Path) -> tuple[str, str]:
    for pin in pins_of([lock]).items():
        return pin
    say(f"{lock}: no pinned requirement (name==version) found")
    sys.exit(2)


def data_unreachable(name: str, version: str) -> str | None:
    """Return why PyPI's vulnerability data for a pinned release cannot be read, else None."""
    url = f"https://pypi.org/pypi/{name}/{version}/json"
    try:
        # A fixed https:// URL on pypi.org, never one from input.
        with urllib.request.urlopen(url, timeout=15) as response:  # nosec B310  # fixed URL
            if response.status == 200:
                return None
            return f"{url} answered HTTP {response.status}"
    except urllib.error.HTTPError as error:
        return f"{url} answered HTTP {error.code}"
    except (OSError, ValueError) as error:
        return f"{url} could not be read ({error})"


def pins_of(paths: list[Path]) -> dict[str, str]:
    """Return every pinned release of the lock files, by project name (lower case)."""
    pins: dict[str, str] = {}
    for lock in paths:
        for line in lock.read_text().splitlines():
            match = PIN.match(line.strip())
            if match:
                pins[match[1].lower()] = match[2]
    return pins


def project_data(name: str) -> dict[str, Any] | str:
    """Return PyPI's project JSON of ``name``, or why it cannot be read."""
    url = f"https://pypi.org/pypi/{name}/json"
    try:
        # A fixed https:// URL on pypi.org and a name from our own lock file.
        with urllib.request.urlopen(url, timeout=15) as response:  # nosec B310  # fixed URL
            data = json.load(response)
    except urllib.error.HTTPError as error:
        return f"{url} answered HTTP {error.code}"
    except (OSError, ValueError) as error:
        return f"{url} could not be read ({error})"
    if not isinstance(data, dict) or not isinstance(data.get("info"), dict):
        return f"{url} is not PyPI's project JSON"
    return data


def same_release(one: str, other: str) -> bool:
    try:
        from packaging.version import InvalidVersion, Version
    except ImportError:  # pip-audit brings packaging; compare the text without it
        return one == other
    try:
        return Version(one) == Version(other)
    except InvalidVersion:
        return one == other


def audit_newest_releases(paths: list[Path], *, ignored: set[str]) -> int:
    """Check each pin that is its project's newest release against the project JSON.

    The project JSON lists the vulnerabilities of the newest release only, so
    an older pin cannot be checked there: it is reported as not audited.
    """
    pins = pins_of(paths)
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = dict(zip(pins, pool.map(project_data, pins), strict=True))
    found: list[str] = []
    unchecked: list[str] = []
    for name, version in sorted(pins.items()):
        data = answers[name]
        if isinstance(data, str):
            unchecked.append(f"{name} {version} ({data})")
            continue
        newest = str(data["info"].get("version", ""))
        if not same_release(version, newest):
            unchecked.append(f"{name} {version} (the newest release is {newest})")
            continue
        for vulnerability in data.get("vulnerabilities") or []:
            ids = {str(vulnerability.get("id", "")), *map(str, vulnerability.get("aliases") or [])}
            if vulnerability.get("withdrawn") or ids & ignored:
                continue
            fixed = ", ".join(map(str, vulnerability.get("fixed_in") or [])) or "no fix yet"
            found.append(f"{name} {version}: {vulnerability.get('id')} (fixed in {fixed})")
    checked = len(pins) - len(unchecked)
    say(
        f"checked {checked} of {len(pins)} pinned releases through PyPI's project JSON "
        "(each is its project's newest release, whose vulnerabilities it lists): "
        f"{len(found)} known vulnerabilities"
    )
    for line in found:
        say(f"VULNERABLE: {line}")
    if unchecked:
        message = f"{len(unchecked)} pinned releases were NOT checked for known vulnerabilities: "
        message += "; ".join(unchecked) + "."
        if audit_required():
            say(message + " Failing: DESK_AUDIT_REQUIRED is set.")
            return 1
        say(
            "WARNING, NOT AUDITED: " + message + " Run `make security` where pypi.org is reachable."
        )
    return 1 if found else 0


def main(locks: list[str]) -> int:
    if not locks:
        say("usage: scripts/audit_dependencies.py LOCK [LOCK ...]")
        return 2
    paths = [ROOT / lock for lock in locks]
    name, version = first_pin(paths[0])
    why = data_unreachable(name, version)
    if why is not None:
        say(f"pip-audit cannot read the vulnerability data on PyPI: {why}.")
        return audit_newest_releases(paths, ignored=set(ignored_ids()))
    pip_audit = Path(sys.executable).parent / "pip-audit"
    ignore_args = [arg for vuln in ignored_ids() for arg in ("--ignore-vuln", vuln)]
    failed = False
    for lock in paths:
        say(f"pip-audit: {lock.name}")
        result = subprocess.run(  # noqa: S603  # nosec B603  # our own argv, no shell
            [
                str(pip_audit),
                "--requirement",
                str(lock),
                # Every line of the lock is pinned: nothing to resolve, no pip run.
                "--no-deps",
                "--disable-pip",
                "--strict",
                "--progress-spinner",
                "off",
                *ignore_args,
            ],
            check=False,
        )
        failed = failed or result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
