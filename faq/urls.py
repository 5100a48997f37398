from django.urls import path

from faq import views

app_name = "help"

urlpatterns = [
    path("", views.help_home, name="home"),
    path("search/", views.search, name="search"),
    path("suggest/", views.suggest, name="suggest"),
    path("assistant/", views.assistant, name="assistant"),
    path(
        "assistant/<int:question_id>/feedback/", views.assistant_feedback, name="assistant-feedback"
    ),
    path("contact/", views.contact, name="contact"),
    path("<slug:topic_slug>/", views.topic_detail, name="topic"),
    path("<slug:topic_slug>/<slug:entry_slug>/", views.entry_detail, name="entry"),
    path(
        "<slug:topic_slug>/<slug:entry_slug>/feedback/", views.entry_feedback, name="entry-feedback"
    ),
    path(
        "<slug:topic_slug>/<slug:entry_slug>/contact/<str:way>/",
        views.entry_contact,
        name="entry-contact",
    ),
]
