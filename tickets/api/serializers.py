"""Input and output shapes of the tickets API.

Input serializers check shape only: every rule of the desk is checked by
``tickets.services``. Output serializers read what the views loaded with
``select_related``/``prefetch_related`` and never query per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.pagination import SyncPageSerializer
from tickets.models import Channel, Message, MessageKind, Priority, Queue, Rating, Ticket
from tickets.models.conversation import Attachment
from tickets.selectors import QueueSummary, WaitEstimate
from tickets.services.opening import DESCRIPTION_MAX, ORDER_NUMBER_MAX, SUBJECT_MAX
from tickets.services.rating import rating_changeable_until
from tickets.status import AGENT_CHOOSABLE, Status

USERNAME_MAX = 150


def _language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _username(help_text: str) -> serializers.CharField:
    return serializers.CharField(max_length=USERNAME_MAX, required=False, help_text=help_text)


AGENT_FIELD_HELP = (
    "API keys only: the username of the agent (or supervisor) on whose behalf the key acts; "
    "the key then needs `agents:write` too. Refused for signed-in people, who act as themselves."
)


# --- Input -------------------------------------------------------------------

AGENT_STATUSES = [str(choice) for choice in AGENT_CHOOSABLE]


# A pattern, not an enum, in the schema: an enum would be a second "Status" enum next to
# the ticket's own status and need a settings-wide name override.
@extend_schema_field({"type": "string", "pattern": f"^({'|'.join(AGENT_STATUSES)})$"})
class AgentStatusField(serializers.ChoiceField):
    """`pending` or `solved`: the statuses people choose."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=AGENT_STATUSES, **kwargs)


class TicketCreateInputSerializer(serializers.Serializer):
    """Body of tickets_create."""

    topic = serializers.SlugField(help_text="The topic's slug, e.g. `payment`.")
    subject = serializers.CharField(max_length=SUBJECT_MAX)
    description = serializers.CharField(max_length=DESCRIPTION_MAX)
    language = serializers.ChoiceField(
        choices=_language_codes(),
        required=False,
        help_text="Language the buyer writes and reads in; defaults to the buyer's "
        "preferred language, else the desk's default.",
    )
    faq_entry = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Id of the published FAQ entry the buyer came from; it must be of `topic`.",
    )
    order_number = serializers.CharField(
        max_length=ORDER_NUMBER_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required for payment, refund and dispute.",
    )
    transaction_id = serializers.CharField(
        max_length=80,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required for payment.",
    )
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text="Amount paid, above zero; required for payment.",
    )
    product = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required for warranty.",
    )
    purchase_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Not in the future; required for warranty.",
    )
    channel = serializers.ChoiceField(
        choices=Channel.values,
        default=Channel.API,
        help_text="Where the buyer asked: `web`, `email`, `chat` or `api` (default).",
    )
    buyer = _username(
        "API keys: the buyer's username. Give this or `buyer_email`. Refused for signed-in "
        "buyers, who open their own tickets."
    )
    buyer_email = serializers.EmailField(
        required=False,
        help_text="API keys: the buyer's email; a login-less buyer account is created when no "
        "buyer has it. Give this or `buyer`.",
    )


class TicketListQuerySerializer(serializers.Serializer):
    """Query of tickets_list."""

    status = serializers.CharField(
        required=False,
        help_text="One status or several separated by commas, e.g. `queued,assigned`. "
        f"Statuses: {', '.join(f'`{s}`' for s in Status.values)}.",
    )
    topic = serializers.SlugField(required=False, help_text="Only this topic's tickets (slug).")
    queue = serializers.SlugField(required=False, help_text="Only this queue's tickets (slug).")
    buyer = _username("Only this buyer's tickets (username).")
    updated_since = serializers.DateTimeField(
        required=False,
        help_text="Only tickets changed at or after this ISO 8601 moment, e.g. "
        "`2026-05-01T09:00:00Z`; with the `updated_at` ordering this is how to sync.",
    )

    def validate_status(self, value: str) -> list[str]:
        statuses = [part.strip() for part in value.split(",") if part.strip()]
        unknown = [part for part in statuses if part not in Status.values]
        if unknown or not statuses:
            raise serializers.ValidationError(
                f"Unknown status {', '.join(unknown) or '(empty)'}; "
                f"known: {', '.join(Status.values)}."
            )
        return statuses


