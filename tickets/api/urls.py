"""Tickets and queues routes, included into the ``api`` namespace under /api/v1/."""

from django.urls import path

from tickets.api import config, files, macro_setup, ratings, sla, views

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
    path("queues/", config.QueueListCreateApi.as_view(), name="queue-list"),
    # Before agent_urls' read-only route for the same path: this view reads and changes.
    path("queues/<slug:slug>/", config.QueueDetailChangeApi.as_view(), name="queue-detail"),
    path("queues/<slug:slug>/hours/", config.QueueHoursApi.as_view(), name="queue-hours"),
    path(
        "queues/<slug:slug>/hours/holidays/",
        config.QueueHolidayListApi.as_view(),
        name="queue-holidays",
    ),
    path(
        "queues/<slug:slug>/hours/holidays/<str:day>/",
        config.QueueHolidayApi.as_view(),
        name="queue-holiday",
    ),
    path("sla-policies/", sla.SlaPolicyListApi.as_view(), name="sla-policy-list"),
    path(
        "sla-policies/<int:policy_id>/",
        sla.SlaPolicyDetailApi.as_view(),
        name="sla-policy-detail",
    ),
    path("macros/", macro_setup.MacroListCreateApi.as_view(), name="macro-list"),
    path("macros/<int:macro_id>/", macro_setup.MacroDetailApi.as_view(), name="macro-detail"),
]
