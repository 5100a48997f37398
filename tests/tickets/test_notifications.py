"""Mail out: templated, translated, threaded, signed for replies, and sent exactly once."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from celery.worker import WorkController
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from tests.tickets.conftest import Desk, build_desk, open_ticket
from tickets import services, tasks
from tickets.inbound.addresses import claim_from_address, claim_is_signed_for
from tickets.models import AgentProfile, Notification, NotificationKind, NotificationState, Presence
from tickets.notifications import notification_send, notifications_sweep

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


class FlakySmtp:
    """An SMTP handler that answers "451 try again" to the first ``failures`` mails."""

    def __init__(self, failures: int) -> None:
        self.failures_left = failures
        self.refused = 0
        self.mails: list[EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            if self.failures_left:
                self.failures_left -= 1
                self.refused += 1
                return "451 4.3.0 Try again later"
            parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
            assert isinstance(parsed, EmailMessage)
            self.mails.append(parsed)
        return "250 2.0.0 Accepted"

    def message_ids(self) -> Counter[str]:
        return Counter(str(m["Message-ID"]) for m in self.mails)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def flaky_smtp() -> Iterator[FlakySmtp]:
    """Run a local SMTP server that refuses the first two mails, and send mail to it."""
    handler = FlakySmtp(failures=2)
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        smtp = {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 10},
        }
        with override_settings(MAILERS={"default": smtp}):
            yield handler
    finally:
        controller.stop()


def _notify_agent_on_assignment(desk: Desk) -> None:
    # A preference agents set in the admin.
    AgentProfile.objects.filter(user=desk.agent).update(notify_on_assignment=True)


def _conversation(desk: Desk, *, language: str = "en") -> int:
    """Open a ticket, let an agent take it, reply and solve it; return the ticket id."""
    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=NOW)
    topic = desk.refund if language == "ru" else desk.payment
    ticket = open_ticket(desk, now=NOW, language=language, topic=topic)
    services.ticket_route(ticket_id=ticket.pk, now=NOW)
    services.ticket_reply_by_agent(
        ticket_id=ticket.pk,
        agent=desk.agent,
        body="Refund sent: <b>59.90</b> back on your card.\nIt shows in 3 days.",
        now=NOW + timedelta(minutes=5),
    )
    services.ticket_set_status_by_agent(
        ticket_id=ticket.pk, agent=desk.agent, status="solved", now=NOW + timedelta(minutes=6)
    )
    return ticket.pk


def _send_owed(ticket_id: int) -> dict[str, EmailMessage]:
    """Send the ticket's owed mail through the locmem backend; return it by kind."""
    mail.outbox.clear()
    by_kind = {}
    for notification in Notification.objects.filter(ticket_id=ticket_id).order_by("id"):
        assert notification_send(notification_id=notification.pk, now=NOW) == "sent"
        by_kind[notification.kind] = mail.outbox[-1]
    return by_kind


def _html(message: Any) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return str(content)


def test_each_mail_arrives_once_when_the_server_refuses_the_first_two_tries(
    desk: Desk, flaky_smtp: FlakySmtp
) -> None:
    _notify_agent_on_assignment(desk)
    ticket_id = _conversation(desk)
    owed = list(Notification.objects.filter(ticket_id=ticket_id).order_by("id"))
    assert {n.kind for n in owed} == {
        NotificationKind.TICKET_RECEIVED,
        NotificationKind.TICKET_ASSIGNED,
        NotificationKind.AGENT_REPLIED,
        NotificationKind.TICKET_SOLVED,
    }

    refused = 0
    # Every row is tried again and again, as a retrying task and redelivered messages would.
    for attempt in range(4):
        for notification in owed:
            try:
                notification_send(
                    notification_id=notification.pk, now=NOW + timedelta(minutes=attempt)
                )
            except OSError:
                refused += 1
        if attempt == 0:
            # What the server refused is still owed, so the sweeper sends it again.
            assert notifications_sweep(now=NOW + timedelta(hours=1)) == 2

    assert refused == 2
    assert flaky_smtp.refused == 2
    assert len(flaky_smtp.mails) == len(owed)
    assert set(flaky_smtp.message_ids().values()) == {1}
    assert Counter(str(m["To"]) for m in flaky_smtp.mails) == {
        desk.buyer.email: 3,
        desk.agent.email: 1,
    }
    assert set(
        Notification.objects.filter(ticket_id=ticket_id).values_list("state", flat=True)
    ) == {NotificationState.SENT}
    # Nothing is owed any more: the sweeper sends nothing, and a late task sends nothing.
    assert notifications_sweep(now=NOW + timedelta(days=1)) == 0
    assert notification_send(notification_id=owed[0].pk, now=NOW + timedelta(days=1)) == "not-owed"
    assert len(flaky_smtp.mails) == len(owed)