class MessageCreateInputSerializer(serializers.Serializer):
    """Body of tickets_messages_create."""

    body = serializers.CharField(
        trim_whitespace=False, allow_blank=True, help_text="The message, up to 10,000 characters."
    )
    internal = serializers.BooleanField(
        default=False, help_text="Agents only: an internal note, never shown to the buyer."
    )
    then_status = serializers.ChoiceField(
        choices=AGENT_STATUSES,
        required=False,
        help_text="Agents only: set the ticket `pending` or `solved` with the message.",
    )
    agent = _username(AGENT_FIELD_HELP)


class StatusChangeInputSerializer(serializers.Serializer):
    """Body of tickets_status_create."""

    status = AgentStatusField(
        help_text="`pending` (waiting on the buyer) or `solved`; buyers may only send `solved`.",
    )
    agent = _username(AGENT_FIELD_HELP)


class AgentActionInputSerializer(serializers.Serializer):
    """Body of tickets_take_next."""

    agent = _username(AGENT_FIELD_HELP)


class AssignInputSerializer(serializers.Serializer):
    """Body of tickets_assign."""

    assignee = _username("Username of the agent who gets the ticket; defaults to the acting agent.")
    agent = _username(AGENT_FIELD_HELP)


# --- Output ------------------------------------------------------------------


class PriorityField(serializers.ChoiceField):
    """A ticket's priority by name: `low`, `normal`, `high` or `urgent`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[p.name.lower() for p in Priority], read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        return Priority(value).name.lower()


class _ReadDirectly(serializers.Serializer):
    """An output serializer whose ``to_representation`` reads its instance's attributes itself.

    DRF's generic path looks every field's source up through its attribute
    walk (mapping and callable checks on each step) and finds the current
    time zone again for every date: ~4.4 ms of CPU for a page of 50 tickets,
    against ~1.9 ms read directly.
    The subclasses read each attribute once and convert it with the declared
    field's own ``to_representation``, so the output is the generic path's;
    tests/tickets/test_api_output.py holds the two equal.
    """

    @cached_property
    def _when(self) -> Any:
        """Convert a date as the declared ``DateTimeField``s do, the time zone found once."""
        return serializers.DateTimeField(
            default_timezone=timezone.get_current_timezone()
        ).to_representation


class RatingOutputSerializer(_ReadDirectly):
    """The buyer's rating of the help on a ticket, read with its agent loaded."""

    score = serializers.IntegerField(help_text="1 (poor) to 5 (excellent).")
    comment = serializers.CharField(help_text="Empty when none was given.")
    agent = serializers.SerializerMethodField(
        help_text="Username of the agent who handled the ticket; null when none did, and "
        "always null for callers without agent scope."
    )
    created_at = serializers.DateTimeField(help_text="When it was first given.")
    updated_at = serializers.DateTimeField(help_text="When it was last changed.")
    changeable_until = serializers.SerializerMethodField(
        help_text="Until when the buyer may still change it."
    )

    def get_agent(self, rating: Rating) -> str | None:
        if not self.context.get("agent_scope") or rating.agent is None:
            return None
        return rating.agent.username

    def get_changeable_until(self, rating: Rating) -> datetime:
        return rating_changeable_until(rating)

    def to_representation(self, rating: Rating) -> dict[str, Any]:
        when = self._when
        return {
            "score": rating.score,
            "comment": rating.comment,
            "agent": self.get_agent(rating),
            "created_at": when(rating.created_at),
            "updated_at": when(rating.updated_at),
            "changeable_until": self.get_changeable_until(rating),
        }


