"""Reports and the queue board, under /agent/ beside the workspace."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.reports_page, name="page"),
    path("reports/<slug:figure>.csv", views.reports_csv, name="csv"),
    path("board/", views.board_page, name="board"),
    path("board/live/", views.board_live, name="board-live"),
]
