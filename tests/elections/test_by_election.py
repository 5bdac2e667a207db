"""A by-election (补选) through the ordinary flow: request, candidates, members' meeting with quorum,
rounds, report and approval; the elected fill the vacant seats of the sitting committee."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories as f
from tests.counts import SINGLE_ENTRY, close_counted
from tests.worlds import built_once
from xuanju.elections import actions, by_election
from xuanju.elections.models import Approval, Candidate, Election, ElectionKind, ElectionStatus, Meeting, Post
from xuanju.organizations import actions as org_actions
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import Committee, CommitteeChange, Vacancy

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
ELECTED_ON = TODAY - timedelta(days=700)


@built_once
def village():
    tree = f.county_tree()
    people = [f.member(tree.village, name) for name in f.VILLAGE_NAMES[:12]]
    committee = f.committee_of(tree.village, people[:5], ELECTED_ON)
    return tree, people, committee


def approve(approval: Approval) -> None:
    actions.decide("town", approval, Approval.Decision.APPROVED, "东乡组〔2026〕8号", "")


def meeting_of(election: Election, kind: str, present: list) -> Meeting:
    meeting = actions.open_meeting("village", election, kind, TODAY)
    actions.mark_present("village", meeting, [p.pk for p in present])
    actions.close_roll("village", meeting)
    actions.adopt_procedure(
        "village", meeting, "present", False, votes_for=len(present), counting_method=SINGLE_ENTRY
    )
    return meeting


def test_no_by_election_without_a_vacancy(village):
    tree, _, _ = village
    with pytest.raises(ActionError, match="没有缺额"):
        by_election.start_by_election("village", tree.village, TODAY)


@pytest.mark.rule("R-CAND-2")
def test_a_member_seat_is_by_elected_competitively_and_fills_the_vacancy(village):
    tree, people, committee = village
    org_actions.transfer_member("village", people[3], tree.school_branch, TODAY - timedelta(days=30))
    election = by_election.start_by_election(
        "village", tree.village, TODAY, readiness="支委会研究提出补选人选"
    )
    assert election.kind == ElectionKind.BY_ELECTION
    assert [(c.post, c.seats) for c in election.contests.all()] == [(Post.COMMITTEE_MEMBER, 1)]
    with pytest.raises(ActionError, match="正在进行"):
        by_election.start_by_election("village", tree.village, TODAY)
    plan = actions.submit_plan("village", election)
    assert plan.content["by_election"] and plan.content["vacancies"][0]["name"] == "刘洋"
    assert "差额" in plan.content["method"]
    approve(plan)
    contest = election.contests.get()
    for person in people[6:8]:
        actions.set_candidate("village", contest, person, Candidate.Stage.PROVISIONAL, vetting="考察合格")
    approve(actions.submit_candidates("village", election))
    election.refresh_from_db()
    voters = [p for p in people if p.pk != people[3].pk]  # 11 on the roll now
    meeting = meeting_of(election, Meeting.Kind.MEMBERS, voters[:10])  # 10 of 11: quorum (R-MEET-1)
    actions.appoint("village", meeting, people[9], "scrutineer")
    actions.appoint("village", meeting, people[10], "counter")
    round_ = actions.open_round("village", contest, meeting, issued=10)
    key = {c.member.name: c.key for c in round_.candidates.all()}
    actions.record_ballot("counter", round_, [key[people[6].name]], [key[people[7].name]], [], count=8)
    actions.record_ballot("counter", round_, [key[people[7].name]], [key[people[6].name]], [], count=2)
    close_counted(round_, returned=10)
    election.refresh_from_db()
    assert election.status == ElectionStatus.PLENARY
    approve(actions.submit_results("village", election))
    election.refresh_from_db()
    assert election.status == ElectionStatus.COMPLETED

    current = Committee.objects.get(organization=tree.village, is_current=True)
    assert (
        current.pk == committee.pk and current.term_end == committee.term_end
    )  # term ends with the committee's
    seat = current.seats.get(member=people[6])
    assert (seat.post, seat.source, seat.since) == ("member", "by_elected", TODAY)
    vacancy = Vacancy.objects.get()
    assert (vacancy.filled_by, vacancy.filled_how, vacancy.filled_on) == (people[6], "by_elected", TODAY)
    assert list(CommitteeChange.objects.values_list("kind", flat=True)) == ["vacated", "by_elected"]

    from tests.documents.reading import docx_text
    from xuanju.documents.files import document_file
    from xuanju.documents.kinds import Kind

    paragraphs, _ = docx_text(document_file(election, Kind.RESULTS_REPORT, None, "docx").data)
    report = "\n".join(paragraphs)
    assert "关于中共东村支部委员会补选结果的报告" in report
    assert "补选的委员报请备案" in report and "任期至本届委员会届满为止" in report
    assert "新一届" not in report and "R-" not in report


def test_a_sitting_member_is_not_a_candidate_for_a_member_seat(village):
    tree, people, _ = village
    org_actions.remove_member("village", people[4], TODAY, "病故", "death")
    election = by_election.start_by_election("village", tree.village, TODAY, readiness="准备就绪")
    approve(actions.submit_plan("village", election))
    for person in (people[1], people[6]):
        actions.set_candidate("village", election.contests.get(), person, Candidate.Stage.PROVISIONAL)
    with pytest.raises(ActionError, match="李强已是本届委员会委员"):
        actions.submit_candidates("village", election)


def test_too_few_candidates_for_a_competitive_by_election(village):
    tree, people, _ = village
    org_actions.remove_member("village", people[4], TODAY, "病故", "death")
    election = by_election.start_by_election("village", tree.village, TODAY, readiness="准备就绪")
    approve(actions.submit_plan("village", election))
    actions.set_candidate("village", election.contests.get(), people[6], Candidate.Stage.PROVISIONAL)
    with pytest.raises(ActionError, match="R-CAND-2"):
        actions.submit_candidates("village", election)


@pytest.mark.rule("R-CAND-3")
@pytest.mark.rule("R-CAND-5")
def test_a_vacant_secretary_is_filled_by_the_plenary_from_its_members(village):
    tree, people, committee = village
    org_actions.transfer_member("village", people[0], tree.school_branch, TODAY - timedelta(days=10))
    election = by_election.start_by_election("village", tree.village, TODAY, readiness="准备就绪")
    posts = [(c.post, c.seats) for c in election.contests.all()]
    assert posts == [(Post.COMMITTEE_MEMBER, 1), (Post.SECRETARY, 1)]
    approve(actions.submit_plan("village", election))
    member_contest = election.contests.get(post=Post.COMMITTEE_MEMBER)
    secretary_contest = election.contests.get(post=Post.SECRETARY)
    for person in people[6:8]:
        actions.set_candidate("village", member_contest, person, Candidate.Stage.PROVISIONAL)
    actions.set_candidate("village", secretary_contest, people[1], Candidate.Stage.PROVISIONAL)  # 等额
    approve(actions.submit_candidates("village", election))
    election.refresh_from_db()
    voters = people[1:]
    meeting = meeting_of(election, Meeting.Kind.MEMBERS, voters)
    actions.appoint("village", meeting, people[9], "scrutineer")
    actions.appoint("village", meeting, people[10], "counter")
    round_ = actions.open_round("village", member_contest, meeting, issued=len(voters))
    key = {c.member.name: c.key for c in round_.candidates.all()}
    actions.record_ballot("counter", round_, [key[people[6].name]], [], [], count=len(voters))
    close_counted(round_, returned=len(voters))
    election.refresh_from_db()
    assert election.status == ElectionStatus.PLENARY

    plenary = meeting_of(election, Meeting.Kind.PLENARY, [*people[1:5], people[6]])
    # the roll: the sitting members and the by-elected (R-CAND-5)
    assert {a.member_id for a in plenary.attendance.all()} == {p.pk for p in people[1:5]} | {people[6].pk}
    assert plenary.entitled == 5
    actions.appoint("village", plenary, people[2], "scrutineer")
    actions.appoint("village", plenary, people[3], "counter")
    race = actions.open_round("village", secretary_contest, plenary, issued=5)
    only = race.candidates.get()
    actions.record_ballot("counter", race, [only.key], [], [], count=5)
    close_counted(race, returned=5)
    approve(actions.submit_results("village", election))
    posts = {s.member.name: (s.post, s.source) for s in committee.seats.select_related("member")}
    assert posts[people[1].name] == ("secretary", "by_elected")
    assert posts[people[6].name] == ("member", "by_elected")
    assert Vacancy.objects.get().filled_by == people[1]


def test_the_by_election_documents_have_their_own_texts(village):
    from tests.documents.reading import docx_text
    from xuanju.documents import content
    from xuanju.documents.files import document_file
    from xuanju.documents.kinds import Kind

    tree, people, _ = village
    org_actions.transfer_member("village", people[3], tree.school_branch, TODAY - timedelta(days=30))
    election = by_election.start_by_election(
        "village", tree.village, TODAY, readiness="支委会研究提出补选人选"
    )
    approve(actions.submit_plan("village", election))
    labels = [ref.name for ref in content.available(election)]
    assert "关于补选的请示" in labels
    paragraphs, tables = docx_text(document_file(election, Kind.PLAN_REQUEST, None, "docx").data)
    text = "\n".join(paragraphs)
    assert "关于补选中共东村支部委员会委员会成员的请示" in text
    assert "补选委员1名" in text and "任期至本届委员会届满" in text
    assert "R-" not in text  # no rule codes in official text
    assert any("刘洋" in cell for table in tables for row in table for cell in row)
