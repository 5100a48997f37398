"""A whole desk on its own servers, for fault injection.

Everything here runs as real processes started by the tests themselves: a
PostgreSQL cluster (``initdb`` into a temporary folder), a Redis server, the
desk's gunicorn, Celery worker(s) and Celery beat, each on a spare port and
started as README.md and docker-compose.yml start them. Faults (SIGKILL,
SIGSTOP, an immediate PostgreSQL stop, a Redis wipe) are only ever sent to
the process ids recorded here, and :meth:`ChaosStack.close` tears it all down.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PG_BIN = Path(os.environ.get("DESK_CHAOS_PG_BIN", "/usr/lib/postgresql/15/bin"))
# The machine's shared services: never touched, never reused.
SHARED_PORTS = frozenset({5432, 6379, 5672, 8000})
CELERY_QUEUES = "default,routing,notifications,webhooks,maintenance"
DATABASE = "chaos_desk"


class MissingTool(RuntimeError):
    """A program the fault tests need is not installed."""


def missing_tools() -> list[str]:
    """Return the programs the fault tests need that this machine lacks."""
    wanted = [PG_BIN / "initdb", PG_BIN / "pg_ctl", PG_BIN / "postgres"]
    missing = [str(path) for path in wanted if not os.access(path, os.X_OK)]
    if shutil.which("redis-server") is None:
        missing.append("redis-server")
    for program in ("gunicorn", "celery"):
        if not (VENV_BIN / program).exists():
            missing.append(str(VENV_BIN / program))
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        missing.append("runuser (PostgreSQL refuses to run as root)")
    return missing


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on and that no shared service uses."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port not in SHARED_PORTS:
            return port


def wait_until(
    predicate: Callable[[], Any], *, timeout: float, interval: float = 0.25, what: str = ""
) -> Any:
    """Call ``predicate`` until it returns something truthy; raise TimeoutError after ``timeout``."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while True:
        try:
            value = predicate()
        except Exception as exc:
            value, last_error = None, exc
        if value:
            return value
        if time.monotonic() > deadline:
            detail = f" (last error: {last_error!r})" if last_error else ""
            raise TimeoutError(f"gave up waiting for {what or predicate!r}{detail}")
        time.sleep(interval)


def children_of(pid: int) -> list[int]:
    """Return the ids of the direct children of process ``pid`` (Linux /proc)."""
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text()
            found.extend(int(part) for part in text.split())
    except OSError:
        return []
    return sorted(set(found))


