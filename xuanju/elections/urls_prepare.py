from django.urls import path

from xuanju.elections import views_prepare as views

urlpatterns = [
    path("organizations/<int:pk>/elections/new/", views.election_start, name="election_start"),
    path("elections/<int:pk>/plan/edit/", views.election_plan_edit, name="election_plan_edit"),
    path("elections/<int:pk>/submit-plan/", views.election_submit_plan, name="election_submit_plan"),
    path("elections/<int:pk>/request/", views.election_request_preview, name="election_request_preview"),
    path("approvals/<int:pk>/", views.election_request, name="election_request"),
    path("approvals/<int:pk>/decide/", views.approval_decide, name="approval_decide"),
    path("elections/<int:pk>/nominations/", views.election_nominations, name="election_nominations"),
    path("elections/<int:pk>/candidates/", views.election_candidates, name="election_candidates"),
    path(
        "elections/<int:pk>/submit-candidates/",
        views.election_submit_candidates,
        name="election_submit_candidates",
    ),
]
