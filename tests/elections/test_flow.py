"""A whole re-election through the actions, as the Regulations order it."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.counts import SINGLE_ENTRY, close_counted
from xuanju.elections import actions
from xuanju.elections.models import Approval, Candidate, Contest, Election, ElectionStatus, Meeting, Post
from xuanju.elections.rounds import export_round
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import Committee

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
NAMES = f.VILLAGE_NAMES


@pytest.fixture
def branch():
    return f.village_due_for_reelection(TODAY)


def approve(approval: Approval) -> None:
    actions.decide("town", approval, Approval.Decision.APPROVED, "东乡组〔2026〕1号", "")


def contest(election: Election, post: str) -> Contest:
    return election.contests.get(post=post)


def prepare(branch, seats=5, candidates=6, deputies=1) -> tuple[Election, list]:
    tree, people = branch
    election = actions.start_election(
        "village", tree.village, TODAY, seats, deputies, readiness="已完成述职和民主评议"
    )
    approve(actions.submit_plan("village", election))
    committee = contest(election, Post.COMMITTEE_MEMBER)
    for person, count in zip(people[:candidates], range(18, 0, -1), strict=False):
        actions.record_nomination("village", committee, person, "党员个人推荐", count)
        actions.set_candidate("village", committee, person, Candidate.Stage.PROVISIONAL, vetting="考察合格")
    actions.set_candidate(
        "village", contest(election, Post.SECRETARY), people[0], Candidate.Stage.PROVISIONAL
    )
    if deputies:
        actions.set_candidate(
            "village", contest(election, Post.DEPUTY_SECRETARY), people[1], Candidate.Stage.PROVISIONAL
        )
    approve(actions.submit_candidates("village", election))
    election.refresh_from_db()
    return election, people


def run_meeting(election: Election, people: list, kind: str, present: list) -> Meeting:
    meeting = actions.open_meeting("village", election, kind, TODAY)
    actions.mark_present("village", meeting, [p.pk for p in present])
    actions.close_roll("village", meeting)
    actions.adopt_procedure(
        "village", meeting, "present", False, votes_for=len(present), counting_method=SINGLE_ENTRY
    )
    return meeting


def test_R_CAND_2_R_RPT_4_the_steps_are_guarded(branch):
    tree, people = branch
    election = actions.start_election("village", tree.village, TODAY, 5, 1, readiness="准备就绪")
    committee = contest(election, Post.COMMITTEE_MEMBER)
    with pytest.raises(ActionError, match="R-RPT-4"):
        actions.record_nomination("village", committee, people[0], "党员个人推荐", 3)
    approve(actions.submit_plan("village", election))
    election.refresh_from_db()
    assert election.status == ElectionStatus.PLAN_APPROVED
    tree.village.refresh_from_db()
    assert tree.village.approved_committee_size == 5  # R-ORG-4
    for person in people[:5]:
        actions.set_candidate("village", committee, person, Candidate.Stage.PROVISIONAL)
    actions.set_candidate(
        "village", contest(election, Post.SECRETARY), people[0], Candidate.Stage.PROVISIONAL
    )
    actions.set_candidate(
        "village", contest(election, Post.DEPUTY_SECRETARY), people[1], Candidate.Stage.PROVISIONAL
    )
    with pytest.raises(ActionError, match="至少6人（R-CAND-2）"):
        actions.submit_candidates("village", election)
    with pytest.raises(ActionError, match="R-RPT-4"):
        actions.open_meeting("village", election, Meeting.Kind.MEMBERS, TODAY)


def test_R_ORG_2_the_plan_follows_the_body_the_organization_must_have(branch):
    tree, _ = branch
    with pytest.raises(ActionError, match="R-ORG-2"):
        actions.start_election("village", tree.village, TODAY, 9, 1, readiness="x")
    small = f.org(tree.town, "中共西村支部委员会", "branch", "village")
    for _ in range(5):
        f.member(small)
    small.refresh_from_db()
    with pytest.raises(ActionError, match="不设委员会"):
        actions.start_election("small", small, TODAY, 3, 0, readiness="x")
    election = actions.start_election("small", small, TODAY, 0, 1, readiness="x")
    assert not election.has_committee
    assert sorted(election.contests.values_list("post", flat=True)) == ["deputy_secretary", "secretary"]


def test_R_MEET_1_no_quorum_no_vote(branch):
    election, people = prepare(branch)
    meeting = actions.open_meeting("village", election, Meeting.Kind.MEMBERS, TODAY)
    actions.mark_present("village", meeting, [p.pk for p in people[:16]])  # 16 of 20: not more than 4/5
    with pytest.raises(ActionError, match="R-MEET-1"):
        actions.close_roll("village", meeting)
    actions.exclude_from_entitled("village", meeting, people[19], "abroad", "上级同意，大会通过")  # R-MEET-2
    actions.close_roll("village", meeting)  # 16 of 19
    assert (meeting.entitled, meeting.present) == (19, 16)


def test_R_MEET_4_a_candidate_cannot_be_scrutineer(branch):
    election, people = prepare(branch)
    meeting = run_meeting(election, people, Meeting.Kind.MEMBERS, people)
    with pytest.raises(ActionError, match="R-MEET-4"):
        actions.appoint("village", meeting, people[0], "scrutineer")
    actions.appoint("village", meeting, people[10], "scrutineer")


def test_R_CNT_4_R_CAND_5_R_RPT_3_a_branch_committee_election_with_a_tie_then_secretary_and_deputy(
    branch, tmp_path
):
    tree, _ = branch
    election, people = prepare(branch)
    meeting = run_meeting(election, people, Meeting.Kind.MEMBERS, people)
    actions.appoint("village", meeting, people[10], "chief_scrutineer")
    actions.appoint("village", meeting, people[11], "counter")
    committee = contest(election, Post.COMMITTEE_MEMBER)
    first = actions.open_round("village", committee, meeting, issued=20)
    key = {c.member.name: c.key for c in first.candidates.all()}
    # Every ballot votes for 王芳 and 李强 and three of the other four, leaving one out:
    # 张伟 16, 刘洋 16, 陈静 14, 杨帆 14 of 20 -- 陈静 and 杨帆 tie for the fifth seat.
    others = ["张伟", "刘洋", "陈静", "杨帆"]
    for left_out, count in (("张伟", 4), ("刘洋", 4), ("陈静", 6), ("杨帆", 6)):
        chosen = [key["王芳"], key["李强"]] + [key[n] for n in others if n != left_out]
        actions.record_ballot("counter", first, chosen, [key[left_out]], [], count=count)
    with pytest.raises(ActionError, match="不符"):
        close_counted(first, returned=19)
    close_counted(first, returned=20)
    first.refresh_from_db()
    assert first.result["status"] == "tie_revote_needed"
    assert committee.elected.count() == 4

    revote = actions.open_round("village", committee, meeting, issued=20)
    assert revote.kind == "tie_revote" and revote.seats == 1
    assert {c.member.name for c in revote.candidates.all()} == {"陈静", "杨帆"}
    actions.record_ballot("counter", revote, [key["陈静"]], [], [], count=12)
    actions.record_ballot("counter", revote, [key["杨帆"]], [], [], count=8)
    close_counted(revote, returned=20)
    election.refresh_from_db()
    assert election.status == ElectionStatus.PLENARY
    with pytest.raises(ActionError, match="已经选满"):
        actions.open_round("village", committee, meeting, issued=20)

    # every round re-tallies from its export to the same result (xuanju tally)
    for round_ in (first, revote):
        path = tmp_path / f"round{round_.number}.json"
        path.write_text(json.dumps(export_round(round_), ensure_ascii=False), encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "xuanju.cli", "tally", str(path), "--json"],
            capture_output=True,
            text=True,
            check=True,
        )
        round_.refresh_from_db()
        assert json.loads(done.stdout) == round_.result

    elected = [e.member for e in committee.elected.select_related("member")]
    plenary = run_meeting(election, elected, Meeting.Kind.PLENARY, elected)
    outsider = next(p for p in elected if p.name not in ("王芳", "李强"))
    actions.appoint("village", plenary, outsider, "scrutineer")
    actions.appoint(
        "village",
        plenary,
        next(p for p in elected if p.name not in ("王芳", "李强", outsider.name)),
        "counter",
    )
    for post, name in ((Post.SECRETARY, "王芳"), (Post.DEPUTY_SECRETARY, "李强")):
        race = actions.open_round("village", contest(election, post), plenary, issued=5)
        only = race.candidates.get()
        assert only.member.name == name  # R-CAND-3: equal election
        actions.record_ballot("counter", race, [only.key], [], [], count=5)
        close_counted(race, returned=5)

    approval = actions.submit_results("village", election)
    approve(approval)
    election.refresh_from_db()
    assert election.status == ElectionStatus.COMPLETED
    current = Committee.objects.get(organization=tree.village, is_current=True)
    posts = {s.member.name: s.post for s in current.seats.select_related("member")}
    assert posts == {
        "王芳": "secretary",
        "李强": "deputy_secretary",
        "张伟": "member",
        "刘洋": "member",
        "陈静": "member",
    }
    assert current.elected_on == TODAY and current.term_years == 5


def test_R_CNT_5_R_CNT_6_unfilled_seats_lead_to_a_further_election_or_a_consented_reduction(branch):
    election, people = prepare(branch)
    meeting = run_meeting(election, people, Meeting.Kind.MEMBERS, people)
    actions.appoint("village", meeting, people[10], "scrutineer")
    actions.appoint("village", meeting, people[11], "counter")
    committee = contest(election, Post.COMMITTEE_MEMBER)
    first = actions.open_round("village", committee, meeting, issued=20)
    key = {c.member.name: c.key for c in first.candidates.all()}
    actions.record_ballot("counter", first, [key[n] for n in ("王芳", "李强", "张伟")], [], [], count=15)
    actions.record_ballot("counter", first, [key["刘洋"]], [], [], count=5)
    close_counted(first, returned=20)
    further = actions.open_round("village", committee, meeting, issued=20)
    assert further.kind == "further" and further.seats == 2
    assert further.candidates.count() >= 3  # 2 seats need 3 candidates (R-CNT-6, R-CAND-2)
    actions.record_ballot("counter", further, [], [], [], count=20)
    close_counted(further, returned=20)
    with pytest.raises(ActionError, match="R-CNT-5"):
        actions.reduce_seats("village", committee, meeting, consenting=9)
    actions.reduce_seats("village", committee, meeting, consenting=10)  # 半数以上: half included
    election.refresh_from_db()
    assert election.status == ElectionStatus.PLENARY


def test_R_BAL_5_a_void_round_is_repeated_and_a_closed_round_is_fixed(branch):
    election, people = prepare(branch)
    meeting = run_meeting(election, people, Meeting.Kind.MEMBERS, people)
    actions.appoint("village", meeting, people[10], "scrutineer")
    actions.appoint("village", meeting, people[11], "counter")
    committee = contest(election, Post.COMMITTEE_MEMBER)
    with pytest.raises(ActionError, match="R-BAL-5"):
        actions.open_round("village", committee, meeting, issued=21)
    first = actions.open_round("village", committee, meeting, issued=18)
    key = [c.key for c in first.candidates.all()]
    actions.record_ballot("counter", first, key[:5], [], [], count=20)  # 20 returned of 18 issued
    close_counted(first, returned=20)
    first.refresh_from_db()
    assert first.result["status"] == "round_void"
    with pytest.raises(ActionError, match="计票结束"):
        actions.record_ballot("counter", first, key[:1], [], [])
    again = actions.open_round("village", committee, meeting, issued=20)
    assert again.kind == "regular" and again.number == 2 and again.seats == 5


def test_R_BAL_2_a_mistyped_ballot_is_refused_with_the_reason(branch):
    election, people = prepare(branch)
    meeting = run_meeting(election, people, Meeting.Kind.MEMBERS, people)
    actions.appoint("village", meeting, people[10], "scrutineer")
    actions.appoint("village", meeting, people[11], "counter")
    round_ = actions.open_round("village", contest(election, Post.COMMITTEE_MEMBER), meeting, issued=20)
    key = [c.key for c in round_.candidates.all()]
    with pytest.raises(ActionError, match="R-BAL-2"):
        actions.record_ballot("counter", round_, key[:1], [], ["赵六"])
    with pytest.raises(ActionError, match="出现了两次"):
        actions.record_ballot("counter", round_, [key[0], key[0]], [], [])
    assert round_.ballots.count() == 0


def test_R_RPT_1_the_request_states_what_the_regulations_require(branch):
    tree, _ = branch
    election = actions.start_election("village", tree.village, TODAY, 5, 1)
    with pytest.raises(ActionError, match="R-RPT-1"):
        actions.submit_plan("village", election)
    election.readiness = "已完成述职和民主评议"
    approval = actions.submit_plan("village", election)
    content = approval.content
    for field in (
        "term",
        "readiness",
        "form",
        "planned_on",
        "agenda",
        "committee_seats",
        "composition",
        "nomination",
        "method",
    ):
        assert field in content
    assert "届满" in content["term"] and content["committee_seats"] == 5


def test_R_RPT_4_a_returned_plan_goes_back_to_planning_and_a_refusal_ends_it(branch):
    tree, _ = branch
    election = actions.start_election("village", tree.village, TODAY, 5, 1, readiness="准备就绪")
    approval = actions.submit_plan("village", election)
    with pytest.raises(ActionError, match="写明意见"):
        actions.decide("town", approval, Approval.Decision.RETURNED, "", "")
    actions.decide("town", approval, Approval.Decision.RETURNED, "", "请补充班子结构要求")
    election.refresh_from_db()
    assert election.status == ElectionStatus.PLANNING
    with pytest.raises(ActionError, match="R-RPT-4"):  # a returned plan is edited before it goes again
        actions.submit_plan("village", election)
    actions.edit_plan("village", election, TODAY, 5, 1, readiness="准备就绪", composition="女性委员至少1名")
    actions.decide(
        "town", actions.submit_plan("village", election), Approval.Decision.REFUSED, "", "暂缓换届"
    )
    election.refresh_from_db()
    assert election.status == ElectionStatus.REFUSED


def test_R_CAND_4_R_RPT_2_candidates_are_fixed_only_by_the_upper_levels_review(branch):
    tree, people = branch
    election = actions.start_election("village", tree.village, TODAY, 5, 0, readiness="准备就绪")
    approve(actions.submit_plan("village", election))
    committee = contest(election, Post.COMMITTEE_MEMBER)
    actions.record_nomination("village", committee, people[0], "第一党小组", 7)
    actions.record_nomination("village", committee, people[0], "第二党小组", 5)
    actions.record_nomination("village", committee, people[1], "第一党小组", 9)
    assert [(m.name, n) for m, n in actions.nomination_tally(committee)] == [("王芳", 12), ("李强", 9)]
    with pytest.raises(ActionError, match="R-CAND-4"):
        actions.set_candidate("village", committee, people[0], Candidate.Stage.CANDIDATE)
    for person in people[:6]:
        actions.set_candidate("village", committee, person, Candidate.Stage.PROVISIONAL)
    actions.set_candidate(
        "village", contest(election, Post.SECRETARY), people[7], Candidate.Stage.PROVISIONAL
    )
    with pytest.raises(ActionError, match="R-CAND-5"):
        actions.submit_candidates("village", election)
    actions.set_candidate("village", contest(election, Post.SECRETARY), people[7], Candidate.Stage.DROPPED)
    actions.set_candidate(
        "village", contest(election, Post.SECRETARY), people[0], Candidate.Stage.PROVISIONAL
    )
    approval = actions.submit_candidates("village", election)
    assert len(approval.content["contests"][0]["candidates"]) == 6
    with pytest.raises(ActionError, match="已报上级"):
        actions.set_candidate("village", committee, people[8], Candidate.Stage.PROVISIONAL)
    approve(approval)
    assert committee.candidates.filter(stage=Candidate.Stage.CANDIDATE).count() == 6


def test_R_CAND_1_the_upper_levels_party_age_condition_is_checked(branch):
    tree, people = branch
    election = actions.start_election(
        "village", tree.village, TODAY, 5, 0, readiness="准备就绪", minimum_party_age=30
    )
    approve(actions.submit_plan("village", election))
    with pytest.raises(ActionError, match="R-CAND-1"):
        actions.set_candidate(
            "village", contest(election, Post.COMMITTEE_MEMBER), people[0], Candidate.Stage.PROVISIONAL
        )


def test_R_MEET_3_the_procedure_is_adopted_by_a_majority_before_voting(branch):
    election, people = prepare(branch)
    meeting = actions.open_meeting("village", election, Meeting.Kind.MEMBERS, TODAY)
    with pytest.raises(ActionError, match="点名"):
        actions.adopt_procedure(
            "village", meeting, "present", False, votes_for=20, counting_method=SINGLE_ENTRY
        )
    actions.mark_present("village", meeting, [p.pk for p in people])
    actions.close_roll("village", meeting)
    with pytest.raises(ActionError, match="过半数"):
        actions.adopt_procedure(
            "village", meeting, "present", False, votes_for=10, counting_method=SINGLE_ENTRY
        )
    with pytest.raises(ActionError, match="R-MEET-3"):
        actions.open_round("village", contest(election, Post.COMMITTEE_MEMBER), meeting, issued=20)
    actions.adopt_procedure("village", meeting, "entitled", True, votes_for=19, counting_method=SINGLE_ENTRY)
    meeting.refresh_from_db()
    assert meeting.majority_base == "entitled" and meeting.procedure_votes == "到会20人，19人赞成"


def test_R_MEET_4_a_scrutineer_named_by_mistake_is_replaced_before_voting_only(branch):
    election, people = prepare(branch)
    meeting = run_meeting(election, people, Meeting.Kind.MEMBERS, people)
    wrong = actions.appoint("village", meeting, people[12], "scrutineer")
    actions.dismiss("village", wrong)
    actions.appoint("village", meeting, people[10], "scrutineer")
    counter = actions.appoint("village", meeting, people[11], "counter")
    actions.open_round("village", contest(election, Post.COMMITTEE_MEMBER), meeting, issued=20)
    with pytest.raises(ActionError, match="不能再更换"):
        actions.dismiss("village", counter)
    with pytest.raises(ActionError, match="已经召开过"):
        actions.open_meeting("village", election, Meeting.Kind.MEMBERS, TODAY)


def test_R_RPT_3_a_returned_report_reopens_the_meeting_that_voted(branch):
    tree, _ = branch
    small = f.org(tree.town, "中共西村支部委员会", "branch", "village")
    people = [f.member(small, name) for name in NAMES[:5]]
    small.refresh_from_db()
    election = actions.start_election("small", small, TODAY, 0, 0, readiness="准备就绪")
    approve(actions.submit_plan("small", election))
    actions.set_candidate("small", contest(election, Post.SECRETARY), people[0], Candidate.Stage.PROVISIONAL)
    approve(actions.submit_candidates("small", election))
    election.refresh_from_db()
    meeting = run_meeting(election, people, Meeting.Kind.MEMBERS, people)
    actions.appoint("small", meeting, people[1], "scrutineer")
    actions.appoint("small", meeting, people[2], "counter")
    race = actions.open_round("small", contest(election, Post.SECRETARY), meeting, issued=5)
    actions.record_ballot("small", race, [race.candidates.get().key], [], [], count=5)
    close_counted(race, returned=5)
    report = actions.submit_results("small", election)
    meeting.refresh_from_db()
    assert meeting.closed
    actions.decide("town", report, Approval.Decision.RETURNED, "", "请核对计票")
    meeting.refresh_from_db()
    election.refresh_from_db()
    assert not meeting.closed and election.status == ElectionStatus.MEETING
    approve(actions.submit_results("small", election))
    election.refresh_from_db()
    assert election.status == ElectionStatus.COMPLETED
    assert Committee.objects.get(organization=small, is_current=True).seats.get().post == "secretary"


def test_a_meeting_is_opened_when_it_is_held_not_ahead_of_time(branch):
    election, _ = prepare(branch)
    with pytest.raises(ActionError, match="不能晚于今天"):
        actions.open_meeting("village", election, Meeting.Kind.MEMBERS, TODAY + timedelta(days=1))
    assert not Meeting.objects.exists()


def test_contests_are_listed_committee_secretary_deputy(branch):
    election, _ = prepare(branch)
    assert list(election.contests.values_list("post", flat=True)) == [
        Post.COMMITTEE_MEMBER,
        Post.SECRETARY,
        Post.DEPUTY_SECRETARY,
    ]


def _elect_small_committee(branch):
    """A committee of 3 elected outright from 4 candidates; the plenary opened and ready to vote."""
    election, people = prepare(branch, seats=3, candidates=4)
    meeting = run_meeting(election, people, Meeting.Kind.MEMBERS, people)
    actions.appoint("village", meeting, people[10], "scrutineer")
    actions.appoint("village", meeting, people[11], "counter")
    committee = contest(election, Post.COMMITTEE_MEMBER)
    first = actions.open_round("village", committee, meeting, issued=20)
    key = {c.member.name: c.key for c in first.candidates.all()}
    return election, people, meeting, committee, first, key


def test_R_CNT_4_a_tie_with_a_write_in_is_not_turned_into_a_one_person_revote(branch):
    _election, _people, meeting, committee, first, key = _elect_small_committee(branch)
    a, b, c, d = (key[n] for n in ("王芳", "李强", "张伟", "刘洋"))
    actions.record_ballot("counter", first, [a, b, c], [], [], count=9)
    actions.record_ballot("counter", first, [a, b], [d], ["赵六"], count=9)
    actions.record_ballot("counter", first, [a, c], [d], ["赵六"], count=2)
    close_counted(first, returned=20)
    first.refresh_from_db()
    # 王芳 20, 李强 18; 张伟 and the write-in 赵六 tie with 11 for the third seat
    assert first.result["status"] == "tie_revote_needed"
    assert sorted(first.result["tied"]) == sorted([c, "w:赵六"])
    with pytest.raises(ActionError, match="R-CNT-4") as refused:
        actions.open_round("village", committee, meeting, issued=20)
    assert "不能再次投票" in refused.value.message


def test_R_CAND_3_R_CNT_5_a_secretary_who_misses_the_majority_goes_to_an_equal_further_election(branch):
    election, people, _meeting, committee, first, key = _elect_small_committee(branch)
    actions.record_ballot("counter", first, [key[n] for n in ("王芳", "李强", "张伟")], [], [], count=20)
    close_counted(first, returned=20)
    elected = [e.member for e in committee.elected.select_related("member")]
    plenary = run_meeting(election, elected, Meeting.Kind.PLENARY, elected)
    actions.appoint("village", plenary, next(p for p in elected if p.name == "张伟"), "scrutineer")
    actions.appoint("village", plenary, people[12], "counter")
    secretary = contest(election, Post.SECRETARY)
    race = actions.open_round("village", secretary, plenary, issued=3)
    only = race.candidates.get()
    actions.record_ballot("counter", race, [only.key], [], [], count=1)
    actions.record_ballot("counter", race, [], [only.key], [], count=2)
    close_counted(race, returned=3)
    race.refresh_from_db()
    result = race.result
    assert (result["status"], result["post"], result["body"]) == ("seats_unfilled", "secretary", "plenary")
    # the plenary's quorum is counted in 委员 (R-MEET-1), the further election is 等额 (R-CAND-3)
    assert result["notes"][0].startswith("到会有选举权的委员 3 人")
    assert result["next_round"]["minimum_candidates"] == 1
    assert not any("减少名额" in n or "补充提名" in n for n in result["notes"])
    with pytest.raises(ActionError, match="不能减少名额"):
        actions.reduce_seats("village", secretary, plenary, consenting=3)
    tree, _ = branch
    chair = f.client_for(f.account("village", tree.village, "secretary"))
    shown = chair.get(reverse("round_result", args=[race.pk])).content.decode()
    assert "到会有选举权的委员 3 人" in shown and "减少名额，不再选举" not in shown
    again = actions.open_round("village", secretary, plenary, issued=3)
    assert again.kind == "further" and again.candidates.get().pk == only.pk


def test_R_CNT_5_the_committee_is_not_reduced_below_its_statutory_minimum(branch):
    _election, _people, meeting, committee, first, key = _elect_small_committee(branch)
    actions.record_ballot("counter", first, [key["王芳"], key["李强"]], [], [], count=20)
    close_counted(first, returned=20)
    first.refresh_from_db()
    # 2 of 3 elected: a branch committee has at least 3 members (R-ORG-2)
    assert any("少于委员会规定的最少人数 3 人" in n for n in first.result["notes"])
    with pytest.raises(ActionError, match="不能减少名额"):
        actions.reduce_seats("village", committee, meeting, consenting=20)
