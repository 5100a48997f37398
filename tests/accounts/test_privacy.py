"""A buyer's privacy requests: everything the desk holds exported, or erased for good."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core import serializers
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import User
from audit.models import AuditEntry
from disputes import services as dispute_services
from disputes.models import Dispute, DisputeEvent, Evidence, WarrantyClaim
from faq import services as faq_services
from faq.models import AssistantQuestion, FaqEntry
from support_desk.demo import demo_load
from tests.tickets.fixtures.samples import png, upload
from tests.webhooks.conftest import build_payloads, subscribe
from tickets import services as ticket_services
from tickets.models import Attachment, InboundMail, Message, Rating, Ticket
from tickets.services.attachments import ticket_reply_by_buyer_with_files
from tickets.status import OPEN_STATUSES
from webhooks.models import Delivery

pytestmark = pytest.mark.django_db

QUESTION = "Where is my parcel to 12 Baker Street, Anna Kowalska?"


@pytest.fixture
def desk() -> dict[str, Any]:
    """The demo desk, with a file, evidence, FAQ feedback, a question and a mail from ``buyer``."""
    now = timezone.now()
    demo_load(now=now)
    buyer = User.objects.get(username="buyer")
    ticket = Ticket.objects.filter(buyer=buyer, status__in=OPEN_STATUSES).order_by("pk").first()
    assert ticket is not None
    ticket_reply_by_buyer_with_files(
        ticket_id=ticket.pk,
        buyer=buyer,
        body="Here is the photo of the label, call me on +44 7700 900123.",
        files=[upload("label-anna.png", png())],
        now=now,
    )
    dispute = Dispute.objects.filter(buyer=buyer, status="awaiting_seller").first()
    assert dispute is not None
    dispute_services.evidence_add(
        person=buyer, files=[upload("box.png", png())], now=now, dispute_id=dispute.pk
    )
    entry = FaqEntry.objects.first()
    assert entry is not None
    faq_services.faq_feedback_record(
        entry=entry, visitor=f"user:{buyer.pk}", language="en", helpful=False, now=now
    )
    faq_services.assistant_ask(
        question=QUESTION, language="en", visitor=f"user:{buyer.pk}", now=now
    )
    InboundMail.objects.create(
        mail_id="<m1@example.net>",
        sender=f"Anna <{buyer.email}>",
        subject="Re: my parcel",
        ticket=ticket,
        outcome="added",
        received_at=now,
    )
    return {"buyer": buyer, "ticket": ticket, "dispute": dispute, "now": now}


def export(client: Client, user: User) -> Any:
    return client.post(reverse("admin:accounts_user_export", args=[user.pk]))


@pytest.fixture
def supervisor_client(client: Client, desk: dict[str, Any]) -> Client:
    client.force_login(User.objects.get(username="supervisor"))
    return client


def test_the_export_holds_the_buyers_data_and_no_one_elses(
    supervisor_client: Client, desk: dict[str, Any]
) -> None:
    buyer = desk["buyer"]
    response = export(supervisor_client, buyer)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith(f'attachment; filename="buyer-{buyer.pk}-')
    data = json.loads(response.content)

    assert data["profile"]["email"] == buyer.email
    references = {ticket["reference"] for ticket in data["tickets"]}
    assert references == {t.reference for t in Ticket.objects.filter(buyer=buyer)}
    texts = [m["text"] for t in data["tickets"] for m in t["messages"]]
    assert "Here is the photo of the label, call me on +44 7700 900123." in texts
    files = [a["name"] for t in data["tickets"] for m in t["messages"] for a in m["attachments"]]
    assert "label-anna.png" in files
    assert (
        any(t["rating"] for t in data["tickets"])
        == Rating.objects.filter(ticket__buyer=buyer).exists()
    )
    assert {d["reference"] for d in data["disputes"]} == {
        str(d) for d in Dispute.objects.filter(buyer=buyer)
    }
    evidence = [e["name"] for d in data["disputes"] for e in d["evidence"]]
    assert "box.png" in evidence
    assert all(d["events"] for d in data["disputes"])
    assert {c["reference"] for c in data["warranty_claims"]} == {
        str(c) for c in WarrantyClaim.objects.filter(buyer=buyer)
    }
    assert {o["number"] for o in data["orders"]} == set(
        buyer.orders.values_list("number", flat=True)
    )
    assert [f["helpful"] for f in data["faq_feedback"]] == [False]
    assert [q["question"] for q in data["assistant_questions"]] == [QUESTION]
    assert [m["subject"] for m in data["inbound_mail"]] == ["Re: my parcel"]
    assert data["notifications"]

    other = User.objects.get(username="buyer2")
    dumped = response.content.decode()
    assert other.email not in dumped
    for ticket in Ticket.objects.filter(buyer=other):
        assert ticket.reference not in dumped
        assert ticket.subject not in dumped

    entry = AuditEntry.objects.get(label="export")
    assert entry.object_id == str(buyer.pk) and entry.object_repr == f"buyer #{buyer.pk}"
    assert entry.actor.username == "supervisor"  # type: ignore[union-attr]
    assert buyer.email not in json.dumps([entry.changes, entry.note, entry.object_repr])


def _dump() -> str:
    """Everything in the database, as text: what a search through a dump would find."""
    models = [m for m in apps.get_models() if m._meta.app_label not in ("sessions",)]
    return (
        "\n".join(serializers.serialize("json", m._default_manager.all()) for m in models)
        .encode()
        .decode("unicode_escape", errors="ignore")
    )


def test_erasure_removes_the_personal_data_and_keeps_the_rows(
    supervisor_client: Client, desk: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    buyer: User = desk["buyer"]
    tickets = list(Ticket.objects.filter(buyer=buyer))
    disputes = Dispute.objects.filter(buyer=buyer).count()
    secrets = {
        buyer.email,
        f'"username": "{buyer.username}"',
        buyer.get_full_name(),
        "+44 7700 900123",
        QUESTION,
        "label-anna.png",
        *(t.subject for t in tickets),
        *(d.description for d in Dispute.objects.filter(buyer=buyer)),
        *(c.defect for c in WarrantyClaim.objects.filter(buyer=buyer)),
        *(m.body for m in Message.objects.filter(ticket__buyer=buyer, author=buyer)),
        *(r.comment for r in Rating.objects.filter(ticket__buyer=buyer) if r.comment),
    }
    secrets.discard("")
    files = [Path(a.file.path) for a in Attachment.objects.filter(ticket__buyer=buyer)]
    files += [Path(e.file.path) for e in Evidence.objects.filter(dispute__buyer=buyer)]
    assert files and all(path.exists() for path in files)
    other = User.objects.get(username="buyer2")
    other_subjects = set(Ticket.objects.filter(buyer=other).values_list("subject", flat=True))

    url = reverse("admin:accounts_user_erase", args=[buyer.pk])
    confirm = supervisor_client.get(url)
    assert confirm.status_code == 200
    assert "Yes, erase this buyer’s data" in confirm.content.decode()
    assert User.objects.get(pk=buyer.pk).email == buyer.email  # nothing happens before the yes

    with django_capture_on_commit_callbacks(execute=True):
        response = supervisor_client.post(url, {"confirm": "yes"})
    assert response.status_code == 302

    dump = _dump()
    for secret in secrets:
        assert secret not in dump, secret
    assert not any(path.exists() for path in files)
    erased = User.objects.get(pk=buyer.pk)
    assert (erased.username, erased.email) == (f"erased-{buyer.pk}", f"erased-{buyer.pk}@invalid")
    assert not erased.is_active and not erased.has_usable_password()
    assert Ticket.objects.filter(buyer=erased).count() == len(tickets)
    assert Dispute.objects.filter(buyer=erased).count() == disputes
    assert set(Ticket.objects.filter(buyer=erased).values_list("subject", flat=True)) == {
        "[erased]"
    }
    assert DisputeEvent.objects.filter(dispute__buyer=erased).exists()
    assert AssistantQuestion.objects.filter(visitor=f"user:{buyer.pk}").get().question == (
        "[erased]"
    )
    assert set(Ticket.objects.filter(buyer=other).values_list("subject", flat=True)) == (
        other_subjects
    )
    entry = AuditEntry.objects.get(label="erase")
    assert entry.object_repr == f"buyer #{buyer.pk}"
    assert entry.actor.username == "supervisor"  # type: ignore[union-attr]


def test_erasing_twice_changes_nothing_the_second_time(desk: dict[str, Any]) -> None:
    buyer = desk["buyer"]
    supervisor = User.objects.get(username="supervisor")
    now: datetime = desk["now"]
    first = services.buyer_erase(buyer=buyer, by=supervisor, now=now)
    state = _dump()
    second = services.buyer_erase(buyer=buyer, by=supervisor, now=now)
    assert first.changed and first.files == 2
    assert not second.changed
    assert _dump() == state
    assert AuditEntry.objects.filter(label="erase").count() == 1


@pytest.mark.parametrize("username", ["supervisor", "agent", "seller"])
def test_staff_and_sellers_are_never_exported_or_erased(
    supervisor_client: Client, username: str
) -> None:
    person = User.objects.get(username=username)
    for url in ("admin:accounts_user_erase", "admin:accounts_user_export"):
        response = supervisor_client.post(reverse(url, args=[person.pk]), {"confirm": "yes"})
        assert response.status_code == 302
        notes = [str(m) for m in response.wsgi_request._messages]  # type: ignore[attr-defined]
        assert any("is not a buyer's account" in note for note in notes), notes
    person.refresh_from_db()
    assert person.username == username and person.is_active
    assert not AuditEntry.objects.filter(label__in=["erase", "export"]).exists()
    with pytest.raises(services.NotABuyer):
        services.buyer_erase(buyer=person, by=person, now=timezone.now())


def test_the_privacy_actions_are_the_supervisors(client: Client, desk: dict[str, Any]) -> None:
    buyer = desk["buyer"]
    agent = User.objects.get(username="agent")
    client.force_login(agent)
    assert export(client, buyer).status_code == 302  # not staff: sent to the admin's log-in
    client.force_login(User.objects.get(username="supervisor"))
    listing = client.get(reverse("admin:accounts_user_changelist"))
    assert "export_buyer_data" in listing.content.decode()
    page = client.get(reverse("admin:accounts_user_change", args=[buyer.pk])).content.decode()
    assert reverse("admin:accounts_user_erase", args=[buyer.pk]) in page
    action = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "export_buyer_data", "_selected_action": [buyer.pk]},
    )
    assert action.status_code == 200
    assert json.loads(action.content)["profile"]["id"] == buyer.pk
    erase = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "erase_buyer", "_selected_action": [buyer.pk]},
    )
    assert erase.status_code == 302
    assert erase["Location"] == reverse("admin:accounts_user_erase", args=[buyer.pk])


def test_ticket_services_still_work_on_an_erased_buyers_ticket(desk: dict[str, Any]) -> None:
    buyer, ticket, now = desk["buyer"], desk["ticket"], desk["now"]
    supervisor = User.objects.get(username="supervisor")
    services.buyer_erase(buyer=buyer, by=supervisor, now=now)
    ticket_services.ticket_set_priority(
        ticket_id=ticket.pk, priority=3, actor=supervisor, now=now, reason=""
    )
    assert Ticket.objects.get(pk=ticket.pk).priority == 3


def test_erasure_strips_the_buyer_from_webhook_payloads(
    desk: dict[str, Any], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.DESK_WEBHOOKS_ALLOW_PRIVATE = True
    buyer: User = desk["buyer"]
    dispute: Dispute = desk["dispute"]
    subscription, _secret = subscribe("http://127.0.0.1:9/hook", ["dispute.*"], "disputes:read")
    with django_capture_on_commit_callbacks() as callbacks:
        dispute_services.evidence_add(
            person=buyer,
            files=[upload("receipt.png", png())],
            now=desk["now"],
            dispute_id=dispute.pk,
        )
    build_payloads(callbacks)
    [delivery] = Delivery.objects.filter(subscription=subscription)
    assert dispute.description in json.dumps(delivery.payload)

    services.buyer_erase(
        buyer=buyer, by=User.objects.get(username="supervisor"), now=timezone.now()
    )

    delivery.refresh_from_db()
    assert delivery.payload is not None
    assert delivery.payload["data"] == {"erased": True}
    assert delivery.payload["type"] == "dispute.evidence_added"
    assert dispute.description not in json.dumps(delivery.payload)
