"""OpenAPI documentation of the tickets API: descriptions, error answers, examples."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from api.pagination import SYNC_LIST as SYNC
from api.serializers import ErrorSerializer
from tickets.attachments import EXTENSIONS

# What a stored file is served as: images are re-encoded to JPEG or PNG.
STORED_TYPES = tuple(EXTENSIONS)

PAGE_PARAMS = [
    OpenApiParameter(
        "cursor", OpenApiTypes.STR, description="The page, from `next` or `previous`."
    ),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="Tickets a page (up to 200)."),
]

ACTING_AGENT = (
    "Keys act for an agent named in `agent` and then need `agents:write` as well; a signed-in "
    "agent or supervisor acts as themselves."
)

LIST = (
    "The tickets the caller may see, as " + SYNC + " Filters: `status` (comma-separated), `topic`, "
    "`queue`, `buyer`, `updated_since`.\n\n"
    "**Access:** scope `tickets:read` (keys see every ticket). Signed-in buyers see only "
    "their own tickets; agents those of their queues and their own; supervisors all. "
    "`assignee` is shown only to agent-scope callers (keys with `agents:read` or `agents:write`, agents)."
)
CREATE = (
    "Open a ticket on behalf of a buyer, named by `buyer` (username) or `buyer_email` (a "
    "login-less buyer account is made when no buyer has that email). The topic decides the "
    "extra fields: `order_number` for payment, refund and dispute; `transaction_id` and "
    "`amount` for payment; `product` and `purchase_date` for warranty. The ticket is saved "
    "as `new` and routed to a queue in the background: the answer is the ticket as saved "
    "(`new`, no queue yet); read it again, or subscribe to webhooks, for its routing.\n\n"
    "**Access:** scope `tickets:write`. A signed-in buyer may open their own ticket (without "
    "`buyer`/`buyer_email`); other roles may not. Send an `Idempotency-Key` header: a retry "
    "with the same key and body gets the first answer again and makes no second ticket."
)
DETAIL = (
    "One ticket with its messages, oldest first, and its place in line while queued.\n\n"
    "**Access:** scope `tickets:read`. Internal notes (`kind: note`) are listed only for keys "
    "that also hold `agents:read` or `agents:write` and for signed-in agents; never for buyers. A buyer asking "
    "for someone else's ticket gets 404, as for one that does not exist."
)
MESSAGE = (
    "Add a message. Without `agent` a key writes as the ticket's buyer (a pending or solved "
    "ticket reopens); with `agent` it writes as that agent, who may make it an internal "
    "`note` (`internal: true`) and set the status with `then_status`. " + ACTING_AGENT + "\n\n"
    "**Files:** send `multipart/form-data` with one `files` part per file. Each is checked by "
    "its content, not its name: JPEG, PNG, GIF and WebP images (re-encoded, metadata "
    "dropped), PDF without scripts, launch actions or embedded files, and UTF-8 plain text; "
    "SVG, HTML, programs and archives are refused. A refused file refuses the whole message "
    "(`invalid_attachment`) and nothing is saved. Files on an internal note are shown only "
    "to agent-scope callers.\n\n"
    "**Access:** scope `tickets:write` (plus `agents:write` with `agent`); a signed-in buyer "
    "on their own tickets; a signed-in agent on tickets of their queues."
)
ATTACHMENT = (
    "The file itself, as a download (`Content-Disposition: attachment`), with the type found "
    "by its content, `X-Content-Type-Options: nosniff` and a sandboxing "
    "`Content-Security-Policy`. Message output lists each file's `url` here.\n\n"
    "**Access:** scope `tickets:read`. Buyers only on their own tickets; files of internal "
    "notes only for agent-scope callers (keys with `agents:read` or `agents:write`, agents). "
    "Anyone else gets 404."
)
STATUS = (
    "Set the ticket `pending` (waiting on the buyer) or `solved`. Agents may choose either "
    "where the status graph allows it; buyers may only mark their ticket `solved`. A move "
    "the graph does not have answers 409 `transition_not_allowed`. " + ACTING_AGENT + "\n\n"
    "**Access:** scope `tickets:write` (plus `agents:write` with `agent`); without `agent` "
    "a key acts as the buyer. Signed-in buyers on their own tickets, agents on their queues'."
)
TAKE_NEXT = (
    "Give the agent the first ticket waiting in their queues (priority, then arrival); two "
    "agents never get the same ticket. 200 with the ticket, or 204 when nothing waits. "
    + ACTING_AGENT
    + "\n\n**Access:** scope `agents:write`, or a signed-in agent or supervisor."
)
ASSIGN = (
    "Give the ticket to `assignee` (default: the acting agent), who must work the ticket's "
    "queue and have a free slot. " + ACTING_AGENT + "\n\n"
    "**Access:** scope `agents:write`, or a signed-in agent or supervisor (on tickets of "
    "their queues)."
)
QUEUES = (
    "Every active agent queue with its live counts: tickets waiting, the oldest wait, agents "
    "online, and whether it is within its business hours now. Not paginated.\n\n"
    "**Access:** scope `agents:read`, or a signed-in agent or supervisor."
)

_DESCRIBED = {
    400: "Invalid input (`validation_error`); `details` maps fields to their errors.",
    401: "No credentials (`not_authenticated`), or an unknown or revoked key (`invalid_api_key`).",
    403: "The key lacks a scope (`missing_scope`), or the person's role may not "
    "(`role_not_allowed`).",
    404: "No such ticket, or not one the caller may see (`ticket_not_found`).",
}


def download_responses(description: str) -> dict[tuple[int, str], OpenApiResponse]:
    """Document a file download: 200 in each type a stored file can have (found by content)."""
    return {
        (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description=description)
        for content_type in STORED_TYPES
    }


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ErrorSerializer, description=_DESCRIBED[code]) for code in codes}


def _error(status: int, description: str) -> dict[int, OpenApiResponse]:
    return {status: OpenApiResponse(ErrorSerializer, description=description)}


CREATE_ERRORS = {
    **_error(
        400,
        "`invalid_ticket`: a field is missing or wrong for the topic; `details` maps each "
        "field to one message. `unknown_topic`: no active topic with that slug. "
        "`unknown_buyer`: no active buyer with that username. `not_a_buyer`: the username or "
        "email belongs to an agent, seller or supervisor.",
    ),
    **errors(401, 403),
}
MESSAGE_ERRORS = {
    **_error(
        400,
        "`invalid_ticket`: an empty or too long `body`, or `internal`/`then_status` without "
        "an acting agent; `details` names the field. `unknown_agent`: no active agent with "
        "that username. `invalid_attachment`: a file is refused; `details.files` lists each "
        "one as `{index, name, code, message}` with `code` one of `empty`, `too_large`, "
        "`too_many`, `type_not_allowed`, `program`, `archive`, `damaged`, `unsafe`, "
        "`unknown_field`.",
    ),
    **errors(401, 403, 404),
    **_error(
        409,
        "`ticket_closed`: the ticket is closed (open a new one). "
        "`transition_not_allowed`: `then_status` is not a move the status graph has. "
        "`ticket_of_a_case`: `then_status` solved on an undecided dispute's or warranty "
        "claim's ticket; the case's decision solves it.",
    ),
}
ATTACHMENT_ERRORS = _error(
    404, "`ticket_not_found` or `attachment_not_found`: not a file the caller may see."
)
STATUS_ERRORS = {
    **errors(400, 401, 403, 404),
    **_error(
        409,
        "`transition_not_allowed` (`details`: `from`, `to`): the status graph has no such "
        "move. `ticket_closed`: the buyer can no longer mark this ticket solved. "
        "`ticket_of_a_case`: the ticket is an undecided dispute's or warranty claim's; the "
        "case's decision or withdrawal ends it.",
    ),
}
AGENT_ERRORS = {
    **_error(
        400,
        "`validation_error`; `invalid_ticket` when a key does not name `agent`; "
        "`unknown_agent` when no active agent has that username.",
    ),
    **errors(401, 403),
    **_error(404, "`agent_not_found`: the agent has no agent profile (queues) yet."),
    **_error(409, "`agent_at_capacity`: the agent already has as many tickets as they may."),
}
ASSIGN_ERRORS = {
    **_error(
        400,
        "`invalid_ticket`: the ticket is not open in a queue, or a key did not name `agent`. "
        "`unknown_agent`: no active agent with the `agent` or `assignee` username.",
    ),
    **errors(401, 403),
    **_error(404, "`ticket_not_found`, or `agent_not_found` (the assignee has no agent profile)."),
    **_error(
        409,
        "`agent_not_in_queue`: the assignee does not work the ticket's queue. "
        "`agent_at_capacity`: the assignee has no free slot.",
    ),
}

_TICKET = {
    "id": 5318008675309,
    "reference": "SD-5318008675309",
    "status": "queued",
    "topic": "payment",
    "channel": "api",
    "language": "en",
    "subject": "Charged twice for one order",
    "description": "My card was charged twice at checkout.",
    "order_number": "MP-1001",
    "details": {"transaction_id": "TX-42", "amount": "59.90"},
    "priority": "normal",
    "faq_entry": 7,
    "buyer": "anna",
    "queue": "en-payment",
    "assignee": None,
    "created_at": "2026-05-04T09:30:00Z",
    "updated_at": "2026-05-04T09:30:02Z",
    "first_response_due_at": "2026-05-04T11:30:00Z",
    "resolution_due_at": "2026-05-05T09:30:00Z",
}

CREATE_REQUEST_EXAMPLE = OpenApiExample(
    "Payment problem for a known buyer",
    request_only=True,
    value={
        "topic": "payment",
        "subject": "Charged twice for one order",
        "description": "My card was charged twice at checkout.",
        "language": "en",
        "faq_entry": 7,
        "order_number": "MP-1001",
        "transaction_id": "TX-42",
        "amount": "59.90",
        "buyer": "anna",
    },
)
TICKET_EXAMPLE = OpenApiExample("A ticket", response_only=True, value=_TICKET)
NEW_TICKET_EXAMPLE = OpenApiExample(
    "The ticket as saved",
    response_only=True,
    value={
        **_TICKET,
        "status": "new",
        "queue": None,
        "updated_at": _TICKET["created_at"],
        "first_response_due_at": None,
        "resolution_due_at": None,
        "rating": None,
    },
)
TICKET_PAGE_EXAMPLE = OpenApiExample(
    "A page of tickets",
    response_only=True,
    value={
        "next": "https://desk.example/api/v1/tickets/?cursor=cD0yMDI2",
        "previous": None,
        "results": [_TICKET],
    },
)
CREATE_ERROR_EXAMPLES = [
    OpenApiExample(
        "Missing fields for the topic",
        response_only=True,
        status_codes=["400"],
        value={
            "error": {
                "code": "invalid_ticket",
                "message": "The request is not complete.",
                "details": {
                    "order_number": "Give the order number from your order page.",
                    "amount": "Give the amount you paid.",
                },
            }
        },
    ),
    OpenApiExample(
        "Unknown buyer",
        response_only=True,
        status_codes=["400"],
        value={
            "error": {
                "code": "unknown_buyer",
                "message": "No buyer annaa.",
                "details": {"buyer": "No active buyer with this username."},
            }
        },
    ),
]
TICKET_DETAIL_EXAMPLE = OpenApiExample(
    "A queued ticket",
    response_only=True,
    value={
        **_TICKET,
        "wait": {
            "position": 2,
            "minutes": 15,
            "queue_open": True,
            "opens_at": None,
            "fallback_open": False,
        },
        "messages": [
            {
                "id": 501,
                "kind": "buyer",
                "internal": False,
                "author": "anna",
                "author_name": "Anna",
                "body": "My card was charged twice at checkout.",
                "created_at": "2026-05-04T09:30:00Z",
                "attachments": [
                    {
                        "id": 7036874417766,
                        "name": "bank-statement.pdf",
                        "content_type": "application/pdf",
                        "size": 48213,
                        "url": "https://desk.example/api/v1/tickets/5318008675309/attachments/7036874417766/",
                    }
                ],
                "answers": [],
            }
        ],
    },
)
ATTACHMENT_ERROR_EXAMPLE = OpenApiExample(
    "A refused file",
    response_only=True,
    status_codes=["400"],
    value={
        "error": {
            "code": "invalid_attachment",
            "message": "receipt.png: web pages (HTML) are not accepted.",
            "details": {
                "files": [
                    {
                        "index": 0,
                        "name": "receipt.png",
                        "code": "type_not_allowed",
                        "message": "web pages (HTML) are not accepted.",
                    }
                ]
            },
        }
    },
)
MESSAGE_EXAMPLES = [
    OpenApiExample(
        "The buyer replies", request_only=True, value={"body": "Here is my bank statement."}
    ),
    OpenApiExample(
        "An agent's internal note (key)",
        request_only=True,
        value={"body": "Refund approved by finance.", "internal": True, "agent": "sam"},
    ),
]
STATUS_REQUEST_EXAMPLE = OpenApiExample(
    "Waiting on the buyer", request_only=True, value={"status": "pending", "agent": "sam"}
)
TRANSITION_ERROR_EXAMPLE = OpenApiExample(
    "No such move",
    response_only=True,
    status_codes=["409"],
    value={
        "error": {
            "code": "transition_not_allowed",
            "message": "A ticket cannot go from 'solved' to 'pending'.",
            "details": {"from": "solved", "to": "pending"},
        }
    },
)
QUEUES_EXAMPLE = OpenApiExample(
    "Queues",
    response_only=True,
    value={
        "results": [
            {
                "slug": "ru-payment-refund",
                "name": "Оплата и возвраты",
                "language": "ru",
                "topics": ["payment", "refund"],
                "open_now": False,
                "fallback": "en-payment",
                "waiting": 3,
                "oldest_queued_at": "2026-05-04T02:10:00Z",
                "agents_online": 0,
            }
        ]
    },
)
