"""Help-centre editing routes, included into the ``api`` namespace under /api/v1/."""

from django.urls import path

from faq.api import manage

urlpatterns = [
    path("faq/entries/", manage.FaqEntryManageListApi.as_view(), name="faq-manage-list"),
    path(
        "faq/entries/<int:entry_id>/",
        manage.FaqEntryManageDetailApi.as_view(),
        name="faq-manage-detail",
    ),
    path(
        "faq/entries/<int:entry_id>/publish/",
        manage.FaqEntryPublishApi.as_view(),
        name="faq-manage-publish",
    ),
    path(
        "faq/entries/<int:entry_id>/unpublish/",
        manage.FaqEntryUnpublishApi.as_view(),
        name="faq-manage-unpublish",
    ),
    path(
        "faq/entries/<int:entry_id>/translations/<str:language>/",
        manage.FaqTranslationManageApi.as_view(),
        name="faq-manage-translation",
    ),
]
