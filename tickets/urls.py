from django.urls import path

from tickets.views import agent as views

app_name = "agent"

urlpatterns = [
    path("", views.agent_home, name="home"),
]
