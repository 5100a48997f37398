"""Tickets and queues routes, included into the ``api`` namespace under /api/v1/."""

from django.urls import path

from tickets.api import files, macros, ratings, views

urlpatterns = [
    path("tickets/", views.TicketListCreateApi.as_view(), name="ticket-list"),
    path("tickets/take-next/", views.TicketTakeNextApi.as_view(), name="ticket-take-next"),
    path("tickets/<int:ticket_id>/", views.TicketDetailApi.as_view(), name="ticket-detail"),
    path(
        "tickets/<int:ticket_id>/messages/",
        views.TicketMessageCreateApi.as_view(),
        name="ticket-messages",
    ),
    path("tickets/<int:ticket_id>/status/", views.TicketStatusApi.as_view(), name="ticket-status"),
    path("tickets/<int:ticket_id>/assign/", views.TicketAssignApi.as_view(), name="ticket-assign"),
    path(
        "tickets/<int:ticket_id>/attachments/<int:attachment_id>/",
        files.TicketAttachmentApi.as_view(),
        name="ticket-attachment",
    ),
    path(
        "tickets/<int:ticket_id>/rating/",
        ratings.TicketRatingApi.as_view(),
        name="ticket-rating",
    ),
    path("queues/", views.QueueListApi.as_view(), name="queue-list"),
    path("macros/", macros.MacroListApi.as_view(), name="macro-list"),
]
