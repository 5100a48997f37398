"""The buyer's requests under /help/requests/."""

from django.urls import URLPattern, path

from tickets.views import buyer as views
from tickets.views import live
from tickets.views.files import buyer_attachment

app_name = "requests"

urlpatterns: list[URLPattern] = [
    path("", views.ticket_list, name="list"),
    # Only from an answer: there is no contact form without the entry it follows.
    path("new/<int:entry_id>/<str:way>/", views.ticket_new, name="new"),
    path("<int:ticket_id>/", views.ticket_detail, name="detail"),
    path("<int:ticket_id>/reply/", views.ticket_reply, name="reply"),
    path("<int:ticket_id>/live/", live.buyer_ticket_live, name="live"),
    path("<int:ticket_id>/solve/", views.ticket_solve, name="solve"),
    path("<int:ticket_id>/files/<int:attachment_id>/", buyer_attachment, name="file"),
    path("<int:ticket_id>/rate/", views.ticket_rate, name="rate"),
    path(
        "<int:ticket_id>/answers/<int:entry_id>/solved/",
        views.ticket_accept_answer,
        name="accept-answer",
    ),
]
