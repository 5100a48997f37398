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
            # Under the desk's var/, not the user's shared default (another desk may run).
            f"--control-socket={settings.VAR_DIR / 'gunicorn.ctl'}",
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


# A process that exits is started again (a worker can die when Redis does),
# unless it exits this often within RESTART_WINDOW seconds: then something is
# wrong that starting again will not mend (a port taken, bad settings).
RESTARTS_ALLOWED = 5
RESTART_WINDOW = 60.0


class Children:
    """The desk's processes: started, watched, started again when one exits, stopped together."""

    def __init__(self, commands: dict[str, list[str]], *, env: dict[str, str], say: Any) -> None:
        self.commands = commands
        self.env = env
        self.say = say
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.restarts: dict[str, list[float]] = {name: [] for name in commands}

    def start(self, name: str) -> None:
        # Own process group, so a Ctrl-C reaches children only through us.
        self.processes[name] = subprocess.Popen(  # noqa: S603 - our own fixed commands
            self.commands[name], env=self.env, start_new_session=True
        )

    def start_all(self) -> None:
        for name in self.commands:
            self.start(name)

    def watch(self, now: float) -> bool:
        """Start again what exited; return False when one keeps exiting (stop the desk)."""
        for name, process in list(self.processes.items()):
            if process.poll() is None:
                continue
            recent = [at for at in self.restarts[name] if now - at < RESTART_WINDOW]
            if len(recent) >= RESTARTS_ALLOWED:
                self.say(
                    f"support-desk: {name} exited {len(recent) + 1} times within "
                    f"{RESTART_WINDOW:.0f} s (last with {process.returncode}); stopping the desk."
                )
                return False
            self.say(f"support-desk: {name} exited with {process.returncode}; starting it again.")
            self.restarts[name] = [*recent, now]
            self.start(name)
        return True

    def stop_all(self, timeout: float = 15) -> None:
        # SIGTERM to each leader: gunicorn and Celery then shut their own
        # children down gracefully; the whole group is killed only on timeout.
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            remaining = max(0.1, deadline - time.monotonic())
            try:
                process.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


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
        children = Children(
            commands, env={**os.environ, "PYTHONUNBUFFERED": "1"}, say=self.stderr.write
        )
        stopping = False
        gave_up = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            children.start_all()
            self._print_banner(host, port)
            while not stopping:
                if not children.watch(time.monotonic()):
                    gave_up = True
                    break
                time.sleep(0.5)
        finally:
            self.stdout.write("support-desk: stopping web, worker and beat…")
            children.stop_all()
            self.stdout.write("support-desk: stopped.")
        if gave_up:
            sys.exit(1)

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
