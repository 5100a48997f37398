"""Sign-up, log-in, log-out, language choice and the after-login landing."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts import services
from accounts.forms import BuyerSignUpForm
from accounts.models import Role


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def signup(request: HttpRequest) -> HttpResponse:
    """Create a buyer account, sign them in and send them where they were going."""
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = BuyerSignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.user_create(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            email=form.cleaned_data["email"],
            first_name=form.cleaned_data.get("first_name", ""),
            role=Role.BUYER,
            preferred_language=getattr(request, "LANGUAGE_CODE", ""),
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(_safe_next(request, reverse("help:home")))
    return render(
        request,
        "accounts/signup.html",
        {"form": form, "next": _safe_next(request, "")},
        status=400 if request.method == "POST" else 200,
    )


class LoginView(auth_views.LoginView):
    """The one log-in page for buyers, sellers, agents and supervisors."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Log out (POST only, as Django requires) and return to the help centre."""


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
