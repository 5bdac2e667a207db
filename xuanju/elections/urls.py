from django.urls import include, path

from xuanju.elections import views

urlpatterns = [
    path("organizations/<int:pk>/elections/", views.election_list, name="election_list"),
    path("elections/<int:pk>/", views.election_detail, name="election_detail"),
    path("", include("xuanju.elections.urls_prepare")),
    path("", include("xuanju.elections.urls_meeting")),
]
