"""Routes of the counting desk (views_desk) and of the board and report (views_board)."""

from django.urls import path

from xuanju.counting import views_board, views_desk

urlpatterns = [
    path("rounds/<int:pk>/counting/", views_desk.counting_overview, name="counting_overview"),
    path("rounds/<int:pk>/counting/sheets/", views_desk.sheet_notes, name="sheet_notes"),
    path("rounds/<int:pk>/counting/desk/<int:slot>/", views_desk.counting_desk, name="counting_desk"),
    path("rounds/<int:pk>/counting/conflicts/<str:key>/", views_desk.desk_conflict, name="desk_conflict"),
    path("desk-entries/<int:pk>/withdraw/", views_desk.desk_withdraw, name="desk_withdraw"),
    path("rounds/<int:pk>/board/", views_board.count_board, name="count_board"),
    path("rounds/<int:pk>/board/data/", views_board.count_board_data, name="count_board_data"),
    path("rounds/<int:pk>/report/", views_board.count_report, name="count_report"),
]
