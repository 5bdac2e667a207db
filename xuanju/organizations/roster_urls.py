"""Roster import and export, included from the project's urls."""

from django.urls import path

from xuanju.organizations import roster_views

urlpatterns = [
    path("organizations/<int:pk>/roster/import/", roster_views.roster_import, name="roster_import"),
    path(
        "organizations/<int:pk>/roster/import/<str:token>/",
        roster_views.roster_preview,
        name="roster_preview",
    ),
    path("organizations/<int:pk>/roster/export/", roster_views.roster_export, name="roster_export"),
    path("organizations/<int:pk>/roster/template/", roster_views.roster_template, name="roster_template"),
]
