"""Demo desk: business hours, SLA policy, queues, agents, and tickets in every status.

Built only through ``tickets.services``, with every step's time relative to
``now``, so the history reads naturally whenever the demo is loaded.
Idempotent by natural keys: hours and policies by name, queues by slug,
agents by their profile, tickets by buyer and subject. What exists is left
alone, so running the loader again changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from accounts.models import User
from accounts.services import supervisors_group_ensure
from faq.models import Topic
from tickets import services
from tickets.demo import stories  # noqa: F401 - registers the stories
from tickets.demo.base import RUSSIAN_QUEUE, STORIES, Demo
from tickets.demo.macros import load_macros
from tickets.models import AgentProfile, BusinessHours, Presence, Priority, Queue, SlaPolicy, Ticket

MOSCOW_HOURS = "Moscow 06:00–24:00"
STANDARD_POLICY = "Standard"
EVERY_DAY_6_TO_24 = {
    day: [["06:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
}
RUSSIAN_HOLIDAYS = (
    (1, 1, "New Year's Day"),
    (5, 9, "Victory Day"),
    (6, 12, "Russia Day"),
    (11, 4, "Unity Day"),
)
TOPIC_SLUGS = ("payment", "refund", "dispute", "warranty")
EN_QUEUES = ("en-payment", "en-refund", "en-dispute", "en-warranty")
ESCALATIONS = "en-escalations"
DEMO_USERNAMES = ("buyer", "buyer2", "agent", "agent_ru", "supervisor")

H = 60  # minutes in an hour, for the SLA targets below


def _config(now: datetime) -> dict[str, Queue]:
    """Create the hours, the SLA policy and the queues that are missing; return queues by slug."""
    topics = {topic.slug: topic for topic in Topic.objects.filter(slug__in=TOPIC_SLUGS)}
    hours = BusinessHours.objects.filter(name=MOSCOW_HOURS).first()
    if hours is None:
        hours = services.business_hours_upsert(
            name=MOSCOW_HOURS,
            time_zone="Europe/Moscow",
            weekly_hours=EVERY_DAY_6_TO_24,
            holidays=[
                (date(year, month, day), name)
                for year in (now.year, now.year + 1)
                for month, day, name in RUSSIAN_HOLIDAYS
            ],
        )
    policy = SlaPolicy.objects.filter(name=STANDARD_POLICY).first()
    if policy is None:
        payment = topics.get("payment")
        tighter_payment = (
            [
                (payment, Priority.NORMAL, 2 * H, 24 * H),
                (payment, Priority.HIGH, 30, 12 * H),
                (payment, Priority.URGENT, 15, 4 * H),
            ]
            if payment
            else []
        )
        policy = services.sla_policy_upsert(
            name=STANDARD_POLICY,
            targets=[
                (None, Priority.LOW, 8 * H, 72 * H),
                (None, Priority.NORMAL, 4 * H, 48 * H),
                (None, Priority.HIGH, 1 * H, 24 * H),
                (None, Priority.URGENT, 30, 8 * H),
                *tighter_payment,
            ],
        )
    queues = {queue.slug: queue for queue in Queue.objects.all()}

    def queue(
        slug: str, name: str, language: str, topic_slugs: tuple[str, ...], **kw: object
    ) -> None:
        if slug not in queues:
            queues[slug] = services.queue_upsert(
                slug=slug,
                name=name,
                language=language,
                topics=[topics[s] for s in topic_slugs if s in topics],
                sla_policy=policy,
                **kw,  # type: ignore[arg-type]
            )

    # Breaches of the English queues land here, for a supervisor to pick up.
    queue(ESCALATIONS, "Escalations (English)", "en", TOPIC_SLUGS, sort_order=90)
    english = {
        "en-payment": ("Payment (English)", "payment", 10),
        "en-refund": ("Refunds (English)", "refund", 20),
        "en-dispute": ("Disputes (English)", "dispute", 30),
        "en-warranty": ("Warranty (English)", "warranty", 40),
    }
    for slug, (name, topic_slug, order) in english.items():
        queue(
            slug,
            name,
            "en",
            (topic_slug,),
            sort_order=order,
            escalation_queue=queues[ESCALATIONS],
        )
    queue(
        RUSSIAN_QUEUE,
        "Оплата и возвраты (русский)",
        "ru",
        ("payment", "refund"),
        hours=hours,
        fallback=queues["en-payment"],
        sort_order=5,
    )
    return queues


def _agents(queues: dict[str, Queue]) -> list[tuple[User, Presence, timedelta]]:
    """Give the demo agents their profiles, once; return the new ones with their presence."""
    english = [queues[slug] for slug in EN_QUEUES]
    setups = (
        ("agent", english, ["en"], 5, Presence.ONLINE, timedelta(hours=2)),
        (
            "agent_ru",
            [queues[RUSSIAN_QUEUE], queues["en-payment"]],
            ["ru", "en"],
            4,
            Presence.AWAY,
            timedelta(minutes=30),
        ),
        ("supervisor", list(queues.values()), ["en", "ru"], 5, Presence.OFFLINE, timedelta()),
    )
    created = []
    for username, agent_queues, languages, capacity, presence, since in setups:
        user = User.objects.filter(username=username).first()
        if user is None or AgentProfile.objects.filter(user=user).exists():
            continue
        services.agent_configure(
            agent=user, queues=agent_queues, languages=languages, capacity=capacity
        )
        created.append((user, presence, since))
    return created


def load(*, now: datetime) -> None:
    """Create the demo desk's configuration, agents and tickets that do not exist yet."""
    # The group picks up the tickets models' permissions on desks set up before they existed.
    supervisors_group_ensure()
    queues = _config(now)
    new_agents = _agents(queues)
    people = {user.username: user for user in User.objects.filter(username__in=DEMO_USERNAMES)}
    demo = Demo(
        now=now,
        queues=queues,
        people=people,
        topics={t.slug: t for t in Topic.objects.filter(slug__in=TOPIC_SLUGS)},
    )
    if len(people) == len(DEMO_USERNAMES) and len(demo.topics) == len(TOPIC_SLUGS):
        # Oldest first: a story's steps only ever meet the tickets made before it.
        for buyer, subject, run in STORIES:
            if not Ticket.objects.filter(buyer=people[buyer], subject=subject).exists():
                run(demo, subject)
    load_macros(topics=demo.topics)
    # Presence last, for new agents only: going online pulls waiting tickets,
    # and the demo keeps some waiting.
    for user, presence, since in new_agents:
        services.agent_set_presence(agent=user, presence=presence, now=now - since)
