"""Routes of vetting: conditions, vetting records, member profiles, team structure."""

from django.urls import path

from xuanju.vetting import views

urlpatterns = [
    path("elections/<int:pk>/conditions/", views.election_conditions, name="election_conditions"),
    path(
        "elections/<int:pk>/conditions/edit/", views.election_conditions_edit, name="election_conditions_edit"
    ),
    path("elections/<int:pk>/vetting/", views.election_vetting, name="election_vetting"),
    path("candidates/<int:pk>/vetting/", views.candidate_vetting, name="candidate_vetting"),
    path("vetting-talks/<int:pk>/delete/", views.vetting_talk_delete, name="vetting_talk_delete"),
    path("elections/<int:pk>/structure/", views.election_structure, name="election_structure"),
    path(
        "elections/<int:pk>/structure/committee/",
        views.election_committee_structure,
        name="election_committee_structure",
    ),
    path(
        "elections/<int:pk>/structure/targets/",
        views.election_structure_targets,
        name="election_structure_targets",
    ),
    path("elections/<int:pk>/slate.xlsx", views.election_slate_export, name="election_slate_export"),
    path("members/<int:pk>/profile/", views.member_profile, name="member_profile"),
    path("sanctions/<int:pk>/delete/", views.sanction_delete, name="sanction_delete"),
]