class TicketOutputSerializer(_ReadDirectly):
    """A ticket, read with its topic, queue, assignee and buyer already loaded."""

    id = serializers.IntegerField()
    reference = serializers.CharField(
        help_text="What buyers quote: `SD-` and the id, e.g. `SD-5318008675309`."
    )
    status = serializers.ChoiceField(choices=Status.values)
    topic = serializers.SlugField(source="topic.slug", help_text="The topic's slug.")
    channel = serializers.ChoiceField(choices=Channel.values)
    language = serializers.CharField()
    subject = serializers.CharField()
    description = serializers.CharField()
    order_number = serializers.CharField(help_text="Empty when not given.")
    details = serializers.DictField(
        help_text="What the topic asked for: `transaction_id`, `amount` (a decimal string), "
        "`product`, `purchase_date`."
    )
    priority = PriorityField()
    faq_entry = serializers.IntegerField(
        source="faq_entry_id", allow_null=True, help_text="The FAQ entry it came from."
    )
    buyer = serializers.CharField(source="buyer.username", help_text="The buyer's username.")
    queue = serializers.SlugField(
        source="queue.slug", allow_null=True, help_text="Null until routed."
    )
    assignee = serializers.SerializerMethodField(
        help_text="The agent's username; null when unassigned, and always null for callers "
        "without agent scope (keys without `agents:read` or `agents:write`, buyers)."
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    first_response_due_at = serializers.DateTimeField(allow_null=True)
    resolution_due_at = serializers.DateTimeField(allow_null=True)
    rating = serializers.SerializerMethodField(
        help_text="The buyer's rating once given (the ticket solved or closed), else null."
    )

    def get_assignee(self, ticket: Ticket) -> str | None:
        if not self.context.get("agent_scope") or ticket.assignee is None:
            return None
        return ticket.assignee.username

    @extend_schema_field(RatingOutputSerializer(allow_null=True))
    def get_rating(self, ticket: Ticket) -> dict[str, Any] | None:
        # Prefetched with the ticket (access.visible_tickets); a ticket without one has None cached.
        rating = getattr(ticket, "rating", None)
        return self._rating_serializer.to_representation(rating) if rating else None

    @cached_property
    def _rating_serializer(self) -> RatingOutputSerializer:
        # One for the whole list: building a serializer copies its fields.
        return RatingOutputSerializer(context=self.context)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        ticket: Ticket = instance
        fields, when = self.fields, self._when
        details, queue = ticket.details, ticket.queue
        return {
            "id": ticket.id,
            "reference": ticket.reference,
            "status": fields["status"].to_representation(ticket.status),
            "topic": ticket.topic.slug,
            "channel": fields["channel"].to_representation(ticket.channel),
            "language": ticket.language,
            "subject": ticket.subject,
            "description": ticket.description,
            "order_number": ticket.order_number,
            "details": None if details is None else fields["details"].to_representation(details),
            "priority": fields["priority"].to_representation(ticket.priority),
            "faq_entry": ticket.faq_entry_id,
            "buyer": ticket.buyer.username,
            "queue": None if queue is None else queue.slug,
            "assignee": self.get_assignee(ticket),
            "created_at": when(ticket.created_at),
            "updated_at": when(ticket.updated_at),
            "first_response_due_at": when(ticket.first_response_due_at),
            "resolution_due_at": when(ticket.resolution_due_at),
            "rating": self.get_rating(ticket),
        }


class TicketPageSerializer(SyncPageSerializer):
    results = TicketOutputSerializer(many=True)


class MessageCreateMultipartInputSerializer(MessageCreateInputSerializer):
    """Body of tickets_messages_create sent as multipart/form-data, with files."""

    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),
        required=False,
        help_text="Files to attach, one `files` part each. Checked by content: JPEG, PNG, "
        "GIF and WebP images (re-encoded), PDF without scripts, UTF-8 plain text; at most "
        "`DESK_ATTACHMENT_MAX_FILES` (default 5) of `DESK_ATTACHMENT_MAX_MB` (default 10) each.",
    )


