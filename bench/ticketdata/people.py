"""The desk the tickets live in: people, business hours, the SLA policy, queues and agents."""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bench.ticketdata.rows import (
    AGENTS,
    BUYERS,
    LANGUAGE_MIX,
    PREFIX,
    SLA_MINUTES,
    SUPERVISORS,
    Agent,
    World,
    escape,
    weighted,
)


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
            subjects[language].append(escape(question[:200]))
            descriptions[language].append(escape(f"{question} {sentences[-1]}"[:2000]))
            replies[language].append(escape(" ".join(sentences[:2])[:2000]))
            extras[language].append(escape(question))
    return subjects, descriptions, replies, extras


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
            preferred_language=weighted(LANGUAGE_MIX, rng, 1)[0],
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
