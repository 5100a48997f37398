"""What the demo ticket stories share: the clock, the people, and short-hands for the services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from accounts.models import User
from faq.models import FaqEntry, Topic
from tickets import services
from tickets.hours import Calendar, is_open
from tickets.models import Channel, Queue, Ticket
from tickets.status import Status

RUSSIAN_QUEUE = "ru-payment-refund"


def open_moment(calendar: Calendar, *, latest: datetime, span: timedelta) -> datetime:
    """Return the latest moment at or before ``latest`` from which the queue is open ``span`` on."""
    moment = latest
    for _step in range(15 * 24 * 6):
        if is_open(calendar, moment) and is_open(calendar, moment + span):
            return moment
        moment -= timedelta(minutes=10)
    return latest


@dataclass
class Demo:
    """What the ticket stories need: the clock, the people, the topics and queues."""

    now: datetime
    queues: dict[str, Queue]
    people: dict[str, User]
    topics: dict[str, Topic] = field(default_factory=dict)

    def ago(self, **delta: float) -> datetime:
        return self.now - timedelta(**delta)

    @property
    def moscow(self) -> Calendar:
        hours = self.queues[RUSSIAN_QUEUE].hours
        assert hours is not None
        return hours.calendar()

    def open(
        self,
        *,
        buyer: str,
        topic: str,
        subject: str,
        description: str,
        at: datetime,
        entry: str = "",
        language: str = "en",
        channel: Channel = Channel.WEB,
        **fields: object,
    ) -> Ticket:
        """Open a ticket through the service, from the answer ``entry`` when given."""
        request = services.TicketRequest(
            subject=subject,
            description=description,
            language=language,
            channel=channel,
            **fields,  # type: ignore[arg-type]
        )
        faq_entry = FaqEntry.objects.filter(slug=entry).first() if entry else None
        return services.ticket_open(
            buyer=self.people[buyer],
            topic=self.topics[topic],
            request=request,
            now=at,
            faq_entry=faq_entry,
        )

    def route_and_assign(self, ticket: Ticket, *, at: datetime, agent: str, after: float) -> None:
        """Route the ticket a minute after ``at``; the agent takes it ``after`` minutes later."""
        services.ticket_route(ticket_id=ticket.pk, now=at + timedelta(minutes=1))
        services.ticket_assign(
            ticket_id=ticket.pk,
            agent=self.people[agent],
            actor=self.people[agent],
            now=at + timedelta(minutes=after),
            reason="Took the ticket from the queue.",
        )

    def reply(
        self,
        ticket: Ticket,
        *,
        agent: str,
        body: str,
        at: datetime,
        internal: bool = False,
        then: Status | None = None,
    ) -> None:
        services.ticket_reply_by_agent(
            ticket_id=ticket.pk,
            agent=self.people[agent],
            body=body,
            now=at,
            internal=internal,
            then_status=then,
        )

    def buyer_reply(self, ticket: Ticket, *, body: str, at: datetime) -> None:
        services.ticket_reply_by_buyer(ticket_id=ticket.pk, buyer=ticket.buyer, body=body, now=at)


Story = Callable[[Demo, str], None]
# (buyer username, subject, story): the subject and buyer name the ticket, so it is made once.
STORIES: list[tuple[str, str, Story]] = []


def story(buyer: str, subject: str) -> Callable[[Story], Story]:
    def register(function: Story) -> Story:
        STORIES.append((buyer, subject, function))
        return function

    return register
