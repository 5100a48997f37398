"""The OpenAPI schema is the contract: schemathesis calls every operation as each kind of caller.

The schema is generated in-process by drf-spectacular and the desk is called
through its WSGI application, on a small seeded desk (topics and answers,
queues and agents, tickets with a message and a file, an order, a dispute and
a warranty claim with evidence). For each caller (a buyer's session, an
agent's session, an integrator key with every scope, a key bound to a
seller) every operation gets cases generated from the schema, first with
paths naming the seeded objects, then with generated paths, and each answer
must:

- never be a server error (``not_a_server_error``);
- have a documented status code, content type and body shape
  (``status_code_conformance``, ``content_type_conformance``,
  ``response_schema_conformance``);
- when it succeeds with credentials, fail without them (``ignored_auth``).

A separate test calls every operation that needs credentials without any and
expects 401. Runs are deterministic (derandomized, no example database) and
bounded by ``DESK_CONTRACT_EXAMPLES`` cases per operation and caller.
"""

from __future__ import annotations

import json
import os
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import User
from api.scopes import SCOPES
from disputes import services as dispute_services
from disputes.models import DisputeReason, Remedy, WantedOutcome
from faq import services as faq_services
from orders import selectors as order_selectors
from orders.models import OrderStatus
from orders.services import ItemSpec, order_upsert, shop_upsert
from tests.conftest import add_to_summary
from tests.factories import SellerFactory, api_key_with
from tests.tickets.conftest import build_desk
from tickets import services as ticket_services
from tickets.models import Channel, Presence
from tickets.services.attachments import ticket_reply_by_buyer_with_files
from tickets.services.macros import macro_upsert

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("DESK_CONTRACT_EXAMPLES", "5"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    ignored_auth,
]
CSRF_TOKEN = "c" * 32  # a well-formed CSRF secret; sent as cookie and header alike
# Anything that varies between runs makes a contract failure hard to reproduce.
HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
    report_multiple_bugs=False,
)


# --- The desk, the schema and the application ----------------------------------


@dataclass
class Seeded:
    """The objects real paths name, and the people the callers are."""

    buyer: User
    agent: User
    seller: User
    paths: dict[str, Any]
    claim_paths: dict[str, Any]

    def paths_of(self, operation: Any) -> dict[str, Any]:
        """Return path parameters naming seeded objects, for the operation's parameters."""
        known = {**self.paths}
        if operation.path.startswith("/api/v1/warranty-claims/"):
            known.update(self.claim_paths)
        names = [parameter.name for parameter in operation.path_parameters]
        return {name: known[name] for name in names if name in known}


