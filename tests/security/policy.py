"""Who may do what: every route of the desk × method × principal → the answer expected.

A principal is a role in a relation to the world's objects (tests/security/world.py):
``anonymous``; ``buyer_a`` (owns the tickets, disputes, claims and files) and
``buyer_b`` (owns none of them); ``seller`` (party to A's cases) and
``seller_b`` (not); ``agent_in`` (works the queues of A's tickets) and
``agent_out`` (works another); ``supervisor`` (staff); one API key per scope
(``key:<scope>``, the ``seller`` key bound to the party seller), ``key:all``
(every scope but seller), ``key:seller_b`` (bound to the other seller),
``key:hook_owner`` (owns the webhook subscription) and ``key:revoked``.

A rule names a route (its URL name, or its pattern when it has no name), a
method, what fills the URL (names of the world's ids), what the request
sends, and for every principal the status expected, or ``LOGIN`` for the
page asking to log in. Rules say what the desk promises, by hand:

- something that is not yours answers 404, exactly as something that does
  not exist (the test asks for a missing id too and compares);
- a 403 only ever refuses a role or a key's scope, never one object;
- whoever is not an agent (buyers, sellers, anonymous visitors, keys
  without an agents scope) never sees what only agents read (``AGENT_ONLY``
  in the world: internal notes and their files, the reasons of routing and
  assignments, agents' usernames and emails); the rows in ``reveals`` prove
  the check can see them;
- nobody outside ``B_TICKET_EYES`` sees buyer B's ticket (its subject and its
  file's name are planted as markers), on any page or in any answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from api.scopes import SCOPES
from tests.security.world import (
    ANONYMOUS,
    B_FILE_NAME,
    B_SUBJECT,
    KEY_ALL,
    KEY_HOOK_OWNER,
    KEY_REVOKED,
    KEY_SELLER_B,
    KEYS,
    PEOPLE,
    PRINCIPALS,
    World,
    png_file,
)

LOGIN = "login"  # a redirect to the desk's log-in page, coming back afterwards
ADMIN_LOGIN = "admin-login"  # a redirect to the admin's log-in page
Outcome = int | str

# The scopes each key holds (what the world issues).
KEY_SCOPES: dict[str, frozenset[str]] = {
    **{f"key:{scope}": frozenset({scope}) for scope in SCOPES},
    KEY_ALL: frozenset(SCOPES) - {"seller"},
    KEY_SELLER_B: frozenset({"seller"}),
    KEY_HOOK_OWNER: frozenset({"webhooks:read", "webhooks:write", "tickets:read", "disputes:read"}),
    KEY_REVOKED: frozenset(SCOPES) - {"seller"},
}
SELLER_KEYS = ("key:seller", KEY_SELLER_B)
# Pages read only the session: a key is no credential there. The most trusted key and a
# seller-bound one stand for all keys (each must see what an anonymous visitor sees).
PAGE_KEYS = (KEY_ALL, "key:seller")
PAGE_PRINCIPALS = (ANONYMOUS, *PEOPLE, *PAGE_KEYS)

# Who reads with an agent's eyes: notes, reasons and agents' addresses are for them.
AGENT_EYES = frozenset(
    {"agent_in", "agent_out", "supervisor"}
    | {key for key, scopes in KEY_SCOPES.items() if scopes & {"agents:read", "agents:write"}}
)

# Who may read buyer B's ticket (its subject and file name are planted as markers):
# B, the agent of its queue, the supervisor, and keys that read every ticket.
B_TICKET_EYES = frozenset(
    {"buyer_b", "agent_out", "supervisor"}
    | {key for key, scopes in KEY_SCOPES.items() if "tickets:read" in scopes}
)

GROUPS: dict[str, tuple[str, ...]] = {
    "buyers": ("buyer_a", "buyer_b"),
    "sellers": ("seller", "seller_b"),
    "agents": ("agent_in", "agent_out"),
    "staff": ("agent_in", "agent_out", "supervisor"),
    "people": PEOPLE,
    "keys": KEYS,
    "everyone": PRINCIPALS,
}
# Groups widen first, single principals override them.
_GROUP_ORDER = ("everyone", "keys", "people", "staff", "agents", "sellers", "buyers")

Args = Mapping[str, str | Callable[[World], Any]]
# What a request sends, made afresh per request (files are read once): world, principal -> body.
Body = Callable[[World, str], dict[str, Any]] | None


@dataclass(frozen=True)
class Rule:
    """One route and method, called on one set of objects, with the answer for every principal."""

    route: str
    method: str
    expect: Mapping[str, Outcome]
    args: Args = field(default_factory=dict)
    # Form fields (web) or a JSON body (API); a callable, so files are fresh each time.
    data: Body = None
    json: bool = False
    # "api" (keys are credentials), "page" (only the session is), or "api-sampled"
    # (an API answer the same for everyone, checked for a few principals).
    surface: str = "page"
    # URL arguments that name an object: the test also asks for a missing one.
    objects: tuple[str, ...] = ()
    # principal -> agent-only markers that must appear (the check can see them).
    reveals: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # What an allowed caller gets when the object is missing (404 unless said), or, for
    # the principals a mapping names, what each gets.
    missing: Outcome | Mapping[str, Outcome] = 404
    note: str = ""

    @property
    def principals(self) -> tuple[str, ...]:
        """Who the rule is checked for: everyone on the API, pages leave most keys out."""
        return tuple(name for name in PRINCIPALS if name in self.expect)

    @property
    def label(self) -> str:
        what = ",".join(f"{k}={v if isinstance(v, str) else 'f'}" for k, v in self.args.items())
        return f"{self.method} {self.route}" + (f" [{what}]" if what else "")


def _resolve(who: Mapping[str, Outcome], *, default: Mapping[str, Outcome]) -> dict[str, Outcome]:
    """Spread group outcomes over their principals; single principals win over groups."""
    unknown = set(who) - set(GROUPS) - set(PRINCIPALS)
    assert not unknown, f"unknown principals or groups: {sorted(unknown)}"
    result = dict(default)
    for group in _GROUP_ORDER:
        if group in who:
            result.update(dict.fromkeys(GROUPS[group], who[group]))
    result.update({name: outcome for name, outcome in who.items() if name in PRINCIPALS})
    return result


def _object_args(args: Args) -> tuple[str, ...]:
    return tuple(name for name, value in args.items() if name not in NOT_OBJECTS)


# URL arguments that choose an action or a language, not an object.
NOT_OBJECTS = frozenset({"way", "language", "figure", "token", "uidb64"})


def page(
    route: str,
    method: str = "GET",
    *,
    args: Args | None = None,
    data: Body = None,
    base: Mapping[str, Outcome] | None = None,
    reveals: Mapping[str, tuple[str, ...]] | None = None,
    missing: Outcome | Mapping[str, Outcome] = 404,
    note: str = "",
    **who: Outcome,
) -> Rule:
    """A page of the desk (session cookies): keys are not credentials here, so they see
    what an anonymous visitor sees. ``who`` overrides ``base``."""
    args = dict(args or {})
    expect = _resolve({**(base or {}), **who}, default={})
    assert ANONYMOUS in expect, f"{route}: say what an anonymous visitor gets"
    for key in PAGE_KEYS:
        expect.setdefault(key, expect[ANONYMOUS])
    expect = {name: outcome for name, outcome in expect.items() if name in PAGE_PRINCIPALS}
    return Rule(
        route=route,
        method=method,
        expect=expect,
        args=args,
        data=data,
        objects=_object_args(args),
        reveals=dict(reveals or {}),
        missing=missing,
        note=note,
    )


def op(
    route: str,
    method: str,
    *,
    scopes: tuple[str, ...],
    ok: Outcome,
    args: Args | None = None,
    body: Body = None,
    multipart: bool = False,
    seller_keys: Outcome | Mapping[str, Outcome] = 403,
    keys: Mapping[str, Outcome] | None = None,
    reveals: Mapping[str, tuple[str, ...]] | None = None,
    missing: Outcome | Mapping[str, Outcome] = 404,
    only: tuple[str, ...] = (),
    note: str = "",
    **who: Outcome,
) -> Rule:
    """An API operation: people by role and relation, keys by ``scopes``.

    A key holding every scope in ``scopes`` gets ``ok`` (``keys`` overrides
    one key), one lacking a scope 403 (``missing_scope``), the revoked key 401;
    keys bound to a seller get ``seller_keys``. Anonymous callers get 401
    unless ``anonymous`` says otherwise. ``only`` checks just those principals,
    for an answer that is the same for everyone and costly to make (say why in
    ``note``).
    """
    args = dict(args or {})
    expect = _resolve(who, default={ANONYMOUS: 401})
    for key, held in KEY_SCOPES.items():
        expect[key] = ok if set(scopes) <= held else 403
    expect[KEY_REVOKED] = 401
    if not scopes:
        seller_keys = ok  # nothing to lack: any valid key is let in
    if isinstance(seller_keys, Mapping):
        expect.update(seller_keys)
    else:
        expect.update(dict.fromkeys(SELLER_KEYS, seller_keys))
    expect.update(keys or {})
    if only:
        expect = {name: outcome for name, outcome in expect.items() if name in only}
    return Rule(
        route=route,
        method=method,
        expect=expect,
        args=args,
        data=body,
        json=not multipart,
        surface="api" if not only else "api-sampled",
        objects=_object_args(args),
        reveals=dict(reveals or {}),
        missing=missing,
        note=note,
    )


# --- What the requests send ---------------------------------------------------


def _fixed(values: dict[str, Any]) -> Body:
    return lambda world, principal: dict(values)


def _is_key(principal: str) -> bool:
    return principal.startswith("key:")


def _for_keys(values: dict[str, Any], **key_values: Callable[[World], Any] | str) -> Body:
    """Send ``values``; keys also name what people are (the buyer, the agent, the party)."""

    def body(world: World, principal: str) -> dict[str, Any]:
        if not _is_key(principal):
            return dict(values)
        named = {k: v(world) if callable(v) else v for k, v in key_values.items()}
        return {**values, **named}

    return body


def _agent_in(world: World) -> str:
    return world.people["agent_in"].username


def _buyer_a(world: World) -> str:
    return world.people["buyer_a"].username


def _contact_form(world: World, principal: str) -> dict[str, Any]:
    return {
        "order_number": "MP-S100",
        "transaction_id": "TX-77",
        "amount": "12.50",
        "subject": "Charged but no order",
        "description": "The payment went through twice.",
    }


def _evidence_form(world: World, principal: str) -> dict[str, Any]:
    return {"evidence": [png_file("more-proof.png")]}


def _agent_reply(world: World, principal: str) -> dict[str, Any]:
    return {"reply-body": "Checking now.", "reply-visibility": "public", "reply-send_anyway": "on"}


def _assign_form(world: World, principal: str) -> dict[str, Any]:
    return {"assign-agent": world.people["agent_in"].pk, "assign-reason": "Knows the case"}


def _move_form(world: World, principal: str) -> dict[str, Any]:
    return {"move-queue": world.ids["queue_pk:en-warranty"], "move-reason": "About the kettle"}


def _claim_form(world: World, principal: str) -> dict[str, Any]:
    return {"item": world.ids["free_item"], "defect": "It leaks.", "remedy": "repair"}


def _dispute_form(world: World, principal: str) -> dict[str, Any]:
    return {
        "order_number": world.ids["free_order"],
        "reason": "damaged",
        "wanted_outcome": "full_refund",
        "description": "Dented on arrival.",
    }


# --- The desk's pages -----------------------------------------------------------

# A page only buyers use: anyone else signed in is refused by role.
BUYER_PAGE: dict[str, Outcome] = {ANONYMOUS: LOGIN, "sellers": 403, "staff": 403}
SELLER_PAGE: dict[str, Outcome] = {ANONYMOUS: LOGIN, "buyers": 403, "staff": 403}
AGENT_PAGE: dict[str, Outcome] = {ANONYMOUS: LOGIN, "buyers": 403, "sellers": 403}
PUBLIC: dict[str, Outcome] = {"everyone": 200}
TICKET = {"ticket_id": "ticket"}
DISPUTE = {"dispute_id": "dispute"}
CLAIM = {"claim_id": "claim"}
NOTES = (
    # What agent_in and the supervisor must see on A's ticket page (so the leak check can see).
    "note-only-agents-read-q7v",
    "memo-only-agents-read-q7v.txt",
)


def page_rules() -> list[Rule]:
    """Pages of the help centre, the buyer's requests and cases, sellers, agents, accounts."""
    return [
        page("", everyone=302),
        page("healthz", **PUBLIC),
        page("readyz", **PUBLIC),
        # The help centre is public; the assistant's feedback is the asker's own.
        page("help:home", **PUBLIC),
        page("help:search", base=PUBLIC, note="GET with ?q= is tried by the XSS suite"),
        page("help:suggest", **PUBLIC),
        page("help:assistant", **PUBLIC),
        page("help:assistant", "POST", data=_fixed({"question": "payment failed"}), **PUBLIC),
        page(
            "help:assistant-feedback",
            "POST",
            args={"question_id": "question"},
            data=_fixed({"helpful": "yes"}),
            everyone=302,
            missing=302,
            note="back to the assistant whoever asks; only the asker's answer is recorded "
            "(test_feedback_on_someone_elses_question_changes_nothing)",
        ),
        page("help:contact", **PUBLIC),
        page("help:topic", args={"topic_slug": "topic"}, **PUBLIC),
        page("help:entry", args={"topic_slug": "topic", "entry_slug": "entry_slug"}, **PUBLIC),
        page(
            "help:entry",
            args={"topic_slug": "topic", "entry_slug": "draft_slug"},
            everyone=404,
            note="an unpublished answer is not there for anyone",
        ),
        page(
            "help:entry-feedback",
            "POST",
            args={"topic_slug": "topic", "entry_slug": "entry_slug"},
            data=_fixed({"helpful": "no"}),
            everyone=302,
            missing=404,
        ),
        page(
            "help:entry-contact",
            args={"topic_slug": "topic", "entry_slug": "entry_slug", "way": "email"},
            everyone=302,
            note="a redirect to the contact form (which asks to log in)",
        ),
        # A buyer's requests.
        page("requests:list", base=BUYER_PAGE, buyers=200),
        page(
            "requests:new",
            args={"entry_id": "entry", "way": "email"},
            base=BUYER_PAGE,
            buyers=200,
            missing=302,
            note="a missing answer sends the buyer back to the help centre",
        ),
        page(
            "requests:new",
            "POST",
            args={"entry_id": "entry", "way": "email"},
            data=_contact_form,
            base=BUYER_PAGE,
            buyers=302,
            missing=302,
        ),
        page(
            "requests:detail",
            args=TICKET,
            base=BUYER_PAGE,
            buyer_a=200,
            buyer_b=404,
        ),
        page(
            "requests:detail",
            args={"ticket_id": "ticket_b"},
            base=BUYER_PAGE,
            buyer_a=404,
            buyer_b=200,
            reveals={"buyer_b": (B_SUBJECT, B_FILE_NAME)},
        ),
        page(
            "requests:reply",
            "POST",
            args=TICKET,
            data=_fixed({"body": "Any news?"}),
            base=BUYER_PAGE,
            buyer_a=302,
            buyer_b=404,
        ),
        page(
            "requests:live",
            args=TICKET,
            base=BUYER_PAGE,
            anonymous=401,
            buyer_a=200,
            buyer_b=404,
        ),
        page("requests:solve", "POST", args=TICKET, base=BUYER_PAGE, buyer_a=302, buyer_b=404),
        page(
            "requests:file",
            args={"ticket_id": "ticket", "attachment_id": "attachment"},
            anonymous=LOGIN,
            people=404,
            buyer_a=200,
            note="files answer 404 to anyone but the owner, whatever their role",
        ),
        page(
            "requests:file",
            args={"ticket_id": "ticket", "attachment_id": "note_attachment"},
            anonymous=LOGIN,
            people=404,
            note="an internal note's file does not exist for the buyer",
        ),
        page(
            "requests:file",
            args={"ticket_id": "ticket", "attachment_id": "attachment_b"},
            anonymous=LOGIN,
            people=404,
            note="another buyer's file through one's own ticket",
        ),
        page(
            "requests:rate",
            "POST",
            args={"ticket_id": "ticket_solved"},
            data=_fixed({"score": "5", "comment": "Quick"}),
            base=BUYER_PAGE,
            buyer_a=302,
            buyer_b=404,
        ),
        page(
            "requests:accept-answer",
            "POST",
            args={"ticket_id": "ticket", "entry_id": "assistant_entry"},
            base=BUYER_PAGE,
            buyer_a=302,
            buyer_b=404,
        ),
        # A buyer's disputes and warranty claims.
        page("disputes:list", base=BUYER_PAGE, buyers=200),
        page("disputes:new", base=BUYER_PAGE, buyers=200),
        page(
            "disputes:new",
            "POST",
            data=_dispute_form,
            base=BUYER_PAGE,
            buyer_a=302,
            buyer_b=400,
            note="B cannot open a dispute on A's order",
        ),
        page("disputes:claim-new", base=BUYER_PAGE, buyers=200),
        page(
            "disputes:claim-new",
            "POST",
            data=_claim_form,
            base=BUYER_PAGE,
            buyer_a=302,
            buyer_b=400,
            note="B cannot claim on A's item",
        ),
        page("disputes:dispute", args=DISPUTE, base=BUYER_PAGE, buyer_a=200, buyer_b=404),
        page(
            "disputes:accept-offer",
            "POST",
            args={"dispute_id": "dispute_countered"},
            base=BUYER_PAGE,
            buyer_a=302,
            buyer_b=404,
        ),
        page(
            "disputes:escalate",
            "POST",
            args={"dispute_id": "dispute_countered"},
            base=BUYER_PAGE,
            buyer_a=302,
            buyer_b=404,
        ),
        page("disputes:withdraw", "POST", args=DISPUTE, base=BUYER_PAGE, buyer_a=302, buyer_b=404),
        page(
            "disputes:dispute-evidence",
            "POST",
            args=DISPUTE,
            data=_evidence_form,
            base=BUYER_PAGE,
            buyer_a=302,
            buyer_b=404,
        ),
        page("disputes:claim", args=CLAIM, base=BUYER_PAGE, buyer_a=200, buyer_b=404),
        page(
            "disputes:claim-withdraw", "POST", args=CLAIM, base=BUYER_PAGE, buyer_a=302, buyer_b=404
        ),
        page(
            "disputes:claim-evidence",
            "POST",
            args=CLAIM,
            data=_evidence_form,
            base=BUYER_PAGE,
            buyer_a=302,
            buyer_b=404,
        ),
        # Evidence: the case's parties and the desk's staff, nobody else.
        *(
            page(
                route,
                args={"evidence_id": evidence},
                anonymous=LOGIN,
                people=404,
                buyer_a=200,
                seller=200,
                staff=200,
            )
            for route in ("disputes:evidence", "seller:evidence")
            for evidence in ("evidence", "claim_evidence")
        ),
        # Sellers answer the cases on their own shops' orders.
        page("seller:home", base=SELLER_PAGE, sellers=200),
        page("seller:dispute", args=DISPUTE, base=SELLER_PAGE, seller=200, seller_b=404),
        page(
            "seller:dispute-accept",
            "POST",
            args=DISPUTE,
            data=_fixed({"accept-statement": "Sorry about that"}),
            base=SELLER_PAGE,
            seller=302,
            seller_b=404,
        ),
        page(
            "seller:dispute-reject",
            "POST",
            args=DISPUTE,
            data=_fixed({"reject-statement": "It left intact"}),
            base=SELLER_PAGE,
            seller=302,
            seller_b=404,
        ),
        page(
            "seller:dispute-counter",
            "POST",
            args=DISPUTE,
            data=_fixed({"counter-amount": "5.00", "counter-statement": "Half"}),
            base=SELLER_PAGE,
            seller=302,
            seller_b=404,
        ),
        page(
            "seller:dispute-evidence",
            "POST",
            args=DISPUTE,
            data=_evidence_form,
            base=SELLER_PAGE,
            seller=302,
            seller_b=404,
        ),
        page("seller:claim", args=CLAIM, base=SELLER_PAGE, seller=200, seller_b=404),
        page(
            "seller:claim-accept",
            "POST",
            args=CLAIM,
            data=_fixed({"accept-statement": ""}),
            base=SELLER_PAGE,
            seller=302,
            seller_b=404,
        ),
        page(
            "seller:claim-refuse",
            "POST",
            args=CLAIM,
            data=_fixed({"refuse-statement": "Misuse"}),
            base=SELLER_PAGE,
            seller=302,
            seller_b=404,
        ),
        page(
            "seller:claim-evidence",
            "POST",
            args=CLAIM,
            data=_evidence_form,
            base=SELLER_PAGE,
            seller=302,
            seller_b=404,
        ),
        # The agent workspace: an agent works the tickets of their queues; supervisors all.
        page("agent:home", base=AGENT_PAGE, staff=200),
        page("agent:home-live", base=AGENT_PAGE, anonymous=401, staff=200),
        page(
            "agent:presence", "POST", data=_fixed({"presence": "away"}), base=AGENT_PAGE, staff=302
        ),
        page("agent:take-next", "POST", base=AGENT_PAGE, staff=302),
        page(
            "agent:ticket",
            args=TICKET,
            base=AGENT_PAGE,
            agent_in=200,
            agent_out=404,
            supervisor=200,
            reveals={"agent_in": NOTES, "supervisor": NOTES},
        ),
        page(
            "agent:ticket",
            args={"ticket_id": "ticket_b"},
            base=AGENT_PAGE,
            agent_in=404,
            agent_out=200,
            supervisor=200,
            reveals={"agent_out": (B_SUBJECT, B_FILE_NAME)},
        ),
        page(
            "agent:ticket-live",
            args=TICKET,
            base=AGENT_PAGE,
            anonymous=401,
            agent_in=200,
            agent_out=404,
            supervisor=200,
        ),
        page(
            "agent:ticket-reply",
            "POST",
            args=TICKET,
            data=_agent_reply,
            base=AGENT_PAGE,
            agent_in=302,
            agent_out=404,
            supervisor=302,
        ),
        page(
            "agent:ticket-macro",
            "POST",
            args=TICKET,
            data=lambda world, principal: {"macro": world.ids["macro"]},
            base=AGENT_PAGE,
            agent_in=200,
            agent_out=404,
            supervisor=200,
        ),
        page(
            "agent:ticket-status",
            "POST",
            args=TICKET,
            data=_fixed({"status-status": "pending"}),
            base=AGENT_PAGE,
            agent_in=302,
            agent_out=404,
            supervisor=302,
        ),
        page(
            "agent:ticket-priority",
            "POST",
            args=TICKET,
            data=_fixed({"priority-priority": "3"}),
            base=AGENT_PAGE,
            agent_in=302,
            agent_out=404,
            supervisor=302,
        ),
        page(
            "agent:ticket-assign",
            "POST",
            args=TICKET,
            data=_assign_form,
            base=AGENT_PAGE,
            agent_in=302,
            agent_out=404,
            supervisor=302,
        ),
        page(
            "agent:ticket-move",
            "POST",
            args=TICKET,
            data=_move_form,
            base=AGENT_PAGE,
            agent_in=302,
            agent_out=404,
            supervisor=302,
        ),
        page(
            "agent:ticket-case-decide",
            "POST",
            args={"ticket_id": "escalation_ticket"},
            data=_fixed({"decide-refund_amount": "10.00", "decide-note": "Half back"}),
            base=AGENT_PAGE,
            agent_in=302,
            agent_out=404,
            supervisor=302,
        ),
        page(
            "agent:ticket-case-decide",
            "POST",
            args={"ticket_id": "claim_ticket"},
            data=_fixed({"decide-remedy": "repair", "decide-note": "Repair it"}),
            base=AGENT_PAGE,
            agent_in=302,
            agent_out=404,
            supervisor=302,
        ),
        page(
            "agent:ticket-file",
            args={"ticket_id": "ticket", "attachment_id": "note_attachment"},
            anonymous=LOGIN,
            people=404,
            agent_in=200,
            supervisor=200,
        ),
        page(
            "agent:ticket-file",
            args={"ticket_id": "ticket_b", "attachment_id": "attachment_b"},
            anonymous=LOGIN,
            people=404,
            agent_out=200,
            supervisor=200,
        ),
        page(
            "agent:ticket-file",
            args={"ticket_id": "ticket", "attachment_id": "attachment_b"},
            anonymous=LOGIN,
            people=404,
            note="a file of another ticket through a visible one",
        ),
        # Reports: agents see their own figures, supervisors every figure.
        page("reports:page", base=AGENT_PAGE, staff=200),
        page("reports:csv", args={"figure": "opened"}, base=AGENT_PAGE, staff=200),
        page(
            "reports:csv",
            args={"figure": "backlog"},
            base=AGENT_PAGE,
            agents=404,
            supervisor=200,
            note="an agent's own report has fewer figures",
        ),
        page("reports:board", base=AGENT_PAGE, staff=200),
        page("reports:board-live", base=AGENT_PAGE, anonymous=401, staff=200),
        # Accounts: anyone may sign up or log in; signed-in people are sent home.
        page("accounts:signup", anonymous=200, people=302),
        page(
            "accounts:signup",
            "POST",
            data=_fixed(
                {
                    "username": "newcomer-q7v",
                    "email": "newcomer@example.com",
                    "password1": "a-long-new-password-9",
                    "password2": "a-long-new-password-9",
                }
            ),
            everyone=302,
        ),
        page("accounts:signup-sent", everyone=200),
        page("accounts:signup-link", args={"token": "not-a-token"}, everyone=400),
        page("accounts:signup-finish", everyone=400, note="no confirmed address in the session"),
        page("accounts:password-reset", everyone=200),
        page(
            "accounts:password-reset",
            "POST",
            data=_fixed({"email": "buyer.a@example.com"}),
            everyone=302,
        ),
        page("accounts:password-reset-sent", everyone=200),
        page(
            "accounts:password-reset-confirm",
            args={"uidb64": "MQ", "token": "not-a-token"},
            everyone=200,
            note="the page says the link is not valid",
        ),
        page("accounts:password-reset-done", everyone=200),
        page("accounts:login", anonymous=200, people=302),
        page("accounts:logout", "POST", everyone=302),
        page("accounts:home", everyone=302),
        page("accounts:language", "POST", data=_fixed({"language": "ru"}), everyone=302),
        # Mail providers post inbound mail signed with a shared secret; nothing else counts.
        page("inbound-mail", "POST", data=_fixed({"subject": "hi"}), everyone=503),
    ]


