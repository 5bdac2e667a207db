"""The structure of a campaign's new teams, its statistics table and the campaign report."""

from django.urls import path

from xuanju.campaigns import views_structure

urlpatterns = [
    path("campaigns/<int:pk>/structure/", views_structure.campaign_structure, name="campaign_structure"),
    path(
        "campaigns/<int:pk>/structure/table.xlsx",
        views_structure.campaign_structure_xlsx,
        name="campaign_structure_xlsx",
    ),
    path(
        "campaigns/<int:pk>/structure/table.pdf",
        views_structure.campaign_structure_pdf,
        name="campaign_structure_pdf",
    ),
    path("campaigns/<int:pk>/report.docx", views_structure.campaign_report_docx, name="campaign_report_docx"),
]
