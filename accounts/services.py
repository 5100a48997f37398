"""Every write to people and roles goes through these functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext
from django.views.decorators.debug import sensitive_variables

from accounts import login_limits, selectors
from accounts.mail import account_mail_send, site_url
from accounts.models import Role, User
from audit.models import AuditAction
from audit.services import audit_record
from support_desk.errors import DomainError

SUPERVISORS_GROUP = "Supervisors"
# Supervisors configure everything the desk's own apps hold, and the people.
SUPERVISOR_APP_LABELS = (
    "accounts",
    "faq",
    "tickets",
    "orders",
    "disputes",
    "api",
    "audit",
    "webhooks",
    # Parked tasks: background work that failed for good, for a supervisor to resend.
    "support_desk",
)


def supervisors_group_ensure() -> Group:
    """Create or refresh the Supervisors group with every desk permission."""
    group, _ = Group.objects.get_or_create(name=SUPERVISORS_GROUP)
    wanted = set(
        Permission.objects.filter(content_type__app_label__in=SUPERVISOR_APP_LABELS).values_list(
            "pk", flat=True
        )
    )
    current = set(group.permissions.values_list("pk", flat=True))
    if wanted != current:
        group.permissions.set(wanted)
    return group


@transaction.atomic
def user_set_role(*, user: User, role: Role | str) -> User:
    """Give ``user`` a role and the admin access that goes with it.

    Supervisors get staff status and the Supervisors group; every other role
    loses both. Superusers keep their staff flag whatever their role.
    """
    role = Role(role)
    group = supervisors_group_ensure()
    user.role = role
    user.is_staff = role == Role.SUPERVISOR or user.is_superuser
    user.save(update_fields=["role", "is_staff"])
    if role == Role.SUPERVISOR:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    return user


# Error reports (the log's traceback, mail to admins) show frames' variables: not this one
# (nor the arguments a decorator's frame would hold, hence atomic() inside).
@sensitive_variables("password")
def user_create(
    *,
    username: str,
    password: str | None,
    role: Role | str = Role.BUYER,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    preferred_language: str = "",
) -> User:
    """Create a person with a role; ``password=None`` makes a login-less account."""
    user = User(
        username=username,
        email=User.objects.normalize_email(email),
        first_name=first_name,
        last_name=last_name,
        preferred_language=preferred_language,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    with transaction.atomic():
        user.save()
        return user_set_role(user=user, role=role)


def user_set_preferred_language(*, user: User, language: str) -> None:
    """Remember the language a person chose for pages and emails."""
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


# --- Sign-up and password reset: the same answer whether an address is known ---
#
# Every request for a sign-up or a password reset sends the address one mail
# (unless the per-recipient limit is reached) and shows the same page, so
# neither the page nor the time it takes tells whether an account uses the
# address. Only the mailbox's owner learns it.

SIGNUP_SALT = "accounts.signup"


class SignUpLinkUsed(DomainError):
    code = "signup_link_used"


@dataclass(frozen=True)
class SignUpInvite:
    """What a sign-up link carries: the confirmed address, where to go after, the language."""

    email: str
    next_url: str
    language: str


def signup_link_token(invite: SignUpInvite) -> str:
    """Return the signed token of a sign-up link for ``invite``."""
    data = {"email": invite.email, "next": invite.next_url, "language": invite.language}
    return signing.dumps(data, salt=SIGNUP_SALT, compress=True)


def signup_link_read(token: str) -> SignUpInvite | None:
    """Return the invite a sign-up token carries, or None if forged or older than its lifetime.

    Sign-up links live as long as password-reset links (PASSWORD_RESET_TIMEOUT).
    """
    try:
        data = signing.loads(token, salt=SIGNUP_SALT, max_age=settings.PASSWORD_RESET_TIMEOUT)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(data, dict) or not isinstance(data.get("email"), str):
        return None
    return SignUpInvite(
        email=data["email"],
        next_url=str(data.get("next") or ""),
        language=str(data.get("language") or ""),
    )


def _language(language: str) -> str:
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _reset_url(user: User) -> str:
    path = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return site_url(path)


def _account_rows(accounts: list[User]) -> list[dict[str, str]]:
    """Describe each account of an address for a mail: its username and a reset link if open."""
    return [
        {"username": user.get_username(), "reset_url": _reset_url(user) if user.is_active else ""}
        for user in accounts
    ]


def signup_start(*, email: str, next_url: str, language: str, now: datetime) -> None:
    """Mail ``email`` a link to finish signing up, or, if accounts use it, tell their owner.

    ``next_url`` must already be a safe local path. Nothing is written to the
    database: the account is made only when the link's owner finishes. Sends
    nothing once the address had its share of account mail
    (DESK_LOGIN_LIMIT_MAILS_PER_EMAIL). Raises what the mail backend raises.
    """
    if not login_limits.account_mail_allowed(email=email, now=now.timestamp()):
        return
    language = _language(language)
    accounts = selectors.account_list_with_email(email)
    if accounts:
        with translation.override(language):
            subject = gettext("Someone tried to sign up with your address")
        account_mail_send(
            template="signup_exists",
            to=email,
            subject=subject,
            language=language,
            context={
                "accounts": _account_rows(accounts),
                "login_url": site_url(reverse("accounts:login")),
                "support_email": settings.DESK_SUPPORT_EMAIL,
            },
        )
        return
    token = signup_link_token(SignUpInvite(email=email, next_url=next_url, language=language))
    with translation.override(language):
        subject = gettext("Finish creating your account")
    account_mail_send(
        template="signup_invite",
        to=email,
        subject=subject,
        language=language,
        context={
            "signup_url": site_url(reverse("accounts:signup-link", args=[token])),
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        },
    )


def password_reset_start(*, email: str, language: str, now: datetime) -> None:
    """Mail ``email`` a link to set a new password for each open account it has, or say it has none.

    Accounts made without a password (by an integrator, from a mail) get a
    link too: that is how their owner first sets one. Sends nothing once the
    address had its share of account mail. Raises what the mail backend raises.
    """
    if not login_limits.account_mail_allowed(email=email, now=now.timestamp()):
        return
    language = _language(language)
    accounts = selectors.account_list_with_email(email)
    with translation.override(language):
        subject = gettext("Set a new password")
    if not accounts:
        account_mail_send(
            template="password_reset_unknown",
            to=email,
            subject=subject,
            language=language,
            context={"signup_url": site_url(reverse("accounts:signup"))},
        )
        return
    language = _language(accounts[0].preferred_language or language)
    account_mail_send(
        template="password_reset",
        to=email,
        subject=subject,
        language=language,
        context={
            "accounts": _account_rows(accounts),
            "support_email": settings.DESK_SUPPORT_EMAIL,
        },
    )


@sensitive_variables("password")
def buyer_sign_up(*, invite: SignUpInvite, username: str, password: str, first_name: str) -> User:
    """Create the buyer account a confirmed sign-up link is for.

    Raises SignUpLinkUsed when an account uses the address by now (the link
    was followed twice, or an account was made for the address meanwhile).
    """
    with transaction.atomic():
        if selectors.email_in_use(invite.email):
            raise SignUpLinkUsed(gettext("An account was already made with this link."))
        return user_create(
            username=username,
            password=password,
            email=invite.email,
            first_name=first_name,
            role=Role.BUYER,
            preferred_language=invite.language,
        )


# --- Privacy requests: a buyer's data exported or erased -------------------


class NotABuyer(DomainError):
    code = "not_a_buyer"


def erased_email(user_id: int) -> str:
    return f"erased-{user_id}@invalid"


def check_buyer(user: User) -> None:
    """Raise NotABuyer unless ``user`` is a buyer's account (staff never are)."""
    if user.is_staff or user.is_superuser or user.role != Role.BUYER:
        raise NotABuyer(
            gettext(
                "%(name)s is not a buyer's account (role: %(role)s): only buyers' data is "
                "exported or erased here."
            )
            % {"name": user.get_username(), "role": user.get_role_display()}
        )


