"""A committee elected at a delegates' congress (R-DEL-1): the plan with the congress's quota, the
congress opened once its delegates are formal (R-DEL-6) with the delegates on its roll (R-MEET-1),
a pre-election narrowing the list, the formal election, the discipline commission, the plenary."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.counts import SINGLE_ENTRY, close_counted
from tests.elections.congress_stub import StubCongress, congress  # noqa: F401  (fixture)
from xuanju.elections import actions
from xuanju.elections.models import Approval, Candidate, Election, ElectionStatus, Meeting, Post
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import Committee

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
QUOTA = {"quota": 40, "allocation": "东村党支部 8 名，镇机关党支部 32 名"}


def approve(approval: Approval) -> None:
    actions.decide("county", approval, Approval.Decision.APPROVED, "示组〔2026〕1号", "")


@pytest.fixture
def town(congress: StubCongress):  # noqa: F811
    """The town party committee, 40 members of its own and a village branch, with 40 formal delegates."""
    tree = f.county_tree()
    people = [f.member(tree.town) for _ in range(40)]
    congress.delegates = people
    congress.plan = QUOTA
    return tree, people


def at_congress(tree, people, discipline_seats: int = 3) -> Election:
    election = actions.start_election(
        "town",
        tree.town,
        TODAY,
        9,
        2,
        readiness="已完成述职和民主评议",
        form="congress",
        discipline_seats=discipline_seats,
    )
    approve(actions.submit_plan("town", election))
    contests = {c.post: c for c in election.contests.all()}
    for person in people[:12]:
        actions.set_candidate("town", contests[Post.COMMITTEE_MEMBER], person, Candidate.Stage.PROVISIONAL)
    actions.set_candidate("town", contests[Post.SECRETARY], people[0], Candidate.Stage.PROVISIONAL)
    for person in people[1:3]:
        actions.set_candidate("town", contests[Post.DEPUTY_SECRETARY], person, Candidate.Stage.PROVISIONAL)
    for person in people[12:16]:
        actions.set_candidate("town", contests[Post.DISCIPLINE_MEMBER], person, Candidate.Stage.PROVISIONAL)
    if discipline_seats:  # the commission's plenary elects its secretary among its members (R-CAND-5)
        actions.set_candidate(
            "town", contests[Post.DISCIPLINE_SECRETARY], people[12], Candidate.Stage.PROVISIONAL
        )
    approve(actions.submit_candidates("town", election))
    election.refresh_from_db()
    return election


def vote(round_, people, count, against=()) -> None:
    key = {c.member_id: c.key for c in round_.candidates.all()}
    actions.record_ballot(
        "counter", round_, [key[p.pk] for p in people], [key[p.pk] for p in against], [], count=count
    )


def test_R_DEL_1_R_RPT_1_a_congress_plan_carries_the_quota(town):
    tree, _ = town
    election = actions.start_election(
        "town", tree.town, TODAY, 9, 2, readiness="已完成", form="congress", discipline_seats=3
    )
    assert election.at_congress and election.voting_meeting_kind == Meeting.Kind.CONGRESS
    content = actions.plan_content(election)
    assert content["form"] == "召开党员代表大会进行选举"
    assert content["congress"] == QUOTA and content["discipline_seats"] == 3
    assert "选举新一届纪律检查委员会" in content["agenda"]
    with pytest.raises(ActionError, match="纪律检查委员会"):
        actions.start_election("school", tree.school, TODAY, 5, 1, readiness="x", discipline_seats=3)
    page = f.client_for(f.account("town", tree.town, "secretary")).get(
        reverse("election_request_preview", args=[election.pk])
    )
    text = page.content.decode()
    assert "关于召开党员代表大会进行换届选举的请示" in text and "代表名额" in text


def test_R_DEL_6_R_MEET_1_the_congress_opens_with_formal_delegates_and_a_quorum_over_them(town, congress):  # noqa: F811
    tree, people = town
    election = at_congress(tree, people)
    with pytest.raises(ActionError, match="R-DEL-1"):
        actions.open_meeting("town", election, Meeting.Kind.MEMBERS, TODAY)
    congress.not_ready = "代表资格审查尚未结束（R-DEL-6）"
    with pytest.raises(ActionError, match="代表资格审查尚未结束"):
        actions.open_meeting("town", election, Meeting.Kind.CONGRESS, TODAY)
    congress.not_ready = None
    meeting = actions.open_meeting("town", election, Meeting.Kind.CONGRESS, TODAY)
    assert meeting.attendance.count() == 40  # the delegates, not the town's members at large
    actions.mark_present("town", meeting, [p.pk for p in people[:32]])
    with pytest.raises(ActionError, match="R-MEET-1"):
        actions.close_roll("town", meeting)  # 32 of 40 is not more than 4/5
    actions.mark_present("town", meeting, [p.pk for p in people[:33]])
    actions.close_roll("town", meeting)
    assert (meeting.entitled, meeting.present) == (40, 33)


def test_R_CAND_2_R_CNT_4_R_CAND_5_a_pre_election_then_the_formal_election_then_the_plenary(town):
    tree, people = town
    election = at_congress(tree, people)
    meeting = actions.open_meeting("town", election, Meeting.Kind.CONGRESS, TODAY)
    actions.mark_present("town", meeting, [p.pk for p in people[:33]])
    actions.close_roll("town", meeting)
    # 12 candidates for 9 seats: a pre-election keeps fewer than 12 and at least 9 + 2 (R-CAND-2)
    for keep in (12, 10):
        with pytest.raises(ActionError, match="R-CAND-2"):
            actions.adopt_procedure(
                "town",
                meeting,
                "present",
                False,
                33,
                pre_election_candidates=keep,
                counting_method=SINGLE_ENTRY,
            )
    actions.adopt_procedure(
        "town", meeting, "present", True, 33, pre_election_candidates=11, counting_method=SINGLE_ENTRY
    )
    actions.appoint("town", meeting, people[20], "chief_scrutineer")
    actions.appoint("town", meeting, people[21], "counter")
    committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
    discipline = election.contests.get(post=Post.DISCIPLINE_MEMBER)

    # the pre-election: 10 placed clearly, people[10] and people[11] tie for the 11th place with
    # 17 votes each, a majority of 33 (R-CNT-8: a nominee needs one to qualify, by default)
    pre = actions.open_round("town", committee, meeting, issued=33)
    assert (pre.kind, pre.seats, pre.candidates.count()) == ("pre_election", 11, 12)
    vote(pre, [*people[:10], people[10]], 16)
    vote(pre, [*people[:10], people[11]], 16)
    vote(pre, [*people[:9], people[10], people[11]], 1)
    close_counted(pre, returned=33)
    pre.refresh_from_db()
    assert pre.result["status"] == "tie_revote_needed" and len(pre.result["elected"]) == 10
    assert pre.result["threshold"] == 17
    assert committee.elected.count() == 0  # a pre-election elects nobody

    # the tie straddling the cut is voted on again (R-CNT-4); the procedure asks a majority of tie
    # revotes, after a pre-election too (R-CNT-8): 14 of 33 is not enough
    tie = actions.open_round("town", committee, meeting, issued=33)
    assert (tie.kind, tie.seats) == ("tie_revote", 1)
    vote(tie, [people[10]], 14)
    vote(tie, [people[11]], 13)
    vote(tie, [], 6)
    close_counted(tie, returned=33)
    tie.refresh_from_db()
    assert (tie.result["status"], tie.result["stage"], tie.result["threshold"]) == (
        "seats_unfilled",
        "pre_election",
        17,
    )
    # too few qualified: a further round of the pre-election over the rest, in vote order
    further = actions.open_round("town", committee, meeting, issued=33)
    assert (further.kind, further.seats, further.candidates.count()) == ("further", 1, 2)
    vote(further, [people[10]], 18)
    vote(further, [people[11]], 15)
    close_counted(further, returned=33)
    further.refresh_from_db()
    assert further.result["status"] == "complete" and further.result["stage"] == "pre_election"
    assert committee.elected.count() == 0

    # the formal election over the 11 advanced (R-CAND-2: 9 + 2)
    formal = actions.open_round("town", committee, meeting, issued=33)
    assert (formal.kind, formal.seats) == ("regular", 9)
    assert {c.member_id for c in formal.candidates.all()} == {p.pk for p in people[:11]}
    vote(formal, people[:9], 33)
    close_counted(formal, returned=33)
    assert sorted(committee.elected.values_list("member_id", flat=True)) == sorted(p.pk for p in people[:9])
    election.refresh_from_db()
    assert election.status == ElectionStatus.MEETING  # the discipline commission is still to elect

    commission = actions.open_round("town", discipline, meeting, issued=33)
    assert (commission.kind, commission.seats, commission.candidates.count()) == ("regular", 3, 4)
    vote(commission, people[12:15], 33)
    close_counted(commission, returned=33)
    election.refresh_from_db()
    meeting.refresh_from_db()
    assert election.status == ElectionStatus.PLENARY and meeting.closed

    # the first plenary elects the secretary and deputies among the committee (R-CAND-5)
    plenary = actions.open_meeting("town", election, Meeting.Kind.PLENARY, TODAY)
    assert plenary.attendance.count() == 9
    actions.mark_present("town", plenary, [p.pk for p in people[:9]])
    actions.close_roll("town", plenary)
    actions.adopt_procedure("town", plenary, "present", False, 9, counting_method=SINGLE_ENTRY)
    actions.appoint("town", plenary, people[5], "scrutineer")
    actions.appoint("town", plenary, people[6], "counter")
    for post, chosen in ((Post.SECRETARY, people[:1]), (Post.DEPUTY_SECRETARY, people[1:3])):
        race = actions.open_round("town", election.contests.get(post=post), plenary, issued=9)
        vote(race, chosen, 9)
        close_counted(race, returned=9)
    # the discipline commission's first plenary elects its secretary among its members (R-CAND-5)
    with pytest.raises(ActionError, match="纪委书记还没有选满"):
        actions.submit_results("town", election)
    commission_plenary = actions.open_meeting("town", election, Meeting.Kind.DISCIPLINE_PLENARY, TODAY)
    assert {a.member_id for a in commission_plenary.attendance.all()} == {p.pk for p in people[12:15]}
    actions.mark_present("town", commission_plenary, [p.pk for p in people[12:15]])
    actions.close_roll("town", commission_plenary)
    actions.adopt_procedure("town", commission_plenary, "present", False, 3, counting_method=SINGLE_ENTRY)
    actions.appoint("town", commission_plenary, people[13], "scrutineer")
    actions.appoint("town", commission_plenary, people[14], "counter")
    race = actions.open_round(
        "town", election.contests.get(post=Post.DISCIPLINE_SECRETARY), commission_plenary, issued=3
    )
    vote(race, people[12:13], 3)
    close_counted(race, returned=3)
    report = actions.submit_results("town", election)
    by_post = {c["post"]: c for c in report.content["contests"]}
    assert by_post["纪委书记"]["approval"] and by_post["纪委书记"]["elected"][0]["name"] == people[12].name
    assert not by_post["纪委委员"]["approval"] and by_post["书记"]["approval"]
    approve(report)
    election.refresh_from_db()
    assert election.status == ElectionStatus.COMPLETED
    current = Committee.objects.get(organization=tree.town, is_current=True)
    posts = {s.member_id: s.post for s in current.seats.all()}
    assert len(posts) == 9 and posts[people[0].pk] == "secretary"
    assert posts[people[1].pk] == posts[people[2].pk] == "deputy_secretary"
    assert not set(posts) & {p.pk for p in people[12:15]}  # the commission is not the committee
    assert current.elected_on == TODAY


def test_R_MEET_3_only_a_congress_adopts_a_pre_election(town):
    tree, _ = town
    village_people = [f.member(tree.village, name) for name in f.VILLAGE_NAMES[:8]]
    tree.village.refresh_from_db()
    election = actions.start_election("village", tree.village, TODAY, 3, 0, readiness="x")
    approve_town = Approval.Decision.APPROVED
    actions.decide("town", actions.submit_plan("village", election), approve_town, "", "")
    committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
    for person in village_people[:4]:
        actions.set_candidate("village", committee, person, Candidate.Stage.PROVISIONAL)
    actions.set_candidate(
        "village", election.contests.get(post=Post.SECRETARY), village_people[0], "provisional"
    )
    actions.decide("town", actions.submit_candidates("village", election), approve_town, "", "")
    election.refresh_from_db()
    with pytest.raises(ActionError, match="R-DEL-1"):
        actions.open_meeting("village", election, Meeting.Kind.CONGRESS, TODAY)
    meeting = actions.open_meeting("village", election, Meeting.Kind.MEMBERS, TODAY)
    actions.mark_present("village", meeting, [p.pk for p in village_people])
    actions.close_roll("village", meeting)
    with pytest.raises(ActionError, match="党员代表大会"):
        actions.adopt_procedure(
            "village", meeting, "present", False, 8, pre_election_candidates=4, counting_method=SINGLE_ENTRY
        )


def test_R_CNT_8_the_congress_procedure_page_adopts_a_pre_election_with_or_without_a_majority(town):
    tree, people = town
    election = at_congress(tree, people)
    meeting = actions.open_meeting("town", election, Meeting.Kind.CONGRESS, TODAY)
    actions.mark_present("town", meeting, [p.pk for p in people[:33]])
    actions.close_roll("town", meeting)
    chair = f.client_for(f.account("town", tree.town, "secretary"))
    url = reverse("meeting_procedure", args=[meeting.pk])
    assert "预选时被提名人也须赞成票超过半数" in chair.get(url).content.decode()
    data = {"majority_base": "present", "votes_for": "33", "pre_election_candidates": "11"}
    chair.post(url, data)  # the box unticked: ranked only, as this procedure adopts
    meeting.refresh_from_db()
    assert meeting.pre_election_candidates == 11 and not meeting.pre_election_needs_majority
    assert "按得票多少，不需要超过半数" in chair.get(url).content.decode()
    chair.post(url, data | {"pre_election_needs_majority": "on"})
    meeting.refresh_from_db()
    assert meeting.pre_election_needs_majority
    assert "先预选，取正式候选人 11 名（须超过半数）" in chair.get(url).content.decode()