class AttachmentOutputSerializer(serializers.Serializer):
    """A file on a message; ``url`` downloads it with the caller's own credentials."""

    id = serializers.IntegerField()
    name = serializers.CharField(help_text="Cleaned name, its extension from the content.")
    content_type = serializers.CharField(help_text="The type found by content.")
    size = serializers.IntegerField(help_text="Bytes.")
    url = serializers.SerializerMethodField(help_text="Absolute URL of tickets_attachment.")

    def get_url(self, attachment: Attachment) -> str:
        path = reverse("api:ticket-attachment", args=[attachment.ticket_id, attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class OfferedAnswerOutputSerializer(serializers.Serializer):
    """An answer the assistant offered on a ticket (from the message's data)."""

    entry = serializers.IntegerField(help_text="The FAQ entry's id.")
    question = serializers.CharField()
    url = serializers.CharField(help_text="The answer's page in the help centre (a path).")


class MessageOutputSerializer(serializers.Serializer):
    """One message of a thread, read with its author (and attachments) loaded."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(
        choices=MessageKind.values,
        help_text="`note` is an internal note: only agent-scope callers ever see one.",
    )
    internal = serializers.BooleanField(source="is_internal")
    author = serializers.SerializerMethodField(
        help_text="The author's username; null for system messages, and for agents' "
        "messages when the caller lacks agent scope."
    )
    author_name = serializers.SerializerMethodField(help_text="The name shown to the buyer.")
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
    attachments = AttachmentOutputSerializer(
        source="attachments.all", many=True, help_text="Files on the message, oldest first."
    )
    answers = serializers.SerializerMethodField(
        help_text="On the assistant's message (`kind: assistant`): the answers it offered; "
        "one that solved the problem closes the ticket through "
        "`POST …/tickets/{id}/assistant-answer/`. Empty on other messages."
    )

    def get_author(self, message: Message) -> str | None:
        author = message.author
        if author is None:
            return None
        if author.is_agent and not self.context.get("agent_scope"):
            return None
        return author.username

    def get_author_name(self, message: Message) -> str | None:
        return message.author.display_name if message.author is not None else None

    @extend_schema_field(OfferedAnswerOutputSerializer(many=True))
    def get_answers(self, message: Message) -> list[dict[str, Any]]:
        if message.kind != MessageKind.ASSISTANT:
            return []
        answers = (message.data or {}).get("answers", [])
        return [{"entry": a["entry"], "question": a["question"], "url": a["url"]} for a in answers]


class WaitOutputSerializer(serializers.Serializer):
    """A queued ticket's place in line (selectors.WaitEstimate)."""

    position = serializers.IntegerField(help_text="1 is next.")
    minutes = serializers.IntegerField(help_text="Estimated wait in minutes.")
    queue_open = serializers.BooleanField()
    opens_at = serializers.DateTimeField(
        allow_null=True, help_text="When a closed queue opens again."
    )
    fallback_open = serializers.BooleanField(
        help_text="The queue is closed but its fallback (e.g. English) is open now."
    )


@dataclass(frozen=True)
class TicketDetail:
    """What tickets_retrieve shows: the ticket, the thread the caller may read, the wait."""

    ticket: Ticket
    messages: list[Message]
    wait: WaitEstimate | None


class TicketDetailOutputSerializer(TicketOutputSerializer):
    """A ticket (a TicketDetail) with its thread and, while queued, its place in line."""

    wait = WaitOutputSerializer(allow_null=True, help_text="Null unless the ticket is queued.")
    messages = MessageOutputSerializer(
        many=True, help_text="Oldest first; internal notes only for agent scope."
    )

    def to_representation(self, instance: TicketDetail) -> dict[str, Any]:
        ticket = TicketOutputSerializer(instance.ticket, context=self.context).data
        wait = WaitOutputSerializer(instance.wait).data if instance.wait is not None else None
        messages = MessageOutputSerializer(instance.messages, many=True, context=self.context).data
        return {**ticket, "wait": wait, "messages": messages}


@dataclass(frozen=True)
class QueueRow:
    """What queues_list shows of one queue."""

    summary: QueueSummary
    open_now: bool

    @property
    def queue(self) -> Queue:
        return self.summary.queue


class QueueOutputSerializer(serializers.Serializer):
    """An agent queue (a QueueRow), read with its topics and fallback loaded."""

    slug = serializers.SlugField(source="queue.slug")
    name = serializers.CharField(source="queue.name")
    language = serializers.CharField(source="queue.language")
    topics = serializers.SerializerMethodField(help_text="Slugs of the topics it serves.")
    open_now = serializers.BooleanField(help_text="Within its business hours now.")
    fallback = serializers.SerializerMethodField(
        help_text="Slug of the queue serving new tickets while this one is closed, or null."
    )
    waiting = serializers.IntegerField(
        source="summary.waiting", help_text="Tickets queued, not yet with an agent."
    )
    oldest_queued_at = serializers.DateTimeField(
        source="summary.oldest_queued_at",
        allow_null=True,
        help_text="When the longest-waiting ticket joined the queue.",
    )
    agents_online = serializers.IntegerField(source="summary.agents_online")

    def get_topics(self, row: QueueRow) -> list[str]:
        return [topic.slug for topic in row.queue.topics.all()]

    def get_fallback(self, row: QueueRow) -> str | None:
        fallback = row.queue.fallback
        return fallback.slug if fallback is not None else None


class QueueListOutputSerializer(serializers.Serializer):
    results = QueueOutputSerializer(many=True)
