"""Generate a desk at scale fast: people, queues, agents and a year of tickets.

Small tables (business hours, the SLA policy, 50 queues, 200 agents with
their profiles, 10,000 buyers) are written through the ORM. Tickets, their
messages, history and ratings are written with PostgreSQL ``COPY`` from
pools of worker processes, each building its chunk of rows as COPY text and
sending it over its own connection; the secondary indexes of those tables are
dropped first and built again after (one sort each, instead of millions of
random inserts), then every table is analysed.

The shape, as a busy marketplace's desk has it after a year:

- tickets opened over 365 days (ids 1, 2, … in order of opening, below the
  random ids the desk gives), 70/20/10 en/ru/el as the buyers' languages
  are, the desk's four topics three times as often
  as the others, web/chat/email/API 45/30/20/5, priority low/normal/high/
  urgent 10/70/15/5; a buyer's share of the tickets is skewed (some buyers
  write a lot);
- everything older than four days is closed (the solved ones closed by the
  sweep after 72 h); the last four days hold the work in progress: a few
  thousand tickets waiting in queues, online agents at capacity, pending and
  solved ones within the desk's reminder and close windows, and the SLA
  breaches the watch has already escalated, so the sweepers find nothing to
  do when the bench starts;
- ~5 messages a ticket (the buyer's description, the desk's receipt, the
  agent joining, the replies), the history the services write (opened,
  queued, assigned, solved, closed) and a rating on a third of the closed
  tickets.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import random
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

DEFAULT_TICKETS = 1_000_000
BUYERS = 10_000
AGENTS = 200
SUPERVISORS = 5
HISTORY_DAYS = 365
RECENT_DAYS = 4
CHUNK = 20_000
PREFIX = "bench-"
LANGUAGE_MIX = {"en": 70, "ru": 20, "el": 10}
CHANNELS = {"web": 45, "chat": 30, "email": 20, "api": 5}
PRIORITIES = {1: 10, 2: 70, 3: 15, 4: 5}
# Catch-all SLA targets per priority: (first response, resolution) in minutes.
SLA_MINUTES = {1: (24 * 60, 120 * 60), 2: (8 * 60, 72 * 60), 3: (2 * 60, 24 * 60), 4: (30, 8 * 60)}
# The desk's windows (settings): solved tickets close after 72 h, pending ones are reminded after 48 h.
SOLVED_WINDOW_HOURS = 60
PENDING_WINDOW_HOURS = 40
TICKET_TABLES = ("tickets_ticket", "tickets_message", "tickets_ticketevent", "tickets_rating")
MARKER_TABLE = "bench_generation"

TICKET_COLUMNS = (
    "id, buyer_id, topic_id, faq_entry_id, channel, language, order_number, order_id, "
    "details, subject, description, status, priority, queue_id, assignee_id, routing_reason, "
    "created_at, updated_at, queued_at, assigned_at, first_responded_at, first_response_due_at, "
    "resolution_due_at, pending_since, reminded_at, escalated_at, solved_at, closed_at"
)
MESSAGE_COLUMNS = "ticket_id, kind, author_id, body, data, created_at"
EVENT_COLUMNS = "ticket_id, kind, actor_id, from_value, to_value, reason, created_at"
RATING_COLUMNS = "ticket_id, score, comment, agent_id, created_at, updated_at"

NULL = "\\N"
RECEIVED = {
    "en": "We received your request {}.",
    "ru": "Мы получили ваше обращение {}.",
    "el": "Λάβαμε το αίτημά σας {}.",
}
JOINED = {
    "en": "{} joined the conversation.",
    "ru": "{} присоединился к разговору.",
    "el": "Ο/Η {} συμμετέχει στη συζήτηση.",
}
THANKS = {
    "en": ["Thank you, that helped.", "Thanks, it works now.", "OK, I will wait for the parcel."],
    "ru": ["Спасибо, помогло.", "Спасибо, всё работает.", "Хорошо, жду посылку."],
    "el": ["Ευχαριστώ, βοήθησε.", "Ευχαριστώ, λειτουργεί τώρα.", "Εντάξει, περιμένω το δέμα."],
}
ROUTED = "Routed by topic and language."
TOOK = "The agent took the next waiting ticket."
FREED = "An agent of the queue became free."
QUIET = "Solved and quiet for a while."
RATING_COMMENTS = ["", "", "", "Quick and friendly.", "Took too long.", "Solved my problem."]


def _escape(text: str) -> str:
    """Return ``text`` as a COPY text-format field."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _weighted(mix: dict[Any, int], rng: random.Random, n: int) -> list[Any]:
    return rng.choices(list(mix), weights=list(mix.values()), k=n)


# --- Timestamps as COPY text, fast ------------------------------------------------


