"""Macros: placeholders filled safely, the ones offered on a ticket, the reply box, admin and API."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape
from typing import Any

import pytest
import yaml
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from support_desk.demo import demo_load
from tests.factories import AgentFactory
from tests.tickets.conftest import Desk, open_ticket
from tickets import services
from tickets.macro_selectors import macros_for_ticket
from tickets.models import Macro, Presence, Ticket
from tickets.services.macros import macro_fill, macro_render, macro_upsert

pytestmark = pytest.mark.django_db

GREETING = "Hello {buyer_name}, about {reference} ({order_number}, “{subject}”): {agent_name}."


def assigned(desk: Desk, *, now: datetime, **kwargs: Any) -> Ticket:
    services.agent_set_presence(agent=desk.agent, presence=Presence.ONLINE, now=now)
    ticket = open_ticket(desk, now=now, **kwargs)
    assert services.ticket_route(ticket_id=ticket.pk, now=now) == "assigned"
    ticket.refresh_from_db()
    return ticket


# --- Filling placeholders --------------------------------------------------------


def test_placeholders_are_filled_from_the_ticket_and_the_agent(desk: Desk) -> None:
    desk.buyer.first_name, desk.agent.first_name = "Anna", "Sam"
    desk.buyer.save()
    desk.agent.save()
    ticket = open_ticket(desk, now=timezone.now())
    macro = macro_upsert(name="Greeting", language="en", body=GREETING)
    assert macro_render(macro=macro, ticket=ticket, agent=desk.agent) == (
        f"Hello Anna, about {ticket.reference} (MP-1001, “My card was charged twice”): Sam."
    )


def test_unknown_placeholders_and_other_braces_stay_as_written() -> None:
    body = "Hi {buyer_name}, {unknown} {} {{buyer_name}} {Buyer_Name}"
    assert macro_fill(body, {"buyer_name": "Anna"}) == "Hi Anna, {unknown} {} {Anna} {Buyer_Name}"


def test_attribute_access_indexing_and_format_specs_are_never_evaluated(desk: Desk) -> None:
    ticket = open_ticket(desk, now=timezone.now())
    body = (
        "{ticket.buyer.password} {buyer_name.__class__} {buyer_name[0]} "
        "{subject:>999999999} {0} {reference!r}"
    )
    macro = macro_upsert(name="Sneaky", language="en", body=body)
    assert macro_render(macro=macro, ticket=ticket, agent=desk.agent) == body
    assert desk.buyer.password not in macro_render(macro=macro, ticket=ticket, agent=desk.agent)


def test_a_value_containing_braces_is_not_filled_again(desk: Desk) -> None:
    assert macro_fill("{subject}", {"subject": "{buyer_name}", "buyer_name": "x"}) == "{buyer_name}"


# --- Which macros a ticket is offered --------------------------------------------


def test_a_ticket_is_offered_its_topics_and_all_topic_macros_in_its_language(
    desk: Desk,
) -> None:
    macro_upsert(name="Closing", language="en", body="Bye", sort_order=50)
    macro_upsert(name="Statement", language="en", body="Send it", topic=desk.payment, sort_order=1)
    macro_upsert(name="Refund timing", language="en", body="Wait", topic=desk.refund)
    macro_upsert(name="Old", language="en", body="Gone", is_active=False)
    macro_upsert(name="Выписка", language="ru", body="Пришлите", topic=desk.payment)
    ticket = open_ticket(desk, now=timezone.now())
    assert [m.name for m in macros_for_ticket(ticket=ticket)] == ["Statement", "Closing"]
    russian = open_ticket(desk, now=timezone.now(), language="ru")
    assert [m.name for m in macros_for_ticket(ticket=russian)] == ["Выписка"]


def test_without_macros_in_its_language_a_ticket_gets_the_default_languages(
    desk: Desk,
) -> None:
    macro_upsert(name="Closing", language="en", body="Bye")
    macro_upsert(name="Refund timing", language="ru", body="Ждите", topic=desk.refund)
    greek = open_ticket(desk, now=timezone.now(), language="el")
    assert [m.name for m in macros_for_ticket(ticket=greek)] == ["Closing"]
    # Russian has a macro, only not for payment: none offered in Russian, so English ones.
    russian = open_ticket(desk, now=timezone.now(), language="ru")
    assert [m.name for m in macros_for_ticket(ticket=russian)] == ["Closing"]


# --- The reply box ----------------------------------------------------------------


def textarea(html: str) -> str:
    found = re.search(r'<textarea name="reply-body"[^>]*>(.*?)</textarea>', html, re.S)
    assert found is not None
    return unescape(found.group(1)).strip()


def selected_then(html: str) -> str:
    select = html[html.index('name="reply-then_status"') :]
    select = select[: select.index("</select>")]
    found = re.search(r'<option value="([^"]*)" selected>', select)
    return found.group(1) if found else ""


@pytest.fixture
def solved_macro(desk: Desk) -> Macro:
    return macro_upsert(
        name="Solved, closing",
        language="en",
        body="Glad it is sorted, {buyer_name}. {reference} is solved.",
        set_status="solved",
    )


def test_the_reply_box_offers_the_macros_filled_in(
    client: Client, desk: Desk, solved_macro: Macro
) -> None:
    desk.buyer.first_name = "Anna"
    desk.buyer.save()
    ticket = assigned(desk, now=timezone.now())
    client.force_login(desk.agent)
    html = client.get(f"/agent/tickets/{ticket.pk}/").content.decode()
    picker = html[html.index('data-testid="macros"') :]
    picker = picker[: picker.index("</div>")]
    assert "Insert macro" in picker and "Solved, closing" in picker
    assert f'data-text="Glad it is sorted, Anna. {ticket.reference} is solved."' in picker
    assert 'data-status="solved"' in picker
    assert "js/macros.js" in html


def test_inserting_a_macro_keeps_the_typed_text_and_sets_the_status(
    client: Client, desk: Desk, solved_macro: Macro
) -> None:
    desk.buyer.first_name = "Anna"
    desk.buyer.save()
    ticket = assigned(desk, now=timezone.now())
    client.force_login(desk.agent)
    response = client.post(
        f"/agent/tickets/{ticket.pk}/reply/macro/",
        {
            "reply-body": "I checked the payment.",
            "reply-visibility": "public",
            "macro": solved_macro.pk,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert textarea(html) == (
        f"I checked the payment.\n\nGlad it is sorted, Anna. {ticket.reference} is solved."
    )
    assert selected_then(html) == "solved"
    # Nothing was sent.
    assert not ticket.messages.filter(kind="agent").exists()


def test_inserting_into_an_empty_box_and_sending_it(
    client: Client, desk: Desk, solved_macro: Macro
) -> None:
    ticket = assigned(desk, now=timezone.now())
    client.force_login(desk.agent)
    html = client.post(
        f"/agent/tickets/{ticket.pk}/reply/macro/", {"macro": solved_macro.pk}
    ).content.decode()
    text = textarea(html)
    assert text.startswith("Glad it is sorted")
    sent = client.post(
        f"/agent/tickets/{ticket.pk}/reply/",
        {
            "reply-body": text,
            "reply-visibility": "public",
            "reply-then_status": selected_then(html),
        },
    )
    assert sent.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "solved"
    assert ticket.messages.get(kind="agent").body == text


@pytest.mark.parametrize("choice", ["", "999999", "other-topic", "not-a-number"])
def test_a_macro_not_offered_is_refused_and_the_typed_text_kept(
    client: Client, desk: Desk, choice: str
) -> None:
    refund = macro_upsert(name="Refund timing", language="en", body="Wait", topic=desk.refund)
    macro_upsert(name="Closing", language="en", body="Bye")
    ticket = assigned(desk, now=timezone.now())
    client.force_login(desk.agent)
    value = str(refund.pk) if choice == "other-topic" else choice
    response = client.post(
        f"/agent/tickets/{ticket.pk}/reply/macro/",
        {"reply-body": "Half a thought", "reply-then_status": "pending", "macro": value},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose one of the macros offered for this ticket." in html
    assert textarea(html) == "Half a thought"
    assert selected_then(html) == "pending"


def test_macro_insertion_needs_a_ticket_the_agent_may_see(
    client: Client, desk: Desk, solved_macro: Macro
) -> None:
    ticket = assigned(desk, now=timezone.now())
    stranger = AgentFactory(username="nobody")
    client.force_login(stranger)
    url = f"/agent/tickets/{ticket.pk}/reply/macro/"
    assert client.post(url, {"macro": solved_macro.pk}).status_code == 404
    client.force_login(desk.buyer)
    assert client.post(url, {"macro": solved_macro.pk}).status_code == 403


# --- Admin and API ----------------------------------------------------------------


def test_supervisors_manage_macros_in_the_admin(client: Client) -> None:
    demo_load(now=timezone.now())
    supervisor = User.objects.get(username="supervisor")
    client.force_login(supervisor)
    listing = client.get("/admin/tickets/macro/?language__exact=ru")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Вопрос решён" in html and "Solved, closing" not in html
    assert client.get("/admin/tickets/macro/?q=bank+statement").status_code == 200

    data = {
        "name": "Typo",
        "topic": "",
        "language": "en",
        "body": "Hello {buyer}",
        "set_status": "",
        "is_active": "on",
        "sort_order": "5",
    }
    refused = client.post("/admin/tickets/macro/add/", data)
    assert refused.status_code == 200
    assert "Unknown placeholder(s): {buyer}." in refused.content.decode()
    data["body"] = "Hello {buyer_name}"
    assert client.post("/admin/tickets/macro/add/", data).status_code == 302
    assert Macro.objects.get(name="Typo").body == "Hello {buyer_name}"


def test_agents_list_macros_over_the_api(desk: Desk, solved_macro: Macro) -> None:
    desk.agent.first_name = "Sam"
    desk.agent.save()
    macro_upsert(name="Выписка", language="ru", body="Пришлите", topic=desk.payment)
    ticket = assigned(desk, now=timezone.now())
    client = APIClient()
    client.force_login(desk.agent)
    everything = client.get("/api/v1/macros/").json()["results"]
    assert {row["name"] for row in everything} == {"Solved, closing", "Выписка"}
    assert all(row["text"] is None for row in everything)
    russian = client.get("/api/v1/macros/?language=ru").json()["results"]
    assert [(row["name"], row["topic"]) for row in russian] == [("Выписка", "payment")]
    [offered] = client.get(f"/api/v1/macros/?ticket={ticket.pk}").json()["results"]
    assert offered["set_status"] == "solved"
    assert (
        offered["text"]
        == f"Glad it is sorted, {desk.buyer.display_name}. {ticket.reference} is solved."
    )

    buyer = APIClient()
    buyer.force_login(desk.buyer)
    assert buyer.get("/api/v1/macros/").status_code == 403
    schema = yaml.safe_load(APIClient().get("/api/schema/").content)
    operation = schema["paths"]["/api/v1/macros/"]["get"]
    assert operation["operationId"] == "macros_list"
    assert "`agents:read`" in operation["description"]
