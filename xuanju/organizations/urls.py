from django.urls import path

from xuanju.organizations import views

urlpatterns = [
    path("", views.home, name="home"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:parent_pk>/new/", views.organization_create, name="organization_create"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("organizations/<int:pk>/move/", views.organization_move, name="organization_move"),
    path("organizations/<int:pk>/merge/", views.organization_merge, name="organization_merge"),
    path("organizations/<int:pk>/dissolve/", views.organization_dissolve, name="organization_dissolve"),
    path("organizations/<int:pk>/members/", views.member_list, name="member_list"),
    path("organizations/<int:pk>/members/new/", views.member_create, name="member_create"),
    path("organizations/<int:pk>/committee/new/", views.committee_record, name="committee_record"),
    path("organizations/<int:pk>/monitor/", views.monitor, name="monitor_org"),
    path("organizations/<int:pk>/remind/", views.reminder_send, name="reminder_send"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/transfer/", views.member_transfer, name="member_transfer"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("restrictions/<int:pk>/end/", views.restriction_end, name="restriction_end"),
    path("committees/<int:pk>/adjust/", views.adjustment_create, name="adjustment_create"),
    path("committees/<int:pk>/divisions/", views.committee_divisions, name="committee_divisions"),
    path("adjustments/<int:pk>/document/", views.adjustment_document, name="adjustment_document"),
    path("monitor/", views.monitor, name="monitor"),
    path("reminders/", views.reminder_list, name="reminder_list"),
    path("reminders/<int:pk>/read/", views.reminder_read, name="reminder_read"),
]
