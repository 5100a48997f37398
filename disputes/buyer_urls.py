"""The buyer's disputes and warranty claims under /help/disputes/."""

from django.urls import URLPattern, path

from disputes.views import buyer as views
from disputes.views.files import evidence_file

app_name = "disputes"

urlpatterns: list[URLPattern] = [
    path("", views.case_list, name="list"),
    path("new/", views.dispute_new, name="new"),
    path("warranty/new/", views.claim_new, name="claim-new"),
    path("<int:dispute_id>/", views.dispute_detail, name="dispute"),
    path(
        "<int:dispute_id>/accept-offer/",
        views.dispute_step,
        {"step": "accept-offer"},
        name="accept-offer",
    ),
    path("<int:dispute_id>/escalate/", views.dispute_step, {"step": "escalate"}, name="escalate"),
    path("<int:dispute_id>/withdraw/", views.dispute_step, {"step": "withdraw"}, name="withdraw"),
    path("<int:dispute_id>/evidence/", views.dispute_evidence, name="dispute-evidence"),
    path("claims/<int:claim_id>/", views.claim_detail, name="claim"),
    path("claims/<int:claim_id>/withdraw/", views.claim_withdraw, name="claim-withdraw"),
    path("claims/<int:claim_id>/evidence/", views.claim_evidence, name="claim-evidence"),
    path("evidence/<int:evidence_id>/", evidence_file, name="evidence"),
]
