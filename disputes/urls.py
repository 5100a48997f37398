"""The seller centre under /seller/."""

from django.urls import URLPattern, path

from disputes.views import seller as views
from disputes.views.files import evidence_file

app_name = "seller"

urlpatterns: list[URLPattern] = [
    path("", views.seller_home, name="home"),
    path("disputes/<int:dispute_id>/", views.seller_dispute, name="dispute"),
    path(
        "disputes/<int:dispute_id>/accept/",
        views.seller_dispute_answer,
        {"action": "accept"},
        name="dispute-accept",
    ),
    path(
        "disputes/<int:dispute_id>/reject/",
        views.seller_dispute_answer,
        {"action": "reject"},
        name="dispute-reject",
    ),
    path(
        "disputes/<int:dispute_id>/counter/",
        views.seller_dispute_answer,
        {"action": "counter"},
        name="dispute-counter",
    ),
    path(
        "disputes/<int:dispute_id>/evidence/",
        views.seller_dispute_evidence,
        name="dispute-evidence",
    ),
    path("claims/<int:claim_id>/", views.seller_claim, name="claim"),
    path(
        "claims/<int:claim_id>/accept/",
        views.seller_claim_answer,
        {"action": "accept"},
        name="claim-accept",
    ),
    path(
        "claims/<int:claim_id>/refuse/",
        views.seller_claim_answer,
        {"action": "refuse"},
        name="claim-refuse",
    ),
    path("claims/<int:claim_id>/evidence/", views.seller_claim_evidence, name="claim-evidence"),
    path("evidence/<int:evidence_id>/", evidence_file, name="evidence"),
]
