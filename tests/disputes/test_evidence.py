"""Evidence added after a case is opened: by either party, on pages' service and through the API."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from disputes import services
from disputes.models import Dispute, DisputeReason, Evidence, WantedOutcome
from tests.disputes.conftest import NOW, Market
from tests.factories import api_key_with
from tests.tickets.fixtures.samples import png, upload
from tickets.attachments import InvalidAttachment
from tickets.models import Notification

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _open(market: Market) -> Dispute:
    return services.dispute_open(
        buyer=market.buyer,
        order_number=market.order.number,
        reason=DisputeReason.DAMAGED,
        wanted_outcome=WantedOutcome.FULL_REFUND,
        description="The lid arrived cracked.",
        now=NOW,
    )


def _add(market: Market, dispute: Dispute, person: User, *names: str) -> list[Evidence]:
    return services.evidence_add(
        person=person,
        files=[upload(name, png(), "image/png") for name in names],
        now=NOW,
        dispute_id=dispute.pk,
    )


def test_both_parties_add_evidence_to_an_open_dispute_and_both_are_told(market: Market) -> None:
    dispute = _open(market)
    _add(market, dispute, market.buyer, "lid.png")
    _add(market, dispute, market.seller, "packing.png", "scale.png")

    assert sorted(dispute.evidence.values_list("name", "uploaded_by__username")) == [
        ("lid.png", "anna"),
        ("packing.png", "lena"),
        ("scale.png", "lena"),
    ]
    [by_buyer, by_seller] = dispute.events.filter(kind="evidence_added").order_by("id")
    assert (by_buyer.actor, by_buyer.note) == (market.buyer, "lid.png")
    assert by_seller.note == "packing.png, scale.png"
    told = Notification.objects.filter(dispute_event=by_seller).values_list(
        "recipient__username", flat=True
    )
    assert sorted(told) == ["anna", "lena"]


def test_only_the_parties_add_evidence_and_only_while_the_case_is_open(market: Market) -> None:
    dispute = _open(market)
    for outsider in (market.stranger, market.other_seller):
        with pytest.raises(services.CaseNotFound):
            _add(market, dispute, outsider, "x.png")
    services.dispute_seller_accept(dispute_id=dispute.pk, seller=market.seller, now=NOW)
    with pytest.raises(services.InvalidCase, match="settled"):
        _add(market, dispute, market.buyer, "late.png")
    assert not dispute.evidence.exists()


def test_a_bad_file_refuses_the_whole_upload_and_a_case_keeps_at_most_the_limit(
    market: Market,
) -> None:
    dispute = _open(market)
    with pytest.raises(InvalidAttachment):
        services.evidence_add(
            person=market.buyer,
            files=[upload("ok.png", png(), "image/png"), upload("x.svg", SVG, "image/svg+xml")],
            now=NOW,
            dispute_id=dispute.pk,
        )
    assert not dispute.evidence.exists()
    for batch in range(services.MAX_EVIDENCE_PER_CASE // 5):
        _add(market, dispute, market.buyer, *(f"{batch}-{n}.png" for n in range(5)))
    with pytest.raises(services.InvalidCase, match="at most 20 files"):
        _add(market, dispute, market.buyer, "one-more.png")
    assert dispute.evidence.count() == services.MAX_EVIDENCE_PER_CASE


def _client(user: User | None = None, *, key: str = "") -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def _post(client: APIClient, dispute: Dispute, **extra: object):
    return client.post(
        f"/api/v1/disputes/{dispute.pk}/evidence/",
        {"files": [upload("lid.png", png(), "image/png")], **extra},
        format="multipart",
    )


def test_api_buyer_and_seller_key_add_evidence_and_download_it(market: Market) -> None:
    dispute = _open(market)
    answer = _post(_client(market.buyer), dispute)
    assert answer.status_code == 201, answer.json()
    [shown] = answer.json()["evidence"]
    assert (shown["name"], shown["by"]) == ("lid.png", "buyer")

    _key, lena = api_key_with("seller", seller=market.seller)
    answer = _post(_client(key=lena), dispute)
    assert answer.status_code == 201, answer.json()
    assert [item["by"] for item in answer.json()["evidence"]] == ["buyer", "seller"]

    file_url = f"/api/v1/disputes/{dispute.pk}/evidence/{shown['id']}/"
    download = _client(key=lena).get(file_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")


def test_api_evidence_is_404_to_those_who_may_not_see_the_case(market: Market) -> None:
    dispute = _open(market)
    evidence = _add(market, dispute, market.buyer, "lid.png")[0]
    _key, marco = api_key_with("seller", seller=market.other_seller)
    file_url = f"/api/v1/disputes/{dispute.pk}/evidence/{evidence.pk}/"

    for client in (_client(key=marco), _client(market.stranger)):
        assert client.get(file_url).status_code == 404
        refused = _post(client, dispute)
        assert (refused.status_code, refused.json()["error"]["code"]) == (404, "not_found")
    # Evidence of one case is not reachable under another the caller sees.
    other = Dispute.objects.get(pk=dispute.pk)
    assert (
        _client(market.buyer)
        .get(f"/api/v1/warranty-claims/{other.pk}/evidence/{evidence.pk}/")
        .status_code
        == 404
    )
    assert dispute.evidence.count() == 1


def test_api_refusals_are_clear_json(market: Market) -> None:
    dispute = _open(market)
    _key, integrator = api_key_with("disputes:read", "disputes:write")

    no_party = _post(_client(key=integrator), dispute)
    assert (no_party.status_code, no_party.json()["error"]["code"]) == (400, "invalid_case")
    assert "party" in no_party.json()["error"]["details"]
    as_seller = _post(_client(key=integrator), dispute, party="seller")
    assert as_seller.status_code == 201
    assert as_seller.json()["evidence"][0]["by"] == "seller"

    svg = _client(market.buyer).post(
        f"/api/v1/disputes/{dispute.pk}/evidence/",
        {"files": [upload("x.svg", SVG, "image/svg+xml")]},
        format="multipart",
    )
    assert (svg.status_code, svg.json()["error"]["code"]) == (400, "invalid_attachment")
    nothing = _client(market.buyer).post(
        f"/api/v1/disputes/{dispute.pk}/evidence/", {}, format="multipart"
    )
    assert (nothing.status_code, nothing.json()["error"]["code"]) == (400, "invalid_case")
    named = _post(_client(market.buyer), dispute, party="seller")
    assert (named.status_code, named.json()["error"]["code"]) == (400, "invalid_case")
    assert dispute.evidence.count() == 1
