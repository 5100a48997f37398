"""Sign-up, log-in, log-out, password reset, language choice and the after-login landing.

Sign-up takes two steps so that the page never tells whether an address has
an account: the first asks for the address and always answers "check your
mail"; the mail holds either a link to finish (username, name, password) or,
for an address in use, a note to log in or reset the password.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts import login_limits, selectors, services
from accounts.forms import (
    DeskAuthenticationForm,
    DeskPasswordResetForm,
    SignUpFinishForm,
    SignUpStartForm,
    form_lock,
    too_many_attempts,
)
from accounts.models import Role
from support_desk.clients import client_address

SIGNUP_TOKEN_SESSION_KEY = "_signup_token"


def _safe_next(request: HttpRequest, fallback: str, *, candidate: str | None = None) -> str:
    """Return the ``next`` the request names if it stays on this site, else ``fallback``."""
    target = candidate
    if target is None:
        target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _refused(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Render a form a log-in limit refused: 429 with Retry-After."""
    lock = form_lock(context["form"])
    response = render(request, template, context, status=429 if lock else 400)
    if lock is not None:
        response["Retry-After"] = str(lock.retry_after)
    return response


def _address_lock(request: HttpRequest, form: Any) -> bool:
    """Count a sign-up or reset request against the caller's address; add the error if over."""
    lock = login_limits.address_attempt_take(address=client_address(request), now=time.time())
    if lock is None:
        return False
    form.login_lock = lock
    form.add_error(None, too_many_attempts(lock))
    return True


def signup(request: HttpRequest) -> HttpResponse:
    """Ask for a new buyer's address and mail them; the answer is the same for any address."""
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = SignUpStartForm(request.POST or None)
    next_url = _safe_next(request, "")
    context = {"form": form, "next": next_url}
    if request.method != "POST":
        return render(request, "accounts/signup.html", context)
    if not form.is_valid() or _address_lock(request, form):
        return _refused(request, "accounts/signup.html", context)
    services.signup_start(
        email=form.cleaned_data["email"],
        next_url=next_url,
        language=getattr(request, "LANGUAGE_CODE", ""),
        now=timezone.now(),
    )
    return redirect("accounts:signup-sent")


def signup_sent(request: HttpRequest) -> HttpResponse:
    """Say that a mail is on its way."""
    return render(request, "accounts/signup_sent.html")


def signup_link(request: HttpRequest, token: str) -> HttpResponse:
    """Take the token of a sign-up link into the session and continue without it in the address.

    The finishing page then has no secret in its URL to leak through the
    Referer header or the browser's history, as Django's password reset does.
    """
    if services.signup_link_read(token) is None:
        return render(request, "accounts/signup_invalid.html", status=400)
    request.session[SIGNUP_TOKEN_SESSION_KEY] = token
    return redirect("accounts:signup-finish")


@sensitive_post_parameters("password1", "password2")
def signup_finish(request: HttpRequest) -> HttpResponse:
    """Create the account of a confirmed address, sign the buyer in and send them on."""
    invite = services.signup_link_read(request.session.get(SIGNUP_TOKEN_SESSION_KEY, ""))
    if invite is None:
        return render(request, "accounts/signup_invalid.html", status=400)
    if selectors.email_in_use(invite.email):
        request.session.pop(SIGNUP_TOKEN_SESSION_KEY, None)
        return render(request, "accounts/signup_invalid.html", {"used": True}, status=400)
    form = SignUpFinishForm(request.POST or None, email=invite.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.buyer_sign_up(
                invite=invite,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data.get("first_name", ""),
            )
        except services.SignUpLinkUsed:
            request.session.pop(SIGNUP_TOKEN_SESSION_KEY, None)
            return render(request, "accounts/signup_invalid.html", {"used": True}, status=400)
        request.session.pop(SIGNUP_TOKEN_SESSION_KEY, None)
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        return redirect(_safe_next(request, reverse("help:home"), candidate=invite.next_url))
    return render(
        request,
        "accounts/signup_finish.html",
        {"form": form, "email": invite.email},
        status=400 if request.method == "POST" else 200,
    )


class LoginView(auth_views.LoginView):
    """The one log-in page for buyers, sellers, agents and supervisors, with the log-in limits."""

    template_name = "accounts/login.html"
    form_class = DeskAuthenticationForm
    redirect_authenticated_user = True

    def form_invalid(self, form: Any) -> HttpResponse:
        lock = form_lock(form)
        response = self.render_to_response(
            self.get_context_data(form=form), status=429 if lock else 200
        )
        if lock is not None:
            response["Retry-After"] = str(lock.retry_after)
        return response


class LogoutView(auth_views.LogoutView):
    """Log out (POST only, as Django requires) and return to the help centre."""


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for an address and mail it; the answer is the same for any address."""

    template_name = "accounts/password_reset.html"
    form_class = DeskPasswordResetForm
    success_url = reverse_lazy("accounts:password-reset-sent")

    def form_valid(self, form: Any) -> HttpResponse:
        if _address_lock(self.request, form):
            return _refused(self.request, self.template_name, self.get_context_data(form=form))
        services.password_reset_start(
            email=form.cleaned_data["email"],
            language=getattr(self.request, "LANGUAGE_CODE", ""),
            now=timezone.now(),
        )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from a mailed link; every other session of the account ends."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_done.html"


def home(request: HttpRequest) -> HttpResponse:
    """Send a person to the place their role works in."""
    user = request.user
    if not user.is_authenticated:
        return redirect("help:home")
    role = getattr(user, "role", Role.BUYER)
    if role in (Role.AGENT, Role.SUPERVISOR):
        return redirect("agent:home")
    if role == Role.SELLER:
        return redirect("seller:home")
    return redirect("help:home")


@require_POST
def choose_language(request: HttpRequest) -> HttpResponseBase:
    """Switch the page language and remember it for a signed-in person."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_set_preferred_language(user=request.user, language=language)
    return response
