"""Orders routes, included into the ``api`` namespace under /api/v1/."""

from django.urls import path

from orders.api import views

urlpatterns = [
    path("orders/", views.OrderListUpsertApi.as_view(), name="order-list"),
    path("orders/<str:number>/", views.OrderDetailApi.as_view(), name="order-detail"),
]