class Clock:
    """Formats epoch seconds as ``YYYY-MM-DD HH:MM:SS+00`` with a cache per day."""

    def __init__(self) -> None:
        self._days: dict[int, str] = {}

    def __call__(self, seconds: float) -> str:
        whole = int(seconds)
        day, rest = divmod(whole, 86_400)
        prefix = self._days.get(day)
        if prefix is None:
            prefix = self._days[day] = datetime.fromtimestamp(day * 86_400, UTC).strftime(
                "%Y-%m-%d "
            )
        hours, rest = divmod(rest, 3600)
        minutes, secs = divmod(rest, 60)
        return f"{prefix}{hours:02d}:{minutes:02d}:{secs:02d}+00"


# --- The world the tickets live in -------------------------------------------------


@dataclass
class World:
    """Ids and texts the row builders need; picklable, sent to every pool worker once."""

    now: float
    tickets: int
    seed: int
    topic_ids: list[int]
    topic_slugs: list[str]
    topic_weights: list[float]
    # (topic index, language) -> queue id; queue id -> (name, agent ids)
    queue_of: dict[tuple[int, str], int]
    queue_names: dict[int, str]
    queue_agents: dict[int, list[int]]
    agent_names: dict[int, tuple[str, str]]  # id -> (username, display name)
    buyer_ids: list[int]
    buyer_languages: list[str]
    buyer_cum_weights: list[float]
    entries_by_topic: list[list[int]]
    subjects: dict[str, list[str]]  # language -> escaped subjects
    descriptions: dict[str, list[str]]
    replies: dict[str, list[str]]
    extra_messages: dict[str, list[str]]
    sla: dict[int, tuple[int, int]] = field(default_factory=lambda: dict(SLA_MINUTES))


@dataclass
class Plan:
    """What happened to one ticket: who, when, and where it stands now."""

    status: str
    queue_id: int
    assignee_id: int | None
    created: float
    queued: float
    assigned: float | None = None
    responded: float | None = None
    pending_since: float | None = None
    solved: float | None = None
    closed: float | None = None
    escalated: float | None = None
    took: bool = False  # taken with "take next" rather than given by routing


class Rows:
    """COPY text buffers of one chunk."""

    def __init__(self) -> None:
        self.tickets = io.StringIO()
        self.messages = io.StringIO()
        self.events = io.StringIO()
        self.ratings = io.StringIO()
        self.counts = {"tickets": 0, "messages": 0, "events": 0, "ratings": 0}


def _details(slug: str, number: int, rng: random.Random) -> tuple[str, str]:
    """Return (order number, details JSON) as the topic's form asks for them."""
    order = f"MP-{rng.randrange(10**7):07d}" if slug in ("payment", "refund", "dispute") else ""
    if slug == "payment":
        amount = f"{rng.randint(5, 900)}.{rng.randrange(100):02d}"
        return order, f'{{"transaction_id": "TX-{number}", "amount": "{amount}"}}'
    if slug == "warranty":
        bought = date(2025, 1, 1) + timedelta(days=rng.randrange(300))
        return order, f'{{"product": "Kettle", "purchase_date": "{bought.isoformat()}"}}'
    return order, "{}"


@dataclass(frozen=True)
class Basics:
    """Who asks about what: drawn before the plan, which needs the queue."""

    topic: int  # index into World.topic_ids
    buyer: int
    language: str
    queue: int


def draw(world: World, rng: random.Random) -> Basics:
    topic = rng.choices(range(len(world.topic_ids)), weights=world.topic_weights)[0]
    at = rng.choices(range(len(world.buyer_ids)), cum_weights=world.buyer_cum_weights)[0]
    language = world.buyer_languages[at]
    return Basics(topic, world.buyer_ids[at], language, world.queue_of[(topic, language)])