def pid_alive(pid: int) -> bool:
    """Return whether ``pid`` runs and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


# --- PostgreSQL -----------------------------------------------------------------------


def _as_postgres(command: list[str]) -> list[str]:
    """Run ``command`` as the postgres user when we are root (PostgreSQL refuses root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


class PostgresCluster:
    """A PostgreSQL cluster of our own: initdb into ``root``, a spare port, trust auth."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.log = root / "postgres.log"
        self.port = free_port()

    def _run(self, *args: str, timeout: float = 120) -> None:
        subprocess.run(
            _as_postgres([str(PG_BIN / args[0]), *args[1:]]),
            check=True,
            capture_output=True,
            timeout=timeout,
        )

    def init(self) -> None:
        """Create the cluster: fast and unsafe durability is fine for a throw-away cluster."""
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            "initdb",
            "--pgdata",
            str(self.data),
            "--username=postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        settings = {
            "port": str(self.port),
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.root}'",
            "max_connections": "200",
            # Only the operating system crashing loses data with these; an
            # immediate stop (the fault under test) still recovers from WAL.
            # (synchronous_commit stays on: off, a crash loses acknowledged commits.)
            "fsync": "off",
            "full_page_writes": "off",
            "log_line_prefix": "'%m [%p] '",
            "deadlock_timeout": "'1s'",
        }
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        self._run(
            "pg_ctl", "--pgdata", str(self.data), "--log", str(self.log), "-w", "-t", "60", "start"
        )

    def stop(self, mode: str = "fast") -> None:
        """Stop the server; ``immediate`` is a crash: no checkpoint, clients cut off."""
        self._run("pg_ctl", "--pgdata", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def running(self) -> bool:
        pid = self.pid()
        return pid is not None and pid_alive(pid)

    def pid(self) -> int | None:
        """Return the postmaster's process id, from postmaster.pid."""
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, IndexError, ValueError):
            return None

    def url(self, database: str = DATABASE) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = DATABASE) -> Any:
        import psycopg2

        return psycopg2.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database, connect_timeout=5
        )

    def execute(self, sql: str, *, database: str = "postgres") -> None:
        """Run one statement outside a transaction (CREATE DATABASE and the like)."""
        connection = self.connect(database)
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()

    def query(
        self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()
    ) -> list[tuple[Any, ...]]:
        """Return the rows of one read on the desk's database, on a fresh connection."""
        connection = self.connect()
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return list(cursor.fetchall())
        finally:
            connection.close()

    def scalar(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> Any:
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def destroy(self) -> None:
        if self.running():
            try:
                self.stop("immediate")
            except (subprocess.SubprocessError, OSError):
                pid = self.pid()
                if pid is not None:
                    os.kill(pid, signal.SIGKILL)


# --- Processes ------------------------------------------------------------------------


class Managed:
    """One process we started, in its own session, its output appended to a log file."""

    def __init__(self, name: str, command: list[str], *, env: dict[str, str], log: Path) -> None:
        self.name, self.command, self.env, self.log = name, command, env, log
        self.popen: subprocess.Popen[bytes] | None = None
        self._log_file: IO[bytes] | None = None
        self._log_offset = 0
        # Down on purpose (a test's fault, the teardown): the supervisor leaves it.
        self.wanted_down = False
        self.restarts = 0
        self._lock = threading.Lock()

    def exited_unexpectedly(self) -> bool:
        return self.popen is not None and not self.wanted_down and not self.alive()

    def start(self) -> None:
        with self._lock:
            if self.alive():
                return
            self.wanted_down = False
            self._close_log()
            self._start()

    def _start(self) -> None:
        self._log_file = self.log.open("ab")
        self._log_offset = self._log_file.tell()
        self.popen = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        assert self.popen is not None, f"{self.name} was never started"
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def children(self) -> list[int]:
        return children_of(self.pid) if self.alive() else []

    def signal(self, sig: int) -> None:
        """Send ``sig`` to this process only."""
        if self.alive():
            os.kill(self.pid, sig)

    def _group_signal(self, sig: int) -> None:
        # The process group is the session we made for it: its id is our child's id.
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, sig)

    def kill(self) -> None:
        """SIGKILL the process, then whatever of its group outlives it (as a container stop would)."""
        if self.popen is None:
            return
        self.wanted_down = True
        self.signal(signal.SIGKILL)
        self.popen.wait(timeout=10)
        self._group_signal(signal.SIGKILL)
        self._close_log()

    def stop(self, grace: float = 20.0) -> None:
        """SIGTERM (a warm shutdown for gunicorn and Celery), SIGKILL after ``grace`` seconds."""
        if self.popen is None:
            return
        self.wanted_down = True
        if self.alive():
            self._group_signal(signal.SIGCONT)
            self.signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.signal(signal.SIGKILL)
                self.popen.wait(timeout=10)
        self._group_signal(signal.SIGKILL)
        self._close_log()

    def _close_log(self) -> None:
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def log_text(self) -> str:
        if self._log_file is not None:
            self._log_file.flush()
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def log_since_start(self) -> str:
        """Return what the process wrote since it was last started."""
        if self._log_file is not None:
            self._log_file.flush()
        try:
            with self.log.open("rb") as log:
                log.seek(self._log_offset)
                return log.read().decode(errors="replace")
        except OSError:
            return ""

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])


