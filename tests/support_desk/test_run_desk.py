"""The embedded desk's process keeper: a process that exits is started again, within reason."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from support_desk.management.commands import run_desk
from support_desk.management.commands.run_desk import RESTARTS_ALLOWED, Children


def _keeper(tmp_path: Path, script: str) -> tuple[Children, list[str]]:
    said: list[str] = []
    starts = tmp_path / "starts"
    command = [
        sys.executable,
        "-c",
        f"import pathlib; p = pathlib.Path({str(starts)!r}); "
        f"p.write_text(p.read_text() + 'x' if p.exists() else 'x'); {script}",
    ]
    return Children({"worker": command}, env={}, say=said.append), said


def _wait_exit(children: Children) -> None:
    deadline = time.monotonic() + 10
    while children.processes["worker"].poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)


def test_a_process_that_exits_is_started_again(tmp_path: Path) -> None:
    children, said = _keeper(tmp_path, "import sys; sys.exit(3)")
    children.start_all()
    _wait_exit(children)

    assert children.watch(now=100.0) is True
    _wait_exit(children)
    children.stop_all()

    assert (tmp_path / "starts").read_text() == "xx"
    assert said == ["support-desk: worker exited with 3; starting it again."]


def test_a_process_that_keeps_exiting_stops_the_desk(tmp_path: Path) -> None:
    children, said = _keeper(tmp_path, "import sys; sys.exit(1)")
    children.start_all()
    for attempt in range(RESTARTS_ALLOWED):
        _wait_exit(children)
        assert children.watch(now=100.0 + attempt) is True
    _wait_exit(children)

    assert children.watch(now=100.0 + RESTARTS_ALLOWED) is False
    assert said[-1] == (
        "support-desk: worker exited 6 times within 60 s (last with 1); stopping the desk."
    )


def test_exits_spread_over_time_never_stop_the_desk(tmp_path: Path) -> None:
    children, _said = _keeper(tmp_path, "import sys; sys.exit(1)")
    children.start_all()
    for attempt in range(RESTARTS_ALLOWED * 2):
        _wait_exit(children)
        assert children.watch(now=attempt * run_desk.RESTART_WINDOW) is True
    children.stop_all()


def test_stopping_ends_a_running_process(tmp_path: Path) -> None:
    children, said = _keeper(tmp_path, "import time; time.sleep(60)")
    children.start_all()

    assert children.watch(now=1.0) is True
    children.stop_all(timeout=5)

    assert children.processes["worker"].returncode is not None
    assert said == []
