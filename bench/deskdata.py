"""Who the load client plays: signed-in buyers, agents and a supervisor, and what they open.

Sessions are created directly in the session store (as logging in does), so
every request of the load carries a real session cookie; posts carry the
CSRF cookie and token, as a browser sends them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from bench.ticketdata import PREFIX

SAMPLED_BUYERS = 200
SAMPLED_AGENTS = 40
TICKETS_PER_PERSON = 20
TAKE_AGENTS = 8
TAKE_PREFIX = f"{PREFIX}take-"
# Capacity of the bench's own agents: never the limit while the load runs.
BIG_CAPACITY = 30_000
WRITE_KEY_NAME = "bench load client (tickets)"


@dataclass(frozen=True)
class DeskSample:
    """Signed-in people (their cookies) and what each may open."""

    csrf_token: str
    # (Cookie header value, ids of tickets that person may open)
    buyers: list[tuple[str, list[int]]]
    agents: list[tuple[str, list[int]]]
    supervisor: str
    take_agents: list[str]
    buyer_usernames: list[str]
    dispute_entries: list[int]  # published entries of the dispute topic (mail contact)
    topics: list[str]  # active topic slugs tickets are opened in
    queue_slugs: list[str]
    # "Bearer <key>" with tickets:read + tickets:write, None when none could be made.
    tickets_authorization: str | None


def cookie_of(user: Any, csrf_token: str) -> str:
    """Log ``user`` in as the login view does; return the Cookie header of their browser."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return (
        f"{settings.SESSION_COOKIE_NAME}={store.session_key}; "
        f"{settings.CSRF_COOKIE_NAME}={csrf_token}"
    )


def hidden_topic(slug: str, name: str) -> Any:
    """Return a bench topic the help centre does not show (created once), active in memory.

    The bench opens tickets in it through the services, which check the
    instance they are given; the help centre, reading the database, never
    lists it, so it changes no page the load measures.
    """
    from faq.models import Topic
    from faq.services import topic_upsert

    topic = Topic.objects.filter(slug=slug).first() or topic_upsert(
        slug=slug, name={"en": name}, description={"en": "Tickets the benchmark opens."}
    )
    Topic.objects.filter(pk=topic.pk).update(is_active=False)
    topic.is_active = True
    return topic


def take_agents() -> list[Any]:
    """Return the agents who press "take next" in the bench: offline, in every generated queue.

    Offline, so routing and the sweep never give them tickets; their capacity
    is never the limit. Created once per database.
    """
    from accounts.models import Role, User
    from accounts.services import user_create
    from tickets.models import Queue
    from tickets.services.config import agent_configure

    queues = list(
        Queue.objects.filter(slug__startswith=PREFIX, is_active=True)
        .exclude(slug__startswith=f"{PREFIX}routing-")
        .exclude(slug__startswith="bench-live")
    )
    agents = []
    for number in range(TAKE_AGENTS):
        username = f"{TAKE_PREFIX}{number}"
        agent = User.objects.filter(username=username).first() or user_create(
            username=username, password=None, role=Role.AGENT
        )
        agent_configure(
            agent=agent, queues=queues, languages=["en", "ru", "el"], capacity=BIG_CAPACITY
        )
        agents.append(agent)
    return agents


def take_next_reset() -> int:
    """Put the tickets the take-next agents took back in their queues; return how many.

    A run (or an attempt) then starts with the same waiting lines, however
    many tickets earlier ones took.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE tickets_ticket SET status = 'queued', assignee_id = NULL, assigned_at = NULL
            WHERE status = 'assigned' AND assignee_id IN (
                SELECT id FROM accounts_user WHERE username LIKE %s
            )
            """,
            [f"{TAKE_PREFIX}%"],
        )
        return cursor.rowcount


def taken_count() -> int:
    """Return how many tickets the take-next agents hold now."""
    from tickets.models import Ticket

    return Ticket.objects.filter(
        status="assigned", assignee__username__startswith=TAKE_PREFIX
    ).count()


def _md5_order(column: str, seed: int) -> str:
    return f"md5({column}::text || '{int(seed)}')"


