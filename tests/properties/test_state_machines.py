"""Tickets and disputes driven at random through the desk's services by the right and wrong people.

Two Hypothesis state machines share one small marketplace: two buyers, the
shop's seller and another seller, two agents of the English refund and
dispute queues and one agent outside them. Each step picks an action and
someone to do it, and calls what the page or API behind that action calls
(the agent pages first look the ticket up through the agent selector). A
refusal is expected of the wrong person (always "not found", never a hint
that the thing exists) and allowed of the right person in the wrong state
(a domain error); anything else fails the run.

After every step the invariants are checked against the database:

- every status change a ticket or dispute went through is an edge of the
  graph in ``tickets.status`` / ``disputes.status``, and is recorded by
  exactly one event (the events chain from the status last seen to the
  status now, with no gap, repeat or self-loop);
- a ticket has one assignee at most, an agent of its queue, only while it is
  with an agent, and is on no two agents' lists; routing, take-next and
  claims never give an agent at capacity another ticket (a buyer's reply
  sends a reopened ticket back to its agent whatever their load, by design);
- no buyer ever reads an internal note, through the buyer's selectors or
  pages, nor sees another buyer's ticket or dispute;
- a closed or withdrawn dispute never moves again; an escalated one has its
  ticket; a refund is never more than the order;
- a seller's answer or evidence after their deadline is refused even while
  beat is down, and once the deadline job runs (after downtime too) every
  passed deadline is acted on, once.

Each example runs inside a savepoint that is rolled back at its end, so the
marketplace, built once per test, is the same at the start of every example.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from accounts.models import User
from disputes import selectors as dispute_selectors
from disputes import services as dispute_services
from disputes.models import CostBearer, Dispute, DisputeEvent, DisputeReason, WantedOutcome
from disputes.status import DISPUTE_TRANSITIONS, DisputeStatus
from orders.models import Order
from orders.services import shop_upsert
from support_desk.errors import DomainError
from tests.disputes.conftest import NOW, delivered_order
from tests.factories import AgentFactory, SellerFactory
from tests.tickets.conftest import build_desk
from tickets import selectors as ticket_selectors
from tickets import services as ticket_services
from tickets.models import (
    Channel,
    EventKind,
    Message,
    MessageKind,
    Presence,
    Ticket,
    TicketEvent,
)
from tickets.services import TicketNotFound
from tickets.status import ACTIVE_STATUSES, TRANSITIONS, Status

pytestmark = pytest.mark.django_db

# Who acts, said as what they are to the ticket or dispute at hand: its buyer, the other
# buyer, the seller of its order's shop, the other seller, the two agents of its queue,
# and the agent outside it. The wrong people are tried often, the right one more often.
WHO = ("owner", "other_buyer", "seller", "other_seller", "agent", "agent_2", "outsider")
AGENTS = ("agent", "agent_2", "outsider")
# The accounts themselves, by name.
PEOPLE = ("buyer_a", "buyer_b", "seller_1", "seller_2", *AGENTS)


def people(*likely: str) -> st.SearchStrategy[str]:
    """Draw who acts, ``likely`` (the people the action is for) half of the time."""
    return st.sampled_from(likely * (len(WHO) // len(likely)) + WHO)


picks = st.integers(min_value=0, max_value=7)
TERMINAL_DISPUTE = frozenset({DisputeStatus.CLOSED, DisputeStatus.CANCELLED})
# Events that record something about a dispute without moving it.
NOTES_ON_A_CASE = frozenset({"evidence_added", "seller_reminded"})
HOLDS_AN_AGENT = frozenset({Status.ASSIGNED, Status.PENDING})
MAX_TICKETS = 3
MAX_DISPUTES = 2


@dataclass(frozen=True)
class World:
    """The marketplace every example starts from, built once per test."""

    people: dict[str, User]
    refund_topic: Any
    # The queues each agent works, as configured here (not as read back from the desk).
    agent_queues: dict[str, frozenset[int]]
    capacity: dict[str, int]
    orders: tuple[Order, ...]


def build_world() -> World:
    desk = build_desk()
    sam, olga = desk.agent, desk.agent_ru
    kim = AgentFactory(username="kim", first_name="Kim")
    ticket_services.agent_configure(
        agent=kim, queues=[desk.en_refund, desk.en_dispute], languages=["en"], capacity=2
    )
    seller = SellerFactory(username="lena")
    other_seller = SellerFactory(username="marco")
    kitchen = shop_upsert(slug="kitchen-shop", name="Kitchen shop", seller=seller)
    garden = shop_upsert(slug="garden-shop", name="Garden shop", seller=other_seller)
    buyer_a, buyer_b = desk.buyer, desk.other_buyer
    delivered = NOW - timedelta(days=3)
    orders = (
        delivered_order(kitchen, buyer_a, "MP-7001", delivered=delivered),
        delivered_order(kitchen, buyer_a, "MP-7002", delivered=delivered),
        delivered_order(garden, buyer_b, "MP-7003", delivered=delivered),
    )
    sam_queues = [desk.en_payment, desk.en_refund, desk.en_dispute, desk.en_warranty]
    return World(
        people={
            "buyer_a": buyer_a,
            "buyer_b": buyer_b,
            "seller_1": seller,
            "seller_2": other_seller,
            "agent": sam,
            "agent_2": kim,
            "outsider": olga,
        },
        refund_topic=desk.refund,
        agent_queues={
            "agent": frozenset(queue.pk for queue in sam_queues),
            "agent_2": frozenset({desk.en_refund.pk, desk.en_dispute.pk}),
            "outsider": frozenset({desk.ru_payment_refund.pk, desk.en_payment.pk}),
        },
        capacity={"agent": 3, "agent_2": 2, "outsider": 3},
        orders=orders,
    )


class DeskMachine(RuleBasedStateMachine):
    """The invariants, the bookkeeping and the actions both machines share."""

    world: World

    def __init__(self) -> None:
        super().__init__()
        # Everything an example writes is rolled back in teardown().
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.now: datetime = NOW
        self.names = {user.pk: name for name, user in self.world.people.items()}
        self.status_seen: dict[int, str] = {}
        self.dispute_seen: dict[int, str] = {}
        self.ticket_event_mark = (
            TicketEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        )
        self.dispute_event_mark = (
            DisputeEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        )
        self.notes: dict[int, set[str]] = {}
        self.clients: dict[str, Client] = {}
        self.counter = 0
        self.checked: tuple[Any, ...] = ()
        self.listed_tickets: set[int] = set()
        self.listed_disputes: set[int] = set()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)
        # Pages cache per ticket id, and ids come back after a rollback on SQLite.
        cache.clear()

    # --- Helpers ---------------------------------------------------------------------

    def person(self, name: str) -> User:
        return self.world.people[name]

    def tick(self, minutes: int = 1) -> datetime:
        self.now += timedelta(minutes=minutes)
        return self.now

    def unique(self, what: str) -> str:
        self.counter += 1
        return f"{what} #{self.counter}"

    def tickets(self) -> list[Ticket]:
        return list(Ticket.objects.select_related("order__shop").order_by("id"))

    def ticket(self, pick: int) -> Ticket:
        tickets = self.tickets()
        return tickets[pick % len(tickets)]

    def disputes(self) -> list[Dispute]:
        return list(Dispute.objects.select_related("order__shop").order_by("id"))

    def dispute(self, pick: int) -> Dispute:
        disputes = self.disputes()
        return disputes[pick % len(disputes)]

    def resolve(self, who: str, *, buyer: int, seller: int | None = None) -> str:
        """Return the name of ``who`` for a ticket or case of ``buyer`` with ``seller``'s shop."""
        if who in AGENTS:
            return who
        if who in ("owner", "other_buyer"):
            owner = self.names[buyer]
            if who == "owner":
                return owner
            return "buyer_b" if owner == "buyer_a" else "buyer_a"
        # A ticket without an order of a shop: the first seller is "the seller".
        the_seller = self.names.get(seller or 0, "seller_1")
        if who == "seller":
            return the_seller
        return "seller_2" if the_seller == "seller_1" else "seller_1"

    def agent_may_see(self, name: str, ticket: Ticket) -> bool:
        """Whether an agent page lets ``name`` open the ticket: their queue's, or theirs."""
        queues = self.world.agent_queues.get(name)
        if queues is None:
            return False
        return ticket.queue_id in queues or ticket.assignee_id == self.person(name).pk

    def attempt(self, call: Callable[[], Any], *, allowed: bool, refusal: type[DomainError]) -> Any:
        """Run an action as the page or API behind it would, and judge the answer.

        The wrong person gets ``refusal`` and nothing changes. The right
        person may be refused for the state things are in (a domain error),
        but is never told that the thing does not exist.
        """
        before = () if allowed else self.fingerprint()
        try:
            result = call()
        except DomainError as error:
            if allowed:
                assert error.status != 404, f"the right person was told {error!r}"
            else:
                assert isinstance(error, refusal), (
                    f"expected {refusal.__name__} for the wrong person, got {error!r}"
                )
                assert self.fingerprint() == before, "a refused action changed something"
            return None
        assert allowed, f"the wrong person was let through (expected {refusal.__name__})"
        return result

    def as_agent(self, name: str, ticket: Ticket, call: Callable[[], Any]) -> Any:
        """Do what an agent page does: look the ticket up for the agent, then act."""
        agent = self.person(name)

        def through_the_page() -> Any:
            ticket_selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket.pk)
            return call()

        return self.attempt(
            through_the_page,
            allowed=agent.is_agent and self.agent_may_see(name, ticket),
            refusal=TicketNotFound,
        )

    def loads(self) -> dict[str, int]:
        """Return how many tickets take a capacity slot of each agent."""
        taken = dict(
            Ticket.objects.filter(status__in=ACTIVE_STATUSES, assignee__isnull=False)
            .values_list("assignee_id")
            .annotate(n=Count("id"))
        )
        return {name: taken.get(self.person(name).pk, 0) for name in self.world.capacity}

    @contextmanager
    def giving_work(self) -> Iterator[None]:
        """Wrap a step that may give agents tickets: nobody is given one beyond capacity."""
        before = self.loads()
        yield
        for name, load in self.loads().items():
            if load > before[name]:
                assert load <= self.world.capacity[name], f"{name} was given work beyond capacity"

    def client_of(self, name: str) -> Client:
        if name not in self.clients:
            client = Client()
            client.force_login(self.person(name))
            self.clients[name] = client
        return self.clients[name]

    # --- Actions on tickets, in both machines ---------------------------------------

    def ticket_person(self, who: str, ticket: Ticket) -> tuple[str, User]:
        """Return the name and account of ``who`` for ``ticket``."""
        seller = ticket.order.shop.seller_id if ticket.order is not None else None
        name = self.resolve(who, buyer=ticket.buyer_id, seller=seller)
        return name, self.person(name)

    def route_waiting(self) -> None:
        """Deliver the routing task of every ticket still waiting to be routed."""
        for ticket_id in Ticket.objects.filter(status=Status.NEW).values_list("id", flat=True):
            ticket_services.ticket_route(ticket_id=ticket_id, now=self.tick())

    @precondition(lambda self: self.status_seen)
    @rule(pick=picks)
    def routing_runs(self, pick: int) -> None:
        """The routing task is delivered (once, or again: it must change nothing then)."""
        with self.giving_work():
            ticket_services.ticket_route(ticket_id=self.ticket(pick).pk, now=self.tick())

    @rule(who=people(*AGENTS), online=st.booleans())
    def agent_presence(self, who: str, online: bool) -> None:
        """Someone switches to online (and is given waiting tickets) or away."""
        agent = self.person(self.resolve(who, buyer=self.world.people["buyer_a"].pk))
        with self.giving_work():
            self.attempt(
                lambda: ticket_services.agent_set_presence(
                    agent=agent,
                    presence=Presence.ONLINE if online else Presence.AWAY,
                    now=self.tick(),
                ),
                allowed=agent.is_agent,
                refusal=ticket_services.AgentNotFound,
            )

    @rule(who=people(*AGENTS))
    def agent_takes_next(self, who: str) -> None:
        agent = self.person(self.resolve(who, buyer=self.world.people["buyer_a"].pk))
        with self.giving_work():
            self.attempt(
                lambda: ticket_services.ticket_take_next(agent=agent, now=self.tick()),
                allowed=agent.is_agent,
                refusal=ticket_services.AgentNotFound,
            )

    @precondition(lambda self: self.status_seen)
    @rule(pick=picks, who=people("agent", "agent_2"))
    def agent_claims(self, pick: int, who: str) -> None:
        """Someone takes the ticket for themselves from the agent's ticket page."""
        ticket = self.ticket(pick)
        name, agent = self.ticket_person(who, ticket)
        with self.giving_work():
            self.as_agent(
                name,
                ticket,
                lambda: ticket_services.ticket_assign(
                    ticket_id=ticket.pk, agent=agent, actor=agent, now=self.tick()
                ),
            )

    @precondition(lambda self: self.status_seen)
    @rule(
        pick=picks,
        who=people("agent", "agent_2"),
        what=st.sampled_from(
            ("reply", "reply, then pending", "reply, then solved", "note", "pending", "solved")
        ),
    )
    def agent_works_the_ticket(self, pick: int, who: str, what: str) -> None:
        """Someone replies, adds an internal note or sets the status on the agent's page."""
        ticket = self.ticket(pick)
        name, agent = self.ticket_person(who, ticket)
        then = {"pending": Status.PENDING, "solved": Status.SOLVED}
        if what in then:
            self.as_agent(
                name,
                ticket,
                lambda: ticket_services.ticket_set_status_by_agent(
                    ticket_id=ticket.pk, agent=agent, status=then[what], now=self.tick()
                ),
            )
            return
        note = what == "note"
        body = self.unique(
            "INTERNAL finance flags this buyer for chargebacks"
            if note
            else "Your refund is on its way."
        )
        written = self.as_agent(
            name,
            ticket,
            lambda: ticket_services.ticket_reply_by_agent(
                ticket_id=ticket.pk,
                agent=agent,
                body=body,
                now=self.tick(),
                internal=note,
                then_status=then.get(what.removeprefix("reply, then ")),
            ),
        )
        if written is not None and note:
            assert written.kind == MessageKind.NOTE
            self.notes.setdefault(ticket.pk, set()).add(body)

    @precondition(lambda self: self.status_seen)
    @rule(pick=picks, who=people("owner"), part=st.sampled_from(("", "live/")))
    def someone_opens_the_buyer_ticket_page(self, pick: int, who: str, part: str) -> None:
        """The buyer's own page (or its live region) shows the thread without notes.

        Anyone else learns nothing from it, not even that the ticket exists.
        """
        ticket = self.ticket(pick)
        name, person = self.ticket_person(who, ticket)
        response = self.client_of(name).get(f"/help/requests/{ticket.pk}/{part}")
        page = response.content.decode()
        if ticket.buyer_id == person.pk:
            assert response.status_code == 200
            assert ticket.reference in page or part
            for note in self.notes.get(ticket.pk, ()):
                assert note not in page
        else:
            # Another buyer: not found; someone who is no buyer: the buyer pages are closed.
            assert response.status_code == (404 if person.is_buyer else 403)
            assert ticket.subject not in page

    @rule(hours=st.sampled_from((2, 26, 50, 80, 24 * 6, 24 * 15)))
    def time_passes(self, hours: int) -> None:
        """The clock moves on and beat's jobs run: SLA watch, case deadlines, reminders, closing.

        The routing workers have delivered every ticket waiting to be routed by then.
        """
        self.now += timedelta(hours=hours)
        with self.giving_work():
            self.route_waiting()
            ticket_services.sla_sweep(now=self.now)
        if self.dispute_seen:
            dispute_services.dispute_deadlines_run(now=self.now)
            dispute_services.case_reminders_run(now=self.now)
            dispute_services.cases_close_run(now=self.now)
            overdue = Dispute.objects.filter(
                status=DisputeStatus.AWAITING_SELLER, seller_deadline_at__lt=self.now
            )
            assert not overdue.exists(), "a passed deadline was not acted on"

    # --- Invariants ------------------------------------------------------------------

    @invariant()
    def the_desk_keeps_its_rules(self) -> None:
        """Check every rule after every step that changed something a rule looks at."""
        state = self.fingerprint()
        if state == self.checked:
            return  # nothing the rules read has changed since they last held
        self.checked = state
        tickets = {ticket.pk: ticket for ticket in self.tickets()}
        self.check_ticket_history(tickets)
        self.check_assignees(tickets)
        self.check_what_buyers_read(tickets)
        disputes = {dispute.pk: dispute for dispute in self.disputes()}
        self.check_dispute_history(disputes)
        self.check_who_sees_disputes(disputes)

    def fingerprint(self) -> tuple[Any, ...]:
        """Return the state every rule below reads, in plain SQL (this runs very often)."""
        ticket, dispute = Ticket._meta.db_table, Dispute._meta.db_table
        last = ", ".join(
            f"(SELECT MAX(id) FROM {model._meta.db_table})"
            for model in (TicketEvent, DisputeEvent, Message)
        )
        # Only the models' own table names are put into the text.
        queries = (
            f"SELECT id, status, assignee_id, queue_id FROM {ticket} ORDER BY id",
            f"SELECT id, status, ticket_id FROM {dispute} ORDER BY id",
            f"SELECT {last}",
        )
        with connection.cursor() as cursor:
            state = []
            for query in queries:
                cursor.execute(query)
                state.append(tuple(cursor.fetchall()))
        return tuple(state)

    def check_ticket_history(self, tickets: dict[int, Ticket]) -> None:
        """Each status change is an edge of the graph, recorded by exactly one event."""
        events = list(TicketEvent.objects.filter(pk__gt=self.ticket_event_mark).order_by("id"))
        if events:
            self.ticket_event_mark = events[-1].pk
        for ticket_id in tickets.keys() - self.status_seen.keys():
            opened = TicketEvent.objects.filter(ticket_id=ticket_id, kind=EventKind.OPENED)
            assert opened.count() == 1, "a new ticket has exactly one 'opened' event"
            self.status_seen[ticket_id] = Status.NEW
        for event in events:
            if event.kind != EventKind.STATUS:
                continue
            seen = self.status_seen[event.ticket_id]
            reference = tickets[event.ticket_id].reference
            assert event.from_value == seen, (
                f"{reference}: an event from {event.from_value!r}, but the ticket was "
                f"{seen!r} (a change without its event, or a repeated one)"
            )
            assert event.to_value in TRANSITIONS[seen], (
                f"{reference}: {seen!r} -> {event.to_value!r} is no edge of the status graph"
            )
            self.status_seen[event.ticket_id] = event.to_value
        for ticket in tickets.values():
            assert ticket.status == self.status_seen[ticket.pk], (
                f"{ticket.reference} is {ticket.status!r} but its last status event says "
                f"{self.status_seen[ticket.pk]!r}"
            )

    def check_assignees(self, tickets: dict[int, Ticket]) -> None:
        """One agent at most, of the ticket's queue, only while with an agent."""
        holders: dict[int, str] = {}
        for name in self.world.agent_queues:
            mine = ticket_selectors.agent_ticket_list(agent=self.person(name))
            for ticket_id in mine.values_list("id", flat=True):
                assert ticket_id not in holders, (
                    f"{tickets[ticket_id].reference} is on the lists of {holders[ticket_id]} "
                    f"and {name}"
                )
                holders[ticket_id] = name
        for ticket in tickets.values():
            if ticket.status in (Status.NEW, Status.QUEUED):
                assert ticket.assignee_id is None, f"{ticket.reference} waits but has an agent"
            if ticket.status == Status.ASSIGNED:
                holder = self.names.get(ticket.assignee_id or 0, "")
                assert holder in self.world.agent_queues, f"{ticket.reference} has no agent"
                assert ticket.queue_id in self.world.agent_queues[holder], (
                    f"{ticket.reference} is with {holder}, who does not work its queue"
                )
            if ticket.status in HOLDS_AN_AGENT and ticket.assignee_id is not None:
                assert holders.get(ticket.pk) == self.names[ticket.assignee_id]

    def check_what_buyers_read(self, tickets: dict[int, Ticket]) -> None:
        """No internal note in a buyer's thread; a buyer's list holds their tickets only."""
        for ticket_id, notes in self.notes.items():
            thread = ticket_selectors.ticket_thread(ticket=tickets[ticket_id], for_agent=False)
            assert not [m for m in thread if m.kind == MessageKind.NOTE or m.body in notes], (
                "an internal note in the buyer's thread"
            )
        if tickets.keys() == self.listed_tickets:
            return  # the buyers' lists were checked with these very tickets
        self.listed_tickets = set(tickets)
        for name in ("buyer_a", "buyer_b"):
            buyer = self.person(name)
            listed = set(
                ticket_selectors.ticket_list_for_buyer(buyer=buyer).values_list("id", flat=True)
            )
            assert listed == {pk for pk, t in tickets.items() if t.buyer_id == buyer.pk}

    def check_dispute_history(self, disputes: dict[int, Dispute]) -> None:
        """Each step is an edge of the graph; a settled dispute never moves again."""
        events = list(DisputeEvent.objects.filter(pk__gt=self.dispute_event_mark).order_by("id"))
        if events:
            self.dispute_event_mark = events[-1].pk
        for event in events:
            before = self.dispute_seen.get(event.dispute_id)
            assert before not in TERMINAL_DISPUTE, f"{event.kind!r} on a dispute already {before}"
            if event.kind == "opened":
                assert event.dispute_id not in self.dispute_seen
                assert event.to_status == DisputeStatus.AWAITING_SELLER
                self.dispute_seen[event.dispute_id] = event.to_status
                continue
            seen = self.dispute_seen[event.dispute_id]
            assert event.from_status == seen, (event.kind, event.from_status, seen)
            if event.kind in NOTES_ON_A_CASE:
                assert event.to_status == seen, f"{event.kind!r} moved the dispute"
                continue
            # A step (and a deadline acted on) moves the dispute: twice would be no edge.
            assert event.to_status in DISPUTE_TRANSITIONS[seen], (event.kind, seen)
            self.dispute_seen[event.dispute_id] = event.to_status
        assert disputes.keys() == self.dispute_seen.keys(), "every dispute has its 'opened' event"
        for dispute in disputes.values():
            # The events say where the dispute is; a closed one has had no event since.
            assert dispute.status == self.dispute_seen[dispute.pk]
            if dispute.status == DisputeStatus.ESCALATED:
                assert dispute.ticket_id is not None, "an escalated dispute has its ticket"
            if dispute.refund_amount is not None:
                assert Decimal(0) <= dispute.refund_amount <= dispute.order.total
        open_orders = [d.order_id for d in disputes.values() if d.is_open]
        assert len(open_orders) == len(set(open_orders)), "two open disputes on one order"

    def check_who_sees_disputes(self, disputes: dict[int, Dispute]) -> None:
        """A buyer lists their own disputes only, a seller those on their shop's orders only."""
        if disputes.keys() == self.listed_disputes:
            return  # the lists were checked with these very disputes
        self.listed_disputes = set(disputes)
        for name in ("buyer_a", "buyer_b"):
            buyer = self.person(name)
            listed = set(
                dispute_selectors.dispute_list_for_buyer(buyer=buyer).values_list("id", flat=True)
            )
            assert listed == {pk for pk, d in disputes.items() if d.buyer_id == buyer.pk}
        for name in ("seller_1", "seller_2"):
            seller = self.person(name)
            listed = set()
            for open_only in (True, False):
                listed |= set(
                    dispute_selectors.dispute_list_for_seller(
                        seller=seller, open_only=open_only
                    ).values_list("id", flat=True)
                )
            theirs = {pk for pk, d in disputes.items() if d.order.shop.seller_id == seller.pk}
            assert listed == theirs


