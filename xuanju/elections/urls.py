from django.urls import include, path

from xuanju.elections import views, views_notice

urlpatterns = [
    path("organizations/<int:pk>/elections/", views.election_list, name="election_list"),
    path("elections/<int:pk>/", views.election_detail, name="election_detail"),
    path("elections/<int:pk>/notices/", views_notice.election_notices, name="election_notices"),
    path("notices/", views_notice.notice_list, name="notice_list"),
    path("", include("xuanju.elections.urls_prepare")),
    path("", include("xuanju.elections.urls_meeting")),
]
