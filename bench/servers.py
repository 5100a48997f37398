"""Start the desk as production does (gunicorn, a Celery worker, Celery beat) and stop it again."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
CELERY_QUEUES = "default,routing,notifications,webhooks,maintenance"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Process:
    """A child process in its own session, its output in a log file."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.command, self.log = name, command, log
        self._log_file: IO[bytes] = log.open("wb")
        self.popen = subprocess.Popen(  # noqa: S603 (our own venv's programs)
            command,
            cwd=ROOT,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, grace: float = 15.0) -> None:
        """Ask the process to stop (SIGTERM: graceful for gunicorn and Celery); kill it if it hangs."""
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=5)
        self._log_file.close()

    def tail(self, lines: int = 30) -> str:
        self._log_file.flush()
        text = self.log.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])


def wait_for_http(url: str, process: Process, timeout: float = 60.0) -> None:
    """Wait until ``url`` answers 200; fail early if the server process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.alive():
            raise RuntimeError(f"{process.name} exited early:\n{process.tail()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310  # nosec B310  # http://127.0.0.1 of a server the bench started
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f}s:\n{process.tail()}")


def wait_for_worker(process: Process, hostname: str, timeout: float = 60.0) -> None:
    """Wait until the Celery worker called ``hostname`` answers a ping."""
    from support_desk.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.alive():
            raise RuntimeError(f"{process.name} exited early:\n{process.tail()}")
        if app.control.ping(destination=[hostname], timeout=1.0):
            return
    raise RuntimeError(f"the Celery worker did not answer within {timeout:.0f}s:\n{process.tail()}")


@dataclass(frozen=True)
class Desk:
    port: int
    gunicorn_pid: int
    worker_hostname: str


def start_routing_worker(
    *, env: dict[str, str], concurrency: int, hostname: str, log: Path
) -> Process:
    """Start a Celery worker with ``concurrency`` processes on the routing queue only."""
    return Process(
        f"routing worker ×{concurrency}",
        [
            str(VENV_BIN / "celery"),
            "--app=support_desk",
            "worker",
            "--queues=routing",
            f"--concurrency={concurrency}",
            "--loglevel=WARNING",
            f"--hostname={hostname}",
        ],
        env,
        log,
    )


def worker_rss_mb(master_pid: int) -> list[float]:
    """Return the resident memory (VmRSS, MB) of each child process of ``master_pid``."""
    sizes = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields.get("PPid", "0").strip() or 0) != master_pid:
            continue
        rss = fields.get("VmRSS", "").split()
        if rss:
            sizes.append(round(int(rss[0]) * 1024 / 1e6, 1))  # kB (KiB) to MB
    return sorted(sizes)


@contextmanager
def desk(
    *, env: dict[str, str], workers: int, logs: Path, sessions: set[int] | None = None
) -> Iterator[Desk]:
    """Run gunicorn, a Celery worker and beat for the duration of the block.

    Each runs in its own session; their ids are added to ``sessions``.
    """
    logs.mkdir(parents=True, exist_ok=True)
    port = free_port()
    hostname = f"bench-{os.getpid()}@{socket.gethostname()}"
    started: list[Process] = []
    try:
        started.append(
            Process(
                "celery worker",
                [
                    str(VENV_BIN / "celery"),
                    "--app=support_desk",
                    "worker",
                    f"--queues={CELERY_QUEUES}",
                    "--concurrency=2",
                    "--loglevel=WARNING",
                    f"--hostname={hostname}",
                ],
                env,
                logs / "celery.log",
            )
        )
        started.append(
            Process(
                "celery beat",
                [
                    str(VENV_BIN / "celery"),
                    "--app=support_desk",
                    "beat",
                    f"--schedule={logs / 'celerybeat-schedule'}",
                    "--loglevel=WARNING",
                ],
                env,
                logs / "beat.log",
            )
        )
        web = Process(
            "gunicorn",
            [
                str(VENV_BIN / "gunicorn"),
                "support_desk.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--log-level=warning",
                # Its own control socket: another gunicorn of this user keeps the default one.
                f"--control-socket={logs / 'gunicorn.ctl'}",
            ],
            env,
            logs / "gunicorn.log",
        )
        started.append(web)
        if sessions is not None:
            sessions.update(process.popen.pid for process in started)
        wait_for_http(f"http://127.0.0.1:{port}/healthz", web)
        wait_for_worker(started[0], hostname)
        yield Desk(port=port, gunicorn_pid=web.popen.pid, worker_hostname=hostname)
    finally:
        for process in reversed(started):
            process.stop()