def buyer_export(*, buyer: User, by: User, now: datetime) -> dict[str, Any]:
    """Return everything the desk holds about ``buyer`` as JSON-ready data, and record the export.

    The audit trail notes who exported which buyer and when, not the data.
    Raises NotABuyer for staff, sellers and agents.
    """
    from accounts.privacy import buyer_data

    check_buyer(buyer)
    data = buyer_data(buyer=buyer, now=now)
    audit_record(
        obj=buyer,
        action=AuditAction.CUSTOM,
        label="export",
        actor=by,
        now=now,
        note=gettext("%(tickets)d tickets, %(disputes)d disputes, %(claims)d warranty claims.")
        % {
            "tickets": len(data["tickets"]),
            "disputes": len(data["disputes"]),
            "claims": len(data["warranty_claims"]),
        },
    )
    return data


@dataclass(frozen=True)
class Erasure:
    """What an erasure did; ``changed`` is False when there was nothing left to erase."""

    tickets: int
    messages: int
    files: int
    changed: bool


def buyer_erase(*, buyer: User, by: User, now: datetime) -> Erasure:
    """Remove or anonymise a buyer's personal data; keep their tickets and cases for statistics.

    The account is renamed ``erased-<id>``, its email becomes
    ``erased-<id>@invalid``, it can no longer sign in; subjects, descriptions,
    messages, comments, statements and notes on their tickets and cases read
    "[erased]"; attachments and evidence are deleted, their files once the
    transaction commits; inbound mail from them is anonymised. Running it
    again changes nothing and records nothing. Raises NotABuyer for staff,
    sellers and agents.
    """
    from accounts.privacy import buyer_redact

    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=buyer.pk)
        check_buyer(user)
        old_email = user.email
        renamed = _user_anonymise(user)
        redacted = buyer_redact(buyer=user, old_email=old_email)
        changed = renamed or redacted.changed
        if changed:
            audit_record(
                obj=user,
                action=AuditAction.CUSTOM,
                label="erase",
                actor=by,
                now=now,
                note=gettext(
                    "%(tickets)d tickets and %(messages)d messages redacted, %(files)d files deleted."
                )
                % {
                    "tickets": redacted.tickets,
                    "messages": redacted.messages,
                    "files": len(redacted.files),
                },
            )
        transaction.on_commit(lambda: _files_delete(redacted.files))
    buyer.refresh_from_db()
    return Erasure(
        tickets=redacted.tickets,
        messages=redacted.messages,
        files=len(redacted.files),
        changed=changed,
    )


def _user_anonymise(user: User) -> bool:
    """Strip the account of what names the person; return False if it already was."""
    wanted = {
        "username": f"erased-{user.pk}",
        "email": erased_email(user.pk),
        "first_name": "",
        "last_name": "",
        "preferred_language": "",
        "is_active": False,
        "last_login": None,
    }
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    if user.has_usable_password():
        user.set_unusable_password()
        changed.append("password")
    for name in changed:
        if name != "password":
            setattr(user, name, wanted[name])
    if changed:
        user.save(update_fields=changed)
    user.groups.clear()
    return bool(changed)


def _files_delete(files: list[tuple[Any, str]]) -> None:
    for storage, name in files:
        if name:
            storage.delete(name)