# --- The API ----------------------------------------------------------------------

# People by role on an operation only agents and supervisors use.
STAFF_OP: dict[str, Outcome] = {"buyers": 403, "sellers": 403}
SUPERVISOR_OP: dict[str, Outcome] = {"buyers": 403, "sellers": 403, "agents": 403}
NO_PEOPLE: dict[str, Outcome] = {"people": 403}  # integrators only
DISPUTE_ARGS = {"case_id": "dispute"}
CLAIM_ARGS = {"case_id": "claim"}
EVERY_DAY = {day: [["08:00", "20:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}


def _ticket_body(world: World, principal: str) -> dict[str, Any]:
    named = {"buyer": _buyer_a(world)} if _is_key(principal) else {}
    return {
        **named,
        "topic": "payment",
        "subject": "Charged twice",
        "description": "At checkout.",
        "order_number": "MP-S100",
        "transaction_id": "TX-9",
        "amount": "12.00",
    }


def _evidence_upload(world: World, principal: str) -> dict[str, Any]:
    named = {"party": "buyer"} if principal in (KEY_ALL, "key:disputes:write") else {}
    return {**named, "files": [png_file("api-proof.png")]}


def _order_body(world: World, principal: str) -> dict[str, Any]:
    return {
        "number": "MP-S900",
        "buyer": world.people["buyer_a"].username,
        "shop": "kitchen-shop",
        "status": "paid",
        "paid_at": "2026-05-01T10:00:00Z",
        "currency": "EUR",
        "items": [{"title": "Mug", "quantity": 1, "price": "8.00"}],
    }


def ticket_api_rules() -> list[Rule]:
    """Tickets, their messages, files, status, rating and the agents' changes."""
    reader = {"buyer_a": 200, "buyer_b": 404, "sellers": 403, "agent_in": 200, "agent_out": 404}
    writer = {"buyer_a": 200, "buyer_b": 404, "sellers": 403, "agent_in": 200, "agent_out": 404}
    agents_on_a = {"buyers": 403, "sellers": 403, "agent_in": 200, "agent_out": 404}
    return [
        op(
            "api:ticket-list",
            "GET",
            scopes=("tickets:read",),
            ok=200,
            buyers=200,
            sellers=403,
            staff=200,
        ),
        op(
            "api:ticket-list",
            "POST",
            scopes=("tickets:write",),
            ok=201,
            body=_ticket_body,
            buyers=201,
            sellers=403,
            staff=403,
        ),
        op(
            "api:ticket-detail",
            "GET",
            scopes=("tickets:read",),
            ok=200,
            args=TICKET,
            **reader,
            supervisor=200,
            reveals={"agent_in": NOTES, "supervisor": NOTES, KEY_ALL: NOTES},
        ),
        op(
            "api:ticket-detail",
            "GET",
            scopes=("tickets:read",),
            ok=200,
            args={"ticket_id": "ticket_b"},
            buyer_a=404,
            buyer_b=200,
            sellers=403,
            agent_in=404,
            agent_out=200,
            supervisor=200,
        ),
        op(
            "api:ticket-messages",
            "POST",
            scopes=("tickets:write",),
            ok=201,
            args=TICKET,
            body=_fixed({"body": "More details."}),
            buyer_a=201,
            buyer_b=404,
            sellers=403,
            agent_in=201,
            agent_out=404,
            supervisor=201,
        ),
        op(
            "api:ticket-status",
            "POST",
            scopes=("tickets:write",),
            ok=200,
            args=TICKET,
            body=_fixed({"status": "solved"}),
            **writer,
            supervisor=200,
        ),
        op(
            "api:ticket-take-next",
            "POST",
            scopes=("agents:write",),
            ok=204,
            body=_for_keys({}, agent=_agent_in),
            **STAFF_OP,
            agents=204,
            supervisor=404,
            note="nothing waits in agent_in's queues; the supervisor takes no tickets (no "
            "queues: 404 agent_not_found)",
        ),
        op(
            "api:ticket-assign",
            "POST",
            scopes=("agents:write",),
            ok=200,
            args=TICKET,
            body=lambda world, principal: {
                "assignee": _agent_in(world),
                **({"agent": _agent_in(world)} if _is_key(principal) else {}),
            },
            **agents_on_a,
            supervisor=200,
        ),
        op(
            "api:ticket-attachment",
            "GET",
            scopes=("tickets:read",),
            ok=200,
            args={"ticket_id": "ticket", "attachment_id": "attachment"},
            **reader,
            supervisor=200,
        ),
        op(
            "api:ticket-attachment",
            "GET",
            scopes=("tickets:read",),
            ok=404,
            args={"ticket_id": "ticket", "attachment_id": "note_attachment"},
            buyers=404,
            sellers=403,
            agent_in=200,
            agent_out=404,
            supervisor=200,
            keys={KEY_ALL: 200},
            note="a note's file exists only for agent eyes",
        ),
        op(
            "api:ticket-attachment",
            "GET",
            scopes=("tickets:read",),
            ok=404,
            args={"ticket_id": "ticket", "attachment_id": "attachment_b"},
            buyers=404,
            sellers=403,
            staff=404,
            note="another ticket's file through this one",
        ),
        op(
            "api:ticket-rating",
            "POST",
            scopes=("tickets:write",),
            ok=200,
            args={"ticket_id": "ticket_solved"},
            body=_fixed({"score": 4, "comment": "Fine"}),
            buyer_a=200,
            buyer_b=404,
            sellers=403,
            staff=403,
        ),
        op(
            "api:ticket-transfer",
            "POST",
            scopes=("tickets:write",),
            ok=200,
            args=TICKET,
            body=_fixed({"queue": "en-warranty", "reason": "About the kettle"}),
            **agents_on_a,
            supervisor=200,
        ),
        op(
            "api:ticket-priority",
            "POST",
            scopes=("tickets:write",),
            ok=200,
            args=TICKET,
            body=_fixed({"priority": "high", "reason": "Waited long"}),
            **agents_on_a,
            supervisor=200,
        ),
        op(
            "api:ticket-assistant-answer",
            "POST",
            scopes=("tickets:write",),
            ok=200,
            args=TICKET,
            body=lambda world, principal: {"entry": world.ids["assistant_entry"]},
            buyer_a=200,
            buyer_b=404,
            sellers=403,
            staff=403,
        ),
        op(
            "api:ticket-events",
            "GET",
            scopes=("tickets:read", "agents:read"),
            ok=200,
            args=TICKET,
            **agents_on_a,
            supervisor=200,
            reveals={"agent_in": ("assign-reason-only-agents-read-q7v",)},
        ),
    ]


def desk_setup_api_rules() -> list[Rule]:
    """Queues, hours, holidays, SLA policies, macros and agents: agents read, supervisors write."""
    queue = {"slug": "queue"}
    return [
        op("api:queue-list", "GET", scopes=("agents:read",), ok=200, **STAFF_OP, staff=200),
        op(
            "api:queue-list",
            "POST",
            scopes=("agents:write",),
            ok=201,
            body=_fixed({"slug": "en-shipping", "name": "Shipping", "language": "en"}),
            **SUPERVISOR_OP,
            supervisor=201,
        ),
        op(
            "api:queue-detail",
            "GET",
            scopes=("agents:read",),
            ok=200,
            args=queue,
            **STAFF_OP,
            staff=200,
        ),
        op(
            "api:queue-detail",
            "PATCH",
            scopes=("agents:write",),
            ok=200,
            args=queue,
            body=_fixed({"name": "Payments"}),
            **SUPERVISOR_OP,
            supervisor=200,
        ),
        op(
            "api:queue-hours",
            "GET",
            scopes=("agents:read",),
            ok=200,
            args=queue,
            **STAFF_OP,
            staff=200,
        ),
        op(
            "api:queue-hours",
            "PUT",
            scopes=("agents:write",),
            ok=200,
            args=queue,
            body=_fixed({"time_zone": "Europe/Berlin", "weekly_hours": EVERY_DAY}),
            **SUPERVISOR_OP,
            supervisor=200,
        ),
        op(
            "api:queue-holidays",
            "GET",
            scopes=("agents:read",),
            ok=200,
            args=queue,
            **STAFF_OP,
            staff=200,
        ),
        op(
            "api:queue-holidays",
            "POST",
            scopes=("agents:write",),
            ok=201,
            args=queue,
            body=_fixed({"date": "2030-12-25", "name": "Christmas"}),
            **SUPERVISOR_OP,
            supervisor=201,
        ),
        op(
            "api:queue-holiday",
            "DELETE",
            scopes=("agents:write",),
            ok=200,
            args={"slug": "queue", "day": "holiday"},
            **SUPERVISOR_OP,
            supervisor=200,
        ),
        op("api:sla-policy-list", "GET", scopes=("agents:read",), ok=200, **STAFF_OP, staff=200),
        op(
            "api:sla-policy-list",
            "POST",
            scopes=("agents:write",),
            ok=201,
            body=_fixed(
                {
                    "name": "Premium",
                    "targets": [
                        {
                            "priority": "normal",
                            "first_response_minutes": 30,
                            "resolution_minutes": 600,
                        }
                    ],
                }
            ),
            **SUPERVISOR_OP,
            supervisor=201,
        ),
        op(
            "api:sla-policy-detail",
            "GET",
            scopes=("agents:read",),
            ok=200,
            args={"policy_id": "sla_policy"},
            **STAFF_OP,
            staff=200,
        ),
        op(
            "api:sla-policy-detail",
            "PATCH",
            scopes=("agents:write",),
            ok=200,
            args={"policy_id": "sla_policy"},
            body=_fixed(
                {
                    "targets": [
                        {
                            "priority": "high",
                            "first_response_minutes": 20,
                            "resolution_minutes": 300,
                        }
                    ]
                }
            ),
            **SUPERVISOR_OP,
            supervisor=200,
        ),
        op("api:macro-list", "GET", scopes=("agents:read",), ok=200, **STAFF_OP, staff=200),
        op(
            "api:macro-list",
            "POST",
            scopes=("agents:write",),
            ok=201,
            body=_fixed({"name": "Hello", "language": "en", "body": "Hello {buyer_name}"}),
            **SUPERVISOR_OP,
            supervisor=201,
        ),
        *(
            op(
                "api:macro-detail",
                method,
                scopes=("agents:write",),
                ok=ok,
                args={"macro_id": "macro"},
                body=body,
                **SUPERVISOR_OP,
                supervisor=ok,
            )
            for method, ok, body in (
                ("GET", 200, None),
                ("PATCH", 200, _fixed({"body": "Thanks, {buyer_name}!"})),
                ("DELETE", 200, None),
            )
        ),
        op("api:agent-list", "GET", scopes=("agents:read",), ok=200, **STAFF_OP, staff=200),
        op(
            "api:agent-detail",
            "GET",
            scopes=("agents:read",),
            ok=200,
            args={"username": "agent"},
            **STAFF_OP,
            staff=200,
        ),
        op(
            "api:agent-detail",
            "PUT",
            scopes=("agents:write",),
            ok=200,
            args={"username": "agent"},
            body=_fixed({"queues": ["en-payment"], "languages": ["en"], "capacity": 5}),
            **SUPERVISOR_OP,
            supervisor=200,
        ),
        op(
            "api:agent-presence",
            "POST",
            scopes=("agents:write",),
            ok=200,
            args={"username": "agent"},
            body=_fixed({"presence": "away"}),
            **STAFF_OP,
            agent_in=200,
            agent_out=403,
            supervisor=200,
            missing={"agent_in": 403},
            note="an agent sets only their own presence, refused before any look-up",
        ),
    ]


def help_api_rules() -> list[Rule]:
    """Topics and answers (read by everyone signed in), feedback, the assistant, FAQ management."""
    entry = {"entry_id": "entry"}
    return [
        op("api:faq-topic-list", "GET", scopes=("faq:read",), ok=200, people=200),
        op(
            "api:faq-topic-list",
            "POST",
            scopes=("faq:write",),
            ok=201,
            body=_fixed({"slug": "shipping", "name": {"en": "Shipping"}}),
            **SUPERVISOR_OP,
            supervisor=201,
        ),
        op(
            "api:faq-topic-manage",
            "GET",
            scopes=("faq:write",),
            ok=200,
            args={"topic": "topic"},
            **SUPERVISOR_OP,
            supervisor=200,
        ),
        op(
            "api:faq-topic-manage",
            "PATCH",
            scopes=("faq:write",),
            ok=200,
            args={"topic": "topic"},
            body=_fixed({"icon": "card"}),
            **SUPERVISOR_OP,
            supervisor=200,
        ),
        op("api:faq-entry-list", "GET", scopes=("faq:read",), ok=200, people=200),
        op(
            "api:faq-suggest",
            "GET",
            scopes=("faq:read",),
            ok=200,
            body=_fixed({"q": "payment"}),
            people=200,
        ),
        op("api:faq-entry-detail", "GET", scopes=("faq:read",), ok=200, args=entry, people=200),
        op(
            "api:faq-entry-detail",
            "GET",
            scopes=("faq:read",),
            ok=404,
            args={"entry_id": "draft"},
            people=404,
            note="an unpublished answer does not exist for readers",
        ),
        op(
            "api:faq-feedback",
            "POST",
            scopes=("faq:read",),
            ok=200,
            args=entry,
            body=_for_keys({"helpful": True}, visitor="end-buyer-7"),
            anonymous=200,
            people=200,
        ),
        op(
            "api:assistant-ask",
            "POST",
            scopes=("faq:read",),
            ok=200,
            body=_for_keys({"question": "my refund is late"}, visitor="end-buyer-7"),
            anonymous=200,
            people=200,
        ),
        op(
            "api:assistant-feedback",
            "POST",
            scopes=("faq:read",),
            ok=404,
            args={"question_id": "question"},
            body=_for_keys({"helpful": True}, visitor="end-buyer-7"),
            anonymous=404,
            people=404,
            buyer_a=200,
            note="only the visitor who asked answers",
        ),
        op(
            "api:faq-manage-list",
            "GET",
            scopes=("faq:write",),
            ok=200,
            **SUPERVISOR_OP,
            supervisor=200,
        ),
        op(
            "api:faq-manage-list",
            "POST",
            scopes=("faq:write",),
            ok=201,
            body=_fixed(
                {
                    "topic": "payment",
                    "slug": "new-answer",
                    "translations": [{"language": "en", "question": "New?", "answer": "Yes."}],
                }
            ),
            **SUPERVISOR_OP,
            supervisor=201,
        ),
        *(
            op(
                "api:faq-manage-detail",
                method,
                scopes=("faq:write",),
                ok=200,
                args={"entry_id": "draft"},
                body=body,
                **SUPERVISOR_OP,
                supervisor=200,
            )
            for method, body in (("GET", None), ("PATCH", _fixed({"sort_weight": 5})))
        ),
        *(
            op(
                route,
                "POST",
                scopes=("faq:write",),
                ok=200,
                args={"entry_id": "draft"},
                **SUPERVISOR_OP,
                supervisor=200,
            )
            for route in ("api:faq-manage-publish", "api:faq-manage-unpublish")
        ),
        op(
            "api:faq-manage-translation",
            "PUT",
            scopes=("faq:write",),
            ok=200,
            args={"entry_id": "draft", "language": "ru"},
            body=_fixed({"question": "Черновик?", "answer": "Да."}),
            **SUPERVISOR_OP,
            supervisor=200,
        ),
        op(
            "api:faq-manage-translation",
            "DELETE",
            scopes=("faq:write",),
            ok=200,
            args={"entry_id": "draft", "language": "ru"},
            **SUPERVISOR_OP,
            supervisor=200,
        ),
    ]


def market_api_rules() -> list[Rule]:
    """Orders, disputes and warranty claims: parties see their own, the desk sees all."""
    party_read = {
        "buyer_a": 200,
        "buyer_b": 404,
        "seller": 200,
        "seller_b": 404,
        "staff": 200,
    }
    seller_keys_read = {"key:seller": 200, KEY_SELLER_B: 404}
    seller_step = {"buyers": 403, "seller": 200, "seller_b": 404, "staff": 403}
    buyer_step = {"buyer_a": 200, "buyer_b": 404, "sellers": 403, "staff": 403}
    agent_step = {"buyers": 403, "sellers": 403, "agent_in": 200, "agent_out": 404}
    rules = [
        op(
            "api:order-list",
            "GET",
            scopes=("orders:read",),
            ok=200,
            seller_keys=200,
            people=200,
        ),
        *(
            op(
                "api:order-list",
                method,
                scopes=("orders:write",),
                ok=200,
                body=_order_body,
                **NO_PEOPLE,
            )
            for method in ("POST", "PUT")
        ),
        op(
            "api:order-detail",
            "GET",
            scopes=("orders:read",),
            ok=200,
            args={"number": "order"},
            seller_keys=seller_keys_read,
            **party_read,
        ),
    ]
    for kind, case, prefix in (
        ("dispute", "dispute", "api/v1/disputes/<int:case_id>/"),
        ("claim", "claim", "api/v1/warranty-claims/<int:case_id>/"),
    ):
        listing = "api:dispute-list" if kind == "dispute" else "api:warranty-claim-list"
        detail = "api:dispute-detail" if kind == "dispute" else "api:warranty-claim-detail"
        args = {"case_id": case}
        rules += [
            op(listing, "GET", scopes=("disputes:read",), ok=200, seller_keys=200, people=200),
            op(
                listing,
                "POST",
                scopes=("disputes:write",),
                ok=201,
                body=(
                    (
                        lambda world, principal: {
                            "order": world.ids["free_order"],
                            "reason": "damaged",
                            "wanted_outcome": "full_refund",
                            "description": "Dented.",
                        }
                    )
                    if kind == "dispute"
                    else (
                        lambda world, principal: {
                            "item": world.ids["free_item"],
                            "defect": "Leaks.",
                            "remedy": "repair",
                        }
                    )
                ),
                buyer_a=201,
                buyer_b=404,
                sellers=403,
                staff=403,
                note="B cannot open a case on A's order",
            ),
            op(
                detail,
                "GET",
                scopes=("disputes:read",),
                ok=200,
                args=args,
                seller_keys=seller_keys_read,
                **party_read,
            ),
            op(
                prefix + "evidence/",
                "POST",
                scopes=("disputes:write",),
                ok=201,
                args=args,
                body=_evidence_upload,
                multipart=True,
                seller_keys={"key:seller": 201, KEY_SELLER_B: 404},
                buyer_a=201,
                buyer_b=404,
                seller=201,
                seller_b=404,
                staff=403,
            ),
            op(
                prefix + "evidence/<int:evidence_id>/",
                "GET",
                scopes=("disputes:read",),
                ok=200,
                args={
                    "case_id": case,
                    "evidence_id": f"{case}_evidence" if kind == "claim" else "evidence",
                },
                seller_keys=seller_keys_read,
                **party_read,
            ),
            op(
                prefix + "evidence/<int:evidence_id>/",
                "GET",
                scopes=("disputes:read",),
                ok=404,
                args={
                    "case_id": case,
                    "evidence_id": "claim_evidence" if kind == "dispute" else "evidence",
                },
                seller_keys=404,
                buyers=404,
                sellers=404,
                staff=404,
                note="evidence of another case through this one",
            ),
        ]
    statement = _fixed({"statement": "As agreed."})
    rules += [
        *(
            op(
                f"api/v1/disputes/<int:case_id>/{step}/",
                "POST",
                scopes=("disputes:write",),
                ok=200,
                args=DISPUTE_ARGS,
                body=body,
                seller_keys={"key:seller": 200, KEY_SELLER_B: 404},
                **seller_step,
            )
            for step, body in (
                ("accept", statement),
                ("reject", statement),
                ("counter-offer", _fixed({"amount": "5.00", "statement": "Half"})),
            )
        ),
        *(
            op(
                f"api/v1/disputes/<int:case_id>/{step}/",
                "POST",
                scopes=("disputes:write",),
                ok=200,
                args={"case_id": case},
                body=_fixed({}),
                **buyer_step,
            )
            for step, case in (
                ("accept-offer", "dispute_countered"),
                ("escalate", "dispute_countered"),
                ("cancel", "dispute"),
            )
        ),
        op(
            "api/v1/disputes/<int:case_id>/decide/",
            "POST",
            scopes=("disputes:write", "agents:write"),
            ok=200,
            args={"case_id": "dispute_escalated"},
            body=_for_keys(
                {"refund_amount": "10.00", "return_required": False, "note": "Half back"},
                agent=_agent_in,
            ),
            **agent_step,
            supervisor=200,
            note="an agent decides only the cases whose ticket they may work, as on the web",
        ),
        *(
            op(
                f"api/v1/warranty-claims/<int:case_id>/{step}/",
                "POST",
                scopes=("disputes:write",),
                ok=200,
                args=CLAIM_ARGS,
                body=statement,
                seller_keys={"key:seller": 200, KEY_SELLER_B: 404},
                **seller_step,
            )
            for step in ("accept", "refuse")
        ),
        op(
            "api/v1/warranty-claims/<int:case_id>/cancel/",
            "POST",
            scopes=("disputes:write",),
            ok=200,
            args=CLAIM_ARGS,
            body=_fixed({}),
            **buyer_step,
        ),
        op(
            "api/v1/warranty-claims/<int:case_id>/decide/",
            "POST",
            scopes=("disputes:write", "agents:write"),
            ok=200,
            args={"case_id": "claim_escalated"},
            body=_for_keys({"remedy": "repair", "note": "Repair it"}, agent=_agent_in),
            **agent_step,
            supervisor=200,
        ),
    ]
    return rules


def webhook_api_rules() -> list[Rule]:
    """Webhook subscriptions: each key its own; people have none."""
    hook = {"subscription_id": "subscription"}
    owner = {KEY_HOOK_OWNER: 200}
    return [
        op("api:webhook-list", "GET", scopes=("webhooks:read",), ok=200, **NO_PEOPLE),
        op(
            "api:webhook-list",
            "POST",
            scopes=("webhooks:write",),
            ok=201,
            body=_fixed({"url": "http://127.0.0.1:9/new-hook", "events": ["dispute.*"]}),
            keys={"key:webhooks:write": 400},
            **NO_PEOPLE,
            note="a key hears only of what its scopes let it read",
        ),
        op(
            "api:webhook-detail",
            "GET",
            scopes=("webhooks:read",),
            ok=404,
            args=hook,
            keys=owner,
            **NO_PEOPLE,
        ),
        op(
            "api:webhook-detail",
            "PATCH",
            scopes=("webhooks:write",),
            ok=404,
            args=hook,
            body=_fixed({"description": "Ours"}),
            keys=owner,
            **NO_PEOPLE,
        ),
        op(
            "api:webhook-detail",
            "DELETE",
            scopes=("webhooks:write",),
            ok=404,
            args=hook,
            keys={KEY_HOOK_OWNER: 204},
            **NO_PEOPLE,
        ),
        op(
            "api:webhook-delivery-list",
            "GET",
            scopes=("webhooks:read",),
            ok=404,
            args=hook,
            keys=owner,
            **NO_PEOPLE,
        ),
        op(
            "api:webhook-redeliver",
            "POST",
            scopes=("webhooks:write",),
            ok=404,
            args={"subscription_id": "subscription", "delivery_id": "delivery"},
            keys={KEY_HOOK_OWNER: 409},
            **NO_PEOPLE,
            note="the owner is told the delivery is not finished yet",
        ),
    ]


def api_rules() -> list[Rule]:
    """Every operation of /api/v1/, the schema and the docs."""
    return [
        op("api:root", "GET", scopes=(), ok=200, anonymous=200, people=200),
        op("api:me", "GET", scopes=(), ok=200, people=200),
        op("api:buyer-list", "GET", scopes=("buyers:read",), ok=200, **STAFF_OP, staff=200),
        op(
            "api:buyer-detail",
            "GET",
            scopes=("buyers:read",),
            ok=200,
            args={"username": "buyer"},
            **STAFF_OP,
            staff=200,
        ),
        *(
            op(
                route,
                "GET",
                scopes=(),
                ok=200,
                anonymous=200,
                people=200,
                only=(ANONYMOUS, "buyer_a", "seller", "supervisor", KEY_ALL, KEY_REVOKED),
                note="public and the same for everyone; the schema takes a second to make",
            )
            for route in ("api-schema", "api-docs")
        ),
        *ticket_api_rules(),
        *desk_setup_api_rules(),
        *help_api_rules(),
        *market_api_rules(),
        *webhook_api_rules(),
    ]


# --- The Django admin ---------------------------------------------------------------

# Only staff (the supervisor) gets in; everyone else is sent to the admin's log-in page.
ADMIN: dict[str, Outcome] = {"everyone": ADMIN_LOGIN, "supervisor": 200}
# What the supervisor may not do in the admin, by model. Rows the desk's services write
# (tickets, cases, orders, logs) are not added or deleted by hand; groups (permissions)
# are the superuser's alone, so a supervisor cannot grant themselves more.
_LOGS = frozenset({"add", "delete"})
ADMIN_REFUSED: dict[str, frozenset[str]] = {
    "auth_group": frozenset({"view", "add", "change", "delete"}),
    "api_idempotencyrecord": frozenset({"add"}),
    "audit_auditentry": _LOGS,
    "audit_claimhistory": _LOGS,
    "audit_disputehistory": _LOGS,
    "audit_tickethistory": _LOGS,
    "disputes_dispute": _LOGS,
    "disputes_warrantyclaim": _LOGS,
    "faq_assistantquestion": frozenset({"add"}),
    "orders_order": _LOGS,
    "orders_shop": frozenset({"delete"}),
    "support_desk_parkedtask": frozenset({"add"}),
    "tickets_inboundmail": _LOGS,
    "tickets_notification": _LOGS,
    "tickets_ticket": _LOGS,
    "webhooks_delivery": _LOGS,
}


def _first_pk(model: Any) -> Callable[[World], Any]:
    def first(world: World) -> Any:
        pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        assert pk is not None, f"the world has no {model._meta.label} for the admin's pages"
        return pk

    return first


def admin_rules() -> list[Rule]:
    """Every page of every model registered in the admin, and the admin's own pages."""
    from django.contrib import admin

    rules: list[Rule] = []
    for model in admin.site._registry:
        label = f"{model._meta.app_label}_{model._meta.model_name}"
        refused = ADMIN_REFUSED.get(label, frozenset())
        obj = {"object_id": _first_pk(model)}
        base = f"admin/{model._meta.app_label}/{model._meta.model_name}/"

        def supervisor(action: str, refused: frozenset[str] = refused) -> Outcome:
            return 403 if action in refused else 200

        rules += [
            page(f"admin:{label}_changelist", base=ADMIN, supervisor=supervisor("view")),
            page(f"admin:{label}_add", base=ADMIN, supervisor=supervisor("add")),
            page(
                f"admin:{label}_history",
                args=obj,
                base=ADMIN,
                supervisor=supervisor("view"),
                # Django's history page looks the object up before the permission.
                missing={"supervisor": 302},
            ),
            page(
                f"admin:{label}_change",
                args=obj,
                base=ADMIN,
                supervisor=supervisor("change" if "view" in refused else "view"),
                missing=302,
            ),
            page(
                f"admin:{label}_delete",
                args=obj,
                base=ADMIN,
                supervisor=supervisor("delete"),
                missing=302,
            ),
            page(base + "<path:object_id>/", args=obj, base=ADMIN, supervisor=302, missing=302),
        ]
    user = {"user_id": "user"}
    rules += [
        page("admin:index", base=ADMIN),
        page("admin:login", everyone=200, supervisor=302),
        page("admin:logout", "POST", everyone=302, note="to the admin's index, or logged out"),
        page("admin:password_change", base=ADMIN),
        page("admin:password_change_done", base=ADMIN),
        page("admin:autocomplete", base=ADMIN, supervisor=403),
        page("admin:jsi18n", base=ADMIN),
        page(
            "admin:view_on_site",
            args={"content_type_id": "ticket_content_type", "object_id": "ticket"},
            base=ADMIN,
            supervisor=404,
        ),
        page("admin:accounts_user_export", "POST", args=user, base=ADMIN),
        page("admin:accounts_user_erase", args=user, base=ADMIN),
        page("admin:auth_user_password_change", args={"id": "user"}, base=ADMIN, missing=404),
        page("admin:app_list", args={"app_label": "tickets"}, base=ADMIN),
        page(
            "admin/(?P<url>.*)$",
            args={"url": "no-such-page/"},
            base=ADMIN,
            supervisor=404,
        ),
    ]
    return rules


def rules() -> list[Rule]:
    """Return every rule of the matrix."""
    return [*page_rules(), *api_rules(), *admin_rules()]
