"""People of the desk: one user table, a role per person."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    SELLER = "seller", _("Seller")
    AGENT = "agent", _("Agent")
    SUPERVISOR = "supervisor", _("Supervisor")


# What ``User.display_name`` reads: enough for a query that only names people.
DISPLAY_NAME_FIELDS = ("first_name", "username")


class User(AbstractUser):
    """A person who uses the desk; what they may do follows from ``role``."""

    role = models.CharField(
        _("role"), max_length=16, choices=Role.choices, default=Role.BUYER, db_index=True
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Pages and emails use this language when it is set."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="accounts_user_role_valid"
            ),
        ]

    @property
    def is_buyer(self) -> bool:
        return self.role == Role.BUYER

    @property
    def is_seller(self) -> bool:
        return self.role == Role.SELLER

    @property
    def is_agent(self) -> bool:
        """Return True for anyone who works in the agent workspace."""
        return self.role in (Role.AGENT, Role.SUPERVISOR)

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def display_name(self) -> str:
        """Return the name shown to others: the first name, else the username (DISPLAY_NAME_FIELDS)."""
        return self.first_name or self.username
