"""Forms of the sign-up and log-in pages: they validate, services write."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class BuyerSignUpForm(BaseUserCreationForm):
    """Validate a new buyer's username, email and password."""

    email = forms.EmailField(
        label=_("Email"),
        help_text=_("We write to this address about your requests."),
        max_length=254,
    )

    class Meta:
        model = User
        fields = ("username", "email", "first_name")

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this email already exists. Log in instead."),
                code="email_taken",
            )
        return email
