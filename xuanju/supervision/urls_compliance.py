"""The inspectors' compliance view and an election's audit trail."""

from django.urls import path

from xuanju.supervision import views_compliance as v

urlpatterns = [
    path("supervision/compliance/", v.compliance_view, name="compliance"),
    path("supervision/compliance/export/", v.compliance_export, name="compliance_export"),
    path("elections/<int:pk>/trail/", v.election_trail, name="election_trail"),
]
