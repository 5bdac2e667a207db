"""Routes of a delegates' congress (党员代表大会)."""

from django.urls import path

from xuanju.congress import views

urlpatterns = [
    path("elections/<int:pk>/congress/", views.propose, name="congress_propose"),
    path("congress/<int:pk>/", views.detail, name="congress_detail"),
    path("congress/<int:pk>/edit/", views.edit, name="congress_edit"),
    path("congress/<int:pk>/units/new/", views.define_unit, name="congress_unit_define"),
    path("congress/<int:pk>/allocate/", views.allocate, name="congress_allocate"),
    path("congress/<int:pk>/allocation/", views.allocation, name="congress_allocation"),
    path("congress/<int:pk>/allocation.xlsx", views.allocation_export, name="congress_allocation_export"),
    path("congress/<int:pk>/adjust/", views.adjust, name="congress_adjust"),
    path("congress/<int:pk>/unit-elections/", views.start_units, name="congress_start_units"),
    path("congress/<int:pk>/composition/", views.composition, name="congress_composition"),
    path("congress/<int:pk>/credentials-group/", views.credentials_group, name="congress_credentials_group"),
    path("congress/<int:pk>/credentials/", views.credentials, name="congress_credentials"),
    path("congress/<int:pk>/credentials/report/", views.report, name="congress_report"),
    path("congress/<int:pk>/credentials/report.xlsx", views.report_export, name="congress_report_export"),
    path("congress/<int:pk>/delegates/", views.delegates, name="congress_delegates"),
    path("congress/<int:pk>/opening/", views.opening, name="congress_opening"),
    path("congress/<int:pk>/preparatory/", views.preparatory, name="congress_preparatory"),
    path("congress/<int:pk>/presidium/", views.presidium, name="congress_presidium"),
    path("congress/<int:pk>/delegations/new/", views.delegation, name="congress_delegation"),
    path("congress-units/<int:pk>/", views.unit, name="congress_unit"),
    path("congress-units/<int:pk>/reelect/", views.unit_reelect, name="congress_unit_reelect"),
    path("congress-units/<int:pk>/by-election/", views.unit_by_election, name="congress_unit_by_election"),
    path("delegates/<int:pk>/review/", views.review, name="congress_delegate_review"),
]
