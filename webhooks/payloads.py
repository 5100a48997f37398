"""What a webhook tells: the object as the API shows it to the subscribing key, and the event.

A builder names the event row it tells of (ids only), so a delivery can be
built after the change has committed — in the same process right after
commit, or, if that never happened, by the sender from ``Delivery.source``.
It reads through the API's own access rules with the subscribing key as the
caller: a key sees in a webhook exactly what it would see asking the API.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from rest_framework import serializers

if TYPE_CHECKING:
    from api.models import ApiKey
    from disputes.models import ClaimEvent, DisputeEvent

Data = dict[str, Any]


class PayloadBuilder(Protocol):
    """Builds the ``data`` of one event for a subscribing key."""

    def hears(self, api_key: ApiKey) -> bool:
        """Return True when the key may hear of this event's object."""

    def view(self, api_key: ApiKey) -> Hashable:
        """Return what the data depends on: keys with the same view get the same data."""

    def __call__(self, *, api_key: ApiKey) -> Data | None:
        """Return the data as the key may see it, or None when it may not see the object."""

    def source(self) -> dict[str, Any]:
        """Return the builder as JSON, for ``payload_builder_from``."""


def _moment(value: Any) -> Any:
    return serializers.DateTimeField().to_representation(value)


@dataclass(frozen=True)
class TicketEventPayload:
    """A ticket event: ``{"ticket": …, "event": …}`` (and ``"message"`` for a reply)."""

    name: ClassVar[str] = "ticket_event"
    event_id: int

    def hears(self, api_key: ApiKey) -> bool:
        return True  # integrator keys see every ticket; key_may_hear has checked the scope

    def view(self, api_key: ApiKey) -> Hashable:
        from tickets.api.access import Caller

        return Caller(api_key=api_key, user=None).has_agent_scope

    def __call__(self, *, api_key: ApiKey) -> Data | None:
        from tickets import selectors
        from tickets.api.access import Caller, ticket_visible
        from tickets.api.serializers import MessageOutputSerializer, TicketOutputSerializer
        from tickets.models import EventKind, TicketEvent
        from tickets.services import TicketNotFound

        event = TicketEvent.objects.select_related("actor").filter(pk=self.event_id).first()
        if event is None:
            return None
        caller = Caller(api_key=api_key, user=None)
        try:
            ticket = ticket_visible(caller, event.ticket_id)
        except TicketNotFound:
            return None
        agent_eyes = caller.has_agent_scope
        context = {"agent_scope": agent_eyes}
        # Agents' usernames and the desk's reasons are shown only to keys with agent scope.
        hidden = event.kind == EventKind.ASSIGNEE and not agent_eyes
        data: Data = {
            "ticket": TicketOutputSerializer(ticket, context=context).data,
            "event": {
                "kind": event.kind,
                "from": None if hidden else event.from_value,
                "to": None if hidden else event.to_value,
                "by": _party(event.actor, buyer_id=ticket.buyer_id),
                "reason": event.reason if agent_eyes else "",
                "created_at": _moment(event.created_at),
            },
        }
        if event.kind == EventKind.REPLIED and event.to_value.isdigit():
            thread = selectors.ticket_thread(ticket=ticket, for_agent=agent_eyes)
            message = thread.filter(pk=int(event.to_value)).first()
            if message is not None:
                data["message"] = MessageOutputSerializer(message, context=context).data
        return data

    def source(self) -> dict[str, Any]:
        return {"builder": self.name, **asdict(self)}


@dataclass(frozen=True)
class CaseEventPayload:
    """A step of a dispute or warranty claim: ``{"dispute"|"warranty_claim": …, "event": …}``."""

    name: ClassVar[str] = "case_event"
    case: str  # "dispute" or "warranty_claim"
    step: str
    event_id: int
    seller_id: int | None

    @classmethod
    def of(cls, event: DisputeEvent | ClaimEvent, *, seller_id: int | None) -> CaseEventPayload:
        """Return the builder for a case's event; ``seller_id`` is the shop's seller."""
        case = "warranty_claim" if hasattr(event, "claim_id") else "dispute"
        return cls(case=case, step=event.kind, event_id=event.pk, seller_id=seller_id)

    @property
    def event_type(self) -> str:
        return f"{self.case}.{self.step}"

    def hears(self, api_key: ApiKey) -> bool:
        # A key bound to a seller hears only of that seller's shops' cases.
        return api_key.seller_id is None or api_key.seller_id == self.seller_id

    def view(self, api_key: ApiKey) -> Hashable:
        return None  # every key that may see a case sees it the same

    def __call__(self, *, api_key: ApiKey) -> Data | None:
        from disputes.api import access
        from disputes.api.serializers import (
            CaseEventOutputSerializer,
            ClaimOutputSerializer,
            DisputeOutputSerializer,
        )
        from disputes.models import ClaimEvent, DisputeEvent
        from orders.api.access import MarketCaller

        caller = MarketCaller(api_key=api_key, user=None)
        case: Any
        if self.case == "dispute":
            event: Any = DisputeEvent.objects.select_related("actor").filter(pk=self.event_id)
            event = event.first()
            if event is None:
                return None
            case = access.visible_disputes(caller).filter(pk=event.dispute_id).first()
            output: Any = DisputeOutputSerializer
        else:
            event = ClaimEvent.objects.select_related("actor").filter(pk=self.event_id).first()
            if event is None:
                return None
            case = access.visible_claims(caller).filter(pk=event.claim_id).first()
            output = ClaimOutputSerializer
        if case is None:
            return None
        context = {"buyer_id": case.buyer_id}
        return {
            self.case: output(case).data,
            "event": CaseEventOutputSerializer(event, context=context).data,
        }

    def source(self) -> dict[str, Any]:
        return {"builder": self.name, **asdict(self)}


def _party(actor: Any, *, buyer_id: int) -> str:
    """Name the party behind a ticket event, as the disputes API does: never a username."""
    if actor is None:
        return "desk"
    if actor.pk == buyer_id:
        return "buyer"
    return "agent" if actor.is_agent else "other"


_BUILDERS: dict[str, type[TicketEventPayload] | type[CaseEventPayload]] = {
    TicketEventPayload.name: TicketEventPayload,
    CaseEventPayload.name: CaseEventPayload,
}


def payload_builder_from(source: dict[str, Any]) -> PayloadBuilder | None:
    """Return the builder ``source()`` described, or None for one this desk does not know."""
    fields = dict(source)
    builder = _BUILDERS.get(fields.pop("builder", ""))
    if builder is None:
        return None
    try:
        return builder(**fields)
    except TypeError:
        return None
