"""Routes of the meeting and results steps (views_meeting) and of the rounds (views_rounds)."""

from django.urls import path

from xuanju.elections import views_meeting as v
from xuanju.elections import views_rounds as r

urlpatterns = [
    path("elections/<int:pk>/meetings/open/", v.meeting_open, name="meeting_open"),
    path("elections/<int:pk>/meeting/candidates/", v.meeting_candidates, name="meeting_candidates"),
    path("elections/<int:pk>/announcement/", v.election_announcement, name="election_announcement"),
    path("elections/<int:pk>/results/submit/", v.results_submit, name="results_submit"),
    path("meetings/<int:pk>/", v.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/roll/", v.meeting_roll, name="meeting_roll"),
    path("meetings/<int:pk>/roll/exclude/", v.meeting_exclude, name="meeting_exclude"),
    path("meetings/<int:pk>/roll/close/", v.meeting_roll_close, name="meeting_roll_close"),
    path("meetings/<int:pk>/procedure/", v.meeting_procedure, name="meeting_procedure"),
    path("meetings/<int:pk>/roles/", v.meeting_roles, name="meeting_roles"),
    path("roles/<int:pk>/dismiss/", v.role_dismiss, name="role_dismiss"),
    path("contests/<int:pk>/rounds/open/", r.round_open, name="round_open"),
    path("rounds/<int:pk>/", r.round_entry, name="round_entry"),
    path("rounds/<int:pk>/close/", r.round_close, name="round_close"),
    path("rounds/<int:pk>/result/", r.round_result, name="round_result"),
    path("rounds/<int:pk>/export/", r.round_export, name="round_export"),
    path("rounds/<int:pk>/reduce-seats/", r.round_reduce_seats, name="round_reduce_seats"),
    path("ballots/<int:pk>/delete/", r.ballot_delete, name="ballot_delete"),
    path("ballots/<int:pk>/confirm/", r.ballot_confirm, name="ballot_confirm"),
    path("elected/<int:pk>/confirm/", r.write_in_confirm, name="write_in_confirm"),
]
