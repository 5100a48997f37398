"""A bounded load on the desk, from a process of its own: ``python -m tests.chaos.load CONFIG``.

CONFIG is a JSON file (see :class:`LoadConfig`). Requests start on a fixed
schedule (``rate`` a second, kinds drawn by weight) whatever the desk does,
on a bounded pool of threads; each one's latency counts from its scheduled
start, so a desk that stalls shows as slow, not as fewer requests. Every
request is appended to the CSV at ``out`` as it finishes:

    scheduled_at,kind,status,latency_s,ok,detail

``status`` 0 means no HTTP answer (refused, reset, timed out).
"""

from __future__ import annotations

import csv
import json
import random
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

TIMEOUT = 10.0
COLUMNS = ("scheduled_at", "kind", "status", "latency_s", "ok", "detail")


@dataclass
class LoadConfig:
    base_url: str
    api_key: str
    out: str
    prefix: str
    rate: float
    duration: float
    weights: dict[str, float]
    concurrency: int = 16
    # Help-centre pages to browse, e.g. "/help/refund/refund-not-received/".
    pages: list[str] = field(default_factory=list)
    # Agents the key acts as for "agent" work (take next, then solve).
    agents: list[str] = field(default_factory=list)
    # Web contact forms: buyer logins and the form's path.
    buyers: list[str] = field(default_factory=list)
    password: str = ""
    contact_path: str = ""


def _session() -> requests.Session:
    session = requests.Session()
    session.headers["Connection"] = "close"
    return session


class Load:
    def __init__(self, config: LoadConfig) -> None:
        self.config = config
        self.counter = 0
        self.lock = threading.Lock()
        self.out = Path(config.out).open("a", newline="")  # noqa: SIM115 - closed by run()
        self.writer = csv.writer(self.out)
        self.local = threading.local()
        self.web_sessions: list[requests.Session] = []

    # --- one request of each kind: return (status, ok, detail) -------------------

    def _api(self) -> requests.Session:
        if not hasattr(self.local, "api"):
            self.local.api = _session()
            self.local.api.headers["Authorization"] = f"Bearer {self.config.api_key}"
        return self.local.api

    def _next_subject(self) -> str:
        with self.lock:
            self.counter += 1
            return f"{self.config.prefix}{self.counter:06d}"

    def create(self) -> tuple[int, bool, str]:
        subject = self._next_subject()
        answer = self._api().post(
            f"{self.config.base_url}/api/v1/tickets/",
            json={
                "topic": "refund",
                "subject": subject,
                "description": "My refund has not arrived. " + subject,
                "language": "en",
                "order_number": "CH-1001",
                "buyer_email": f"load{self.counter % 97}@buyers.support-desk.test",
            },
            headers={"Idempotency-Key": subject},
            timeout=TIMEOUT,
        )
        return answer.status_code, answer.status_code == 201, subject

    def create_web(self) -> tuple[int, bool, str]:
        if not self.web_sessions:
            return self.create()
        session = random.choice(self.web_sessions)
        subject = self._next_subject()
        url = f"{self.config.base_url}{self.config.contact_path}"
        answer = session.post(
            url,
            data={
                "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
                "subject": subject,
                "description": "My refund has not arrived. " + subject,
                "order_number": "CH-1001",
            },
            headers={"Referer": url},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        ok = answer.status_code == 302 and "/help/requests/" in answer.headers.get("Location", "")
        return answer.status_code, ok, subject

    def browse(self) -> tuple[int, bool, str]:
        if not hasattr(self.local, "browser"):
            self.local.browser = _session()
        page = random.choice(self.config.pages or ["/help/"])
        answer = self.local.browser.get(f"{self.config.base_url}{page}", timeout=TIMEOUT)
        return answer.status_code, answer.status_code == 200, page

    def agent(self) -> tuple[int, bool, str]:
        agent = random.choice(self.config.agents)
        base = self.config.base_url
        taken = self._api().post(
            f"{base}/api/v1/tickets/take-next/", json={"agent": agent}, timeout=TIMEOUT
        )
        if taken.status_code == 204:
            return 204, True, f"{agent}: nothing waits"
        if taken.status_code != 200:
            # Capacity reached is a clear 409, a normal answer for a busy agent.
            return taken.status_code, taken.status_code == 409, f"{agent}: take"
        ticket_id = taken.json()["id"]
        solved = self._api().post(
            f"{base}/api/v1/tickets/{ticket_id}/status/",
            json={"status": "solved", "agent": agent},
            timeout=TIMEOUT,
        )
        return solved.status_code, solved.status_code == 200, f"{agent}: solve {ticket_id}"

    def api_read(self) -> tuple[int, bool, str]:
        answer = self._api().get(
            f"{self.config.base_url}/api/v1/tickets/", params={"status": "queued"}, timeout=TIMEOUT
        )
        return answer.status_code, answer.status_code == 200, "list queued"

    # --- the schedule ----------------------------------------------------------------

    def _login_buyers(self) -> None:
        for username in self.config.buyers:
            session = _session()
            login = f"{self.config.base_url}/accounts/login/"
            session.get(login, timeout=TIMEOUT)
            answer = session.post(
                login,
                data={
                    "username": username,
                    "password": self.config.password,
                    "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
                },
                headers={"Referer": login},
                allow_redirects=False,
                timeout=TIMEOUT,
            )
            if answer.status_code == 302:
                session.get(f"{self.config.base_url}{self.config.contact_path}", timeout=TIMEOUT)
                self.web_sessions.append(session)

    def _run_one(self, kind: str, scheduled: float) -> None:
        try:
            status, ok, detail = getattr(self, kind)()
        except requests.RequestException as error:
            status, ok, detail = 0, False, type(error).__name__
        latency = time.time() - scheduled
        with self.lock:
            self.writer.writerow(
                (f"{scheduled:.3f}", kind, status, f"{latency:.4f}", int(ok), detail)
            )
            self.out.flush()

    def run(self) -> None:
        self._login_buyers()
        kinds = list(self.config.weights)
        weights = [self.config.weights[k] for k in kinds]
        interval = 1.0 / self.config.rate
        start = time.time()
        with ThreadPoolExecutor(max_workers=self.config.concurrency) as pool:
            n = 0
            while True:
                scheduled = start + n * interval
                if scheduled - start >= self.config.duration:
                    break
                delay = scheduled - time.time()
                if delay > 0:
                    time.sleep(delay)
                kind = random.choices(kinds, weights)[0]
                pool.submit(self._run_one, kind, scheduled)
                n += 1
        self.out.close()


def read(path: Path) -> list[dict[str, Any]]:
    """Return the rows of a load CSV, typed."""
    with path.open(newline="") as source:
        return [
            {
                "scheduled_at": float(row[0]),
                "kind": row[1],
                "status": int(row[2]),
                "latency_s": float(row[3]),
                "ok": row[4] == "1",
                "detail": row[5],
            }
            for row in csv.reader(source)
        ]


def main() -> None:
    config = LoadConfig(**json.loads(Path(sys.argv[1]).read_text()))
    Load(config).run()


if __name__ == "__main__":
    main()