def write_ticket(
    world: World,
    rows: Rows,
    clock: Clock,
    number: int,
    basics: Basics,
    plan: Plan,
    rng: random.Random,
) -> None:
    """Append one ticket with its thread, history and rating to ``rows``."""
    topic, buyer, language = basics.topic, basics.buyer, basics.language
    channel = _weighted(CHANNELS, rng, 1)[0]
    priority = _weighted(PRIORITIES, rng, 1)[0]
    entries = world.entries_by_topic[topic]
    entry = str(rng.choice(entries)) if entries and rng.random() < 0.6 else NULL
    order_number, details = _details(world.topic_slugs[topic], number, rng)
    subject = rng.choice(world.subjects[language])
    description = rng.choice(world.descriptions[language])
    first_minutes, resolution_minutes = world.sla[priority]
    first_due = plan.created + first_minutes * 60
    resolution_due = plan.created + resolution_minutes * 60
    open_status = plan.status in ("queued", "assigned")
    if open_status and plan.responded is None and first_due < world.now:
        plan.escalated = first_due + 60
    elif open_status and resolution_due < world.now:
        plan.escalated = resolution_due + 60
    moments = (plan.created, plan.queued, plan.assigned, plan.responded, plan.pending_since)
    updated = max(t for t in (*moments, plan.solved, plan.closed, plan.escalated) if t is not None)
    agent = plan.assignee_id
    c = clock
    opt = lambda t: NULL if t is None else c(t)  # noqa: E731
    rows.tickets.write(
        "\t".join(
            (
                str(number),
                str(buyer),
                str(world.topic_ids[topic]),
                entry,
                channel,
                language,
                order_number,
                NULL,
                details,
                subject,
                description,
                plan.status,
                str(priority),
                str(plan.queue_id),
                NULL if agent is None else str(agent),
                ROUTED,
                c(plan.created),
                c(updated),
                c(plan.queued),
                opt(plan.assigned),
                opt(plan.responded),
                c(first_due),
                c(resolution_due),
                opt(plan.pending_since),
                NULL,
                opt(plan.escalated),
                opt(plan.solved),
                opt(plan.closed),
            )
        )
        + "\n"
    )
    rows.counts["tickets"] += 1
    t, b, a = str(number), str(buyer), NULL if agent is None else str(agent)
    reference = f"SD-{number:06d}"
    messages = [
        f"{t}\tbuyer\t{b}\t{description}\t{{}}\t{c(plan.created)}\n",
        f"{t}\tsystem\t{NULL}\t{RECEIVED[language].format(reference)}\t{{}}\t{c(plan.created)}\n",
    ]
    events = [
        f"{t}\topened\t{b}\t\t{channel}\t\t{c(plan.created)}\n",
        f"{t}\tstatus\t{NULL}\tnew\tqueued\t{ROUTED}\t{c(plan.queued)}\n",
        f"{t}\tqueue\t{NULL}\t\t{_escape(world.queue_names[plan.queue_id])[:80]}\t{ROUTED}\t{c(plan.queued)}\n",
    ]
    if agent is not None and plan.assigned is not None:
        username, display = world.agent_names[agent]
        actor, why = (a, TOOK) if plan.took else (NULL, FREED)
        messages.append(
            f"{t}\tsystem\t{NULL}\t{JOINED[language].format(display)}\t{{}}\t{c(plan.assigned)}\n"
        )
        events.append(f"{t}\tstatus\t{actor}\tqueued\tassigned\t{why}\t{c(plan.assigned)}\n")
        events.append(f"{t}\tassignee\t{actor}\t\t{username}\t{why}\t{c(plan.assigned)}\n")
    if plan.responded is not None:
        messages.append(
            f"{t}\tagent\t{a}\t{rng.choice(world.replies[language])}\t{{}}\t{c(plan.responded)}\n"
        )
        events.append(f"{t}\treplied\t{a}\t\t\t\t{c(plan.responded)}\n")
        at = plan.responded
        end = plan.solved or plan.pending_since or world.now
        for turn in range(rng.choices((0, 1, 2, 3), weights=(25, 40, 25, 10))[0]):
            at = min(end, at + rng.expovariate(1 / 3600))
            if turn % 2 == 0:
                body = rng.choice(world.extra_messages[language])
                messages.append(f"{t}\tbuyer\t{b}\t{body}\t{{}}\t{c(at)}\n")
            else:
                body = rng.choice(world.replies[language])
                messages.append(f"{t}\tagent\t{a}\t{body}\t{{}}\t{c(at)}\n")
    if plan.pending_since is not None:
        events.append(f"{t}\tstatus\t{a}\tassigned\tpending\t\t{c(plan.pending_since)}\n")
    if plan.escalated is not None:
        which = "first response" if plan.responded is None else "resolution"
        events.append(
            f"{t}\tsla_breached\t{NULL}\t\t{which}\tThe {which} target passed.\t{c(plan.escalated)}\n"
        )
    if plan.solved is not None:
        events.append(f"{t}\tstatus\t{a}\tassigned\tsolved\t\t{c(plan.solved)}\n")
        if rng.random() < 0.5:
            messages.append(
                f"{t}\tbuyer\t{b}\t{rng.choice(THANKS[language])}\t{{}}\t{c(plan.solved + 600)}\n"
            )
    if plan.closed is not None:
        events.append(f"{t}\tstatus\t{NULL}\tsolved\tclosed\t{QUIET}\t{c(plan.closed)}\n")
        if agent is not None and rng.random() < 0.35:
            score = rng.choices((5, 4, 3, 2, 1), weights=(55, 20, 10, 6, 9))[0]
            rated = c(plan.solved + 3600 if plan.solved else plan.closed)
            rows.ratings.write(
                f"{t}\t{score}\t{rng.choice(RATING_COMMENTS)}\t{a}\t{rated}\t{rated}\n"
            )
            rows.counts["ratings"] += 1
            events.append(f"{t}\trated\t{b}\t\t{score}\t\t{rated}\n")
    rows.messages.write("".join(messages))
    rows.events.write("".join(events))
    rows.counts["messages"] += len(messages)
    rows.counts["events"] += len(events)


def closed_plan(world: World, number: int, queue: int, rng: random.Random) -> Plan:
    """Plan a ticket of the past year: opened, routed, answered, solved, closed."""
    span = (HISTORY_DAYS - RECENT_DAYS) * 86_400
    start = world.now - HISTORY_DAYS * 86_400
    older = world.tickets - recent_count(world.tickets)
    created = start + span * (number - 1) / max(1, older) + rng.uniform(0, span / max(1, older))
    return _worked_plan(world, rng, queue=queue, created=created, status="closed")


