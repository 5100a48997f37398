"""Supervisors look up orders, shops, disputes and claims in the admin; cases change only through services."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from api.models import ApiKey
from disputes.models import Dispute, WarrantyClaim
from disputes.status import DisputeStatus
from orders.models import Order, Shop
from support_desk.demo import demo_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    demo_load(now=timezone.now())
    supervisor = User.objects.get(username="supervisor")
    assert supervisor.is_staff and not supervisor.is_superuser
    client.force_login(supervisor)
    return client


def page(client: Client, url: str, **params: str) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def test_every_list_and_case_page_renders_for_the_demo_supervisor(admin_client: Client) -> None:
    home = page(admin_client, "/admin/")
    for model in ("dispute", "warrantyclaim", "order", "shop"):
        assert f"/admin/{'orders' if model in ('order', 'shop') else 'disputes'}/{model}/" in home
    for url in (
        "/admin/disputes/dispute/",
        "/admin/disputes/warrantyclaim/",
        "/admin/orders/order/",
        "/admin/orders/shop/",
    ):
        page(admin_client, url)
    for dispute in Dispute.objects.all():
        html = page(admin_client, f"/admin/disputes/dispute/{dispute.pk}/change/")
        assert dispute.order.number in html
        if dispute.ticket is not None:
            assert dispute.ticket.reference in html
    for claim in WarrantyClaim.objects.all():
        assert claim.defect in page(
            admin_client, f"/admin/disputes/warrantyclaim/{claim.pk}/change/"
        )
    order = Order.objects.get(number="DEMO-1003")
    assert "Electric kettle" in page(admin_client, f"/admin/orders/order/{order.pk}/change/")


def test_cases_are_found_by_order_number_reference_and_status(admin_client: Client) -> None:
    dispute = Dispute.objects.get(order__number="DEMO-1008")
    found = page(admin_client, "/admin/disputes/dispute/", q="DEMO-1008")
    assert f"/admin/disputes/dispute/{dispute.pk}/change/" in found
    assert "DEMO-1003" not in found
    by_reference = page(admin_client, "/admin/disputes/dispute/", q=dispute.reference)
    assert f"/admin/disputes/dispute/{dispute.pk}/change/" in by_reference
    escalated = page(admin_client, "/admin/disputes/dispute/", status__exact="escalated")
    assert "DEMO-1008" in escalated and "DEMO-1003" not in escalated
    claims = page(admin_client, "/admin/disputes/warrantyclaim/", q="DEMO-1011")
    assert "Stand mixer" in claims and "Robot vacuum" not in claims
    orders = page(admin_client, "/admin/orders/order/", status__exact="refunded")
    assert "DEMO-1005" in orders and "DEMO-1003" not in orders
    assert "DEMO-1004" in page(admin_client, "/admin/orders/order/", q="buyer2")


def test_nobody_adds_or_edits_a_case_or_an_order_here(admin_client: Client) -> None:
    dispute = Dispute.objects.get(status=DisputeStatus.AWAITING_SELLER)
    for url in (
        "/admin/disputes/dispute/add/",
        "/admin/disputes/warrantyclaim/add/",
        "/admin/orders/order/add/",
    ):
        assert admin_client.get(url).status_code == 403
    view = page(admin_client, f"/admin/disputes/dispute/{dispute.pk}/change/")
    assert 'name="_save"' not in view
    admin_client.post(f"/admin/disputes/dispute/{dispute.pk}/change/", {"status": "resolved"})
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.AWAITING_SELLER


def test_a_shop_is_added_for_a_seller_account_only(admin_client: Client) -> None:
    seller = User.objects.get(username="seller2")
    buyer = User.objects.get(username="buyer")
    form = page(admin_client, "/admin/orders/shop/add/")
    assert f'value="{seller.pk}"' in form and f'value="{buyer.pk}"' not in form
    refused = admin_client.post(
        "/admin/orders/shop/add/", {"name": "Tea", "slug": "tea", "seller": buyer.pk}
    )
    assert refused.status_code == 200 and not Shop.objects.filter(slug="tea").exists()
    admin_client.post(
        "/admin/orders/shop/add/", {"name": "Tea", "slug": "tea", "seller": seller.pk}
    )
    assert Shop.objects.get(slug="tea").seller == seller


def test_an_api_key_is_bound_to_a_seller_only_with_the_seller_scope(admin_client: Client) -> None:
    seller = User.objects.get(username="seller")
    unbound = admin_client.post(
        "/admin/api/apikey/add/", {"name": "Lena's shop app", "scopes": ["seller"]}
    )
    assert unbound.status_code == 200 and not ApiKey.objects.exists()
    stray = admin_client.post(
        "/admin/api/apikey/add/",
        {"name": "Backend", "scopes": ["orders:write"], "seller": seller.pk},
    )
    assert stray.status_code == 200 and not ApiKey.objects.exists()
    admin_client.post(
        "/admin/api/apikey/add/",
        {"name": "Lena's shop app", "scopes": ["seller"], "seller": seller.pk},
    )
    api_key = ApiKey.objects.get()
    assert (api_key.seller, api_key.acts_as_seller) == (seller, True)
