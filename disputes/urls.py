from django.urls import path

from disputes import views

app_name = "seller"

urlpatterns = [
    path("", views.seller_home, name="home"),
]
