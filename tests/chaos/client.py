"""HTTP clients of the chaos desk: an integrator's key, signed-in people, and the checks after.

The checks read the desk's database directly (``PostgresCluster.query``): they
must work while the desk's own processes are down, and they count rows, so a
ticket routed twice or lost shows however the desk reports itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

from tests.chaos.harness import ChaosStack, PostgresCluster

TIMEOUT = 30


def new_session() -> requests.Session:
    """Return a session that opens a connection per request.

    gunicorn's threaded workers keep idle connections for two seconds; a
    request sent just as the server closes one is reset, and a client may
    not retry a POST. One connection per request is what the sync workers
    of docker-compose.yml do anyway.
    """
    session = requests.Session()
    session.headers["Connection"] = "close"
    return session


def api_session(stack: ChaosStack) -> requests.Session:
    """Return a session that calls the API with the seeded integrator key."""
    session = new_session()
    session.headers["Authorization"] = f"Bearer {stack.seed['api_key']}"
    return session


def login(base_url: str, username: str, password: str) -> requests.Session:
    """Sign ``username`` in through the log-in page; the session then sends its CSRF token."""
    session = new_session()
    page = session.get(f"{base_url}/accounts/login/", timeout=TIMEOUT)
    page.raise_for_status()
    token = session.cookies["csrftoken"]
    answer = session.post(
        f"{base_url}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base_url}/accounts/login/"},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"{username} could not sign in: {answer.status_code}")
    session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
    session.headers["Referer"] = f"{base_url}/"
    return session


def ticket_body(
    subject: str, *, topic: str = "refund", buyer: str = "chaos-buyer"
) -> dict[str, Any]:
    """Return the API body of a ticket opened for ``buyer`` (made on first use)."""
    return {
        "topic": topic,
        "subject": subject,
        "description": "My refund has not arrived. " + subject,
        "language": "en",
        "order_number": "CH-1001",
        "buyer_email": f"{buyer}@buyers.support-desk.test",
    }


def open_ticket(
    session: requests.Session, base_url: str, subject: str, **kwargs: Any
) -> requests.Response:
    """Open a ticket through ``POST /api/v1/tickets/``."""
    return session.post(
        f"{base_url}/api/v1/tickets/", json=ticket_body(subject, **kwargs), timeout=TIMEOUT
    )


@dataclass(frozen=True)
class RoutingCheck:
    """How the tickets whose subject starts with a prefix were routed, counted in the database."""

    total: int
    unrouted: list[int]
    routed_twice: list[int]
    queued_twice: list[int]
    assigned_twice: list[int]
    received_mail_not_once: list[int]
    received_message_not_once: list[int]

    def problems(self) -> dict[str, list[int]]:
        """Return each kind of problem with the ticket ids that have it (empty: all fine)."""
        found = {
            "still new (never routed)": self.unrouted,
            "left `new` more than once": self.routed_twice,
            "put in a queue by routing more than once": self.queued_twice,
            "assigned by routing more than once": self.assigned_twice,
            "not exactly one 'received' mail": self.received_mail_not_once,
            "not exactly one 'we received' message": self.received_message_not_once,
        }
        return {kind: ids[:20] for kind, ids in found.items() if ids}


def _ids(pg: PostgresCluster, sql: str, prefix: str) -> list[int]:
    return [row[0] for row in pg.query(sql, {"prefix": prefix + "%"})]


def routing_check(pg: PostgresCluster, prefix: str) -> RoutingCheck:
    """Count, for the tickets whose subject starts with ``prefix``, what routing left behind."""
    per_ticket = """
        SELECT t.id FROM tickets_ticket t
        WHERE t.subject LIKE %(prefix)s AND ({condition})
        ORDER BY t.id
    """

    def count(table: str, where: str) -> str:
        return f"(SELECT count(*) FROM {table} x WHERE x.ticket_id = t.id AND {where})"

    def ids(condition: str) -> list[int]:
        return _ids(pg, per_ticket.format(condition=condition), prefix)

    return RoutingCheck(
        total=pg.scalar(
            "SELECT count(*) FROM tickets_ticket WHERE subject LIKE %(prefix)s",
            {"prefix": prefix + "%"},
        ),
        unrouted=ids("t.status = 'new'"),
        routed_twice=ids(
            count("tickets_ticketevent", "x.kind = 'status' AND x.from_value = 'new'") + " > 1"
        ),
        queued_twice=ids(
            count(
                "tickets_ticketevent",
                "x.kind = 'queue' AND x.from_value = '' AND x.actor_id IS NULL",
            )
            + " > 1"
        ),
        assigned_twice=ids(
            count("tickets_ticketevent", "x.kind = 'assignee' AND x.from_value = ''") + " > 1"
        ),
        received_mail_not_once=ids(
            count("tickets_notification", "x.kind = 'ticket_received'") + " <> 1"
        ),
        # The buyer's "we received your request SD-…" in whatever language they read.
        received_message_not_once=ids(
            count(
                "tickets_message",
                "x.kind = 'system' AND x.body LIKE '%%SD-' || "
                "CASE WHEN t.id < 100000 THEN lpad(t.id::text, 6, '0') ELSE t.id::text END || '%%'",
            )
            + " <> 1"
        ),
    )


def wait_routed(stack: ChaosStack, prefix: str, *, expected: int, timeout: float) -> RoutingCheck:
    """Wait until ``expected`` tickets with ``prefix`` exist and none is still new; return the check."""
    from tests.chaos.harness import wait_until

    def done() -> RoutingCheck | None:
        check = routing_check(stack.pg, prefix)
        return check if check.total >= expected and not check.unrouted else None

    try:
        return wait_until(done, timeout=timeout, interval=1.0, what=f"tickets {prefix}* routed")
    except TimeoutError:
        return routing_check(stack.pg, prefix)


class WebhookReceiver:
    """A local HTTP endpoint that keeps every webhook body it is sent (answers 204)."""

    def __init__(self) -> None:
        import http.server
        import threading

        bodies: list[str] = []
        self.bodies = bodies

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                bodies.append(self.rfile.read(length).decode(errors="replace"))
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hook"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def mentioning(self, ticket_id: int) -> list[str]:
        """Return the bodies received that name ``ticket_id``."""
        return [
            body
            for body in list(self.bodies)
            if f'"id": {ticket_id}' in body or f'"id":{ticket_id}' in body
        ]