def wait_for(condition: Callable[[], bool], timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_the_worker_retries_a_refused_mail_and_it_arrives_once(
    worker: WorkController, flaky_smtp: FlakySmtp
) -> None:
    desk = build_desk()
    now = timezone.now()
    ticket = open_ticket(desk, now=now)  # the worker gets the received mail after commit
    notification = Notification.objects.get(ticket=ticket, kind=NotificationKind.TICKET_RECEIVED)
    assert wait_for(lambda: flaky_smtp.refused >= 1)
    # Redelivered copies of the task and the sweeper's re-sends race the task's own retries.
    duplicates = [tasks.send_notification.delay(notification_id=notification.pk) for _ in range(3)]
    notifications_sweep(now=timezone.now() + timedelta(hours=1))
    outcomes = [result.get(timeout=60) for result in duplicates]
    assert set(outcomes) <= {"sent", "not-owed"}
    assert wait_for(
        lambda: Notification.objects.get(pk=notification.pk).state == NotificationState.SENT
    )
    assert flaky_smtp.refused == 2
    assert flaky_smtp.message_ids() == {f"<ticket-{ticket.pk}@support-desk.test>": 1}
    assert notifications_sweep(now=timezone.now() + timedelta(days=1)) == 0


def test_received_mail_gives_reference_link_and_a_signed_reply_address(desk: Desk) -> None:
    ticket = open_ticket(desk, now=NOW)
    sent = _send_owed(ticket.pk)[NotificationKind.TICKET_RECEIVED]

    assert sent.to == [desk.buyer.email]
    assert sent.subject == f"[{ticket.reference}] My card was charged twice"
    link = f"http://127.0.0.1:8000/help/requests/{ticket.pk}/"
    assert ticket.reference in sent.body and link in sent.body
    assert "We have your request and are passing it to the right team." in sent.body
    assert sent.body.endswith("\n-- \nSupport Desk\n")
    assert f'href="{link}"' in _html(sent)
    assert sent.extra_headers["Message-ID"] == f"<ticket-{ticket.pk}@support-desk.test>"
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"
    [reply_to] = sent.reply_to
    claim = claim_from_address(reply_to)
    assert claim is not None and claim.ticket_id == ticket.pk
    assert claim_is_signed_for(claim, email=desk.buyer.email)
    assert not claim_is_signed_for(claim, email=desk.other_buyer.email)


def test_agent_reply_mail_carries_the_reply_and_threads_with_the_ticket(desk: Desk) -> None:
    ticket_id = _conversation(desk)
    sent = _send_owed(ticket_id)[NotificationKind.AGENT_REPLIED]

    assert f"{desk.agent.display_name} from our team replied" in sent.body
    assert "Refund sent: <b>59.90</b> back on your card.\nIt shows in 3 days." in sent.body
    html = _html(sent)
    assert "Refund sent: &lt;b&gt;59.90&lt;/b&gt; back on your card.<br>It shows in 3 days." in html
    assert "<b>59.90</b>" not in html
    root = f"<ticket-{ticket_id}@support-desk.test>"
    assert sent.extra_headers["In-Reply-To"] == root
    assert sent.extra_headers["References"] == root
    assert sent.extra_headers["Message-ID"] != root
    assert sent.subject.startswith(f"[SD-{ticket_id:06d}]")
    assert sent.reply_to and claim_from_address(sent.reply_to[0]) is not None


def test_solved_mail_links_to_the_rating(desk: Desk) -> None:
    ticket_id = _conversation(desk)
    sent = _send_owed(ticket_id)[NotificationKind.TICKET_SOLVED]

    rate_url = f"http://127.0.0.1:8000/help/requests/{ticket_id}/#rate"
    assert rate_url in sent.body
    assert f'href="{rate_url}"' in _html(sent)
    assert "Status: Solved" in sent.body


def test_assignment_mail_goes_only_to_agents_who_asked_for_it(desk: Desk) -> None:
    quiet = _conversation(desk)
    assert not Notification.objects.filter(
        ticket_id=quiet, kind=NotificationKind.TICKET_ASSIGNED
    ).exists()

    _notify_agent_on_assignment(desk)
    services.agent_set_presence(agent=desk.agent, presence=Presence.OFFLINE, now=NOW)
    ticket_id = _conversation(desk)
    sent = _send_owed(ticket_id)[NotificationKind.TICKET_ASSIGNED]
    assert sent.to == [desk.agent.email]
    assert f"http://127.0.0.1:8000/agent/tickets/{ticket_id}/" in sent.body
    assert sent.reply_to == []


def test_a_russian_ticket_gets_its_mail_in_russian(desk: Desk) -> None:
    ticket_id = _conversation(desk, language="ru")
    sent = _send_owed(ticket_id)

    for kind in (
        NotificationKind.TICKET_RECEIVED,
        NotificationKind.AGENT_REPLIED,
        NotificationKind.TICKET_SOLVED,
    ):
        body, html = sent[kind].body, _html(sent[kind])
        assert f"Здравствуйте, {desk.buyer.display_name}." in body, kind
        assert "Статус:" in body and "Hello" not in body, kind
        assert '<html lang="ru">' in html and "Здравствуйте" in html, kind
        assert sent[kind].extra_headers["Content-Language"] == "ru"
    received = sent[NotificationKind.TICKET_RECEIVED].body
    assert "Мы получили ваше обращение и передаём его нужной команде." in received
    assert "Статус: Решено" in sent[NotificationKind.TICKET_SOLVED].body


def test_staff_mail_uses_the_readers_language(desk: Desk) -> None:
    desk.agent.preferred_language = "el"
    desk.agent.save(update_fields=["preferred_language"])
    _notify_agent_on_assignment(desk)
    ticket_id = _conversation(desk)
    sent = _send_owed(ticket_id)

    assert "Γεια σας" in sent[NotificationKind.TICKET_ASSIGNED].body
    assert "Hello, " in sent[NotificationKind.TICKET_RECEIVED].body
