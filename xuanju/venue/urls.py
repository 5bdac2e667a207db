"""The venue kit's page on the central system."""

from django.urls import path

from xuanju.venue import views

urlpatterns = [
    path("elections/<int:pk>/venue/import/", views.venue_import, name="venue_import"),
    path("elections/<int:pk>/venue/package/", views.venue_package, name="venue_package"),
]
