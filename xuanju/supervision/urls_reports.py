"""Routes of misconduct reports (R-SUP-2) and of voiding an election (R-SUP-3)."""

from django.urls import path

from xuanju.supervision import views_reports as views

urlpatterns = [
    path("reports/new/", views.report_new, name="report_new"),  # public: anonymous reports
    path("reports/follow-up/", views.report_follow_up, name="report_follow_up"),  # public: by code
    path("reports/", views.report_list, name="report_list"),
    path("reports/mine/", views.report_mine, name="report_mine"),
    path("reports/<uuid:pk>/", views.report_detail, name="report_detail"),
    path("reports/<uuid:pk>/accept/", views.report_accept, name="report_accept"),
    path("reports/<uuid:pk>/notes/", views.report_note, name="report_note"),
    path("reports/<uuid:pk>/conclude/", views.report_conclude, name="report_conclude"),
    path("elections/<int:pk>/void/", views.election_void, name="election_void"),
]