def sample(*, seed: int, notes: list[str]) -> DeskSample:
    """Sign people in and pick what they open (deterministic for a seed)."""
    from django.db import connection
    from django.middleware.csrf import _get_new_csrf_string

    from accounts.models import User
    from faq.models import FaqEntry

    rng = random.Random(f"{seed}:desk")  # noqa: S311 (test data)
    token = _get_new_csrf_string()
    buyers: list[tuple[str, list[int]]] = []
    agents: list[tuple[str, list[int]]] = []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM accounts_user WHERE role = 'buyer' AND username LIKE %s "  # noqa: S608  # nosec B608  # the ORDER BY is built from a column name and an int seed
            f"ORDER BY {_md5_order('id', seed)} LIMIT %s",
            [f"{PREFIX}buyer-%", SAMPLED_BUYERS],
        )
        buyer_ids = [row[0] for row in cursor.fetchall()]
        by_id = User.objects.in_bulk(buyer_ids)
        for buyer_id in buyer_ids:
            cursor.execute(
                "SELECT id FROM tickets_ticket WHERE buyer_id = %s ORDER BY created_at DESC LIMIT 200",
                [buyer_id],
            )
            ids = [row[0] for row in cursor.fetchall()]
            if ids:
                picked = rng.sample(ids, k=min(TICKETS_PER_PERSON, len(ids)))
                buyers.append((cookie_of(by_id[buyer_id], token), picked))
        cursor.execute(
            f"""
            SELECT p.user_id, array_agg(q.queue_id) FROM tickets_agentprofile p
            JOIN accounts_user u ON u.id = p.user_id
            JOIN tickets_agentprofile_queues q ON q.agentprofile_id = p.id
            WHERE u.username LIKE %s AND u.role = 'agent'
            GROUP BY p.user_id ORDER BY {_md5_order("p.user_id", seed)} LIMIT %s
            """,  # noqa: S608  # nosec B608  # ORDER BY from a column name and an int seed
            [f"{PREFIX}agent-%", SAMPLED_AGENTS],
        )
        agent_queues = cursor.fetchall()
        staff = User.objects.in_bulk([agent_id for agent_id, _ in agent_queues])
        for agent_id, queue_ids in agent_queues:
            # What an agent opens: their own tickets, the waiting line, and older ones of their queues.
            cursor.execute(
                """
                (SELECT id FROM tickets_ticket WHERE assignee_id = %s AND status IN ('assigned', 'pending') LIMIT 8)
                UNION ALL
                (SELECT id FROM tickets_ticket WHERE status = 'queued' AND queue_id = ANY(%s) LIMIT 6)
                UNION ALL
                (SELECT id FROM tickets_ticket WHERE assignee_id = %s AND status = 'closed'
                 ORDER BY created_at DESC LIMIT 6)
                """,
                [agent_id, list(queue_ids), agent_id],
            )
            ids = [row[0] for row in cursor.fetchall()]
            if ids:
                agents.append((cookie_of(staff[agent_id], token), ids))
        cursor.execute(
            "SELECT slug FROM tickets_queue WHERE slug LIKE %s AND is_active ORDER BY slug",
            [f"{PREFIX}%"],
        )
        queue_slugs = [
            row[0]
            for row in cursor.fetchall()
            if not row[0].startswith((f"{PREFIX}routing-", f"{PREFIX}live"))
        ]
    supervisor = User.objects.filter(username=f"{PREFIX}supervisor-0").first()
    if supervisor is None:
        raise SystemExit("bench: no generated supervisor; generate the desk first")
    takers = [cookie_of(agent, token) for agent in take_agents()]
    entries = list(
        FaqEntry.objects.filter(topic__slug="dispute", published=True, topic__is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )
    from faq.models import Topic

    topics = list(
        Topic.objects.filter(is_active=True)
        .exclude(slug__startswith=PREFIX)
        .values_list("slug", flat=True)
    )
    buyer_names = list(
        User.objects.filter(pk__in=buyer_ids).order_by("pk").values_list("username", flat=True)
    )
    return DeskSample(
        csrf_token=token,
        buyers=buyers,
        agents=agents,
        supervisor=cookie_of(supervisor, token),
        take_agents=takers,
        buyer_usernames=buyer_names,
        dispute_entries=entries,
        topics=topics,
        queue_slugs=queue_slugs,
        tickets_authorization=_tickets_key(notes),
    )


def _tickets_key(notes: list[str]) -> str | None:
    """Issue a key with tickets:read and tickets:write (earlier bench keys are revoked)."""
    try:
        from django.utils import timezone

        from api.models import ApiKey
        from api.services import api_key_issue

        ApiKey.objects.filter(name=WRITE_KEY_NAME, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        _, raw_key = api_key_issue(name=WRITE_KEY_NAME, scopes=["tickets:read", "tickets:write"])
    except Exception as exc:  # the API scenarios then answer 401 and show as errors
        notes.append(f"no tickets API key: {type(exc).__name__}: {exc}")
        return None
    return f"Bearer {raw_key}"
