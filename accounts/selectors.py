"""Reads of people, scoped to what the caller may see."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Role, User


def buyer_list(*, email: str | None = None, username: str | None = None) -> QuerySet[User]:
    """Return buyer accounts, optionally only the one with this email or username."""
    buyers = User.objects.filter(role=Role.BUYER, is_active=True)
    if email is not None:
        buyers = buyers.filter(email__iexact=email)
    if username is not None:
        buyers = buyers.filter(username=username)
    return buyers


def email_in_use(email: str) -> bool:
    """Return True when any account, open or closed, has this email."""
    return User.objects.filter(email__iexact=email).exists()


def account_list_with_email(email: str) -> list[User]:
    """Return every account, open or closed, with this email, oldest first."""
    return list(User.objects.filter(email__iexact=email).order_by("pk"))
