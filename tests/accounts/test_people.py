"""Sign-up, log-in, roles and the demo people."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from accounts import services
from accounts.demo import DEMO_PASSWORD, DEMO_PEOPLE
from accounts.models import Role, User
from accounts.services import SUPERVISORS_GROUP
from support_desk.demo import demo_load
from tests.factories import PASSWORD, AgentFactory, BuyerFactory, SellerFactory, SupervisorFactory

pytestmark = pytest.mark.django_db


def _signup_link(client: Client, email: str, next_url: str = "") -> str:
    """Ask to sign up with ``email`` and return the path of the link the mail holds."""
    mail.outbox.clear()
    response = client.post("/accounts/signup/", {"email": email, "next": next_url})
    assert response.status_code == 302
    [invite] = mail.outbox
    [link] = re.findall(r"/accounts/signup/confirm/[^/\s]+/", str(invite.body))
    return str(link)


def test_signup_makes_a_buyer_and_signs_them_in(client: Client) -> None:
    client.get(_signup_link(client, "Maria@Example.com", next_url="/help/"))
    response = client.post(
        "/accounts/signup/finish/",
        {
            "username": "maria",
            "first_name": "Maria",
            "password1": "correct-horse-battery-9",
            "password2": "correct-horse-battery-9",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/help/"
    user = User.objects.get(username="maria")
    assert user.email == "maria@example.com"
    assert user.role == Role.BUYER
    assert user.is_staff is False
    assert client.get("/help/").context["user"] == user


def test_signup_errors_keep_what_was_typed(client: Client) -> None:
    BuyerFactory(username="taken")
    client.get(_signup_link(client, "nina@example.com"))
    response = client.post(
        "/accounts/signup/finish/",
        {"username": "Taken", "first_name": "Nina", "password1": "abc", "password2": "abd"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "A user with that username already exists." in html
    assert "The two password fields didn’t match." in html
    assert 'value="Taken"' in html and 'value="Nina"' in html
    assert not User.objects.filter(email="nina@example.com").exists()


def test_signup_refuses_an_offsite_next(client: Client) -> None:
    client.get(_signup_link(client, "eve@example.com", next_url="https://evil.example.com/"))
    response = client.post(
        "/accounts/signup/finish/",
        {
            "username": "eve",
            "password1": "correct-horse-battery-9",
            "password2": "correct-horse-battery-9",
        },
    )
    assert response["Location"] == "/help/"


@pytest.mark.parametrize(
    ("factory", "landing"),
    [
        (BuyerFactory, "/help/"),
        (AgentFactory, "/agent/"),
        (SupervisorFactory, "/agent/"),
        (SellerFactory, "/seller/"),
    ],
)
def test_login_lands_each_role_in_its_place(
    client: Client, factory: type[BuyerFactory], landing: str
) -> None:
    user = factory()
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == landing
    assert response.status_code == 200


def test_login_with_a_wrong_password_shows_an_error(client: Client) -> None:
    user = BuyerFactory()
    response = client.post("/accounts/login/", {"username": user.username, "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert f'value="{user.username}"' in response.content.decode()


def test_logout_needs_post_and_ends_the_session(client: Client) -> None:
    client.force_login(BuyerFactory())
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/help/").context["user"].is_authenticated is False


def test_agent_workspace_sends_anonymous_visitors_to_log_in(client: Client) -> None:
    response = client.get("/agent/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/agent/"


@pytest.mark.parametrize(
    ("path", "allowed"), [("/agent/", (Role.AGENT, Role.SUPERVISOR)), ("/seller/", (Role.SELLER,))]
)
def test_workspaces_admit_only_their_roles(
    client: Client, path: str, allowed: tuple[Role, ...]
) -> None:
    for role in Role:
        client.force_login(
            services.user_create(username=f"u-{role}-{path.strip('/')}", password=None, role=role)
        )
        assert client.get(path).status_code == (200 if role in allowed else 403), (role, path)


def test_only_supervisors_get_into_the_admin(client: Client) -> None:
    supervisor = SupervisorFactory()
    agent = AgentFactory()
    client.force_login(agent)
    assert client.get("/admin/").status_code == 302
    client.force_login(supervisor)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/api/apikey/").status_code == 200


def test_changing_role_grants_and_withdraws_admin_access() -> None:
    user = AgentFactory()
    services.user_set_role(user=user, role=Role.SUPERVISOR)
    user.refresh_from_db()
    assert user.is_staff and user.groups.filter(name=SUPERVISORS_GROUP).exists()
    assert user.has_perm("api.add_apikey")
    services.user_set_role(user=user, role=Role.AGENT)
    user = User.objects.get(pk=user.pk)
    assert not user.is_staff and not user.groups.exists()
    assert not user.has_perm("api.add_apikey")


def test_language_choice_is_remembered_for_a_signed_in_person(client: Client) -> None:
    buyer = BuyerFactory()
    client.force_login(buyer)
    client.post("/accounts/language/", {"language": "el", "next": "/help/"})
    buyer.refresh_from_db()
    assert buyer.preferred_language == "el"
    other_device = Client()
    other_device.force_login(buyer)
    response = other_device.get("/help/")
    assert response["Content-Language"] == "el"
    assert "Πώς μπορούμε να σας βοηθήσουμε;" in response.content.decode()


def test_anonymous_language_choice_uses_the_cookie(client: Client) -> None:
    client.post("/accounts/language/", {"language": "ru", "next": "/help/"})
    response = client.get("/help/")
    assert response["Content-Language"] == "ru"
    assert "Чем мы можем помочь?" in response.content.decode()


def test_unknown_language_is_ignored(client: Client) -> None:
    buyer = BuyerFactory()
    client.force_login(buyer)
    client.post("/accounts/language/", {"language": "xx", "next": "/help/"})
    buyer.refresh_from_db()
    assert buyer.preferred_language == ""
    assert client.get("/help/")["Content-Language"] == "en"


def test_demo_load_creates_every_demo_login_once() -> None:
    demo_load(now=timezone.now())
    snapshot = list(
        User.objects.order_by("pk").values("pk", "username", "password", "role", "is_staff")
    )
    demo_load(now=timezone.now())
    assert (
        list(User.objects.order_by("pk").values("pk", "username", "password", "role", "is_staff"))
        == snapshot
    )
    assert {row["username"] for row in snapshot} == {p.username for p in DEMO_PEOPLE}
    for person in DEMO_PEOPLE:
        user = authenticate(username=person.username, password=DEMO_PASSWORD)
        assert user is not None and user.role == person.role
    assert User.objects.get(username="supervisor").is_staff is True


def test_demo_refused_where_settings_forbid_it(settings: Settings) -> None:
    from support_desk.demo import DemoNotAllowed

    settings.DESK_DEMO_ALLOWED = False
    with pytest.raises(DemoNotAllowed):
        demo_load(now=timezone.now())
    assert not User.objects.exists()