def _worked_plan(
    world: World, rng: random.Random, *, queue: int, created: float, status: str
) -> Plan:
    """Plan a ticket that reached an agent of ``queue``, from the routing decision on."""
    agent = rng.choice(world.queue_agents[queue])
    queued = created + rng.uniform(0.05, 2.0)
    assigned = queued + rng.expovariate(1 / 900)
    responded = assigned + rng.expovariate(1 / 1200)
    plan = Plan(
        status=status,
        queue_id=queue,
        assignee_id=agent,
        created=created,
        queued=queued,
        assigned=assigned,
        responded=responded,
        took=rng.random() < 0.3,
    )
    if status in ("solved", "closed"):
        plan.solved = responded + rng.expovariate(1 / (6 * 3600))
    if status == "closed":
        plan.closed = (plan.solved or responded) + 72 * 3600 + rng.uniform(0, 600)
    return plan


def recent_count(tickets: int) -> int:
    """How many of ``tickets`` were opened in the last RECENT_DAYS (the work in progress)."""
    return max(1, round(tickets * RECENT_DAYS / HISTORY_DAYS))


# --- Worker processes -----------------------------------------------------------

_WORLD: World | None = None
_DSN: dict[str, Any] = {}


def _pool_init(world: World, dsn: dict[str, Any]) -> None:
    # A forked child inherits the command's handler, which turns SIGTERM into
    # KeyboardInterrupt: the pool's own shutdown would print a traceback.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    global _WORLD, _DSN
    _WORLD, _DSN = world, dsn


def _connect(dsn: dict[str, Any]) -> Any:
    import psycopg2

    connection = psycopg2.connect(**dsn)
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        # The rows are consistent by construction: skip the per-row foreign key
        # triggers when the database user may (a superuser, as on a bench machine).
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET session_replication_role = replica")
    return connection


def copy_rows(connection: Any, rows: Rows) -> None:
    """COPY the chunk's rows in one transaction."""
    with connection.cursor() as cursor:
        for table, columns, buffer in (
            ("tickets_ticket", TICKET_COLUMNS, rows.tickets),
            ("tickets_message", MESSAGE_COLUMNS, rows.messages),
            ("tickets_ticketevent", EVENT_COLUMNS, rows.events),
            ("tickets_rating", RATING_COLUMNS, rows.ratings),
        ):
            buffer.seek(0)
            cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
    connection.commit()


def _closed_chunk(bounds: tuple[int, int]) -> dict[str, int]:
    """Build and COPY the closed tickets numbered ``first``..``last`` (runs in a pool worker)."""
    assert _WORLD is not None
    first, last = bounds
    rng = random.Random(f"{_WORLD.seed}:tickets:{first}")  # noqa: S311 (test data)
    clock, rows = Clock(), Rows()
    for number in range(first, last + 1):
        basics = draw(_WORLD, rng)
        plan = closed_plan(_WORLD, number, basics.queue, rng)
        write_ticket(_WORLD, rows, clock, number, basics, plan, rng)
    connection = _connect(_DSN)
    try:
        copy_rows(connection, rows)
    finally:
        connection.close()
    return rows.counts


def _chunks(first: int, last: int) -> Iterator[tuple[int, int]]:
    for start in range(first, last + 1, CHUNK):
        yield start, min(last, start + CHUNK - 1)


# --- The work in progress: the last few days ---------------------------------------


@dataclass
class Agent:
    id: int
    queues: list[int]
    capacity: int
    presence: str


def recent_plans(
    world: World, agents: list[Agent], first: int, rng: random.Random
) -> list[tuple[Basics, Plan]]:
    """Plan the last RECENT_DAYS of tickets: waiting, with agents, pending, solved, closed."""
    count = world.tickets - first + 1
    start = world.now - RECENT_DAYS * 86_400
    plans: list[Plan] = []
    drawn: list[Basics] = []
    for index in range(count):
        basics = draw(world, rng)
        drawn.append(basics)
        created = start + (RECENT_DAYS * 86_400 - 120) * (index + rng.random()) / count
        age_days = (world.now - created) / 86_400
        weights = (
            (55, 10, 10, 5)
            if age_days < 1
            else (30, 25, 25, 20)
            if age_days < 2.5
            else (15, 20, 25, 40)
        )
        status = rng.choices(("queued", "pending", "solved", "closed"), weights=weights)[0]
        if status == "queued":
            queued = created + rng.uniform(0.05, 2.0)
            plans.append(Plan("queued", basics.queue, None, created=created, queued=queued))
            continue
        plan = _worked_plan(world, rng, queue=basics.queue, created=created, status=status)
        if status == "pending":
            plan.solved = None
            plan.pending_since = max(
                plan.responded or created, world.now - rng.uniform(0, PENDING_WINDOW_HOURS) * 3600
            )
        elif status == "solved":
            plan.solved = max(
                plan.responded or created, world.now - rng.uniform(0, SOLVED_WINDOW_HOURS) * 3600
            )
        elif status == "closed" and plan.closed is not None and plan.closed > world.now:
            plan.status, plan.closed = "solved", None  # not quiet long enough to close yet
            plan.solved = min(plan.solved or created, world.now - 60)
        _clamp(plan, world.now)
        plans.append(plan)
    _fill_agents(world, agents, plans, rng)
    return list(zip(drawn, plans, strict=True))


