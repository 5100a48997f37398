"""Agents, queue details and more ticket actions, included into the ``api`` namespace."""

from django.urls import path

from tickets.api import agents, assistant, changes

urlpatterns = [
    path("agents/", agents.AgentListApi.as_view(), name="agent-list"),
    path("agents/<str:username>/", agents.AgentDetailApi.as_view(), name="agent-detail"),
    path(
        "agents/<str:username>/presence/",
        agents.AgentPresenceApi.as_view(),
        name="agent-presence",
    ),
    path(
        "tickets/<int:ticket_id>/transfer/",
        changes.TicketTransferApi.as_view(),
        name="ticket-transfer",
    ),
    path(
        "tickets/<int:ticket_id>/priority/",
        changes.TicketPriorityApi.as_view(),
        name="ticket-priority",
    ),
    path(
        "tickets/<int:ticket_id>/assistant-answer/",
        assistant.TicketAcceptAnswerApi.as_view(),
        name="ticket-assistant-answer",
    ),
    path(
        "tickets/<int:ticket_id>/events/",
        changes.TicketEventListApi.as_view(),
        name="ticket-events",
    ),
]
