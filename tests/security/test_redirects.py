"""Every redirect to a URL the user gives (``next=``, the Referer) stays on this site."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.core import mail
from django.test import Client

from tests.factories import PASSWORD, BuyerFactory, SupervisorFactory

pytestmark = pytest.mark.django_db

HOST = "testserver"

# As the view receives them (form fields, or query values after one decoding).
PAYLOADS = [
    "//evil.com",
    "///evil.com",
    "////evil.com/",
    "https://evil.com",
    "http://evil.com/help/",
    "HTTPS://EVIL.COM",
    "/\\evil.com",
    "\\\\evil.com",
    "\\/evil.com",
    "/\\/evil.com",
    "https:/\\evil.com",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http:evil.com",
    "https:evil.com",
    "http:/evil.com",
    " //evil.com",
    "\t//evil.com",
    "/\t/evil.com",
    "\x00//evil.com",
    "http://testserver@evil.com/",
    "//testserver@evil.com",
    "http://evil.com\\@testserver/",
    "http://evil.com#@testserver/",
    "//evil.com/%2F..",
    "%2F%2Fevil.com",  # sent double-encoded: arrives encoded once
    "/%2F/evil.com",
    "/%5Cevil.com",
    "//%65vil.com",
    "http://[::1]:8000/",
    "//evil。com",
]

# Raw query strings: the encoded forms a link would carry.
ENCODED_QUERIES = [
    "next=%2F%2Fevil.com",
    "next=%2F%5Cevil.com",
    "next=%5C%5Cevil.com",
    "next=https%3A%2F%2Fevil.com",
    "next=http%3Aevil.com",
    "next=%09%2F%2Fevil.com",
    "next=%2F%09%2Fevil.com",
    "next=javascript%3Aalert(1)",
    "next=%252F%252Fevil.com",
    "next=%E3%80%82%2F%2Fevil.com",
    "next=/help/&next=//evil.com",
]


def stays_on_site(location: str) -> bool:
    """Return whether a browser following ``location`` would stay on this site.

    Browsers drop tabs and newlines anywhere and control characters and spaces
    around a URL, read backslashes as slashes, and take a scheme with no slashes
    (``http:evil.com``) as another site when it differs from the page's own:
    only a path (absolute or relative) or an address on this host passes.
    """
    cleaned = re.sub(r"[\t\n\r]", "", location).strip("".join(map(chr, range(0x21))))
    cleaned = cleaned.replace("\\", "/")
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc:
        return parts.scheme in ("http", "https") and parts.hostname == HOST
    return not cleaned.startswith("//")  # a path, relative to this page or to the site


def test_the_check_itself_tells_local_from_foreign() -> None:
    assert stays_on_site("/help/") and stays_on_site("http://testserver/help/")
    assert stays_on_site("/accounts/login/%2F%2Fevil.com")
    for foreign in [*PAYLOADS[:13], "http:evil.com", "\t//evil.com", "//evil。com"]:
        assert not stays_on_site(foreign), foreign


def _redirects(client: Client, method: str, url: str, data: dict[str, str] | None = None) -> str:
    response = client.post(url, data or {}) if method == "POST" else client.get(url)
    assert response.status_code in (301, 302, 303), (url, response.status_code)
    return str(response["Location"])


@pytest.mark.parametrize("payload", PAYLOADS)
def test_log_in_out_and_language_never_send_anyone_off_site(payload: str) -> None:
    buyer = BuyerFactory()
    supervisor = SupervisorFactory()
    query = urlencode({"next": payload})
    client = Client()
    landed = {
        "login form": _redirects(
            client,
            "POST",
            "/accounts/login/",
            {"username": buyer.username, "password": PASSWORD, "next": payload},
        ),
        "login page while logged in": _redirects(client, "GET", f"/accounts/login/?{query}"),
        "language": _redirects(
            client, "POST", "/accounts/language/", {"language": "el", "next": payload}
        ),
        "logout": _redirects(client, "POST", "/accounts/logout/", {"next": payload}),
    }
    landed["language, no next, foreign Referer"] = Client(HTTP_REFERER=payload).post(
        "/accounts/language/", {"language": "ru"}
    )["Location"]
    landed["admin login"] = _redirects(
        Client(),
        "POST",
        f"/admin/login/?{query}",
        {"username": supervisor.username, "password": PASSWORD, "next": payload},
    )
    foreign = {where: location for where, location in landed.items() if not stays_on_site(location)}
    assert foreign == {}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_login_page_does_not_carry_a_foreign_next_into_its_form_or_links(
    client: Client, payload: str
) -> None:
    html = client.get(f"/accounts/login/?{urlencode({'next': payload})}").content.decode()
    # The menu's own links name this page (a local path, query and all); the log-in card does not
    # pass the foreign next on, neither to the form nor to the sign-up link.
    card = html[html.index('<section class="card') : html.index("</section>")]
    if stays_on_site(payload):  # an odd but local path, e.g. /%2F/evil.com, may be kept
        return
    assert 'name="next" value=""' in card
    assert "evil" not in card.lower()


@pytest.mark.parametrize("query", ENCODED_QUERIES)
def test_encoded_forms_of_a_foreign_next_are_refused_too(query: str) -> None:
    buyer = BuyerFactory()
    client = Client()
    after_login = _redirects(
        client,
        "POST",
        f"/accounts/login/?{query}",
        {"username": buyer.username, "password": PASSWORD},
    )
    while_logged_in = _redirects(client, "GET", f"/accounts/login/?{query}")
    assert stays_on_site(after_login), after_login
    assert stays_on_site(while_logged_in), while_logged_in


@pytest.mark.parametrize("payload", PAYLOADS)
def test_signing_up_lands_on_this_site_whatever_next_it_was_given(payload: str) -> None:
    client = Client()
    client.post(f"/accounts/signup/?{urlencode({'next': payload})}", {"email": "new@example.com"})
    [invite] = mail.outbox
    [link] = re.findall(r"/accounts/signup/confirm/[^/\s]+/", str(invite.body))
    client.get(link)
    location = _redirects(
        client,
        "POST",
        "/accounts/signup/finish/",
        {"username": "newcomer", "password1": "correct-horse-9", "password2": "correct-horse-9"},
    )
    assert stays_on_site(location), location


def test_a_local_next_is_still_followed() -> None:
    buyer = BuyerFactory()
    target = "/help/requests/?status=open"
    client = Client()
    assert (
        _redirects(
            client,
            "POST",
            f"/accounts/login/?next={quote(target)}",
            {"username": buyer.username, "password": PASSWORD, "next": target},
        )
        == target
    )
    assert (
        _redirects(client, "POST", "/accounts/language/", {"language": "el", "next": target})
        == target
    )
