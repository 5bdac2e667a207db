"""Routes of the documents of an election (文书) and of the organizations' document templates."""

from django.urls import path

from xuanju.documents import views

urlpatterns = [
    path("elections/<int:pk>/documents/", views.election_documents, name="election_documents"),
    path(
        "elections/<int:pk>/documents/<slug:kind>.<str:fmt>",
        views.election_document,
        name="election_document",
    ),
    path(
        "elections/<int:pk>/documents/<slug:kind>/<int:item>.<str:fmt>",
        views.election_document,
        name="election_document_item",
    ),
    path("organizations/<int:pk>/document-templates/", views.document_templates, name="document_templates"),
    path(
        "organizations/<int:pk>/document-templates/<slug:kind>/",
        views.document_template_edit,
        name="document_template_edit",
    ),
]
