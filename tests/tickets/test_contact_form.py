"""The contact form: from an answer's "Still need help?" to a saved ticket."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from faq import services as faq_services
from faq.models import FaqEntry
from tests.factories import PASSWORD, AgentFactory, SellerFactory
from tests.tickets.conftest import Desk
from tickets import tasks
from tickets.models import Channel, Ticket
from tickets.services._common import TaskSend

pytestmark = pytest.mark.django_db


def form_url(entry: FaqEntry, way: str) -> str:
    return f"/help/requests/new/{entry.pk}/{way}/"


def payment_answer(**changes: str) -> dict[str, str]:
    data = {
        "order_number": "MP-1001",
        "transaction_id": "TX-42",
        "amount": "59.90",
        "subject": "Charged but the order failed",
        "description": "The bank took the money, the shop says unpaid.",
    }
    data.update(changes)
    return data


@pytest.fixture
def warranty_chat(desk: Desk) -> FaqEntry:
    """A warranty answer that offers chat (the desk's own one offers no contact)."""
    return faq_services.faq_entry_upsert(
        topic=desk.warranty,
        slug="product-broke-in-warranty",
        texts={"en": ("My product broke within the warranty", "Ask the seller first.")},
        operator_resolvable=True,
    )


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_answer_to_form_to_ticket_page(
    client: Client, desk: Desk, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(desk.buyer)
    entry = desk.payment_failed
    # The "Chat now" link under the answer leads to the form for this answer.
    response = client.get(f"/help/payment/{entry.slug}/contact/chat/")
    assert response.status_code == 302
    assert response["Location"] == form_url(entry, "chat")

    html = client.get(form_url(entry, "chat")).content.decode()
    assert "About: My payment failed" in html
    for field in ("order_number", "transaction_id", "amount", "subject", "description"):
        assert f'name="{field}"' in html
    assert 'name="product"' not in html and 'name="purchase_date"' not in html
    # The subject asks the suggest endpoint as the buyer types.
    assert 'data-suggest-url="/help/suggest/"' in html
    assert 'id="subject-suggestions"' in html

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(form_url(entry, "chat"), payment_answer())
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/help/requests/{ticket.pk}/"
    assert ticket.buyer == desk.buyer
    assert ticket.channel == Channel.CHAT
    assert ticket.faq_entry == entry
    assert ticket.topic == desk.payment
    assert ticket.language == "en"
    assert ticket.order_number == "MP-1001"
    assert ticket.details == {"transaction_id": "TX-42", "amount": "59.90"}
    # Routing is sent once the ticket's transaction commits.
    routed = [
        callback
        for callback in callbacks
        if isinstance(callback, TaskSend)
        and callback.task is tasks.route_ticket
        and callback.kwargs == {"ticket_id": ticket.pk}
    ]
    assert len(routed) == 1

    page = client.get(response["Location"]).content.decode()
    assert ticket.reference in page
    assert "Charged but the order failed" in page
    assert "The bank took the money, the shop says unpaid." in page  # the first message
    assert "An agent joins shortly" in page  # chat: the live thread, straight away
    assert f"Your request {ticket.reference} is open." in page


def test_email_in_russian_ui_makes_an_email_ticket_in_russian(client: Client, desk: Desk) -> None:
    client.force_login(desk.buyer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.post(form_url(desk.payment_failed, "email"), payment_answer())
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.language) == (Channel.EMAIL, "ru")
    page = client.get(response["Location"]).content.decode()
    assert "An agent joins shortly" not in page  # only chat says an agent joins


def test_anonymous_buyer_logs_in_and_comes_back_to_the_form(client: Client, desk: Desk) -> None:
    url = form_url(desk.payment_failed, "chat")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    response = client.post(
        "/accounts/login/", {"username": "anna", "password": PASSWORD, "next": url}
    )
    assert response.status_code == 302
    assert response["Location"] == url
    assert 'data-testid="contact-form"' in client.get(url).content.decode()


@pytest.mark.parametrize("person", [AgentFactory, SellerFactory])
def test_only_buyers_reach_the_form(client: Client, desk: Desk, person: Any) -> None:
    client.force_login(person())
    response = client.get(form_url(desk.payment_failed, "chat"))
    assert response.status_code == 403
    assert "You may not open this page" in response.content.decode()
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("way", ["chat", "email", "hotline", "fax"])
def test_a_way_the_answer_does_not_offer_gives_no_form(
    client: Client, desk: Desk, way: str
) -> None:
    client.force_login(desk.buyer)
    # This warranty answer is not for chat, and warranty offers no email.
    url = form_url(desk.warranty_repair, way)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == "/help/warranty/seller-refuses-repair/"
    assert "cannot be followed up that way" in " ".join(messages_of(response))
    response = client.post(url, {"subject": "x", "description": "y"})
    assert response.status_code == 302
    assert not Ticket.objects.exists()


def test_an_answer_that_is_not_published_gives_no_form(client: Client, desk: Desk) -> None:
    client.force_login(desk.buyer)
    faq_services.faq_entry_upsert(
        topic=desk.payment,
        slug=desk.payment_failed.slug,
        texts={"en": ("My payment failed", "Check your card.")},
        operator_resolvable=True,
        published=False,
    )
    response = client.post(form_url(desk.payment_failed, "chat"), payment_answer())
    assert response.status_code == 302
    assert response["Location"] == "/help/"
    assert "no longer available" in " ".join(messages_of(response))
    assert not Ticket.objects.exists()
    assert client.get("/help/requests/new/999999/chat/").status_code == 302


def test_no_form_without_an_answer(client: Client, desk: Desk) -> None:
    client.force_login(desk.buyer)
    assert client.get("/help/requests/new/").status_code == 404
    assert client.get("/help/requests/new/chat/").status_code == 404


def test_missing_payment_fields_are_shown_and_input_is_kept(client: Client, desk: Desk) -> None:
    client.force_login(desk.buyer)
    response = client.post(
        form_url(desk.payment_failed, "chat"),
        payment_answer(order_number="", amount="", subject="Double charge <b>twice</b>"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="error-summary"' in html
    assert "Give the order number from your order page." in html
    assert "Give the amount you paid." in html
    # What was typed stays in the form (escaped).
    assert 'value="Double charge &lt;b&gt;twice&lt;/b&gt;"' in html
    assert 'value="TX-42"' in html
    assert "The bank took the money, the shop says unpaid.</textarea>" in html
    assert not Ticket.objects.exists()


def test_an_amount_that_is_not_a_number_is_refused(client: Client, desk: Desk) -> None:
    client.force_login(desk.buyer)
    response = client.post(form_url(desk.payment_failed, "chat"), payment_answer(amount="lots"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a number." in html
    assert 'value="lots"' in html
    response = client.post(form_url(desk.payment_failed, "chat"), payment_answer(amount="0"))
    assert "Give an amount above zero." in response.content.decode()
    assert not Ticket.objects.exists()


def test_warranty_asks_for_product_and_refuses_a_future_purchase_date(
    client: Client, desk: Desk, warranty_chat: FaqEntry
) -> None:
    client.force_login(desk.buyer)
    url = form_url(warranty_chat, "chat")
    html = client.get(url).content.decode()
    assert 'name="product"' in html and 'name="purchase_date"' in html
    assert 'name="order_number"' not in html and 'name="amount"' not in html

    # Two days on: still the future in every time zone (today reaches UTC+14).
    tomorrow = (timezone.now() + timedelta(days=2)).date().isoformat()
    data = {
        "product": "Kettle KX-2",
        "purchase_date": tomorrow,
        "subject": "Stopped heating",
        "description": "It worked for a month.",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The purchase date cannot be in the future." in html
    assert 'value="Kettle KX-2"' in html and f'value="{tomorrow}"' in html
    assert not Ticket.objects.exists()

    response = client.post(url, {**data, "product": "", "purchase_date": ""})
    html = response.content.decode()
    assert "Name the product." in html and "Give the date you bought it." in html

    last_month = (timezone.now() - timedelta(days=30)).date()
    response = client.post(url, {**data, "purchase_date": last_month.isoformat()})
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.details == {"product": "Kettle KX-2", "purchase_date": last_month.isoformat()}
    assert ticket.topic == desk.warranty


def test_subject_and_description_are_needed(client: Client, desk: Desk) -> None:
    client.force_login(desk.buyer)
    response = client.post(
        form_url(desk.payment_failed, "email"), payment_answer(subject=" ", description="")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say in a few words what the problem is." in html
    assert "Describe what happened." in html
    assert 'value="MP-1001"' in html
