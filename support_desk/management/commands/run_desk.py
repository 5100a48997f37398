"""Start the whole embedded desk: web (gunicorn), Celery worker and Celery beat."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from accounts.demo import DEMO_PASSWORD, DEMO_PEOPLE


def desk_commands(
    *, host: str, port: int, web_workers: int, concurrency: int
) -> dict[str, list[str]]:
    """Return the command line of each process of the desk, by name."""
    bin_dir = Path(sys.executable).parent
    queues = ",".join(settings.DESK_CELERY_QUEUES)
    return {
        "web": [
            str(bin_dir / "gunicorn"),
            "support_desk.wsgi:application",
            f"--bind={host}:{port}",
            f"--workers={web_workers}",
            "--access-logfile=-",
            "--graceful-timeout=5",
        ],
        "worker": [
            str(bin_dir / "celery"),
            "--app=support_desk",
            "worker",
            f"--queues={queues}",
            f"--concurrency={concurrency}",
            "--loglevel=INFO",
        ],
        "beat": [
            str(bin_dir / "celery"),
            "--app=support_desk",
            "beat",
            f"--schedule={settings.CELERY_BEAT_SCHEDULE_FILENAME}",
            "--loglevel=INFO",
        ],
    }


class Command(BaseCommand):
    help = "Run web, worker and beat together until Ctrl-C; print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--web-workers", type=int, default=2)
        parser.add_argument("--concurrency", type=int, default=2)

    def handle(
        self, *args: Any, host: str, port: int, web_workers: int, concurrency: int, **options: Any
    ) -> None:
        commands = desk_commands(
            host=host, port=port, web_workers=web_workers, concurrency=concurrency
        )
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        processes: dict[str, subprocess.Popen[bytes]] = {}
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            for name, command in commands.items():
                # Own process group, so a Ctrl-C reaches children only through us.
                processes[name] = subprocess.Popen(  # noqa: S603 - our own fixed commands
                    command, env=env, start_new_session=True
                )
            self._print_banner(host, port)
            while not stopping:
                for name, process in processes.items():
                    if process.poll() is not None:
                        self.stderr.write(
                            f"support-desk: {name} exited with {process.returncode}; "
                            "stopping the desk."
                        )
                        stopping = True
                        break
                time.sleep(0.5)
        finally:
            self._stop_all(processes)
        failed = [name for name, p in processes.items() if p.returncode not in (0, -signal.SIGTERM)]
        if failed:
            sys.exit(1)

    def _stop_all(self, processes: dict[str, subprocess.Popen[bytes]]) -> None:
        self.stdout.write("support-desk: stopping web, worker and beat…")
        # SIGTERM to each leader: gunicorn and Celery then shut their own
        # children down gracefully; the whole group is killed only on timeout.
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 15
        for process in processes.values():
            remaining = max(0.1, deadline - time.monotonic())
            try:
                process.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.stdout.write("support-desk: stopped.")

    def _print_banner(self, host: str, port: int) -> None:
        url = f"http://{host}:{port}"
        lines = [
            "",
            f"Support Desk is running at {url}/  (Ctrl-C stops web, worker and beat)",
            f"  help centre {url}/help/   agents {url}/agent/   sellers {url}/seller/",
            f"  admin {url}/admin/   API {url}/api/v1/   API docs {url}/api/docs/",
            f"  health {url}/healthz   readiness {url}/readyz",
        ]
        if settings.DESK_DEMO_ALLOWED:
            lines.append(f"Demo logins (password {DEMO_PASSWORD} for all):")
            lines.extend(f"  {p.username:<11} {p.description}" for p in DEMO_PEOPLE)
        self.stdout.write("\n".join(lines) + "\n")
