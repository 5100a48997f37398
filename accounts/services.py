"""Every write to people and roles goes through these functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext

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


@transaction.atomic
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
    user.save()
    return user_set_role(user=user, role=role)


def user_set_preferred_language(*, user: User, language: str) -> None:
    """Remember the language a person chose for pages and emails."""
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


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
