"""Editing the help centre over the API: entries, drafts, publishing and translations."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from audit.models import AuditEntry
from faq.models import FaqEntry, FaqTranslation
from tests.factories import AgentFactory, SupervisorFactory, api_key_with
from tests.faq.conftest import HelpCentre

URL = "/api/v1/faq/entries/"


def key_client(*scopes: str) -> APIClient:
    _key, raw = api_key_with(*scopes)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def session_client(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def editor() -> APIClient:
    return key_client("faq:write", "faq:read")


def error(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()["error"]
    return body


def new_entry(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "topic": "refund",
        "slug": "refund-to-gift-card",
        "sort_weight": 5,
        "translations": [
            {
                "language": "en",
                "question": "Can my refund go to a gift card?",
                "answer": "Yes: choose **Gift card**. <script>alert(1)</script>",
            },
            {
                "language": "ru",
                "question": "Можно ли вернуть деньги на подарочную карту?",
                "answer": "Да: выберите **Подарочная карта**.",
            },
        ],
    }
    body.update(overrides)
    return body


def public(client: APIClient, entry_id: int, language: str = "en") -> Any:
    return client.get(f"/api/v1/faq/{entry_id}/", {"language": language})


def test_editor_creates_an_entry_that_readers_find_in_their_language(
    help_centre: HelpCentre, django_capture_on_commit_callbacks: Any
) -> None:
    client = editor()
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(URL, new_entry(), format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["topic"] == "refund" and created["published"] is True
    assert [t["language"] for t in created["translations"]] == ["en", "ru"]
    english = created["translations"][0]
    assert "<strong>Gift card</strong>" in english["answer_html"]
    assert "<script>" not in english["answer_html"]
    assert callbacks, "search is refreshed once the entry is committed"

    russian = public(client, created["id"], "ru").json()
    assert russian["question"] == "Можно ли вернуть деньги на подарочную карту?"
    assert russian["is_fallback"] is False


def test_a_draft_stays_hidden_until_published_and_hides_again_when_unpublished(
    help_centre: HelpCentre,
) -> None:
    client = editor()
    entry_id = client.post(URL, new_entry(published=False), format="json").json()["id"]
    assert public(client, entry_id).status_code == 404

    published = client.post(f"{URL}{entry_id}/publish/")
    assert published.status_code == 200 and published.json()["published"] is True
    assert public(client, entry_id).status_code == 200

    assert client.post(f"{URL}{entry_id}/unpublish/").json()["published"] is False
    assert public(client, entry_id).status_code == 404
    # The editors' view still has the draft.
    assert client.get(f"{URL}{entry_id}/").json()["published"] is False


def test_the_list_for_editors_includes_drafts_and_filters_them(help_centre: HelpCentre) -> None:
    client = editor()
    everything = client.get(URL).json()["results"]
    assert help_centre.hidden.pk in [entry["id"] for entry in everything]
    drafts = client.get(URL, {"published": "false"}).json()["results"]
    assert [entry["id"] for entry in drafts] == [help_centre.hidden.pk]
    refund = client.get(URL, {"topic": "refund"}).json()["results"]
    assert {entry["topic"] for entry in refund} == {"refund"}


def test_a_slug_taken_in_the_topic_is_a_conflict(help_centre: HelpCentre) -> None:
    client = editor()
    response = client.post(URL, new_entry(slug=help_centre.refund_timing.slug), format="json")
    assert response.status_code == 409
    assert error(response)["code"] == "faq_entry_exists"
    assert error(response)["details"] == {"slug": "Taken in this topic."}


def test_an_entry_needs_english_text(help_centre: HelpCentre) -> None:
    body = new_entry()
    body["translations"] = body["translations"][1:]
    response = editor().post(URL, body, format="json")
    assert response.status_code == 400
    assert error(response)["code"] == "invalid_faq_entry"
    assert "translations" in error(response)["details"]
    assert not FaqEntry.objects.filter(slug="refund-to-gift-card").exists()


def test_invalid_fields_are_listed_one_by_one(help_centre: HelpCentre) -> None:
    response = editor().post(URL, new_entry(slug="not a slug", translations=[]), format="json")
    assert response.status_code == 400
    assert error(response)["code"] == "validation_error"
    assert set(error(response)["details"]) == {"slug", "translations"}


def test_an_unknown_topic_is_named(help_centre: HelpCentre) -> None:
    response = editor().post(URL, new_entry(topic="shipping"), format="json")
    assert response.status_code == 400
    assert error(response)["code"] == "unknown_topic"


def test_patch_changes_only_the_fields_given(help_centre: HelpCentre) -> None:
    entry = help_centre.refund_timing
    response = editor().patch(
        f"{URL}{entry.pk}/", {"sort_weight": 500, "email_contact": False}, format="json"
    )
    assert response.status_code == 200, response.json()
    entry.refresh_from_db()
    assert (entry.sort_weight, entry.email_contact, entry.slug) == (
        500,
        False,
        "refund-timing-by-payment-method",
    )
    editor().patch(f"{URL}{entry.pk}/", {"email_contact": None}, format="json")
    entry.refresh_from_db()
    assert entry.email_contact is None


def test_patch_moves_an_entry_to_another_topic(help_centre: HelpCentre) -> None:
    entry = help_centre.refund_timing
    response = editor().patch(f"{URL}{entry.pk}/", {"topic": "payment"}, format="json")
    assert response.status_code == 200
    assert response.json()["topic"] == "payment"


def test_translations_are_written_and_removed_one_language_at_a_time(
    help_centre: HelpCentre,
) -> None:
    client = editor()
    entry = help_centre.english_only
    url = f"{URL}{entry.pk}/translations/el/"
    response = client.put(
        url, {"question": "Η κάρτα μου έληξε;", "answer": "Η τράπεζα τη μεταφέρει."}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert public(client, entry.pk, "el").json()["question"] == "Η κάρτα μου έληξε;"

    assert client.delete(url).status_code == 200
    assert public(client, entry.pk, "el").json()["is_fallback"] is True
    missing = client.delete(url)
    assert missing.status_code == 404
    assert error(missing)["code"] == "faq_translation_not_found"


def test_english_text_is_kept(help_centre: HelpCentre) -> None:
    client = editor()
    entry = help_centre.refund_timing
    removed = client.delete(f"{URL}{entry.pk}/translations/en/")
    assert removed.status_code == 400 and error(removed)["code"] == "invalid_faq_entry"
    hidden = client.put(
        f"{URL}{entry.pk}/translations/en/",
        {"question": "How long?", "answer": "Days.", "published": False},
        format="json",
    )
    assert hidden.status_code == 400 and error(hidden)["code"] == "invalid_faq_entry"
    assert FaqTranslation.objects.get(entry=entry, language="en").published is True


def test_an_unknown_language_is_refused(help_centre: HelpCentre) -> None:
    response = editor().put(
        f"{URL}{help_centre.refund_timing.pk}/translations/de/",
        {"question": "Wie lange?", "answer": "Tage."},
        format="json",
    )
    assert response.status_code == 400
    assert error(response)["code"] == "unknown_language"


def test_an_unknown_entry_is_not_found(help_centre: HelpCentre) -> None:
    for response in (
        editor().get(f"{URL}999999/"),
        editor().post(f"{URL}999999/publish/"),
        editor().patch(f"{URL}999999/", {"sort_weight": 1}, format="json"),
    ):
        assert response.status_code == 404
        assert error(response)["code"] == "not_found"


def test_supervisors_edit_with_their_session(help_centre: HelpCentre) -> None:
    client = session_client(SupervisorFactory())
    assert client.post(URL, new_entry(), format="json").status_code == 201


@pytest.mark.parametrize(
    ("client_of", "status", "code"),
    [
        (lambda: APIClient(), 401, "not_authenticated"),
        (lambda: key_client("faq:read"), 403, "missing_scope"),
        (lambda: session_client(AgentFactory()), 403, "role_not_allowed"),
    ],
)
def test_editing_needs_faq_write_or_a_supervisor(
    help_centre: HelpCentre, client_of: Any, status: int, code: str
) -> None:
    client = client_of()
    for response in (
        client.get(URL),
        client.post(URL, new_entry(), format="json"),
        client.post(f"{URL}{help_centre.hidden.pk}/publish/"),
    ):
        assert response.status_code == status
        assert error(response)["code"] == code
    assert not FaqEntry.objects.filter(slug="refund-to-gift-card").exists()
    help_centre.hidden.refresh_from_db()
    assert help_centre.hidden.published is False


def test_every_edit_is_in_the_audit_trail_with_the_key_that_made_it(
    help_centre: HelpCentre,
) -> None:
    client = editor()
    entry_id = client.post(URL, new_entry(published=False), format="json").json()["id"]
    client.post(f"{URL}{entry_id}/publish/")
    client.post(f"{URL}{entry_id}/publish/")  # already published: nothing to record
    client.delete(f"{URL}{entry_id}/translations/ru/")
    trail = list(
        AuditEntry.objects.filter(object_id=str(entry_id), content_type__model="faqentry").order_by(
            "created_at", "pk"
        )
    )
    assert [entry.action for entry in trail] == ["create", "update", "update"]
    assert {entry.source for entry in trail} == {"api"}
    assert all(entry.actor_name.startswith("api-key:") for entry in trail)
    assert "published" in trail[1].changes
    assert "translations" in trail[2].changes
