"""Syncing tickets with `updated_since` and the cursor: every change seen, nothing twice a pass."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import api_key_with
from tests.tickets.conftest import Desk, build_desk, open_ticket
from tickets.models import Ticket

URL = "/api/v1/tickets/"


def _reader() -> APIClient:
    _key, raw = api_key_with("tickets:read")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def _pass(client: APIClient, since: str | None, *, page_size: int = 3) -> tuple[list[dict], str]:
    """Follow `next` to the end of one pass; return every row it gave and its `until`."""
    params: dict[str, Any] = {"page_size": page_size}
    if since is not None:
        params["updated_since"] = since
    answer = client.get(URL, params)
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    rows, until = list(body["results"]), body["until"]
    while body["next"]:
        body = client.get(body["next"]).json()
        assert body["until"] == until
        rows.extend(body["results"])
    return rows, until


def _touch(ticket_id: int, subject: str) -> None:
    Ticket.objects.filter(pk=ticket_id).update(subject=subject, updated_at=timezone.now())


@pytest.fixture
def seven(db: None) -> list[int]:
    desk = build_desk()
    start = timezone.now() - timedelta(hours=1)
    return [open_ticket(desk, now=start + timedelta(minutes=n)).pk for n in range(7)]


def test_a_change_during_a_pass_waits_for_the_next_pass_and_nothing_comes_twice(
    seven: list[int],
) -> None:
    client = _reader()
    first = client.get(URL, {"page_size": 3}).json()
    assert [row["id"] for row in first["results"]] == seven[:3]
    # While the client reads, one ticket it has seen and one it has not yet seen change.
    _touch(seven[0], "seen, then changed")
    _touch(seven[5], "not yet seen, changed")
    rows = list(first["results"])
    body = first
    while body["next"]:
        body = client.get(body["next"]).json()
        rows.extend(body["results"])
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(seven) - {seven[5]}

    again, _until = _pass(client, first["until"])
    assert {row["id"]: row["subject"] for row in again} == {
        seven[0]: "seen, then changed",
        seven[5]: "not yet seen, changed",
    }


def test_tickets_changed_at_the_same_instant_are_not_skipped_when_one_moves(db: None) -> None:
    desk = build_desk()
    instant = timezone.now() - timedelta(minutes=5)
    # Same instant: the id orders them (any order will do, so long as it is total).
    ids = sorted(open_ticket(desk, now=instant).pk for _ in range(4))
    Ticket.objects.filter(pk__in=ids).update(updated_at=instant)
    client = _reader()
    first = client.get(URL, {"page_size": 2}).json()
    assert [row["id"] for row in first["results"]] == ids[:2]
    _touch(ids[0], "moved")
    rest = client.get(first["next"]).json()
    assert [row["id"] for row in rest["results"]] == ids[2:]


def test_a_bad_cursor_is_a_clear_error(seven: list[int]) -> None:
    answer = _reader().get(URL, {"cursor": "bm90IGEgY3Vyc29y"})
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "invalid_cursor"


def test_a_pass_ends_a_little_in_the_past_so_commits_in_flight_are_not_passed_over(
    seven: list[int], settings: Any
) -> None:
    settings.DESK_API_SYNC_LAG_SECONDS = 30
    _touch(seven[2], "just now")
    rows, until = _pass(_reader(), None, page_size=50)
    assert seven[2] not in {row["id"] for row in rows}
    assert datetime.fromisoformat(until) < timezone.now() - timedelta(seconds=29)


@pytest.mark.integration
def test_syncing_while_another_thread_updates_sees_every_change_and_no_ticket_twice(
    transactional_db: None, postgres: None, settings: Any
) -> None:
    settings.DESK_API_SYNC_LAG_SECONDS = 1
    desk: Desk = build_desk()
    start = timezone.now() - timedelta(hours=1)
    ids = [open_ticket(desk, now=start + timedelta(seconds=n)).pk for n in range(40)]
    client = _reader()
    copy: dict[int, str] = {}
    stop = threading.Event()
    failures: list[BaseException] = []

    def update() -> None:
        try:
            version = 0
            while not stop.is_set():
                version += 1
                _touch(ids[(version * 7) % len(ids)], f"version {version}")
        except BaseException as error:  # reported by the test thread
            failures.append(error)
        finally:
            close_old_connections()
            connection.close()

    updater = threading.Thread(target=update)
    updater.start()
    since = None
    try:
        for _ in range(6):
            rows, since = _pass(client, since)
            seen = [row["id"] for row in rows]
            assert len(seen) == len(set(seen)), "a ticket came twice in one pass"
            copy.update({row["id"]: row["subject"] for row in rows})
    finally:
        stop.set()
        updater.join()
    assert not failures, failures
    # The updater has stopped: once the lag has passed, passes catch up with the database.
    time.sleep(settings.DESK_API_SYNC_LAG_SECONDS + 0.2)
    while True:
        rows, since = _pass(client, since, page_size=50)
        news = {row["id"]: row["subject"] for row in rows if copy.get(row["id"]) != row["subject"]}
        if not news:
            break
        copy.update(news)
    final = dict(Ticket.objects.filter(pk__in=ids).values_list("id", "subject"))
    assert sum(subject.startswith("version ") for subject in final.values()) > 10
    assert copy == final
