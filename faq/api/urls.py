"""Help-centre routes, included into the ``api`` namespace under /api/v1/."""

from django.urls import path

from faq.api import topics, views

urlpatterns = [
    path("topics/", topics.TopicListCreateApi.as_view(), name="faq-topic-list"),
    path("topics/<slug:topic>/", topics.TopicDetailManageApi.as_view(), name="faq-topic-manage"),
    path("faq/", views.FaqEntryListApi.as_view(), name="faq-entry-list"),
    path("faq/suggest", views.FaqSuggestApi.as_view(), name="faq-suggest"),
    path("faq/<int:entry_id>/", views.FaqEntryDetailApi.as_view(), name="faq-entry-detail"),
    path("faq/<int:entry_id>/feedback", views.FaqFeedbackApi.as_view(), name="faq-feedback"),
    path("assistant", views.AssistantAskApi.as_view(), name="assistant-ask"),
    path(
        "assistant/<int:question_id>/feedback",
        views.AssistantFeedbackApi.as_view(),
        name="assistant-feedback",
    ),
]