def _clamp(plan: Plan, now: float) -> None:
    """Keep every moment of a plan in the past."""
    for name in ("assigned", "responded", "pending_since", "solved", "closed"):
        value = getattr(plan, name)
        if value is not None and value > now - 1:
            setattr(plan, name, now - 1)


def _fill_agents(world: World, agents: list[Agent], plans: list[Plan], rng: random.Random) -> None:
    """Give online agents waiting tickets of their queues up to capacity (away ones: some).

    What routing and "take next" would have done: afterwards no online agent
    has a free slot in a queue with waiting tickets, so the sweep has nothing to do.
    """
    waiting: dict[int, list[Plan]] = {}
    for plan in plans:
        if plan.status == "queued":
            waiting.setdefault(plan.queue_id, []).append(plan)
    for line in waiting.values():
        line.sort(key=lambda p: p.queued)
    for agent in agents:
        if agent.presence == "offline":
            continue
        slots = agent.capacity if agent.presence == "online" else rng.randrange(agent.capacity)
        for _ in range(slots):
            lines = [waiting[q] for q in agent.queues if waiting.get(q)]
            if not lines:
                break
            plan = min(lines, key=lambda line: line[0].queued).pop(0)
            plan.status, plan.assignee_id = "assigned", agent.id
            plan.assigned = min(world.now - 1, plan.queued + rng.expovariate(1 / 600))
            plan.took = rng.random() < 0.3
            if rng.random() < 0.5:
                plan.responded = min(world.now - 1, plan.assigned + rng.expovariate(1 / 600))


# --- Generation -------------------------------------------------------------------


def _texts(seed: int) -> tuple[dict[str, list[str]], ...]:
    """Return pools of subjects, descriptions, agent replies and follow-ups per language."""
    from bench import faqdata

    rng = random.Random(f"{seed}:texts")  # noqa: S311 (test data)
    subjects: dict[str, list[str]] = {language: [] for language in LANGUAGE_MIX}
    descriptions: dict[str, list[str]] = {language: [] for language in LANGUAGE_MIX}
    replies: dict[str, list[str]] = {language: [] for language in LANGUAGE_MIX}
    extras: dict[str, list[str]] = {language: [] for language in LANGUAGE_MIX}
    for _ in range(1_500):
        texts = faqdata.entry_texts(faqdata._seed(rng), list(LANGUAGE_MIX))
        for language, (question, answer) in texts.items():
            plain = answer.replace("*", "").replace("`", "")
            sentences = [s.strip() for s in plain.replace("\n", " ").split(". ") if s.strip()]
            subjects[language].append(_escape(question[:200]))
            descriptions[language].append(_escape(f"{question} {sentences[-1]}"[:2000]))
            replies[language].append(_escape(" ".join(sentences[:2])[:2000]))
            extras[language].append(_escape(question))
    return subjects, descriptions, replies, extras


def _dsn() -> dict[str, Any]:
    from django.db import connection

    s = connection.settings_dict
    return {
        "dbname": s["NAME"],
        "user": s.get("USER") or None,
        "password": s.get("PASSWORD") or None,
        "host": s.get("HOST") or None,
        "port": s.get("PORT") or None,
    }


