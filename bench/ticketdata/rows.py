"""One ticket's rows (messages, history, rating) as COPY text, and the plans they follow."""

from __future__ import annotations

import io
import random
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


def escape(text: str) -> str:
    """Return ``text`` as a COPY text-format field."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def weighted(mix: dict[Any, int], rng: random.Random, n: int) -> list[Any]:
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
    channel = weighted(CHANNELS, rng, 1)[0]
    priority = weighted(PRIORITIES, rng, 1)[0]
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
        f"{t}\tqueue\t{NULL}\t\t{escape(world.queue_names[plan.queue_id])[:80]}\t{ROUTED}\t{c(plan.queued)}\n",
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
