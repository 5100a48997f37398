"""Every write to people and roles goes through these functions."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.models import Role, User

SUPERVISORS_GROUP = "Supervisors"
# Supervisors configure everything the desk's own apps hold, and the people.
SUPERVISOR_APP_LABELS = ("accounts", "faq", "tickets", "orders", "disputes", "api")


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
