"""The inspectors' compliance view, an election's audit trail, and the check of a printed 审计校验码."""

from django.urls import path

from xuanju.supervision import views_compliance as v

urlpatterns = [
    path("supervision/compliance/", v.compliance_view, name="compliance"),
    path("supervision/compliance/export/", v.compliance_export, name="compliance_export"),
    path("elections/<int:pk>/trail/", v.election_trail, name="election_trail"),
    path("supervision/audit-anchor/", v.audit_anchor, name="audit_anchor"),
]
