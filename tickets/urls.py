from django.urls import path

from tickets import views

app_name = "agent"

urlpatterns = [
    path("", views.agent_home, name="home"),
]