def seed() -> Seeded:
    """Build a small desk through the services, with one of each thing the API reads."""
    now = timezone.now()
    desk = build_desk()
    faq_services.faq_translation_put(
        entry_id=desk.payment_failed.pk,
        language="ru",
        text=faq_services.FaqText("Оплата не прошла", "Проверьте карту."),
    )
    seller = SellerFactory(username="lena")
    shop = shop_upsert(slug="kitchen-shop", name="Kitchen shop", seller=seller)
    delivered = now - timedelta(days=3)
    order = order_upsert(
        number="MP-5001",
        buyer=desk.buyer,
        shop=shop,
        status=OrderStatus.DELIVERED,
        currency="EUR",
        now=delivered,
        items=[ItemSpec("Electric kettle", 1, Decimal("40.00"), warranty_months=24)],
        paid_at=delivered - timedelta(days=5),
        shipped_at=delivered - timedelta(days=2),
        delivered_at=delivered,
    )
    order_upsert(
        number="MP-5002",
        buyer=desk.buyer,
        shop=shop,
        status=OrderStatus.DELIVERED,
        currency="EUR",
        now=delivered,
        items=[ItemSpec("Toaster", 1, Decimal("30.00"), warranty_months=12)],
        paid_at=delivered - timedelta(days=5),
        shipped_at=delivered - timedelta(days=2),
        delivered_at=delivered,
    )
    dispute = dispute_services.dispute_open(
        buyer=desk.buyer,
        order_number=order.number,
        reason=DisputeReason.NOT_AS_DESCRIBED,
        wanted_outcome=WantedOutcome.FULL_REFUND,
        description="The kettle is 1 litre, not 1.7.",
        now=now,
    )
    toaster = order_selectors.order_get_by_number(number="MP-5002")
    assert toaster is not None
    claim = dispute_services.warranty_claim_open(
        buyer=desk.buyer,
        item_id=toaster.items.get().pk,
        defect="It stopped heating.",
        remedy=Remedy.REPAIR,
        now=now,
    )
    dispute_evidence, claim_evidence = (
        dispute_services.evidence_add(
            person=desk.buyer,
            files=[SimpleUploadedFile("label.txt", b"The box says 1.7 litres.\n")],
            now=now,
            **case,
        )[0]
        for case in ({"dispute_id": dispute.pk}, {"claim_id": claim.pk})
    )
    ticket_services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=now)
    ticket = ticket_services.ticket_open(
        buyer=desk.buyer,
        topic=desk.payment,
        faq_entry=desk.payment_failed,
        now=now,
        request=ticket_services.TicketRequest(
            subject="Charged twice",
            description="My card was charged twice.",
            language="en",
            channel=Channel.API,
            order_number=order.number,
            transaction_id="TX-42",
            amount=Decimal("40.00"),
            product="",
            purchase_date=None,
        ),
    )
    ticket_services.ticket_route(ticket_id=ticket.pk, now=now)  # sam is online: his
    message = ticket_reply_by_buyer_with_files(
        ticket_id=ticket.pk,
        buyer=desk.buyer,
        body="Here is my statement.",
        files=[SimpleUploadedFile("statement.txt", b"Two charges of 40.00 EUR.\n")],
        now=now,
    )
    macro = macro_upsert(name="Thanks", language="en", body="Thank you, {buyer_name}.")
    return Seeded(
        buyer=desk.buyer,
        agent=desk.agent,
        seller=seller,
        paths={
            "ticket_id": ticket.pk,
            "attachment_id": message.attachments.get().pk,
            "entry_id": desk.payment_failed.pk,
            "language": "ru",
            "username": desk.agent.username,
            "slug": desk.en_payment.slug,
            "topic": desk.payment.slug,
            "policy_id": desk.en_payment.sla_policy_id,
            "macro_id": macro.pk,
            "day": "2026-01-01",
            "number": order.number,
            "case_id": dispute.pk,
            "evidence_id": dispute_evidence.pk,
        },
        claim_paths={"case_id": claim.pk, "evidence_id": claim_evidence.pk},
    )


def raw_schema() -> dict[str, Any]:
    """Generate the OpenAPI schema as the desk serves it, as plain JSON data."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    data: dict[str, Any] = json.loads(OpenApiJsonRenderer().render(generated))
    return data


@pytest.fixture
def app() -> Iterator[WSGIHandler]:
    """Return the desk's WSGI application, sharing the test's database transaction.

    Django's test client does the same: a request must not close the
    connection that holds the test's transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def server_errors() -> Iterator[list[str]]:
    """Collect the traceback of every exception a request raised, to explain a 500."""
    seen: list[str] = []

    def record(sender: Any, request: Any = None, **kwargs: Any) -> None:
        seen.append(traceback.format_exc())

    got_request_exception.connect(record)
    yield seen
    got_request_exception.disconnect(record)


# --- Callers -----------------------------------------------------------------


@dataclass
class Credentials:
    headers: dict[str, str] = field(default_factory=dict)


def session_of(user: User) -> Credentials:
    client = Client()
    client.force_login(user)
    # A Cookie header, as a browser sends it: schemathesis then knows the session is the
    # caller's credentials and strips it when it checks that they are needed.
    session = client.cookies["sessionid"].value
    return Credentials(
        headers={
            "Cookie": f"sessionid={session}; csrftoken={CSRF_TOKEN}",
            "X-CSRFToken": CSRF_TOKEN,
        }
    )


def key(*scopes: str, seller: User | None = None) -> Credentials:
    _key, raw = api_key_with(*scopes, name="contract", seller=seller)
    return Credentials(headers={"Authorization": f"Bearer {raw}"})


CALLERS: dict[str, Callable[[Seeded], Credentials]] = {
    "buyer session": lambda desk: session_of(desk.buyer),
    "agent session": lambda desk: session_of(desk.agent),
    "integrator key": lambda desk: key(*sorted(set(SCOPES) - {"seller"})),
    "seller key": lambda desk: key("seller", seller=desk.seller),
}


