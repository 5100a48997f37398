"""The buyer's requests under /help/requests/."""

from django.urls import path

from tickets.views import buyer

app_name = "requests"

urlpatterns: list = []
