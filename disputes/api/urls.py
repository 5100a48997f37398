"""Disputes and warranty-claims routes, included into the ``api`` namespace under /api/v1/."""

from django.urls import path

from disputes.api import evidence, views

urlpatterns = [
    path("disputes/", views.DisputeListCreateApi.as_view(), name="dispute-list"),
    path("disputes/<int:case_id>/", views.DisputeDetailApi.as_view(), name="dispute-detail"),
    path("disputes/<int:case_id>/accept/", views.DisputeAcceptApi.as_view()),
    path("disputes/<int:case_id>/reject/", views.DisputeRejectApi.as_view()),
    path("disputes/<int:case_id>/counter-offer/", views.DisputeCounterOfferApi.as_view()),
    path("disputes/<int:case_id>/accept-offer/", views.DisputeAcceptOfferApi.as_view()),
    path("disputes/<int:case_id>/escalate/", views.DisputeEscalateApi.as_view()),
    path("disputes/<int:case_id>/cancel/", views.DisputeCancelApi.as_view()),
    path("disputes/<int:case_id>/decide/", views.DisputeDecideApi.as_view()),
    path("disputes/<int:case_id>/evidence/", evidence.DisputeEvidenceApi.as_view()),
    path(
        "disputes/<int:case_id>/evidence/<int:evidence_id>/",
        evidence.DisputeEvidenceFileApi.as_view(),
    ),
    path("warranty-claims/", views.ClaimListCreateApi.as_view(), name="warranty-claim-list"),
    path(
        "warranty-claims/<int:case_id>/",
        views.ClaimDetailApi.as_view(),
        name="warranty-claim-detail",
    ),
    path("warranty-claims/<int:case_id>/accept/", views.ClaimAcceptApi.as_view()),
    path("warranty-claims/<int:case_id>/refuse/", views.ClaimRefuseApi.as_view()),
    path("warranty-claims/<int:case_id>/cancel/", views.ClaimCancelApi.as_view()),
    path("warranty-claims/<int:case_id>/decide/", views.ClaimDecideApi.as_view()),
    path("warranty-claims/<int:case_id>/evidence/", evidence.ClaimEvidenceApi.as_view()),
    path(
        "warranty-claims/<int:case_id>/evidence/<int:evidence_id>/",
        evidence.ClaimEvidenceFileApi.as_view(),
    ),
]
