from django.urls import include, path

from api import views

app_name = "api"

urlpatterns = [
    path("", views.ApiRootApi.as_view(), name="root"),
    path("me", views.MeApi.as_view(), name="me"),
    path("buyers/", views.BuyerListApi.as_view(), name="buyer-list"),
    path("buyers/<str:username>/", views.BuyerDetailApi.as_view(), name="buyer-detail"),
    path("", include("faq.api.urls")),
    path("", include("faq.api.manage_urls")),
    path("", include("tickets.api.urls")),
    path("", include("tickets.api.agent_urls")),
    path("", include("orders.api.urls")),
    path("", include("disputes.api.urls")),
    path("", include("webhooks.api.urls")),
]
