"""The deflection funnel, feedback, the assistant and the reader's-language selectors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from faq import selectors, services
from faq.models import AssistantQuestion, FaqEntry, FaqEventKind, FaqFeedback
from tests.faq.conftest import HelpCentre

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def store(kind: FaqEventKind, entry: FaqEntry, visitor: str, at: datetime = NOW) -> None:
    services.faq_event_store(kind=kind, entry_id=entry.pk, language="en", visitor=visitor, at=at)


def feedback(entry: FaqEntry, visitor: str, helpful: bool, at: datetime = NOW) -> None:
    services.faq_feedback_record(
        entry=entry, visitor=visitor, language="en", helpful=helpful, now=at
    )


@pytest.fixture
def seeded_funnel(help_centre: HelpCentre) -> HelpCentre:
    """Payment: 4 views, 1 yes, 2 no, 2 contacts, 1 ticket. Refund: 3 views (2 entries), 1 no, 1 contact."""
    failed = help_centre.payment_failed
    for visitor in ("a", "b", "c", "d"):
        store(FaqEventKind.VIEW, failed, visitor)
    feedback(failed, "a", True)
    feedback(failed, "b", False)
    feedback(failed, "c", False)
    store(FaqEventKind.CONTACT, failed, "b")
    store(FaqEventKind.CONTACT, failed, "c")
    store(FaqEventKind.TICKET, failed, "c")
    store(FaqEventKind.VIEW, help_centre.refund_missing, "e")
    store(FaqEventKind.VIEW, help_centre.refund_missing, "f")
    store(FaqEventKind.VIEW, help_centre.refund_timing, "e")
    feedback(help_centre.refund_missing, "e", False)
    store(FaqEventKind.CONTACT, help_centre.refund_missing, "e")
    # Outside the reporting period:
    store(FaqEventKind.VIEW, failed, "old", at=NOW - timedelta(days=40))
    return help_centre


def test_funnel_by_topic_is_exact(seeded_funnel: HelpCentre) -> None:
    rows = {row.label: row for row in selectors.funnel_by_topic(since=NOW - timedelta(days=30))}
    payment, refund = rows["payment"], rows["refund"]
    assert (
        payment.views,
        payment.helpful,
        payment.not_helpful,
        payment.contacts,
        payment.tickets,
    ) == (4, 1, 2, 2, 1)
    assert payment.helpful_rate == pytest.approx(1 / 3)
    assert payment.contact_rate == pytest.approx(0.5)
    assert payment.ticket_rate == pytest.approx(0.25)
    assert (refund.views, refund.helpful, refund.not_helpful, refund.contacts, refund.tickets) == (
        3,
        0,
        1,
        1,
        0,
    )
    assert refund.helpful_rate == 0.0


def test_funnel_by_entry_is_exact(seeded_funnel: HelpCentre) -> None:
    rows = {row.key: row for row in selectors.funnel_by_entry(topic=seeded_funnel.refund)}
    assert rows[seeded_funnel.refund_missing.pk].views == 2
    assert rows[seeded_funnel.refund_missing.pk].contacts == 1
    assert rows[seeded_funnel.refund_timing.pk].views == 1
    assert rows[seeded_funnel.refund_timing.pk].helpful_rate is None
    assert rows[seeded_funnel.english_only.pk].views == 0
    assert seeded_funnel.payment_failed.pk not in rows


def test_all_time_funnel_includes_old_events(seeded_funnel: HelpCentre) -> None:
    rows = {row.label: row for row in selectors.funnel_by_topic()}
    assert rows["payment"].views == 5


def test_views_count_towards_most_asked(seeded_funnel: HelpCentre) -> None:
    seeded_funnel.payment_failed.refresh_from_db()
    assert seeded_funnel.payment_failed.view_count == 5
    most_asked = selectors.entry_list_most_asked(language="en")
    assert most_asked[0].entry == seeded_funnel.payment_failed


def test_second_feedback_replaces_the_first(help_centre: HelpCentre) -> None:
    feedback(help_centre.payment_failed, "v", False)
    feedback(help_centre.payment_failed, "v", True, at=NOW + timedelta(minutes=1))
    row = FaqFeedback.objects.get()
    assert row.helpful is True
    assert row.created_at == NOW
    assert row.updated_at == NOW + timedelta(minutes=1)


def test_event_for_a_deleted_entry_is_dropped(help_centre: HelpCentre) -> None:
    assert (
        services.faq_event_store(kind="view", entry_id=999999, language="en", visitor="x", at=NOW)
        is False
    )


def test_recording_a_view_enqueues_work_after_commit(
    help_centre: HelpCentre, django_capture_on_commit_callbacks: pytest.FixtureRequest
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
        services.faq_event_record(
            kind=FaqEventKind.VIEW,
            entry=help_centre.payment_failed,
            language="en",
            visitor="v",
            now=NOW,
        )
    assert len(callbacks) == 1
    assert not help_centre.payment_failed.events.exists()


def test_reader_gets_their_language_or_english_with_a_flag(help_centre: HelpCentre) -> None:
    ru = {
        v.entry.slug: v
        for v in selectors.entry_list_for_topic(topic=help_centre.refund, language="ru").views
    }
    assert ru["refund-not-received-after-cancellation"].translation.language == "ru"
    assert ru["refund-not-received-after-cancellation"].is_fallback is False
    assert ru["refund-to-expired-card"].translation.language == "en"
    assert ru["refund-to-expired-card"].is_fallback is True
    assert list(ru) == [
        "refund-not-received-after-cancellation",
        "refund-timing-by-payment-method",
        "refund-to-expired-card",
    ]


def test_an_entry_is_named_by_its_question_published_or_not(help_centre: HelpCentre) -> None:
    failed, hidden = help_centre.payment_failed, help_centre.hidden
    FaqEntry.objects.filter(pk=failed.pk).update(published=False)
    name = selectors.entry_question_any
    assert name(entry_id=failed.pk, language="ru") == "Оплата не прошла, но деньги списаны с карты"
    assert name(entry_id=hidden.pk, language="ru") == "A draft about payment refunds"
    hidden.translations.filter(language="en").update(language="el")
    assert name(entry_id=hidden.pk, language="ru") == "A draft about payment refunds"
    hidden.translations.all().delete()
    assert name(entry_id=hidden.pk, language="en") == "payment/draft-answer"
    hidden.delete()
    assert name(entry_id=hidden.pk, language="en") is None


def test_topics_are_named_in_the_readers_language(help_centre: HelpCentre) -> None:
    names = [t.name for t in selectors.topic_list(language="ru")]
    assert names == ["Оплата", "Возврат средств"]
    assert [t.name for t in selectors.topic_list(language="el")] == ["Πληρωμή", "Refund"]


def test_email_contact_follows_the_topic_unless_the_entry_says(help_centre: HelpCentre) -> None:
    assert help_centre.payment_failed.allows_email() is True
    assert help_centre.english_only.allows_email() is False


def test_demo_style_upsert_changes_nothing_when_run_twice(help_centre: HelpCentre) -> None:
    before = list(FaqEntry.objects.values_list("pk", "updated_at"))
    services.faq_entry_upsert(
        topic=help_centre.refund,
        slug="refund-timing-by-payment-method",
        sort_weight=50,
        texts={
            "en": (
                "How long does a refund take for each payment method?",
                "Cards: 3–10 business days. E-wallets: 1–3 days. Marketplace balance: instantly.",
            ),
        },
    )
    assert list(FaqEntry.objects.values_list("pk", "updated_at")) == before


def test_assistant_answers_with_confidence_and_records_the_question(
    help_centre: HelpCentre,
) -> None:
    reply = services.assistant_ask(
        question="The seller cancelled my order and I have not received the refund",
        language="en",
        visitor="anon:1",
        now=NOW,
    )
    assert reply.answered
    assert reply.hits[0].entry_id == help_centre.refund_missing.pk
    assert 0.45 <= reply.hits[0].score <= 1
    record = AssistantQuestion.objects.get()
    assert (record.best_entry_id, record.answered, record.helpful) == (
        help_centre.refund_missing.pk,
        True,
        None,
    )


def test_assistant_says_so_when_nothing_fits(help_centre: HelpCentre) -> None:
    reply = services.assistant_ask(
        question="Can I bring my dog to the office?", language="en", visitor="v", now=NOW
    )
    assert not reply.answered
    assert reply.hits == []
    assert AssistantQuestion.objects.get().answered is False


def test_assistant_feedback_only_by_the_asker(help_centre: HelpCentre) -> None:
    reply = services.assistant_ask(
        question="refund cancelled order", language="en", visitor="v1", now=NOW
    )
    with pytest.raises(services.AssistantQuestionNotFound):
        services.assistant_feedback(question_id=reply.question.pk, visitor="v2", helpful=True)
    assert (
        services.assistant_feedback(
            question_id=reply.question.pk, visitor="v1", helpful=True
        ).helpful
        is True
    )


@pytest.mark.integration
def test_buffered_events_are_stored_in_bulk(help_centre: HelpCentre, redis_url: str) -> None:
    from faq import event_buffer

    event_buffer.drain(max_events=100_000)  # start from an empty buffer
    for visitor in ("a", "b", "c"):
        event_buffer.push(
            {
                "kind": "view",
                "entry_id": help_centre.payment_failed.pk,
                "language": "en",
                "visitor": visitor,
                "at": NOW.isoformat(),
                "channel": "",
            }
        )
    event_buffer.push(
        {
            "kind": "contact",
            "entry_id": help_centre.payment_failed.pk,
            "language": "en",
            "visitor": "a",
            "at": NOW.isoformat(),
            "channel": "chat",
        }
    )
    event_buffer.push(
        {
            "kind": "view",
            "entry_id": 987654321,
            "language": "en",
            "visitor": "z",
            "at": NOW.isoformat(),
            "channel": "",
        }
    )
    assert services.faq_events_flush(max_events=2) == 2
    assert services.faq_events_flush() == 2  # the deleted entry's view is dropped
    assert services.faq_events_flush() == 0
    row = {r.label: r for r in selectors.funnel_by_topic()}["payment"]
    assert (row.views, row.contacts) == (3, 1)
    help_centre.payment_failed.refresh_from_db()
    assert help_centre.payment_failed.view_count == 3