# --- Running -------------------------------------------------------------------


@dataclass
class Tally:
    cases: int = 0
    operations: int = 0
    failures: list[str] = field(default_factory=list)


def run_operation(
    operation: Any,
    *,
    credentials: Credentials,
    tally: Tally,
    path_parameters: dict[str, Any] | None,
    server_errors: list[str],
) -> None:
    """Call one operation with generated cases; record its first failure, if any.

    Failures are recorded rather than raised: a replay would meet a desk the
    first call changed, and one report per operation and caller is enough.
    """
    failed: list[str] = []

    @given(case=operation.as_strategy(path_parameters=path_parameters))
    @HYPOTHESIS
    def call(case: Any) -> None:
        if failed:
            return
        tally.cases += 1
        server_errors.clear()
        try:
            case.call_and_validate(
                headers=dict(credentials.headers),
                checks=CHECKS,
            )
        except (Exception, BaseExceptionGroup) as failure:  # schemathesis' FailureGroup
            text = f"{operation.label}: {failure}"
            if server_errors:
                text += "\nServer traceback:\n" + server_errors[-1]
            failed.append(text)

    call()
    tally.failures.extend(failed)


SUMMARY = "API contract (schemathesis)"


def add_tally_to_summary(config: pytest.Config, caller: str, tally: Tally) -> None:
    """Show examples run and failures found in CI output, per caller and in all."""
    failures = len(tally.failures)
    add_to_summary(
        config,
        caller,
        {"operations": tally.operations, "examples": tally.cases, "failures": failures},
        section=SUMMARY,
    )
    add_to_summary(
        config,
        "schemathesis",
        {"examples": tally.cases, "failures": failures},
        section=SUMMARY,
        total=True,
    )


@pytest.mark.parametrize("caller", list(CALLERS))
def test_every_operation_keeps_the_contract(
    caller: str,
    app: WSGIHandler,
    server_errors: list[str],
    request: pytest.FixtureRequest,
) -> None:
    seeded = seed()
    credentials = CALLERS[caller](seeded)
    schema = schemathesis.openapi.from_dict(raw_schema())
    schema.app = app  # called in-process, as schemathesis.openapi.from_wsgi would
    tally = Tally()
    for result in schema.get_all_operations():
        operation = result.ok()
        tally.operations += 1
        # Paths naming seeded objects reach them; generated paths mostly reach nothing.
        rounds = [seeded.paths_of(operation), None] if len(operation.path_parameters) else [None]
        for path_parameters in rounds:
            run_operation(
                operation,
                credentials=credentials,
                tally=tally,
                path_parameters=path_parameters,
                server_errors=server_errors,
            )
    add_tally_to_summary(request.config, caller, tally)
    assert not tally.failures, "\n\n".join(tally.failures)


def needs_credentials(operation: Any) -> bool:
    """Whether the schema says the operation needs credentials (no empty security option)."""
    security = operation.definition.raw.get("security")
    return security is None or {} not in security


def stand_in(parameter: Any) -> Any:
    """Return a value for a path parameter the desk has no seeded object for."""
    schema = parameter.definition.get("schema") or {}
    if schema.get("type") == "integer":
        return 1
    return "00000000-0000-4000-8000-000000000000" if schema.get("format") == "uuid" else "x"


def test_every_operation_that_needs_credentials_refuses_a_caller_without_them(
    app: WSGIHandler, request: pytest.FixtureRequest
) -> None:
    seeded = seed()
    schema = schemathesis.openapi.from_dict(raw_schema())
    schema.app = app
    refused, accepted = 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        if not needs_credentials(operation):
            continue
        paths = seeded.paths_of(operation)
        for parameter in operation.path_parameters:
            paths.setdefault(parameter.name, stand_in(parameter))
        response = operation.Case(path_parameters=paths).call()
        try:
            code = json.loads(response.content)["error"]["code"]
        except (ValueError, KeyError, TypeError):
            code = None
        if response.status_code == 401 and code == "not_authenticated":
            refused += 1
        else:
            accepted.append(f"{operation.label}: {response.status_code} {response.text[:200]}")
    add_to_summary(
        request.config,
        "without credentials",
        {"operations refused (401)": refused, "answered": len(accepted)},
        section=SUMMARY,
    )
    assert not accepted, "\n".join(accepted)
    assert refused > 0
