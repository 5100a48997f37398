"""Evidence added from the case pages: the buyer's and the seller's, on disputes and claims."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from disputes import services
from disputes.models import Dispute, DisputeReason, Evidence, Remedy, WantedOutcome, WarrantyClaim
from tests.disputes.conftest import Market, delivered_order
from tests.tickets.fixtures.samples import SVG_WITH_SCRIPT, png, upload
from tickets.attachments import limits_text

pytestmark = pytest.mark.django_db

SETTLED = "This case is settled: it takes no more evidence."


@dataclass(frozen=True)
class Page:
    """One of the four case pages: who reads it, where it is, where its form posts."""

    party: str  # "buyer" or "seller"
    kind: str  # "dispute" or "claim"

    def case(self, market: Market) -> Dispute | WarrantyClaim:
        delivered = timezone.now() - timedelta(days=3)
        order = delivered_order(market.shop, market.buyer, "MP-9100", delivered=delivered)
        if self.kind == "dispute":
            return services.dispute_open(
                buyer=market.buyer,
                order_number=order.number,
                reason=DisputeReason.DAMAGED,
                wanted_outcome=WantedOutcome.FULL_REFUND,
                description="The lid arrived cracked.",
                now=timezone.now(),
            )
        return services.warranty_claim_open(
            buyer=market.buyer,
            item_id=order.items.get(title="Electric kettle").pk,
            defect="It stopped heating after two months.",
            remedy=Remedy.REPAIR,
            now=timezone.now(),
        )

    def person(self, market: Market) -> User:
        return market.buyer if self.party == "buyer" else market.seller

    def outsider(self, market: Market) -> User:
        return market.stranger if self.party == "buyer" else market.other_seller

    def url(self, case: Dispute | WarrantyClaim) -> str:
        if self.party == "buyer":
            return (
                f"/help/disputes/{case.pk}/"
                if self.kind == "dispute"
                else (f"/help/disputes/claims/{case.pk}/")
            )
        return f"/seller/{'disputes' if self.kind == 'dispute' else 'claims'}/{case.pk}/"

    def post_url(self, case: Dispute | WarrantyClaim) -> str:
        return self.url(case) + "evidence/"

    def file_link(self, evidence: Evidence) -> str:
        prefix = "/help/disputes" if self.party == "buyer" else "/seller"
        return f'href="{prefix}/evidence/{evidence.pk}/"'


PAGES = [Page(party, kind) for party in ("buyer", "seller") for kind in ("dispute", "claim")]


def settle(case: Dispute | WarrantyClaim, market: Market) -> None:
    if isinstance(case, Dispute):
        services.dispute_seller_accept(dispute_id=case.pk, seller=market.seller, now=timezone.now())
    else:
        services.warranty_claim_seller_accept(
            claim_id=case.pk, seller=market.seller, now=timezone.now()
        )


def add_directly(case: Dispute | WarrantyClaim, person: User, *names: str) -> None:
    services.evidence_add(
        person=person,
        files=[upload(name, png(), "image/png") for name in names],
        now=timezone.now(),
        **({"dispute_id": case.pk} if isinstance(case, Dispute) else {"claim_id": case.pk}),
    )


def field_errors(html: str) -> list[str]:
    """Return the errors shown beside the "Files to add" field."""
    return re.findall(r'<p class="field__error" id="id_evidence_error">([^<]*)</p>', html)


@pytest.fixture(params=PAGES, ids=lambda page: f"{page.party}-{page.kind}")
def page(request: pytest.FixtureRequest) -> Page:
    return request.param


def test_the_open_case_page_offers_the_form_with_the_limits_of_files(
    client: Client, market: Market, page: Page
) -> None:
    case = page.case(market)
    client.force_login(page.person(market))

    html = client.get(page.url(case)).content.decode()

    form = html[html.index('data-testid="evidence-add"') - 200 :]
    # Back at the form when it comes back with why not.
    assert f'action="{page.post_url(case)}#evidence-add"' in form
    assert 'enctype="multipart/form-data"' in form
    assert "csrfmiddlewaretoken" in form
    assert re.search(r'<input type="file" name="evidence"[^>]* multiple', form)
    # The same hint as when a case is opened.
    assert str(limits_text()) in form


def test_a_party_adds_a_photo_and_sees_it_listed_and_in_the_timeline(
    client: Client, market: Market, page: Page
) -> None:
    case = page.case(market)
    client.force_login(page.person(market))

    response = client.post(
        page.post_url(case), {"evidence": [upload("packing.png", png(), "image/png")]}
    )

    # Back at the case's evidence, where the new file is listed.
    assert response.status_code == 302 and response["Location"] == page.url(case) + "#evidence"
    [stored] = case.evidence.all()
    assert (stored.name, stored.uploaded_by) == ("packing.png", page.person(market))
    html = client.get(page.url(case)).content.decode()
    assert "Added to the evidence: packing.png." in html
    assert page.file_link(stored) in html
    assert "New evidence was added" in html
    # The form stays for more, empty.
    assert 'data-testid="evidence-add"' in html and "field__error" not in html


def test_an_svg_is_refused_beside_the_field_with_the_page_kept(
    client: Client, market: Market, page: Page
) -> None:
    case = page.case(market)
    add_directly(case, market.buyer, "lid.png")
    client.force_login(page.person(market))

    response = client.post(
        page.post_url(case),
        {
            "evidence": [
                upload("box.png", png(), "image/png"),
                upload("drawing.svg", SVG_WITH_SCRIPT, "image/svg+xml"),
            ]
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert field_errors(html) == [
        "drawing.svg: SVG images can carry scripts and are not accepted; send a PNG or JPEG."
    ]
    assert 'data-testid="error-summary"' in html
    assert "Files are not kept when a form comes back for corrections" in html
    # Nothing else on the page is lost: the case, its file, its timeline.
    reference = case.reference if isinstance(case, Dispute) else str(case)
    assert reference in html
    assert "lid.png" in html and 'data-testid="timeline"' in html
    assert 'data-testid="status"' in html
    if page.party == "seller":
        assert 'data-testid="answers"' in html
    assert list(case.evidence.values_list("name", flat=True)) == ["lid.png"]


def test_sending_no_file_asks_for_one(client: Client, market: Market, page: Page) -> None:
    case = page.case(market)
    client.force_login(page.person(market))

    response = client.post(page.post_url(case), {})

    assert response.status_code == 400
    assert field_errors(response.content.decode()) == ["Attach at least one file."]


def test_more_files_than_a_case_keeps_are_refused_with_the_limit(
    client: Client, market: Market, page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("disputes.services.evidence.MAX_EVIDENCE_PER_CASE", 3)
    case = page.case(market)
    add_directly(case, market.buyer, "one.png", "two.png")
    client.force_login(page.person(market))

    response = client.post(
        page.post_url(case),
        {"evidence": [upload(f"{n}.png", png(), "image/png") for n in ("three", "four")]},
    )

    assert response.status_code == 400
    assert field_errors(response.content.decode()) == [
        "A case keeps at most 3 files; 2 are there already."
    ]
    assert case.evidence.count() == 2


def test_someone_elses_case_is_not_found(client: Client, market: Market, page: Page) -> None:
    case = page.case(market)
    client.force_login(page.outsider(market))

    response = client.post(page.post_url(case), {"evidence": [upload("x.png", png(), "image/png")]})

    assert response.status_code == 404
    assert not case.evidence.exists()


def test_a_settled_case_offers_no_form_and_refuses_a_post_clearly(
    client: Client, market: Market, page: Page
) -> None:
    case = page.case(market)
    settle(case, market)
    client.force_login(page.person(market))

    html = client.get(page.url(case)).content.decode()
    assert 'data-testid="evidence-add"' not in html and "Add evidence" not in html

    response = client.post(
        page.post_url(case), {"evidence": [upload("late.png", png(), "image/png")]}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert SETTLED in html
    assert 'data-testid="evidence-add"' not in html
    assert not case.evidence.exists()


def test_the_form_needs_the_csrf_token(market: Market, page: Page) -> None:
    case = page.case(market)
    client = Client(enforce_csrf_checks=True)
    client.force_login(page.person(market))

    response = client.post(page.post_url(case), {"evidence": [upload("x.png", png(), "image/png")]})

    assert response.status_code == 403
    assert not case.evidence.exists()


def test_the_page_reads_the_same_number_of_queries_however_many_files(
    client: Client, market: Market, page: Page
) -> None:
    case = page.case(market)
    client.force_login(page.person(market))
    add_directly(case, market.buyer, "one.png")
    with CaptureQueriesContext(connection) as one:
        assert client.get(page.url(case)).status_code == 200
    add_directly(case, market.seller, "two.png", "three.png", "four.png")
    add_directly(case, market.buyer, "five.png")
    with CaptureQueriesContext(connection) as five:
        assert client.get(page.url(case)).status_code == 200

    assert len(five) == len(one)
