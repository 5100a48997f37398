"""Webhooks routes, included into the ``api`` namespace under /api/v1/."""

from django.urls import path

from webhooks.api import views

urlpatterns = [
    path("webhooks/", views.WebhookListCreateApi.as_view(), name="webhook-list"),
    path(
        "webhooks/<int:subscription_id>/",
        views.WebhookDetailApi.as_view(),
        name="webhook-detail",
    ),
    path(
        "webhooks/<int:subscription_id>/deliveries/",
        views.WebhookDeliveryListApi.as_view(),
        name="webhook-delivery-list",
    ),
    path(
        "webhooks/<int:subscription_id>/deliveries/<uuid:delivery_id>/redeliver/",
        views.WebhookRedeliverApi.as_view(),
        name="webhook-redeliver",
    ),
]
