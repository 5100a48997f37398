"""Pages of the seller centre."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required


@role_required(Role.SELLER)
def seller_home(request: HttpRequest) -> HttpResponse:
    """Show the seller's centre."""
    return render(request, "disputes/seller_home.html")
