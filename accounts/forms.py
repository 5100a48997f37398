"""Forms of the sign-up, log-in and password pages: they validate, services write."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UserCreationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables

from accounts import login_limits
from accounts.login_limits import LoginLock
from accounts.models import User
from support_desk import security_log
from support_desk.clients import client_address

TOO_MANY_ATTEMPTS = "too_many_attempts"


def too_many_attempts(lock: LoginLock) -> ValidationError:
    """Return the form error shown while a log-in limit holds."""
    return ValidationError(
        ngettext(
            "Too many attempts. Try again in %(minutes)d minute.",
            "Too many attempts. Try again in %(minutes)d minutes.",
            lock.minutes,
        )
        % {"minutes": lock.minutes},
        code=TOO_MANY_ATTEMPTS,
    )


def form_lock(form: forms.Form) -> LoginLock | None:
    """Return the lock that refused ``form``, if a limit did."""
    lock = getattr(form, "login_lock", None)
    return lock if form.has_error(NON_FIELD_ERRORS, TOO_MANY_ATTEMPTS) else None


class LimitedAuthenticationMixin:
    """Check a password only after the attempt got a slot of the log-in limits.

    Django's form authenticates in ``clean``; the attempt is counted before,
    atomically, so that concurrent guesses cannot pass the limit, and a locked
    account is refused without its password being looked at.
    """

    request: Any
    cleaned_data: dict[str, Any]
    login_lock: LoginLock | None = None

    @sensitive_variables("password")
    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password or self.request is None:
            return super().clean()  # type: ignore[misc]
        address = client_address(self.request)
        lock = login_limits.login_attempt_take(username=username, address=address, now=time.time())
        if lock is not None:
            self.login_lock = lock
            security_log.log_login_refused(self.request, username=username, reason="login_locked")
            raise too_many_attempts(lock)
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        login_limits.login_attempt_succeeded(username=username, address=address, now=time.time())
        return cleaned


class DeskAuthenticationForm(LimitedAuthenticationMixin, AuthenticationForm):
    """The log-in form of the desk's own page, with the log-in limits."""


class DeskAdminAuthenticationForm(LimitedAuthenticationMixin, AdminAuthenticationForm):
    """The admin's log-in form, with the same limits: it is another door to the same accounts."""


class SignUpStartForm(forms.Form):
    """Ask for the address a new buyer's account is for; the rest comes after it is confirmed."""

    email = forms.EmailField(
        label=_("Email"),
        help_text=_("We send a link to this address to finish creating your account."),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()


class SignUpFinishForm(UserCreationForm):
    """Validate the username, name and password of a buyer whose address is confirmed."""

    class Meta:
        model = User
        fields = ("username", "first_name")

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The similarity check compares the password with the address too.
        self.instance.email = email


class DeskPasswordResetForm(PasswordResetForm):
    """Ask for the address a password-reset link goes to; the service decides what to send."""

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()
