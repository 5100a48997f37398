"""The agent workspace in the browser's terms: pages, forms, messages, who may enter."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from faq.models import FaqEntry
from tests.factories import AgentFactory, BuyerFactory, SellerFactory, SupervisorFactory
from tests.tickets.conftest import Desk, open_ticket
from tickets import services
from tickets.models import Channel, EventKind, Presence, Priority, Ticket
from tickets.status import Status

NOTE_MARKER = "Internal note — the buyer never sees this"


def routed(desk: Desk, *, now: datetime | None = None, **kwargs: object) -> Ticket:
    """Open a ticket and route it: assigned if an agent of its queue is online, else queued."""
    now = now or timezone.now()
    ticket = open_ticket(desk, now=now, **kwargs)  # type: ignore[arg-type]
    services.ticket_route(ticket_id=ticket.pk, now=now)
    ticket.refresh_from_db()
    return ticket


def assigned_to_sam(desk: Desk, **kwargs: object) -> Ticket:
    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=timezone.now())
    ticket = routed(desk, **kwargs)
    assert ticket.assignee == desk.agent
    return ticket


def page(client: Client, ticket: Ticket) -> str:
    response = client.get(reverse("agent:ticket", args=[ticket.pk]))
    assert response.status_code == 200
    return response.content.decode()


# Who may enter


@pytest.mark.parametrize("name", ["agent:home", "agent:ticket"])
def test_anonymous_visitors_are_sent_to_log_in(client: Client, desk: Desk, name: str) -> None:
    ticket = routed(desk)
    url = reverse(name, args=[ticket.pk] if name == "agent:ticket" else [])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("factory", [BuyerFactory, SellerFactory])
def test_buyers_and_sellers_are_refused(client: Client, desk: Desk, factory: type) -> None:
    ticket = routed(desk)
    client.force_login(factory())
    assert client.get(reverse("agent:home")).status_code == 403
    assert client.get(reverse("agent:ticket", args=[ticket.pk])).status_code == 403
    response = client.post(reverse("agent:take-next"))
    assert response.status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).status == Status.QUEUED


def test_the_ticket_buyer_cannot_open_the_agent_page(client: Client, desk: Desk) -> None:
    ticket = routed(desk)
    client.force_login(desk.buyer)
    assert client.get(reverse("agent:ticket", args=[ticket.pk])).status_code == 403


def test_agent_outside_the_queue_gets_not_found(client: Client, desk: Desk) -> None:
    ticket = routed(desk, topic=desk.refund)  # English refunds: sam's queue, not olga's
    client.force_login(desk.agent_ru)
    assert client.get(reverse("agent:ticket", args=[ticket.pk])).status_code == 404
    response = client.post(
        reverse("agent:ticket-reply", args=[ticket.pk]),
        {"reply-body": "Hello", "reply-visibility": "public"},
    )
    assert response.status_code == 404
    assert not ticket.messages.filter(body="Hello").exists()
    assert client.get(reverse("agent:ticket", args=[ticket.pk + 1000])).status_code == 404


def test_supervisor_enters_and_keeps_the_link_to_configure_the_desk(
    client: Client, db: None
) -> None:
    client.force_login(SupervisorFactory())
    response = client.get(reverse("agent:home"))
    assert response.status_code == 200
    assert "Configure the desk" in response.content.decode()
    client.force_login(AgentFactory())
    assert "Configure the desk" not in client.get(reverse("agent:home")).content.decode()


# Home: presence, take next, lists


def test_going_online_assigns_waiting_tickets_and_shows_them(client: Client, desk: Desk) -> None:
    first = routed(desk, subject="Charged twice")
    second = routed(desk, topic=desk.refund, subject="Refund never arrived")
    assert first.status == second.status == Status.QUEUED
    client.force_login(desk.agent)
    before = client.get(reverse("agent:home")).content.decode()
    assert first.reference not in before

    response = client.post(reverse("agent:presence"), {"presence": "online"}, follow=True)

    text = response.content.decode()
    assert "You are now online." in text
    assert first.reference in text and "Refund never arrived" in text
    assert set(Ticket.objects.filter(assignee=desk.agent).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }


def test_an_unknown_presence_is_refused_with_a_message(client: Client, desk: Desk) -> None:
    client.force_login(desk.agent)
    response = client.post(reverse("agent:presence"), {"presence": "asleep"}, follow=True)
    assert "Choose online, away or offline." in response.content.decode()
    assert services.agent_profile_ensure(agent=desk.agent).presence == Presence.OFFLINE


def test_take_next_assigns_the_first_waiting_ticket_and_opens_it(
    client: Client, desk: Desk
) -> None:
    ticket = routed(desk)
    client.force_login(desk.agent)
    response = client.post(reverse("agent:take-next"))
    assert response.status_code == 302
    assert response["Location"] == reverse("agent:ticket", args=[ticket.pk])
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee) == (Status.ASSIGNED, desk.agent)
    assert f"{ticket.reference} is yours." in client.get(response["Location"]).content.decode()


def test_take_next_with_nothing_waiting_says_so(client: Client, desk: Desk) -> None:
    client.force_login(desk.agent)
    response = client.post(reverse("agent:take-next"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("agent:home")
    assert "Nothing is waiting" in response.content.decode()


def test_take_next_at_capacity_says_so_and_assigns_nothing(client: Client, desk: Desk) -> None:
    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=timezone.now())
    for n in range(4):  # sam's capacity is 3: the fourth waits
        routed(desk, subject=f"Problem {n}")
    waiting = Ticket.objects.get(status=Status.QUEUED)
    client.force_login(desk.agent)
    response = client.post(reverse("agent:take-next"), follow=True)
    assert "You already have 3 tickets, your capacity." in response.content.decode()
    assert Ticket.objects.get(pk=waiting.pk).status == Status.QUEUED


def test_take_next_without_an_agent_profile_explains(client: Client, db: None) -> None:
    client.force_login(AgentFactory())
    response = client.post(reverse("agent:take-next"), follow=True)
    assert response.status_code == 200
    assert "You are not set up to take tickets yet" in response.content.decode()


def test_home_shows_queues_with_waiting_count_oldest_wait_and_agents_online(
    client: Client, desk: Desk
) -> None:
    routed(desk, now=timezone.now() - timedelta(minutes=12), topic=desk.refund)
    services.agent_set_presence(agent=desk.agent_ru, presence=Presence.ONLINE, now=timezone.now())
    client.force_login(desk.agent)
    response = client.get(reverse("agent:home"))
    queues = response.content.decode().split('data-testid="my-queues"')[1].split("</section>")[0]
    refund = queues.split("Refund (English)")[1].split("</li>")[0]
    assert "1 waiting" in refund
    assert "waiting 12 min" in refund
    assert "0 agents online" in refund
    payment = queues.split("Payment (English)")[1].split("</li>")[0]
    assert "0 waiting" in payment
    assert "1 agent online" in payment
    assert "Оплата и возвраты" not in queues  # olga's Russian queue is not sam's


def test_home_highlights_late_tickets_in_my_tickets_and_the_sla_watch(
    client: Client, desk: Desk
) -> None:
    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=timezone.now())
    # Payment, normal priority: first response within 2 hours.
    late = routed(desk, now=timezone.now() - timedelta(hours=3), subject="Old problem")
    client.force_login(desk.agent)
    text = client.get(reverse("agent:home")).content.decode()
    mine = text.split('data-testid="my-tickets"')[1].split("</section>")[0]
    watch = text.split('data-testid="sla-watch"')[1].split("</section>")[0]
    assert late.reference in mine and "row--late" in mine and "sla--late" in mine
    assert late.reference in watch and "late" in watch


def test_the_sla_watch_shows_the_most_urgent_and_counts_the_rest(
    client: Client, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tickets.views import agent as agent_views

    monkeypatch.setattr(agent_views, "SLA_WATCH_SHOWN", 2)
    now = timezone.now()
    oldest = routed(desk, now=now - timedelta(hours=5), subject="Oldest")
    older = routed(desk, now=now - timedelta(hours=4), subject="Older")
    late = [routed(desk, now=now - timedelta(hours=3), subject=f"Late {n}") for n in range(3)]
    client.force_login(desk.agent)
    text = client.get(reverse("agent:home")).content.decode()
    watch = text.split('data-testid="sla-watch"')[1].split("</section>")[0]
    assert oldest.reference in watch and older.reference in watch
    assert not any(ticket.reference in watch for ticket in late)
    assert "And 3 more tickets near or past their SLA." in watch


def test_home_rows_escape_what_buyers_type_and_speak_the_agents_language(
    client: Client, desk: Desk
) -> None:
    from django.conf import settings

    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=timezone.now())
    desk.buyer.first_name = "<b>Anna</b>"
    desk.buyer.save(update_fields=["first_name"])
    late = routed(
        desk, now=timezone.now() - timedelta(hours=3), subject='<img src=x onerror="alert(1)">'
    )
    services.ticket_set_priority(
        ticket_id=late.pk, priority=Priority.URGENT, actor=desk.agent, now=timezone.now()
    )
    services.agent_set_presence(agent=desk.agent, presence=Presence.OFFLINE, now=timezone.now())
    unassigned = routed(desk, now=timezone.now() - timedelta(hours=3), topic=desk.dispute)
    client.force_login(desk.agent)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    text = client.get(reverse("agent:home")).content.decode()
    mine = text.split('data-testid="my-tickets"')[1].split("</section>")[0]
    watch = text.split('data-testid="sla-watch"')[1].split("</section>")[0]

    assert "<img" not in text and "<b>Anna" not in text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in mine
    assert "&lt;b&gt;Anna&lt;/b&gt;" in mine
    assert late.reference in mine and "Срочный" in mine and "просрочено" in mine
    assert unassigned.reference in watch and "не назначено" in watch
    assert "Решение" in watch or "Первый ответ" in watch


def test_home_reads_a_constant_number_of_queries(
    client: Client, desk: Desk, django_assert_num_queries
) -> None:
    services.agent_configure(
        agent=desk.agent,
        queues=[desk.en_payment, desk.en_refund, desk.en_dispute, desk.en_warranty],
        languages=["en"],
        capacity=25,
    )
    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=timezone.now())
    long_ago = timezone.now() - timedelta(hours=3)
    routed(desk, now=long_ago)
    routed(desk, now=long_ago, topic=desk.refund)  # a second queue
    client.force_login(desk.agent)
    client.get(reverse("agent:home"))  # session and profile warm
    with CaptureQueriesContext(connection) as one:
        first = client.get(reverse("agent:home"))
    assert first.content.decode().count("/agent/tickets/") >= 2

    for n in range(20):
        routed(desk, now=long_ago, subject=f"Problem {n}", buyer=desk.other_buyer)
    with django_assert_num_queries(len(one)):
        many = client.get(reverse("agent:home"))
    assert many.content.decode().count("Problem ") >= 40  # in my tickets and the SLA watch


# The ticket page


def test_ticket_page_shows_the_header_thread_and_the_routing_reason(
    client: Client, desk: Desk
) -> None:
    ticket = assigned_to_sam(desk)
    other = routed(desk, topic=desk.refund, subject="Where is my refund")
    client.force_login(desk.agent)
    text = page(client, ticket)
    for shown in (
        ticket.reference,
        "My card was charged twice",
        desk.buyer.email,
        "Payment",
        "MP-1001",
        "TX-42",
        "59.90",
        "Web form",
        "Payment (English)",
        "It happened at checkout yesterday.",
        other.reference,
        "Where is my refund",
    ):
        assert shown in text, shown
    history = text.split('data-testid="history"')[1]
    assert ticket.routing_reason and ticket.routing_reason in history
    assert "Least loaded online agent of Payment (English)." in history
    assert 'id="conversation"' in text


def test_ticket_page_links_the_answer_it_came_from(client: Client, desk: Desk) -> None:
    now = timezone.now()
    request = services.TicketRequest(
        subject="Declined",
        description="My card was declined.",
        language="en",
        channel=Channel.WEB,
        order_number="MP-7",
        transaction_id="TX-7",
        amount=Decimal("10"),
    )
    ticket = services.ticket_open(
        buyer=desk.buyer,
        topic=desk.payment,
        request=request,
        now=now,
        faq_entry=desk.payment_failed,
    )
    services.ticket_route(ticket_id=ticket.pk, now=now)
    client.force_login(desk.agent)
    text = page(client, ticket)
    assert reverse("help:entry", args=["payment", "payment-failed"]) in text
    assert "My payment failed" in text


def _opened_from_an_answer_unpublished_since(desk: Desk) -> Ticket:
    ticket = open_ticket(desk, now=timezone.now())
    Ticket.objects.filter(pk=ticket.pk).update(faq_entry=desk.payment_failed)
    FaqEntry.objects.filter(pk=desk.payment_failed.pk).update(published=False)
    services.ticket_route(ticket_id=ticket.pk, now=timezone.now())
    return ticket


def test_an_answer_unpublished_since_is_named_by_its_question_without_a_dead_link(
    client: Client, desk: Desk
) -> None:
    ticket = _opened_from_an_answer_unpublished_since(desk)
    client.force_login(desk.agent)
    text = page(client, ticket)
    assert "My payment failed" in text
    assert "(no longer published)" in text
    # The help centre answers 404 for it: no link there, and agents have no admin.
    assert reverse("help:entry", args=["payment", "payment-failed"]) not in text
    assert reverse("admin:faq_faqentry_change", args=[desk.payment_failed.pk]) not in text
    assert "no answer (opened directly)" not in text


def test_a_supervisor_gets_the_admin_page_of_an_answer_unpublished_since(
    client: Client, desk: Desk
) -> None:
    ticket = _opened_from_an_answer_unpublished_since(desk)
    supervisor = SupervisorFactory()
    assert supervisor.is_staff
    client.force_login(supervisor)
    text = page(client, ticket)
    admin_url = reverse("admin:faq_faqentry_change", args=[desk.payment_failed.pk])
    assert f'href="{admin_url}">My payment failed</a>' in text
    assert "(no longer published)" in text
    assert client.get(admin_url).status_code == 200


def test_a_published_answer_is_not_marked_unpublished(client: Client, desk: Desk) -> None:
    ticket = open_ticket(desk, now=timezone.now())
    Ticket.objects.filter(pk=ticket.pk).update(faq_entry=desk.payment_failed)
    services.ticket_route(ticket_id=ticket.pk, now=timezone.now())
    client.force_login(desk.agent)
    text = page(client, ticket)
    assert reverse("help:entry", args=["payment", "payment-failed"]) in text
    assert "(no longer published)" not in text


def test_a_ticket_opened_directly_says_so(client: Client, desk: Desk) -> None:
    ticket = routed(desk)
    client.force_login(desk.agent)
    assert "no answer (opened directly)" in page(client, ticket)


def test_public_reply_is_the_first_response_and_is_shown(client: Client, desk: Desk) -> None:
    ticket = assigned_to_sam(desk)
    client.force_login(desk.agent)
    response = client.post(
        reverse("agent:ticket-reply", args=[ticket.pk]),
        {"reply-body": "We have refunded the second charge.", "reply-visibility": "public"},
        follow=True,
    )
    text = response.content.decode()
    assert "Reply sent." in text
    assert "We have refunded the second charge." in text
    ticket.refresh_from_db()
    assert ticket.first_responded_at is not None
    assert "answered" in text


def test_internal_note_is_shown_to_agents_with_the_marker(client: Client, desk: Desk) -> None:
    ticket = assigned_to_sam(desk)
    client.force_login(desk.agent)
    client.post(
        reverse("agent:ticket-reply", args=[ticket.pk]),
        {"reply-body": "Bank says the charge is pending.", "reply-visibility": "note"},
    )
    conversation = (
        page(client, ticket).split('data-testid="conversation"')[1].split("</section>")[0]
    )
    note = conversation.split('data-testid="internal-note"')[1].split("</li>")[0]
    assert NOTE_MARKER in note
    assert "Bank says the charge is pending." in note
    assert Ticket.objects.get(pk=ticket.pk).first_responded_at is None


def test_reply_then_pending_sets_the_status(client: Client, desk: Desk) -> None:
    ticket = assigned_to_sam(desk)
    client.force_login(desk.agent)
    client.post(
        reverse("agent:ticket-reply", args=[ticket.pk]),
        {
            "reply-body": "Could you send a screenshot?",
            "reply-visibility": "public",
            "reply-then_status": "pending",
        },
    )
    assert Ticket.objects.get(pk=ticket.pk).status == Status.PENDING


def test_a_refused_reply_keeps_the_typed_text(client: Client, desk: Desk) -> None:
    ticket = routed(desk)  # queued: it cannot go pending
    client.force_login(desk.agent)
    response = client.post(
        reverse("agent:ticket-reply", args=[ticket.pk]),
        {
            "reply-body": "A long answer I typed carefully.",
            "reply-visibility": "public",
            "reply-then_status": "pending",
        },
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "A ticket that is Queued cannot become Pending." in text
    assert "A long answer I typed carefully.</textarea>" in text
    assert not ticket.messages.filter(body__startswith="A long answer").exists()


def test_an_empty_reply_is_refused_in_the_form(client: Client, desk: Desk) -> None:
    ticket = assigned_to_sam(desk)
    client.force_login(desk.agent)
    response = client.post(
        reverse("agent:ticket-reply", args=[ticket.pk]),
        {"reply-body": "   ", "reply-visibility": "public"},
    )
    assert response.status_code == 400
    assert "Write a message first." in response.content.decode()


def test_set_pending_from_the_status_form(client: Client, desk: Desk) -> None:
    ticket = assigned_to_sam(desk)
    client.force_login(desk.agent)
    response = client.post(
        reverse("agent:ticket-status", args=[ticket.pk]), {"status-status": "pending"}, follow=True
    )
    text = response.content.decode()
    assert "Status set to Pending." in text
    assert 'data-testid="ticket-status">Pending<' in text
    assert Ticket.objects.get(pk=ticket.pk).status == Status.PENDING


def test_a_status_outside_pending_and_solved_is_refused(client: Client, desk: Desk) -> None:
    ticket = assigned_to_sam(desk)
    client.force_login(desk.agent)
    response = client.post(
        reverse("agent:ticket-status", args=[ticket.pk]), {"status-status": "closed"}
    )
    assert response.status_code == 400
    assert Ticket.objects.get(pk=ticket.pk).status == Status.ASSIGNED


def test_priority_change_is_recorded(client: Client, desk: Desk) -> None:
    ticket = assigned_to_sam(desk)
    client.force_login(desk.agent)
    response = client.post(
        reverse("agent:ticket-priority", args=[ticket.pk]),
        {"priority-priority": str(Priority.URGENT)},
        follow=True,
    )
    assert "Priority set to Urgent." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.priority == Priority.URGENT
    assert ticket.events.filter(kind=EventKind.PRIORITY, to_value="Urgent").exists()


def test_reassign_to_another_agent_of_the_queue(client: Client, desk: Desk) -> None:
    ticket = assigned_to_sam(desk)
    client.force_login(desk.agent)
    text = page(client, ticket)
    assert f'value="{desk.agent_ru.pk}"' in text.split('data-testid="assign"')[1]
    response = client.post(
        reverse("agent:ticket-assign", args=[ticket.pk]),
        {"assign-agent": desk.agent_ru.pk, "assign-reason": "Speaks the buyer's language"},
        follow=True,
    )
    assert f"Assigned to {desk.agent_ru.display_name}." in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).assignee == desk.agent_ru


def test_reassign_to_an_agent_outside_the_queue_is_refused(client: Client, desk: Desk) -> None:
    ticket = assigned_to_sam(desk, topic=desk.refund)
    client.force_login(desk.agent)
    response = client.post(
        reverse("agent:ticket-assign", args=[ticket.pk]), {"assign-agent": desk.agent_ru.pk}
    )
    assert response.status_code == 409
    assert "olga does not work the Refund (English) queue." in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).assignee == desk.agent


def test_reassign_to_an_agent_at_capacity_is_refused(client: Client, desk: Desk) -> None:
    services.agent_set_presence(agent=desk.agent_ru, presence=Presence.ONLINE, now=timezone.now())
    for n in range(3):  # olga's capacity
        routed(desk, subject=f"For olga {n}")
    services.agent_set_presence(agent=desk.agent_ru, presence=Presence.OFFLINE, now=timezone.now())
    ticket = assigned_to_sam(desk)
    client.force_login(desk.agent)
    response = client.post(
        reverse("agent:ticket-assign", args=[ticket.pk]),
        {"assign-agent": desk.agent_ru.pk, "assign-reason": "Her turn"},
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "olga is at capacity." in text
    assert 'value="Her turn"' in text
    assert Ticket.objects.get(pk=ticket.pk).assignee == desk.agent


def test_reassign_to_someone_who_is_not_an_agent_is_refused(client: Client, desk: Desk) -> None:
    ticket = assigned_to_sam(desk)
    client.force_login(desk.agent)
    response = client.post(
        reverse("agent:ticket-assign", args=[ticket.pk]), {"assign-agent": desk.buyer.pk}
    )
    assert response.status_code == 400
    assert "Choose one of the desk&#x27;s agents." in response.content.decode()


def test_move_needs_a_reason_and_keeps_the_choice(client: Client, desk: Desk) -> None:
    ticket = assigned_to_sam(desk)
    client.force_login(desk.agent)
    response = client.post(
        reverse("agent:ticket-move", args=[ticket.pk]),
        {"move-queue": desk.en_dispute.pk, "move-reason": ""},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Say why the ticket moves." in text
    assert f'<option value="{desk.en_dispute.pk}" selected>' in text
    assert Ticket.objects.get(pk=ticket.pk).queue == desk.en_payment


def test_move_to_an_unknown_queue_is_refused(client: Client, desk: Desk) -> None:
    ticket = assigned_to_sam(desk)
    client.force_login(desk.agent)
    response = client.post(
        reverse("agent:ticket-move", args=[ticket.pk]),
        {"move-queue": "999999", "move-reason": "Wrong place"},
    )
    assert response.status_code == 400
    assert "Choose one of the active queues." in response.content.decode()


def test_move_to_another_queue_records_why(client: Client, desk: Desk) -> None:
    ticket = assigned_to_sam(desk)
    client.force_login(desk.agent)
    response = client.post(
        reverse("agent:ticket-move", args=[ticket.pk]),
        {"move-queue": desk.en_dispute.pk, "move-reason": "The buyer opened a dispute"},
        follow=True,
    )
    assert "Moved to Disputes." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.queue == desk.en_dispute
    history = page(client, ticket).split('data-testid="history"')[1]
    assert "The buyer opened a dispute" in history


def test_move_out_of_the_agents_queues_returns_home(client: Client, desk: Desk) -> None:
    ticket = assigned_to_sam(desk)
    client.force_login(desk.agent)
    response = client.post(
        reverse("agent:ticket-move", args=[ticket.pk]),
        {"move-queue": desk.ru_payment_refund.pk, "move-reason": "Russian speaker"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("agent:home")
    assert Ticket.objects.get(pk=ticket.pk).queue == desk.ru_payment_refund
