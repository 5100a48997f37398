"""Tickets and the agent workspace: buyers' requests, agents' pages, opening tickets, reports."""

from __future__ import annotations

import random
from urllib.parse import quote

from bench.deskdata import DeskSample
from bench.scenarios.base import POOL_SIZE, Context, Request, pick_language

SUBJECTS = [
    "Parcel marked as delivered but not here",
    "Refund not received after return",
    "Seller does not answer about my order",
    "Charged twice for one order",
    "Item arrived broken",
]


def _desk(context: Context) -> DeskSample:
    if context.desk is None:
        raise SystemExit("bench: this scenario needs the generated desk (tickets, people)")
    return context.desk


def _form_body(fields: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(fields)


def ticket_form(context: Context, rng: random.Random) -> list[Request]:
    """A signed-in buyer sends the contact form under a dispute answer (mail contact)."""
    desk = _desk(context)
    requests = []
    for number in range(POOL_SIZE):
        cookie, _ = rng.choice(desk.buyers)
        entry = rng.choice(desk.dispute_entries)
        body = _form_body(
            {
                "csrfmiddlewaretoken": desk.csrf_token,
                "order_number": f"MP-{rng.randrange(10**7):07d}",
                "subject": rng.choice(SUBJECTS),
                "description": f"{rng.choice(SUBJECTS)}. Bench request {number}, please help.",
            }
        )
        headers = {
            "Cookie": cookie,
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept-Language": "en",
        }
        requests.append(Request(f"/help/requests/new/{entry}/email/", headers, "POST", body))
    return requests


def ticket_api(context: Context, rng: random.Random) -> list[Request]:
    """An integrator opens a ticket for a named buyer (JSON, a ``tickets:write`` key)."""
    import json

    desk = _desk(context)
    requests = []
    for number in range(POOL_SIZE):
        topic = rng.choice(desk.topics)
        body: dict[str, object] = {
            "topic": topic,
            "buyer": rng.choice(desk.buyer_usernames),
            "subject": rng.choice(SUBJECTS),
            "description": f"Opened by the marketplace for the buyer (bench {number}).",
            "channel": "api",
            "language": pick_language(rng),
        }
        if topic in ("payment", "refund", "dispute"):
            body["order_number"] = f"MP-{rng.randrange(10**7):07d}"
        if topic == "payment":
            body.update(transaction_id=f"TX-{number}", amount="49.90")
        if topic == "warranty":
            body.update(product="Kettle", purchase_date="2025-06-01")
        headers = {"Content-Type": "application/json"}
        if desk.tickets_authorization:
            headers["Authorization"] = desk.tickets_authorization
        requests.append(Request("/api/v1/tickets/", headers, "POST", json.dumps(body)))
    return requests


def _signed_in(cookie: str, language: str = "en") -> dict[str, str]:
    return {"Cookie": cookie, "Accept-Language": language}


def buyer_list(context: Context, rng: random.Random) -> list[Request]:
    desk = _desk(context)
    return [
        Request("/help/requests/", _signed_in(cookie, pick_language(rng)))
        for cookie, _ in (rng.choice(desk.buyers) for _ in range(POOL_SIZE))
    ]


def buyer_ticket(context: Context, rng: random.Random) -> list[Request]:
    desk = _desk(context)
    requests = []
    for _ in range(POOL_SIZE):
        cookie, tickets = rng.choice(desk.buyers)
        requests.append(Request(f"/help/requests/{rng.choice(tickets)}/", _signed_in(cookie)))
    return requests


def agent_home(context: Context, rng: random.Random) -> list[Request]:
    desk = _desk(context)
    return [
        Request("/agent/", _signed_in(cookie))
        for cookie, _ in (rng.choice(desk.agents) for _ in range(POOL_SIZE))
    ]


def agent_ticket(context: Context, rng: random.Random) -> list[Request]:
    desk = _desk(context)
    requests = []
    for _ in range(POOL_SIZE):
        cookie, tickets = rng.choice(desk.agents)
        requests.append(Request(f"/agent/tickets/{rng.choice(tickets)}/", _signed_in(cookie)))
    return requests


def take_next(context: Context, rng: random.Random) -> list[Request]:
    desk = _desk(context)
    return [
        Request(
            "/agent/take-next/",
            {**_signed_in(cookie), "X-CSRFToken": desk.csrf_token},
            "POST",
            "",
        )
        for cookie in (rng.choice(desk.take_agents) for _ in range(POOL_SIZE))
    ]


def api_list(context: Context, rng: random.Random) -> list[Request]:
    """An integrator lists tickets: all, by status, by queue, changed since a moment."""
    from datetime import UTC, datetime, timedelta

    desk = _desk(context)
    now = datetime.now(UTC)
    requests = []
    for _ in range(POOL_SIZE):
        kind = rng.randrange(4)
        if kind == 0:
            query = ""
        elif kind == 1:
            query = "?status=" + rng.choice(("queued", "assigned", "pending", "solved"))
        elif kind == 2:
            query = f"?queue={rng.choice(desk.queue_slugs)}"
        else:
            since = now - timedelta(minutes=rng.randrange(5, 3 * 24 * 60))
            query = f"?updated_since={quote(since.strftime('%Y-%m-%dT%H:%M:%SZ'))}"
        headers = {}
        if desk.tickets_authorization:
            headers["Authorization"] = desk.tickets_authorization
        requests.append(Request(f"/api/v1/tickets/{query}", headers))
    return requests


def reports(context: Context, rng: random.Random) -> list[Request]:
    """A supervisor opens the reports of one month of the past year."""
    from datetime import UTC, date, datetime

    desk = _desk(context)
    today = datetime.now(UTC).date()
    requests = []
    for _ in range(POOL_SIZE):
        back = rng.randrange(1, 12)
        year, month = (
            (today.year, today.month - back)
            if today.month > back
            else (today.year - 1, today.month - back + 12)
        )
        first = date(year, month, 1)
        last = date(year + (month == 12), month % 12 + 1, 1)
        requests.append(
            Request(
                f"/agent/reports/?from={first.isoformat()}&to={last.isoformat()}",
                _signed_in(desk.supervisor),
            )
        )
    return requests


def take_next_prepare() -> None:
    from bench.deskdata import take_next_reset

    take_next_reset()
