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
    actions.set_candidate(
        "village", election.contests.get(post=Post.DEPUTY_SECRETARY), people[1], "provisional"
    )
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
    refused = client.post(
        reverse("meeting_roles", args=[meeting.pk]), {"member": absent.pk, "role": "scrutineer"}
    )
    assert refused.status_code == 200 and not meeting.roles.exists()


@pytest.fixture
def preliminary_list():
    """The village's plan approved, six people on the committee's preliminary list."""
    tree, people = f.village_due_for_reelection(TODAY)
    election = actions.start_election("village", tree.village, TODAY, 5, 1, readiness="已完成述职和民主评议")
    approve(actions.submit_plan("village", election))
    committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
    listed = [
        actions.set_candidate("village", committee, person, Candidate.Stage.PRELIMINARY)
        for person in people[:6]
    ]
    client = Client()
    client.force_login(f.account("village", tree.village, "secretary"))
    return election, committee, listed, people, client


def test_five_people_are_made_provisional_in_one_step(preliminary_list):
    election, committee, listed, _, client = preliminary_list
    url = reverse("election_candidates", args=[election.pk])
    chosen = [c.pk for c in listed[:5]]
    response = client.post(url, {"bulk": committee.pk, "stage": "provisional", "pick": chosen})
    assert response.status_code == 302
    stages = dict(Candidate.objects.filter(contest=committee).values_list("pk", "stage"))
    assert [stages[pk] for pk in chosen] == ["provisional"] * 5
    assert stages[listed[5].pk] == "preliminary"


def test_a_bulk_change_is_all_or_nothing(preliminary_list):
    election, committee, listed, _, client = preliminary_list
    url = reverse("election_candidates", args=[election.pk])
    chosen = [listed[0].pk, 999999]  # one not on this list
    response = client.post(url, {"bulk": committee.pk, "stage": "provisional", "pick": chosen}, follow=True)
    assert "没有" in response.content.decode() or "不在这份名单上" in response.content.decode()
    assert Candidate.objects.get(pk=listed[0].pk).stage == "preliminary"


def test_the_list_shows_sex_age_and_party_age_and_the_add_picker_hides_who_is_listed(preliminary_list):
    election, committee, listed, people, client = preliminary_list
    page = client.get(reverse("election_candidates", args=[election.pk])).content.decode()
    person = listed[0].member
    age = (
        TODAY.year
        - person.birth_date.year
        - ((TODAY.month, TODAY.day) < (person.birth_date.month, person.birth_date.day))
    )
    assert f"{person.gender}，{age} 岁，党龄" in page
    add_select = page.split(f'name="a{committee.pk}-member"')[1].split("</select>")[0]
    assert f">{listed[0].member.name}<" not in add_select  # already listed: not offered again
    assert f">{people[10].name}<" in add_select
