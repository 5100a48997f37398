"""The pure routing decision, with ``now`` passed in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tickets.hours import Calendar
from tickets.routing import AgentFacts, QueueFacts, choose_queue, eligible_agents, route

MOSCOW = ZoneInfo("Europe/Moscow")
PAYMENT, REFUND, DISPUTE, WARRANTY = 1, 2, 3, 4
MOSCOW_HOURS = Calendar.build(
    time_zone="Europe/Moscow",
    weekly_hours={
        d: [["06:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    },
)
EN_PAYMENT = QueueFacts(10, "Payment (English)", frozenset({PAYMENT}), "en", None, sort_order=10)
EN_REFUND = QueueFacts(11, "Refund (English)", frozenset({REFUND}), "en", None, sort_order=20)
EN_DISPUTE = QueueFacts(12, "Disputes", frozenset({DISPUTE}), "en", None, sort_order=30)
RU = QueueFacts(
    20,
    "Оплата и возвраты",
    frozenset({PAYMENT, REFUND}),
    "ru",
    MOSCOW_HOURS,
    fallback_id=EN_PAYMENT.id,
    sort_order=5,
)
QUEUES = [EN_PAYMENT, EN_REFUND, EN_DISPUTE, RU]
NOON = datetime(2026, 11, 20, 12, 0, tzinfo=MOSCOW)


def agent(
    id: int,
    *,
    queues: set[int],
    active: int = 0,
    capacity: int = 3,
    online: bool = True,
    languages: set[str] | None = None,
    last: datetime | None = None,
) -> AgentFacts:
    return AgentFacts(
        id, frozenset(queues), frozenset(languages or {"en"}), capacity, active, online, last
    )


def test_topic_and_language_pick_the_queue() -> None:
    assert choose_queue(topic_id=DISPUTE, language="en", queues=QUEUES, now=NOON).queue_id == 12
    assert choose_queue(topic_id=REFUND, language="ru", queues=QUEUES, now=NOON).queue_id == 20


def test_russian_at_0559_moscow_falls_back_to_english_with_the_reason() -> None:
    decision = choose_queue(
        topic_id=PAYMENT,
        language="ru",
        queues=QUEUES,
        now=datetime(2026, 11, 20, 5, 59, tzinfo=MOSCOW),
    )
    assert decision.queue_id == EN_PAYMENT.id
    assert decision.fallback
    assert "closed until" in decision.reason and "06:00" in decision.reason
    assert "Payment (English)" in decision.reason


def test_russian_at_0600_moscow_stays_russian() -> None:
    decision = choose_queue(
        topic_id=PAYMENT,
        language="ru",
        queues=QUEUES,
        now=datetime(2026, 11, 20, 6, 0, tzinfo=MOSCOW),
    )
    assert decision.queue_id == RU.id
    assert not decision.fallback


def test_fallback_follows_the_topic_into_the_fallback_language() -> None:
    # The Russian queue names the English payment queue; a refund goes to English refunds.
    decision = choose_queue(
        topic_id=REFUND,
        language="ru",
        queues=QUEUES,
        now=datetime(2026, 11, 20, 2, 0, tzinfo=MOSCOW),
    )
    assert decision.queue_id == EN_REFUND.id


def test_without_an_open_fallback_the_ticket_waits_in_its_own_queue() -> None:
    lonely = QueueFacts(20, "Оплата", frozenset({PAYMENT}), "ru", MOSCOW_HOURS)
    decision = choose_queue(
        topic_id=PAYMENT,
        language="ru",
        queues=[lonely],
        now=datetime(2026, 11, 20, 2, 0, tzinfo=MOSCOW),
    )
    assert decision.queue_id == lonely.id
    assert "waits" in decision.reason


def test_a_language_without_queues_goes_to_the_default_language() -> None:
    decision = choose_queue(topic_id=DISPUTE, language="el", queues=QUEUES, now=NOON)
    assert decision.queue_id == EN_DISPUTE.id
    assert decision.fallback
    assert "el" in decision.reason


def test_a_topic_without_queues_goes_to_a_catch_all_queue_or_nowhere() -> None:
    assert choose_queue(topic_id=WARRANTY, language="en", queues=QUEUES, now=NOON).queue_id is None
    general = QueueFacts(99, "General", frozenset(), "en", None)
    decision = choose_queue(topic_id=WARRANTY, language="en", queues=[*QUEUES, general], now=NOON)
    assert decision.queue_id == general.id


def test_fallback_cycles_end() -> None:
    a = QueueFacts(1, "A", frozenset({PAYMENT}), "ru", MOSCOW_HOURS, fallback_id=2)
    b = QueueFacts(2, "B", frozenset({PAYMENT}), "ru", MOSCOW_HOURS, fallback_id=1)
    night = datetime(2026, 11, 20, 2, 0, tzinfo=MOSCOW)
    assert choose_queue(topic_id=PAYMENT, language="ru", queues=[a, b], now=night).queue_id == 1


def test_agent_must_be_online_in_the_queue_under_capacity_and_speak_its_language() -> None:
    agents = [
        agent(1, queues={10}, online=False),
        agent(2, queues={11}),
        agent(3, queues={10}, active=3, capacity=3),
        agent(4, queues={10}, languages={"ru"}),
        agent(5, queues={10}, active=2),
    ]
    assert [a.id for a in eligible_agents(queue_id=10, language="en", agents=agents)] == [5]


def test_least_loaded_first_then_longest_idle_then_id() -> None:
    earlier = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    agents = [
        agent(1, queues={10}, active=2),
        agent(2, queues={10}, active=1, last=earlier + timedelta(hours=1)),
        agent(3, queues={10}, active=1, last=earlier),
        agent(4, queues={10}, active=1, last=earlier),
        agent(5, queues={10}, active=1, last=None),
    ]
    assert [a.id for a in eligible_agents(queue_id=10, language="en", agents=agents)] == [
        5,
        3,
        4,
        2,
        1,
    ]


def test_route_gives_queue_and_agent_or_leaves_it_waiting() -> None:
    decision = route(
        topic_id=PAYMENT, language="en", queues=QUEUES, agents=[agent(7, queues={10})], now=NOON
    )
    assert (decision.queue_id, decision.agent_id) == (10, 7)
    waiting = route(
        topic_id=PAYMENT,
        language="en",
        queues=QUEUES,
        agents=[agent(7, queues={10}, active=3)],
        now=NOON,
    )
    assert (waiting.queue_id, waiting.agent_id) == (10, None)


def test_route_to_the_russian_queue_needs_a_russian_speaker() -> None:
    agents = [agent(1, queues={20}), agent(2, queues={20}, languages={"ru", "en"})]
    decision = route(topic_id=PAYMENT, language="ru", queues=QUEUES, agents=agents, now=NOON)
    assert (decision.queue_id, decision.agent_id) == (20, 2)
