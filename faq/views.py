"""Pages of the help centre."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def help_home(request: HttpRequest) -> HttpResponse:
    """Show the help centre's front page."""
    return render(request, "faq/home.html")
