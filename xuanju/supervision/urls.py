"""Routes of discipline and supervision: misconduct reports and voiding (urls_reports), and the
inspectors' compliance view and election trails (urls_compliance)."""

from django.urls import include, path

urlpatterns = [
    path("", include("xuanju.supervision.urls_reports")),
    path("", include("xuanju.supervision.urls_compliance")),
]
