from django.urls import include, path

from xuanju.elections import views, views_by_election, views_notice

urlpatterns = [
    path("organizations/<int:pk>/elections/", views.election_list, name="election_list"),
    path("elections/<int:pk>/", views.election_detail, name="election_detail"),
    path("elections/<int:pk>/notices/", views_notice.election_notices, name="election_notices"),
    path("notices/", views_notice.notice_list, name="notice_list"),
    path(
        "organizations/<int:pk>/by-election/new/",
        views_by_election.by_election_start,
        name="by_election_start",
    ),
    path("", include("xuanju.elections.urls_prepare")),
    path("", include("xuanju.elections.urls_meeting")),
]
