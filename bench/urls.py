"""The desk's URLs plus ``/bench/bare``, the ceiling every scenario is compared with."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path

from support_desk.urls import handler404, handler500
from support_desk.urls import urlpatterns as desk_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


def bare(request: HttpRequest) -> JsonResponse:
    """Do nothing but answer: the desk's middleware and a JSON response."""
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare", bare, name="bench-bare"), *desk_urlpatterns]