class TicketMachine(DeskMachine):
    """Tickets: opening, routing, taking, the conversation, notes, solving, reopening, closing."""

    @initialize()
    def a_buyer_has_a_ticket_in_the_queue(self) -> None:
        """Start each example with buyer A's ticket routed to the refund queue."""
        self.open_ticket(actor="buyer_a", routed=True)

    @precondition(lambda self: len(self.status_seen) < MAX_TICKETS)
    @rule(actor=st.sampled_from(("buyer_a", "buyer_b") * 3 + PEOPLE), routed=st.booleans())
    def open_ticket(self, actor: str, routed: bool) -> None:
        """Someone opens a refund ticket; ``routed``: the routing worker picks it up at once."""
        buyer = self.person(actor)
        request = ticket_services.TicketRequest(
            subject=self.unique("Refund not received"),
            description="The shop cancelled the order but I still have no refund.",
            language="en",
            channel=Channel.WEB,
            order_number="MP-7001",
        )
        ticket = self.attempt(
            lambda: ticket_services.ticket_open(
                buyer=buyer, topic=self.world.refund_topic, request=request, now=self.tick()
            ),
            allowed=buyer.is_buyer,
            refusal=ticket_services.InvalidTicket,
        )
        if ticket is not None and routed:
            with self.giving_work():
                ticket_services.ticket_route(ticket_id=ticket.pk, now=self.tick())

    @precondition(lambda self: self.status_seen)
    @rule(pick=picks, who=people("owner"), solved=st.booleans())
    def buyer_answers(self, pick: int, who: str, solved: bool) -> None:
        """Someone replies on the buyer's page (reopening a solved ticket) or marks it solved."""
        ticket = self.ticket(pick)
        _name, buyer = self.ticket_person(who, ticket)

        def solve() -> Any:
            return ticket_services.ticket_solve_by_buyer(
                ticket_id=ticket.pk, buyer=buyer, now=self.tick()
            )

        def reply() -> Any:
            return ticket_services.ticket_reply_by_buyer(
                ticket_id=ticket.pk, buyer=buyer, body=self.unique("Any news?"), now=self.tick()
            )

        self.attempt(
            solve if solved else reply, allowed=ticket.buyer_id == buyer.pk, refusal=TicketNotFound
        )