def _secondary_indexes(cursor: Any) -> list[tuple[str, str]]:
    """Return (name, CREATE statement) of the ticket tables' indexes that no constraint owns."""
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid::regclass::text = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """,
        [list(TICKET_TABLES)],
    )
    return [(name, definition) for name, definition in cursor.fetchall()]


def people(seed: int) -> dict[str, Any]:
    """Create buyers, agents (with profiles) and supervisors, business hours, the SLA policy, queues."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import Role, User
    from faq.models import Topic
    from tickets.models import AgentProfile, Presence, Priority
    from tickets.services.config import business_hours_upsert, queue_upsert, sla_policy_upsert

    rng = random.Random(f"{seed}:people")  # noqa: S311 (test data)
    now = datetime.now(UTC)
    password = make_password(None)
    languages = list(LANGUAGE_MIX)
    buyers = [
        User(
            username=f"{PREFIX}buyer-{n:05d}",
            email=f"{PREFIX}buyer-{n:05d}@example.com",
            first_name=f"Buyer {n}",
            password=password,
            role=Role.BUYER,
            preferred_language=_weighted(LANGUAGE_MIX, rng, 1)[0],
            date_joined=now - timedelta(days=rng.uniform(30, 900)),
        )
        for n in range(BUYERS)
    ]
    User.objects.bulk_create(buyers, batch_size=5_000)
    staff = [
        User(
            username=f"{PREFIX}agent-{n:03d}",
            email=f"{PREFIX}agent-{n:03d}@example.com",
            first_name=f"Agent {n}",
            password=password,
            role=Role.AGENT,
            preferred_language="en",
            date_joined=now - timedelta(days=400),
        )
        for n in range(AGENTS)
    ] + [
        User(
            username=f"{PREFIX}supervisor-{n}",
            email=f"{PREFIX}supervisor-{n}@example.com",
            first_name=f"Supervisor {n}",
            password=password,
            role=Role.SUPERVISOR,
            preferred_language="en",
            date_joined=now - timedelta(days=400),
        )
        for n in range(SUPERVISORS)
    ]
    User.objects.bulk_create(staff)

    always = business_hours_upsert(
        name="Bench around the clock",
        time_zone="UTC",
        weekly_hours={
            day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        },
    )
    london = business_hours_upsert(
        name="Bench London",
        time_zone="Europe/London",
        weekly_hours={
            day: [["08:00", "20:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat")
        },
        holidays=[(date(2026, 12, 25), "Christmas Day"), (date(2026, 1, 1), "New Year's Day")],
    )
    moscow = business_hours_upsert(
        name="Bench Moscow",
        time_zone="Europe/Moscow",
        weekly_hours={
            day: [["06:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        },
        holidays=[(date(2026, 1, 1), "Новый год")],
    )
    athens = business_hours_upsert(
        name="Bench Athens",
        time_zone="Europe/Athens",
        weekly_hours={day: [["09:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")},
        holidays=[(date(2026, 3, 25), "Independence Day")],
    )
    policy = sla_policy_upsert(
        name="Bench standard",
        targets=[(None, Priority(p), fr, res) for p, (fr, res) in SLA_MINUTES.items()],
    )
    from bench.faqdata import CORE_TOPICS

    core = {slug for slug, *_ in CORE_TOPICS}
    topics = list(
        Topic.objects.filter(is_active=True)
        .exclude(slug__startswith=PREFIX)
        .order_by("sort_order", "pk")
    )
    extras = [t for t in topics if t.slug not in core]
    plan: list[tuple[str, str, list[Topic], Any]] = []
    for topic in topics:  # English: one queue per topic; the desk's own topics around the clock
        plan.append((f"en-{topic.slug}", "en", [topic], always if topic.slug in core else london))
    for language, hours, groups in (("ru", moscow, 10), ("el", athens, 8)):
        for topic in topics[: len(core)]:
            plan.append((f"{language}-{topic.slug}", language, [topic], hours))
        for group in range(groups):
            members = extras[group::groups]
            plan.append((f"{language}-group-{group + 1}", language, members, hours))
    queues = []
    english: dict[int, Any] = {}
    for order, (slug, language, members, hours) in enumerate(plan):
        queue = queue_upsert(
            slug=f"{PREFIX}{slug}",
            name=f"{language.upper()} · " + ", ".join(t.slug for t in members)[:60],
            language=language,
            topics=members,
            hours=hours,
            fallback=english.get(members[0].pk) if language != "en" else None,
            sla_policy=policy,
            sort_order=10 + order,
        )
        if language == "en":
            english[members[0].pk] = queue
        queues.append(queue)

    agents = list(User.objects.filter(role=Role.AGENT, username__startswith=PREFIX).order_by("pk"))
    by_language = {
        language: [q for q in queues if q.language == language] for language in languages
    }
    presences = [Presence.ONLINE] * 70 + [Presence.AWAY] * 30 + [Presence.OFFLINE] * (AGENTS - 100)
    rng.shuffle(presences)
    profiles, memberships = [], []
    for number, agent in enumerate(agents):
        spoken = (
            ["en"]
            + (["ru"] if rng.random() < 0.35 else [])
            + (["el"] if rng.random() < 0.2 else [])
        )
        mine = {by_language["en"][number % len(by_language["en"])]}  # every queue gets agents
        for language in ("ru", "el"):
            if language in spoken:
                mine.add(by_language[language][number % len(by_language[language])])
        eligible = [q for q in queues if q.language in spoken]
        mine.update(rng.sample(eligible, k=min(len(eligible), rng.randint(2, 5))))
        presence = presences[number % len(presences)]
        profiles.append(
            AgentProfile(
                user=agent,
                languages=spoken,
                capacity=rng.randint(4, 8),
                presence=presence,
                presence_changed_at=now - timedelta(minutes=rng.uniform(5, 600)),
                last_assigned_at=now - timedelta(minutes=rng.uniform(1, 300)),
            )
        )
        memberships.append(sorted(q.pk for q in mine))
    for supervisor in User.objects.filter(role=Role.SUPERVISOR, username__startswith=PREFIX):
        profiles.append(AgentProfile(user=supervisor, languages=languages, capacity=5))
        memberships.append([])
    AgentProfile.objects.bulk_create(profiles)
    through = AgentProfile.queues.through
    through.objects.bulk_create(
        [
            through(agentprofile_id=profile.pk, queue_id=queue_id)
            for profile, ids in zip(profiles, memberships, strict=True)
            for queue_id in ids
        ]
    )
    return {"queues": queues, "profiles": profiles, "memberships": memberships}


def world(tickets: int, seed: int, built: dict[str, Any]) -> tuple[World, list[Agent]]:
    """Gather what the row builders need from the database."""
    from accounts.models import Role, User
    from bench.faqdata import CORE_TOPICS
    from faq.models import Topic

    core = {slug for slug, *_ in CORE_TOPICS}
    topics = list(
        Topic.objects.filter(is_active=True)
        .exclude(slug__startswith=PREFIX)
        .order_by("sort_order", "pk")
    )
    queue_agents: dict[int, list[int]] = {q.pk: [] for q in built["queues"]}
    agents = []
    for profile, ids in zip(built["profiles"], built["memberships"], strict=True):
        if not ids:
            continue
        for queue_id in ids:
            queue_agents[queue_id].append(profile.user_id)
        agents.append(Agent(profile.user_id, ids, profile.capacity, profile.presence))
    names = {
        user.pk: (user.username, user.display_name)
        for user in User.objects.filter(role=Role.AGENT, username__startswith=PREFIX)
    }
    buyers = list(
        User.objects.filter(role=Role.BUYER, username__startswith=PREFIX)
        .order_by("pk")
        .values_list("pk", "preferred_language")
    )
    rng = random.Random(f"{seed}:buyers")  # noqa: S311 (test data)
    rng.shuffle(buyers)
    cumulative, total = [], 0.0
    for rank in range(len(buyers)):  # a few buyers write a lot: weight 1 / rank^0.3
        total += 1.0 / (rank + 1) ** 0.3
        cumulative.append(total)
    entries = _entries_by_topic([t.pk for t in topics])
    subjects, descriptions, replies, extras = _texts(seed)
    queues = built["queues"]
    return (
        World(
            now=time.time(),
            tickets=tickets,
            seed=seed,
            topic_ids=[t.pk for t in topics],
            topic_slugs=[t.slug for t in topics],
            topic_weights=[3.0 if t.slug in core else 1.0 for t in topics],
            queue_of=_queue_of(topics, queues),
            queue_names={q.pk: q.name for q in queues},
            queue_agents=queue_agents,
            agent_names=names,
            buyer_ids=[pk for pk, _ in buyers],
            buyer_languages=[language or "en" for _, language in buyers],
            buyer_cum_weights=cumulative,
            entries_by_topic=[entries.get(t.pk, []) for t in topics],
            subjects=subjects,
            descriptions=descriptions,
            replies=replies,
            extra_messages=extras,
        ),
        agents,
    )


def _queue_of(topics: list[Any], queues: list[Any]) -> dict[tuple[int, str], int]:
    """Return the queue routing picks per (topic index, language): its own, else English."""
    found: dict[tuple[int, str], int] = {}
    for index, topic in enumerate(topics):
        serving = [q for q in queues if topic.pk in {t.pk for t in q.topics.all()}]
        english = next(q.pk for q in serving if q.language == "en")
        for language in LANGUAGE_MIX:
            own = [q.pk for q in serving if q.language == language]
            found[(index, language)] = own[0] if own else english
    return found


def _entries_by_topic(topic_ids: list[int], per_topic: int = 500) -> dict[int, list[int]]:
    from django.db import connection

    found: dict[int, list[int]] = {}
    with connection.cursor() as cursor:
        for topic_id in topic_ids:
            cursor.execute(
                "SELECT id FROM faq_faqentry WHERE topic_id = %s AND published ORDER BY id LIMIT %s",
                [topic_id, per_topic],
            )
            found[topic_id] = [row[0] for row in cursor.fetchall()]
    return found


def clear() -> None:
    """Remove every person, ticket and queue (the help centre stays)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE accounts_user, tickets_queue, tickets_businesshours, tickets_slapolicy, "
            "django_session RESTART IDENTITY CASCADE"
        )
        cursor.execute(f"DROP TABLE IF EXISTS {MARKER_TABLE}")


def generate(
    *, tickets: int, seed: int, progress_factory: Callable[[str, int], Any]
) -> dict[str, Any]:
    """Replace people, queues and tickets with a generated desk; return counts and timings."""
    from django.db import connection, connections, transaction

    timings: dict[str, float] = {}
    started = time.perf_counter()
    clear()
    with transaction.atomic():
        built = people(seed)
    timings["people_s"] = time.perf_counter() - started
    data, agents = world(tickets, seed, built)
    rng = random.Random(f"{seed}:recent")  # noqa: S311 (test data)
    first_recent = tickets - recent_count(tickets) + 1
    recent = recent_plans(data, agents, first_recent, rng)

    dsn = _dsn()
    with connection.cursor() as cursor:
        indexes = _secondary_indexes(cursor)
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    counts = {"tickets": 0, "messages": 0, "events": 0, "ratings": 0}
    connections.close_all()  # the pool forks: no connection is shared with it
    bar = progress_factory("tickets", tickets)
    try:
        processes = max(1, min(os.cpu_count() or 1, 4))
        context = multiprocessing.get_context("fork")
        with context.Pool(processes, initializer=_pool_init, initargs=(data, dsn)) as pool:
            for chunk_counts in pool.imap_unordered(_closed_chunk, _chunks(1, first_recent - 1)):
                for key, value in chunk_counts.items():
                    counts[key] += value
                bar.update(chunk_counts["tickets"])
        rows, clock = Rows(), Clock()
        for number, (basics, plan) in enumerate(recent, start=first_recent):
            write_ticket(data, rows, clock, number, basics, plan, rng)
        own = _connect(dsn)
        try:
            copy_rows(own, rows)
        finally:
            own.close()
        for key, value in rows.counts.items():
            counts[key] += value
        bar.update(rows.counts["tickets"])
        timings["copy_s"] = bar.close()
    finally:
        index_started = time.perf_counter()
        index_bar = progress_factory("indexes", len(indexes))
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _, definition in indexes:
                cursor.execute(definition.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
                index_bar.update(1)
        index_bar.close()
        timings["indexes_s"] = time.perf_counter() - index_started
    analyze_started = time.perf_counter()
    with connection.cursor() as cursor:
        # Tickets have random ids (support_desk.ids) and no sequence: the numbers
        # written here lie below every random one. The other tables count on.
        for table in ("tickets_message", "tickets_ticketevent", "tickets_rating"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608  # nosec B608  # table names from the tuple above
                f"(SELECT max(id) FROM {table}))"
            )
        cursor.execute(
            "VACUUM (ANALYZE) accounts_user, tickets_ticket, tickets_message, tickets_ticketevent, "
            "tickets_rating, tickets_agentprofile, tickets_agentprofile_queues, tickets_queue, "
            "tickets_queue_topics"
        )
        cursor.execute(
            f"CREATE TABLE {MARKER_TABLE} (tickets integer, seed integer, at timestamptz)"
        )
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} VALUES (%s, %s, now())",  # noqa: S608  # nosec B608  # MARKER_TABLE is a constant
            [tickets, seed],
        )
    timings["vacuum_analyze_s"] = time.perf_counter() - analyze_started
    timings["total_s"] = time.perf_counter() - started
    return {**counts, "timings": timings}


def generated() -> int | None:
    """Return how many tickets a completed generation wrote into this database, else None."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT tickets FROM {MARKER_TABLE}")  # noqa: S608  # nosec B608  # MARKER_TABLE is a constant
        row = cursor.fetchone()
    return int(row[0]) if row else None


def reset_to_generated() -> int:
    """Delete the tickets earlier runs opened, so a reused desk is the generated one again.

    Scenarios open tickets (the contact form, the API, the routing pipeline,
    the live pages) that join the waiting lines and the SLA watch; kept, each
    run would measure longer lines than the last. Everything opened after the
    generation finished goes, with its messages, history and mail, and the
    tables are vacuumed and analysed again, as the generation leaves them.
    Returns how many tickets were deleted.
    """
    from django.db import connection

    from tickets.models import Ticket

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT at FROM {MARKER_TABLE}")  # noqa: S608  # nosec B608  # MARKER_TABLE is a constant
        (generated_at,) = cursor.fetchone()
    _total, by_model = Ticket.objects.filter(created_at__gt=generated_at).delete()
    removed = int(by_model.get("tickets.Ticket", 0))
    if removed:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {', '.join(TICKET_TABLES)}")
    return removed


def counts() -> dict[str, Any]:
    """Return what the desk holds now: people, queues, tickets by status, table sizes.

    Messages, events and ratings are the planner's row estimates (fresh after ANALYZE).
    """
    from django.db import connection

    result: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for table in TICKET_TABLES:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
            result[table.removeprefix("tickets_")] = int(cursor.fetchone()[0])
        cursor.execute(
            "SELECT status, count(*) FROM tickets_ticket GROUP BY status ORDER BY status"
        )
        result["by_status"] = dict(cursor.fetchall())
        result["ticket"] = sum(result["by_status"].values())  # exact, not the planner's estimate
        cursor.execute("SELECT role, count(*) FROM accounts_user GROUP BY role ORDER BY role")
        result["people"] = dict(cursor.fetchall())
        cursor.execute("SELECT count(*) FROM tickets_queue")
        result["queues"] = cursor.fetchone()[0]
        cursor.execute("SELECT presence, count(*) FROM tickets_agentprofile GROUP BY presence")
        result["agents_by_presence"] = dict(cursor.fetchall())
        cursor.execute(
            "SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_class c "
            "WHERE c.relname = ANY(%s)",
            [list(TICKET_TABLES)],
        )
        result["tickets_tables_size"] = cursor.fetchone()[0]
    return result