class RedisServer(Managed):
    """A Redis server of our own, keeping nothing on disk: a restart starts empty."""

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        redis_server = shutil.which("redis-server") or "redis-server"
        command = [
            redis_server,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(root),
        ]
        super().__init__(
            "redis", command, env={"PATH": os.environ.get("PATH", "")}, log=root / "redis.log"
        )

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> Any:
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)

    def start(self) -> None:
        super().start()
        wait_until(lambda: self.client().ping(), timeout=20, what="redis to answer PING")

    def flushall(self) -> None:
        self.client().flushall()


def wait_http(process: Managed, base_url: str, *, timeout: float = 60) -> None:
    """Wait until the gunicorn ``process`` answers ``/healthz`` at ``base_url``."""

    def answers() -> bool:
        if not process.alive():
            raise RuntimeError(f"{process.name} exited:\n{process.tail()}")
        with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
            return bool(response.status == 200)

    wait_until(answers, timeout=timeout, what=f"{process.name} to answer /healthz")


# --- The desk -------------------------------------------------------------------------


def desk_env(*, root: Path, database_url: str, redis_url: str) -> dict[str, str]:
    """Return the environment of the desk's processes: full mode, DEBUG off, plain HTTP."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR")
    env = {key: os.environ[key] for key in keep if key in os.environ}
    env.update(
        {
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "support_desk.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "DESK_VAR_DIR": str(root / "var"),
            "DESK_DEMO_ALLOWED": "true",
            # The load comes from one key and a few people: far above any real caller.
            "DESK_API_RATES": "read=1000000/min,write=1000000/min,tickets:write=1000000/min,"
            "disputes:write=1000000/min,orders:write=1000000/min",
            "DESK_WEBHOOKS_ALLOW_PRIVATE": "true",
            "DJANGO_LOG_LEVEL": "INFO",
        }
    )
    return env


@dataclass
class Desk:
    """The desk's own processes: gunicorn, Celery worker(s), Celery beat."""

    root: Path
    env: dict[str, str]
    web_port: int = field(default_factory=free_port)
    web_workers: int = 2
    processes: dict[str, Managed] = field(default_factory=dict)
    _supervising: bool = False
    _worker_serial: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def manage(self, *args: str, timeout: float = 600) -> str:
        """Run ``manage.py`` with the desk's environment; return its output."""
        done = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def script(self, module: str, *args: str, timeout: float = 600) -> Any:
        """Run ``python -m module args`` with the desk's environment; return its JSON output."""
        done = subprocess.run(
            [sys.executable, "-m", module, *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{module} {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def _process(self, name: str, command: list[str]) -> Managed:
        process = self.processes.get(name)
        if process is None:
            process = Managed(name, command, env=self.env, log=self.root / f"{name}.log")
            self.processes[name] = process
        return process

    def gunicorn_command(self, *, port: int, workers: int, threads: int = 1) -> list[str]:
        """The gunicorn command of docker-compose.yml, on ``port``.

        Each gunicorn gets a control socket of its own: the default one in
        ~/.gunicorn/ is shared by every gunicorn of the user on this machine.
        """
        return [
            str(VENV_BIN / "gunicorn"),
            "support_desk.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            f"--threads={threads}",
            "--access-logfile=-",
            "--graceful-timeout=5",
            f"--control-socket={self.root / f'gunicorn-{port}.ctl'}",
        ]

    def web(self) -> Managed:
        """The desk's gunicorn."""
        return self._process(
            "web", self.gunicorn_command(port=self.web_port, workers=self.web_workers)
        )

    def extra_web(self, name: str, *, workers: int, threads: int) -> tuple[Managed, str]:
        """Return another gunicorn on the same database (not started) and its base URL."""
        port = free_port()
        command = self.gunicorn_command(port=port, workers=workers, threads=threads)
        return Managed(name, command, env=self.env, log=self.root / f"{name}.log"), (
            f"http://127.0.0.1:{port}"
        )

    def worker(self, name: str = "worker", *, concurrency: int = 2) -> Managed:
        """The Celery worker command of docker-compose.yml, plus the test-only crash task."""
        return self._process(
            name,
            [
                str(VENV_BIN / "celery"),
                "--app=support_desk",
                "worker",
                f"--queues={CELERY_QUEUES}",
                f"--concurrency={concurrency}",
                "--loglevel=INFO",
                f"--hostname={name}@chaos",
                # A test-only task that kills its own worker process (test_worker_kill).
                "--include=tests.chaos.crashtasks",
                "--without-gossip",
                "--without-mingle",
            ],
        )

    def beat(self) -> Managed:
        """The Celery beat command of docker-compose.yml, its schedule file in our folder."""
        return self._process(
            "beat",
            [
                str(VENV_BIN / "celery"),
                "--app=support_desk",
                "beat",
                f"--schedule={self.root / 'celerybeat-schedule'}",
                "--loglevel=INFO",
            ],
        )

    def start(self) -> None:
        """Start web, one worker and beat; wait until the web answers and the worker pings."""
        for process in (self.worker(), self.beat(), self.web()):
            process.start()
        self.wait_web()
        self.wait_worker("worker")

    def wait_web(self, timeout: float = 60) -> None:
        wait_http(self.web(), self.base_url, timeout=timeout)

    def wait_worker(self, name: str, timeout: float = 90) -> None:
        """Wait until the worker ``name`` logs, since its last start, that it is ready."""
        worker = self.processes[name]

        def ready() -> bool:
            if not worker.alive():
                raise RuntimeError(f"{name} exited:\n{worker.tail()}")
            return " ready." in worker.log_since_start()

        wait_until(ready, timeout=timeout, what=f"{name} to be ready")

    def ensure_running(self) -> None:
        """Restart whatever of web, worker and beat is not running (a fault test left it down)."""
        for name, process in self.processes.items():
            if not process.alive():
                for pid in process.children():
                    os.kill(pid, signal.SIGKILL)
                process.start()
                if name == "web":
                    self.wait_web()
                elif name != "beat":
                    self.wait_worker(name)
            else:
                process.signal(signal.SIGCONT)

    def workers(self) -> list[Managed]:
        return [p for name, p in self.processes.items() if name not in ("web", "beat")]

    def supervise(self) -> None:
        """Restart any desk process that exits unasked, as docker-compose's restart policy does.

        Each restart is logged to ``restarts.log`` and counted on the process
        (``Managed.restarts``): a test can tell a recovery from a restart.
        """
        self._supervising = True

        def watch() -> None:
            while self._supervising:
                for process in list(self.processes.values()):
                    if self._supervising and process.exited_unexpectedly():
                        code = process.popen.returncode if process.popen else None
                        with (self.root / "restarts.log").open("a") as log:
                            log.write(
                                f"{time.strftime('%H:%M:%S')} {process.name} exited ({code})\n"
                            )
                        process.restarts += 1
                        process.start()
                time.sleep(1)

        threading.Thread(target=watch, name="desk-supervisor", daemon=True).start()

    def restarts(self) -> dict[str, int]:
        """Return how many times the supervisor restarted each process."""
        return {name: p.restarts for name, p in self.processes.items() if p.restarts}

    def stop(self) -> None:
        self._supervising = False
        for process in self.processes.values():
            process.stop()


def celery_client(broker_url: str) -> Any:
    """Return a Celery app that only sends messages to the desk's broker (no tasks of its own)."""
    from celery import Celery
    from kombu import Queue

    client = Celery("chaos-client", broker=broker_url)
    client.conf.update(
        task_serializer="json",
        accept_content=["json"],
        task_default_queue="default",
        task_queues=[Queue(name, routing_key=name) for name in CELERY_QUEUES.split(",")],
    )
    return client


@dataclass
class ChaosStack:
    """PostgreSQL, Redis and the desk, all ours; ``seed`` holds what the seed script made."""

    root: Path
    pg: PostgresCluster
    redis: RedisServer
    desk: Desk
    seed: dict[str, Any]

    def close(self) -> None:
        """Stop everything we started, in reverse order; never raises."""
        for step in (self.desk.stop, self.redis.stop, self.pg.destroy):
            with suppress(Exception):
                step()


@contextmanager
def chaos_stack(root: Path) -> Iterator[ChaosStack]:
    """Start PostgreSQL, Redis, migrate and seed the desk, start its processes; tear down after."""
    missing = missing_tools()
    if missing:
        raise MissingTool(", ".join(missing))
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o755)
    pg = PostgresCluster(root / "pg")
    redis_server = RedisServer(root / "redis")
    desk = Desk(
        root=root / "desk",
        env=desk_env(root=root / "desk", database_url=pg.url(), redis_url=redis_server.url),
    )
    desk.root.mkdir(parents=True, exist_ok=True)
    stack = ChaosStack(root=root, pg=pg, redis=redis_server, desk=desk, seed={})
    timings = root / "setup-times.txt"

    @contextmanager
    def timed(step: str) -> Iterator[None]:
        started = time.monotonic()
        yield
        with timings.open("a") as out:
            out.write(f"{step}: {time.monotonic() - started:.1f} s\n")

    try:
        with timed("postgres"):
            pg.init()
            pg.start()
            pg.execute(f"CREATE DATABASE {DATABASE}")
        with timed("redis"):
            redis_server.start()
        with timed("migrate and collectstatic"):
            collecting = subprocess.Popen(
                [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--no-input", "-v0"],
                cwd=ROOT,
                env=desk.env,
            )
            desk.manage("migrate", "--no-input", "--verbosity=0")
            if collecting.wait(timeout=600) != 0:
                raise RuntimeError("collectstatic failed")
        with timed("seed"):
            stack.seed = desk.script("tests.chaos.seed")
        with timed("desk processes"):
            desk.start()
        desk.supervise()
        yield stack
    finally:
        stack.close()


class LoadRun:
    """The load generator (tests.chaos.load) running in a process of its own."""

    def __init__(self, stack: ChaosStack, name: str, **config: Any) -> None:
        self.csv = stack.root / f"{name}.csv"
        self.csv.unlink(missing_ok=True)
        self.csv.touch()
        config_file = stack.root / f"{name}.json"
        config_file.write_text(
            json.dumps(
                {
                    "base_url": stack.desk.base_url,
                    "api_key": stack.seed["api_key"],
                    "out": str(self.csv),
                    **config,
                }
            )
        )
        env = {**stack.desk.env}
        self.process = Managed(
            f"load-{name}",
            [sys.executable, "-m", "tests.chaos.load", str(config_file)],
            env=env,
            log=stack.root / f"{name}.log",
        )
        self.process.start()

    def wait(self, timeout: float) -> list[dict[str, Any]]:
        """Wait for the load to end; return its rows."""
        from tests.chaos.load import read

        assert self.process.popen is not None
        try:
            self.process.popen.wait(timeout=timeout)
        finally:
            self.process.stop()
        if self.process.popen.returncode != 0:
            raise RuntimeError(f"the load failed:\n{self.process.tail()}")
        return read(self.csv)


def help_pages(stack: ChaosStack) -> dict[str, Any]:
    """Return help-centre paths to browse and a refund answer's contact-form path."""
    rows = stack.pg.query(
        """
        SELECT t.slug, e.slug, e.id, e.operator_resolvable,
               COALESCE(e.email_contact, t.email_contact)
        FROM faq_faqentry e JOIN faq_topic t ON t.id = e.topic_id
        WHERE e.published AND t.is_active ORDER BY e.id
        """
    )
    pages = ["/help/", *sorted({f"/help/{topic}/" for topic, *_rest in rows})]
    pages += [f"/help/{topic}/{entry}/" for topic, entry, *_rest in rows[:12]]
    contact = next(
        f"/help/requests/new/{entry_id}/{'chat' if chat else 'email'}/"
        for topic, _entry, entry_id, chat, email in rows
        if topic == "refund" and (chat or email)
    )
    return {"pages": pages, "contact_path": contact}
