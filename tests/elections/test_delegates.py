"""A unit's election of delegates to a congress (R-DEL-5), through the actions, with the congress's
answers from a stub (tests/elections/congress_stub.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.counts import SINGLE_ENTRY, close_counted
from tests.elections.congress_stub import StubCongress, congress  # noqa: F401  (fixture)
from xuanju.elections import actions
from xuanju.elections.models import Approval, Candidate, Election, ElectionStatus, Meeting, Post
from xuanju.elections.views_prepare import may_decide
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import Committee

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
TITLE = "选举出席中共东乡镇第一次代表大会的代表"


@pytest.fixture
def unit(congress: StubCongress):  # noqa: F811
    """The village branch (20 full members) is an electoral unit of the town's congress."""
    tree, people = f.village_due_for_reelection(TODAY)
    congress.unit, congress.convening = tree.village, tree.town
    return tree, people


def provisional(election: Election, people: list) -> None:
    delegates = election.contests.get(post=Post.DELEGATE)
    for person in people:
        actions.record_nomination("village", delegates, person, "第一党小组", 5)
        actions.set_candidate("village", delegates, person, Candidate.Stage.PROVISIONAL, vetting="考察合格")


def test_R_DEL_5_a_units_delegates_election_from_start_to_completion(unit, congress):  # noqa: F811
    tree, people = unit
    election = actions.start_delegates_election("town", tree.village, TODAY, 3, title=TITLE)
    # the congress plan covers it (R-RPT-1): nomination may start at once; one contest, no committee
    assert (election.kind, election.status, election.has_committee) == ("delegates", "plan_approved", False)
    assert list(election.contests.values_list("post", "seats")) == [("delegate", 3)]
    assert str(election) == TITLE
    # beside it, the branch's own re-election may run (one_open_election_per_organization)
    own = actions.start_election("village", tree.village, TODAY, 5, 1, readiness="已完成述职和民主评议")
    assert own.kind == "committee"
    with pytest.raises(ActionError, match="正在进行的换届选举"):
        actions.start_election("village", tree.village, TODAY, 5, 1, readiness="x")

    # candidates come from the unit (the hook's nominees), not from elsewhere
    stranger = f.member(tree.school_branch, "钱多")
    with pytest.raises(ActionError, match="不是本选举单位的在册党员"):
        actions.record_nomination("village", election.contests.get(), stranger, "第一党小组", 3)
    provisional(election, people[:4])

    # the provisional list goes to the convening organization, not the branch's upper level chain
    approval = actions.submit_candidates("village", election)
    assert approval.kind == Approval.Kind.CANDIDATES
    town_secretary = f.account("town", tree.town, "secretary")
    village_secretary = f.account("village", tree.village, "secretary")
    assert may_decide(town_secretary, approval) and not may_decide(village_secretary, approval)
    actions.decide("town", approval, Approval.Decision.APPROVED, "东乡组〔2026〕5号", "")
    election.refresh_from_db()
    assert election.status == ElectionStatus.CANDIDATES_APPROVED

    # the roll is the unit's members as the congress answers (R-DEL-5), before the rights check
    congress.unit_roll = people[:18]
    with pytest.raises(ActionError, match="R-DEL-1"):
        actions.open_meeting("village", election, Meeting.Kind.CONGRESS, TODAY)
    meeting = actions.open_meeting("village", election, Meeting.Kind.MEMBERS, TODAY)
    assert congress.asked_voters == [(election.pk, TODAY)]
    assert meeting.attendance.count() == 18
    actions.mark_present("village", meeting, [p.pk for p in people[:16]])
    actions.close_roll("village", meeting)  # 16 of 18: more than 4/5 (R-MEET-1)
    actions.adopt_procedure("village", meeting, "present", False, votes_for=16, counting_method=SINGLE_ENTRY)
    actions.appoint("village", meeting, people[10], "scrutineer")
    actions.appoint("village", meeting, people[11], "counter")

    delegates = election.contests.get()
    round_ = actions.open_round("village", delegates, meeting, issued=16)
    assert (round_.kind, round_.seats, round_.candidates.count()) == ("regular", 3, 4)
    key = {c.member_id: c.key for c in round_.candidates.all()}
    actions.record_ballot(
        "counter", round_, [key[p.pk] for p in people[:3]], [key[people[3].pk]], [], count=16
    )
    close_counted(round_, returned=16)

    # filled: complete, handed to the credentials review (R-DEL-6); no plenary, no report, no committee
    election.refresh_from_db()
    assert election.status == ElectionStatus.COMPLETED
    assert congress.elected == [election]
    assert sorted(delegates.elected.values_list("member__name", flat=True)) == sorted(
        p.name for p in people[:3]
    )
    meeting.refresh_from_db()
    assert meeting.closed
    with pytest.raises(ActionError, match="R-DEL-6"):
        actions.submit_results("village", election)
    current = Committee.objects.get(organization=tree.village, is_current=True)
    assert current.elected_on < TODAY  # the branch's committee is untouched


def test_R_DEL_4_delegates_are_elected_with_a_surplus_of_at_least_20_percent(unit):
    tree, people = unit
    election = actions.start_delegates_election("town", tree.village, TODAY, 5)
    provisional(election, people[:5])
    with pytest.raises(ActionError, match="至少6人"):
        actions.submit_candidates("village", election)
    provisional(election, people[5:6])
    actions.submit_candidates("village", election)


def test_R_DEL_5_a_delegates_election_needs_seats_and_an_active_unit(unit):
    tree, _ = unit
    with pytest.raises(ActionError, match="R-DEL-3"):
        actions.start_delegates_election("town", tree.village, TODAY, 0)


def test_R_DEL_5_the_pages_follow_a_delegates_election(unit):
    tree, people = unit
    election = actions.start_delegates_election("town", tree.village, TODAY, 3, title=TITLE)
    provisional(election, people[:4])
    approval = actions.submit_candidates("village", election)
    village = f.client_for(f.account("village", tree.village, "secretary"))
    town = f.client_for(f.account("town", tree.town, "secretary"))
    page = village.get(reverse("election_detail", args=[election.pk])).content.decode()
    assert "召集党组织审查预备人选" in page and "选举书记、副书记" not in page
    assert village.get(reverse("approval_decide", args=[approval.pk])).status_code == 403
    decide_page = town.get(reverse("approval_decide", args=[approval.pk])).content.decode()
    assert "关于出席党员代表大会代表候选人预备人选的请示" in decide_page
    assert tree.town.name in decide_page  # addressed to the convening organization
    response = town.post(
        reverse("approval_decide", args=[approval.pk]),
        {"decision": "approved", "document": "东乡组〔2026〕5号", "comments": ""},
    )
    assert response.status_code == 302
    election.refresh_from_db()
    assert election.status == ElectionStatus.CANDIDATES_APPROVED
