"""The desk's URL map; the stable contract is in the product specification."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import include, path
from django.views.defaults import bad_request, page_not_found, permission_denied, server_error
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.errors import json_bad_request, json_forbidden, json_not_found, json_server_error
from support_desk import health
from tickets.views.inbound import inbound_mail


class FaviconRedirect(RedirectView):
    """Send ``/favicon.ico`` to the desk's icon: browsers ask for it where a page names none.

    The HTML pages name their icon; the API's raw JSON, opened in a browser,
    does not. Temporary, because the icon's static address changes with its
    content.
    """

    permanent = False

    def get_redirect_url(self, *args: object, **kwargs: object) -> str:
        return static("img/favicon.svg")


admin.site.site_header = "Support Desk administration"
admin.site.site_title = "Support Desk admin"
admin.site.index_title = "Configure the desk"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="help:home", permanent=False)),
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", FaviconRedirect.as_view(), name="favicon"),
    path("readyz", health.readyz, name="readyz"),
    # Before the help centre's own routes: /help/<topic>/ would match "requests".
    path("help/requests/", include("tickets.buyer_urls")),
    path("help/disputes/", include("disputes.buyer_urls")),
    path("help/", include("faq.urls")),
    path("agent/", include("reports.urls")),
    path("agent/", include("tickets.urls")),
    path("seller/", include("disputes.urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("api/inbound-mail/", inbound_mail, name="inbound-mail"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # GET only: its HTML renderer has no template for OPTIONS' metadata (that was a 500).
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", http_method_names=["get", "head"]
        ),
        name="api-docs",
    ),
]


def handler400(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer JSON under /api/ (413 for a body too large), the desk's 400 page elsewhere."""
    if request.path.startswith("/api/"):
        return json_bad_request(request, exception)
    return bad_request(request, exception)


def handler403(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer JSON under /api/, the desk's 403 page elsewhere."""
    if request.path.startswith("/api/"):
        return json_forbidden(request, exception)
    return permission_denied(request, exception)


def handler404(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer JSON under /api/, the desk's 404 page elsewhere."""
    if request.path.startswith("/api/"):
        return json_not_found(request, exception)
    return page_not_found(request, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    """Answer JSON under /api/, the desk's 500 page elsewhere."""
    if request.path.startswith("/api/"):
        return json_server_error(request)
    return server_error(request)
