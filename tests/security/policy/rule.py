"""Rules of the access matrix: principals, their groups, and how a rule is written."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from api.scopes import SCOPES
from tests.security.world import (
    ANONYMOUS,
    KEY_ALL,
    KEY_HOOK_OWNER,
    KEY_REVOKED,
    KEY_SELLER_B,
    KEYS,
    PEOPLE,
    PRINCIPALS,
    World,
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
