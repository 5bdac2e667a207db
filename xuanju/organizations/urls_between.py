from django.urls import path

from xuanju.organizations import views_between

urlpatterns = [
    path("seats/<int:pk>/resign/", views_between.seat_resign, name="seat_resign"),
    path("seats/<int:pk>/remove/", views_between.seat_remove, name="seat_remove"),
    path("committees/<int:pk>/appoint/", views_between.committee_appoint, name="committee_appoint"),
    path("organizations/<int:pk>/history/", views_between.committee_history, name="committee_history"),
    path(
        "organizations/<int:pk>/history.xlsx",
        views_between.committee_history_export,
        name="committee_history_export",
    ),
]