class DisputeMachine(DeskMachine):
    """Disputes: each party's step, evidence, deadlines, escalation and the agent's decision."""

    def case_person(self, who: str, dispute: Dispute) -> User:
        """Return the account of ``who`` for ``dispute``."""
        seller = dispute.order.shop.seller_id
        return self.person(self.resolve(who, buyer=dispute.buyer_id, seller=seller))

    @initialize()
    def a_buyer_has_an_open_dispute(self) -> None:
        """Start each example with buyer A's dispute waiting for the seller."""
        self.someone_opens_a_dispute(who="owner", order=0)

    @precondition(lambda self: len(self.dispute_seen) < MAX_DISPUTES)
    @rule(who=people("owner"), order=st.integers(min_value=0, max_value=2))
    def someone_opens_a_dispute(self, who: str, order: int) -> None:
        chosen = self.world.orders[order]
        buyer = self.person(self.resolve(who, buyer=chosen.buyer_id, seller=chosen.shop.seller_id))
        self.attempt(
            lambda: dispute_services.dispute_open(
                buyer=buyer,
                order_number=chosen.number,
                reason=DisputeReason.NOT_AS_DESCRIBED,
                wanted_outcome=WantedOutcome.FULL_REFUND,
                description=self.unique("The kettle leaks."),
                now=self.tick(),
            ),
            allowed=chosen.buyer_id == buyer.pk,
            refusal=dispute_services.CaseNotFound,
        )

    @precondition(lambda self: self.dispute_seen)
    @rule(
        pick=picks,
        who=people("seller"),
        answer=st.sampled_from(("accept", "reject", "offer 10.00", "offer 50.01")),
    )
    def seller_answers(self, pick: int, who: str, answer: str) -> None:
        """Someone answers the dispute as its seller: accept, reject, or offer part back.

        After the seller's deadline the answer is refused, whether or not the
        deadline job has run yet.
        """
        dispute = self.dispute(pick)
        seller = self.case_person(who, dispute)
        now = self.tick()
        steps: dict[str, Callable[[], Dispute]] = {
            "accept": lambda: dispute_services.dispute_seller_accept(
                dispute_id=dispute.pk, seller=seller, now=now
            ),
            "reject": lambda: dispute_services.dispute_seller_reject(
                dispute_id=dispute.pk, seller=seller, statement="It left intact.", now=now
            ),
        }
        step = steps.get(answer) or (
            lambda: dispute_services.dispute_seller_counter(
                dispute_id=dispute.pk,
                seller=seller,
                amount=Decimal(answer.removeprefix("offer ")),
                statement="Part back, keep it.",
                now=now,
            )
        )
        answered = self.attempt(
            step,
            allowed=dispute.order.shop.seller_id == seller.pk,
            refusal=dispute_services.CaseNotFound,
        )
        assert not (answered and self.seller_late(dispute, now)), "a late answer was taken"

    def seller_late(self, dispute: Dispute, now: datetime) -> bool:
        """Whether the seller's time to answer ``dispute`` (as it was read) is over at ``now``."""
        deadline = dispute.seller_deadline_at
        waiting = dispute.status == DisputeStatus.AWAITING_SELLER
        return waiting and deadline is not None and now >= deadline

    @precondition(lambda self: self.dispute_seen)
    @rule(
        pick=picks,
        who=people("owner"),
        answer=st.sampled_from(("take the offer", "escalate", "withdraw")),
        routed=st.booleans(),
    )
    def buyer_answers(self, pick: int, who: str, answer: str, routed: bool) -> None:
        """Someone answers as the dispute's buyer; ``routed``: an escalation is routed at once."""
        dispute = self.dispute(pick)
        buyer = self.case_person(who, dispute)
        steps: dict[str, Callable[[], Dispute]] = {
            "take the offer": lambda: dispute_services.dispute_buyer_accept_counter(
                dispute_id=dispute.pk, buyer=buyer, now=self.tick()
            ),
            "escalate": lambda: dispute_services.dispute_buyer_escalate(
                dispute_id=dispute.pk, buyer=buyer, now=self.tick()
            ),
            "withdraw": lambda: dispute_services.dispute_buyer_cancel(
                dispute_id=dispute.pk, buyer=buyer, now=self.tick()
            ),
        }
        self.attempt(
            steps[answer],
            allowed=dispute.buyer_id == buyer.pk,
            refusal=dispute_services.CaseNotFound,
        )
        if routed:
            with self.giving_work():
                self.route_waiting()

    @precondition(lambda self: self.dispute_seen)
    @rule(pick=picks, who=people("owner", "seller"))
    def party_adds_evidence(self, pick: int, who: str) -> None:
        dispute = self.dispute(pick)
        person = self.case_person(who, dispute)
        receipt = ContentFile(b"Order receipt: 1 kettle, 40.00 EUR\n", name="receipt.txt")
        now = self.tick()
        added = self.attempt(
            lambda: dispute_services.evidence_add(
                person=person, files=[receipt], now=now, dispute_id=dispute.pk
            ),
            allowed=person.pk in (dispute.buyer_id, dispute.order.shop.seller_id),
            refusal=dispute_services.CaseNotFound,
        )
        late = person.pk == dispute.order.shop.seller_id and self.seller_late(dispute, now)
        assert not (added and late), "the seller's evidence was taken after their deadline"

    @precondition(lambda self: self.dispute_seen)
    @rule(hours=st.sampled_from((26, 24 * 6)))
    def beat_is_down(self, hours: int) -> None:
        """The clock moves on while beat and the workers are down: no deadline job runs."""
        self.now += timedelta(hours=hours)

    @precondition(lambda self: self.dispute_seen)
    @rule(
        pick=picks,
        who=people("agent", "agent_2"),
        refund=st.sampled_from(("0", "20.00", "50.00", "70.00")),
    )
    def agent_decides(self, pick: int, who: str, refund: str) -> None:
        """Someone decides the dispute from the escalation ticket's page."""
        dispute = self.dispute(pick)
        name = self.resolve(who, buyer=dispute.buyer_id, seller=dispute.order.shop.seller_id)
        agent = self.person(name)

        def decide() -> Dispute:
            return dispute_services.dispute_decide(
                dispute_id=dispute.pk,
                agent=agent,
                refund_amount=Decimal(refund),
                return_required=False,
                return_cost_bearer=CostBearer.SELLER,
                note="Refund the buyer in part.",
                now=self.tick(),
            )

        if dispute.ticket_id is None:
            # No escalation ticket, no decision page: the service refuses on its own.
            self.attempt(decide, allowed=False, refusal=DomainError)
            return
        self.as_agent(name, Ticket.objects.get(pk=dispute.ticket_id), decide)

    @precondition(lambda self: self.dispute_seen)
    @rule(pick=picks, who=people("owner"))
    def someone_opens_the_buyer_dispute_page(self, pick: int, who: str) -> None:
        dispute = self.dispute(pick)
        name = self.resolve(who, buyer=dispute.buyer_id, seller=dispute.order.shop.seller_id)
        person = self.person(name)
        response = self.client_of(name).get(f"/help/disputes/{dispute.pk}/")
        if dispute.buyer_id == person.pk:
            assert response.status_code == 200
            assert dispute.order.number in response.content.decode()
        else:
            assert response.status_code == (404 if person.is_buyer else 403)
            assert dispute.order.number not in response.content.decode()


RUN = settings(
    max_examples=int(os.environ.get("DESK_STATE_MACHINE_EXAMPLES", "30")),
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("machine", [TicketMachine, DisputeMachine], ids=["tickets", "disputes"])
def test_random_people_and_steps_keep_the_desk_invariants(machine: type[DeskMachine]) -> None:
    machine.world = build_world()
    run_state_machine_as_test(machine, settings=RUN)
