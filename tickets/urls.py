from django.urls import path

from disputes.views.agent import case_decide
from tickets.views import agent as views
from tickets.views import live
from tickets.views.files import agent_attachment

app_name = "agent"

urlpatterns = [
    path("", views.agent_home, name="home"),
    path("live/", live.agent_home_live, name="home-live"),
    path("presence/", views.agent_presence, name="presence"),
    path("take-next/", views.agent_take_next, name="take-next"),
    path("tickets/<int:ticket_id>/", views.agent_ticket, name="ticket"),
    path("tickets/<int:ticket_id>/live/", live.agent_ticket_live, name="ticket-live"),
    path("tickets/<int:ticket_id>/reply/", views.agent_ticket_reply, name="ticket-reply"),
    path("tickets/<int:ticket_id>/reply/macro/", views.agent_ticket_macro, name="ticket-macro"),
    path("tickets/<int:ticket_id>/status/", views.agent_ticket_status, name="ticket-status"),
    path("tickets/<int:ticket_id>/priority/", views.agent_ticket_priority, name="ticket-priority"),
    path("tickets/<int:ticket_id>/assign/", views.agent_ticket_assign, name="ticket-assign"),
    path("tickets/<int:ticket_id>/move/", views.agent_ticket_move, name="ticket-move"),
    path("tickets/<int:ticket_id>/case/decide/", case_decide, name="ticket-case-decide"),
    path(
        "tickets/<int:ticket_id>/files/<int:attachment_id>/",
        agent_attachment,
        name="ticket-file",
    ),
]
