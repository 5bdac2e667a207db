"""Role pickers offer only who may hold the role, in stroke order, with a search field; the action
refuses an absent member as scrutineer whatever the picker showed (R-MEET-4)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from xuanju.elections import actions
from xuanju.elections.models import Approval, Candidate, Meeting, MeetingRole, Post
from xuanju.organizations.actions import ActionError
from xuanju.rules.names import sort_names

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def approve(approval: Approval) -> None:
    actions.decide("town", approval, Approval.Decision.APPROVED, "东乡组〔2026〕1号", "")


@pytest.fixture
def meeting_with_an_absentee():
    """The village's members' meeting: everyone ticked present except 周杰; procedure adopted."""
    tree, people = f.village_due_for_reelection(TODAY)
    election = actions.start_election("village", tree.village, TODAY, 5, 1, readiness="已完成述职和民主评议")
    approve(actions.submit_plan("village", election))
    committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
    for person in people[:6]:
        actions.set_candidate("village", committee, person, Candidate.Stage.PROVISIONAL, vetting="考察合格")
    actions.set_candidate("village", election.contests.get(post=Post.SECRETARY), people[0], "provisional")
    actions.set_candidate("village", election.contests.get(post=Post.DEPUTY_SECRETARY), people[1], "provisional")
    approve(actions.submit_candidates("village", election))
    meeting = actions.open_meeting("village", election, Meeting.Kind.MEMBERS, TODAY)
    absent = next(p for p in people if p.name == "周杰")
    actions.mark_present("village", meeting, [p.pk for p in people if p.pk != absent.pk])
    actions.close_roll("village", meeting)
    actions.adopt_procedure("village", meeting, "present", False, votes_for=19)
    return tree, people, meeting, absent


@pytest.mark.rule("R-MEET-4")
def test_an_absent_member_is_refused_as_scrutineer_by_the_action(meeting_with_an_absentee):
    _, _, meeting, absent = meeting_with_an_absentee
    with pytest.raises(ActionError, match="周杰点名时未到会，不能担任监票人") as refused:
        actions.appoint("village", meeting, absent, MeetingRole.Role.SCRUTINEER)
    assert "R-MEET-4" in refused.value.message  # the code stays for developers (shown as a title)
    assert not meeting.roles.exists()


@pytest.mark.rule("R-MEET-4")
def test_the_role_picker_offers_present_voters_in_stroke_order_with_a_search_field(meeting_with_an_absentee):
    tree, people, meeting, _ = meeting_with_an_absentee
    client = Client()
    client.force_login(f.account("village", tree.village, "secretary"))
    page = client.get(reverse("meeting_roles", args=[meeting.pk])).content.decode()
    select = page.split('name="member"')[1].split("</select>")[0]
    assert "data-search" in page.split('name="member"')[0].rsplit("<select", 1)[1] + select[:200]
    assert "周杰" not in select  # absent: not offered
    present = [p.name for p in people if p.name != "周杰"]
    positions = [select.index(f">{name}（") for name in sort_names(present)]
    assert positions == sorted(positions)
    assert "picker.js" in page
    # a forged post of the absent member is refused by the action, with the reason on the page
    absent = next(p for p in people if p.name == "周杰")
    refused = client.post(reverse("meeting_roles", args=[meeting.pk]), {"member": absent.pk, "role": "scrutineer"})
    assert refused.status_code == 200 and not meeting.roles.exists()
