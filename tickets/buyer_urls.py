"""The buyer's requests under /help/requests/."""

from django.urls import URLPattern

app_name = "requests"

urlpatterns: list[URLPattern] = []
