"""Organization-tree import, included from the project's urls."""

from django.urls import path

from xuanju.organizations import tree_views

urlpatterns = [
    path("organizations/tree/import/", tree_views.tree_import_start, name="tree_import_start"),
    path("organizations/<int:pk>/tree/import/", tree_views.tree_import_page, name="tree_import"),
    path("organizations/<int:pk>/tree/import/<str:token>/", tree_views.tree_preview, name="tree_preview"),
    path("organizations/<int:pk>/tree/template/", tree_views.tree_template, name="tree_template"),
]
