"""Voiding an election (R-SUP-3): only the upper level's organization department, nothing of the
record lost or changed, the committee it installed rolled back, and a new election reopened."""

from __future__ import annotations

import pytest
from django.core import serializers
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.counts import close_counted
from tests.elections.test_flow import approve, contest, prepare, run_meeting
from xuanju.audit.models import AuditRecord
from xuanju.audit.trail import verify_chain
from xuanju.elections import actions as election_actions
from xuanju.elections.models import (
    Approval,
    Attendance,
    BallotEntry,
    Candidate,
    Elected,
    Election,
    ElectionStatus,
    Meeting,
    Post,
    Round,
)
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import Committee
from xuanju.supervision import actions
from xuanju.supervision.models import Voiding

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
RECORDS = (Meeting, Attendance, Round, BallotEntry, Approval, Elected, Candidate)


@pytest.fixture
def branch():
    return f.village_due_for_reelection(TODAY)


def elect_committee(election, people):
    meeting = run_meeting(election, people, Meeting.Kind.MEMBERS, people)
    actions_ = election_actions
    actions_.appoint("village", meeting, people[10], "chief_scrutineer")
    actions_.appoint("village", meeting, people[11], "counter")
    committee = contest(election, Post.COMMITTEE_MEMBER)
    first = actions_.open_round("village", committee, meeting, issued=20)
    key = {c.member.name: c.key for c in first.candidates.all()}
    names = [p.name for p in people[:6]]
    actions_.record_ballot("counter", first, [key[n] for n in names[:5]], [key[names[5]]], [], count=20)
    close_counted(first, returned=20)
    return meeting, first


def completed(branch) -> Election:
    election, people = prepare(branch)
    elect_committee(election, people)
    committee = contest(election, Post.COMMITTEE_MEMBER)
    elected = [e.member for e in committee.elected.select_related("member")]
    plenary = run_meeting(election, elected, Meeting.Kind.PLENARY, elected)
    helpers = [p for p in elected if p.name not in (people[0].name, people[1].name)]
    election_actions.appoint("village", plenary, helpers[0], "scrutineer")
    election_actions.appoint("village", plenary, helpers[1], "counter")
    for post in (Post.SECRETARY, Post.DEPUTY_SECRETARY):
        race = election_actions.open_round("village", contest(election, post), plenary, issued=5)
        election_actions.record_ballot("counter", race, [race.candidates.get().key], [], [], count=5)
        close_counted(race, returned=5)
    approve(election_actions.submit_results("village", election))
    election.refresh_from_db()
    assert election.status == ElectionStatus.COMPLETED
    return election


def dump() -> str:
    return serializers.serialize("json", [row for model in RECORDS for row in model.objects.order_by("pk")])


def test_R_SUP_3_voiding_keeps_every_record_rolls_back_the_committee_and_reopens(branch):
    tree, _people = branch
    old_committee = Committee.objects.get(organization=tree.village, is_current=True)
    election = completed(branch)
    new_committee = Committee.objects.get(organization=tree.village, is_current=True)
    assert new_committee != old_committee
    before, audit_before = dump(), AuditRecord.objects.count()
    counts = {model: model.objects.count() for model in RECORDS}

    department = f.account("town_department", tree.town, "org_department")
    client = f.client_for(department)
    url = reverse("election_void", args=[election.pk])
    data = {"reason": "经查，选举前有人送礼拉票", "decision_document": "东乡组〔2026〕9号", "confirm": "on"}
    asked = client.post(url, data).content.decode()  # asked once more, with the consequence
    assert "请确认" in asked and "恢复上一届委员会" in asked and 'name="confirm" value="1"' in asked
    assert Election.objects.get(pk=election.pk).status != ElectionStatus.VOIDED
    response = client.post(url, data | {"confirm": "1"})
    assert response.status_code == 302

    election.refresh_from_db()
    assert election.status == ElectionStatus.VOIDED
    assert dump() == before  # meetings, roll, rounds, ballots, results, replies: as they were
    assert {model: model.objects.count() for model in RECORDS} == counts
    actions_taken = list(AuditRecord.objects.filter(pk__gt=0).order_by("pk").values_list("action", flat=True))
    assert AuditRecord.objects.count() == audit_before + 4
    assert actions_taken[-4:] == ["void_committee", "restore_committee", "void_election", "reopen_election"]
    assert verify_chain()[1] is None

    assert Committee.objects.get(organization=tree.village, is_current=True) == old_committee
    new_committee.refresh_from_db()
    assert not new_committee.is_current

    reopened = election.reopened_as
    assert reopened.status == ElectionStatus.PLANNING and reopened.organization == tree.village
    assert response.url == reverse("election_detail", args=[reopened.pk])
    assert sorted(reopened.contests.values_list("post", flat=True)) == sorted(
        election.contests.values_list("post", flat=True)
    )
    voiding = Voiding.objects.get(election=election)
    assert (voiding.committee_voided, voiding.committee_restored) == (new_committee, old_committee)
    # the reopened election runs its own request and reply (R-RPT-4)
    approve(election_actions.submit_plan("village", reopened))
    page = f.client_for(f.account("m", tree.village, "member")).get(
        reverse("election_detail", args=[election.pk])
    )
    assert "东乡组〔2026〕9号" in page.content.decode()
    with pytest.raises(ActionError, match="不能宣布"):
        actions.void_election(department, election, "再次", "文号")


def test_R_SUP_3_only_the_upper_levels_organization_department_may_void(branch):
    tree, _people = branch
    election, _ = prepare(branch)
    refused = [
        f.account("v_secretary", tree.village, "secretary"),
        f.account("v_department", tree.village, "org_department"),  # the organization itself
        f.account("t_inspector", tree.town, "inspector"),
        f.account("t_secretary", tree.town, "secretary"),
        f.account("s_department", tree.school, "org_department"),  # not above the village
    ]
    for user in refused:
        with pytest.raises(ActionError, match="R-SUP-3"):
            actions.void_election(user, election, "理由", "文号")
        client = f.client_for(user)
        url = reverse("election_void", args=[election.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"reason": "x", "decision_document": "y", "confirm": "on"}).status_code == 403
    election.refresh_from_db()
    assert election.status == ElectionStatus.CANDIDATES_APPROVED
    county = f.account("c_department", tree.county, "org_department")
    with pytest.raises(ActionError, match="理由"):
        actions.void_election(county, election, " ", "文号")
    with pytest.raises(ActionError, match="文号"):
        actions.void_election(county, election, "理由", " ")
    actions.void_election(county, election, "理由", "县组〔2026〕1号")  # any level above
    election.refresh_from_db()
    assert election.status == ElectionStatus.VOIDED


def test_R_SUP_3_a_voided_election_takes_no_more_ballots_and_its_pending_request_is_answered(branch):
    tree, people = branch
    election, _ = prepare(branch)
    meeting = run_meeting(election, people, Meeting.Kind.MEMBERS, people)
    election_actions.appoint("village", meeting, people[10], "chief_scrutineer")
    election_actions.appoint("village", meeting, people[11], "counter")
    round_ = election_actions.open_round(
        "village", contest(election, Post.COMMITTEE_MEMBER), meeting, issued=20
    )
    key = round_.candidates.first().key
    election_actions.record_ballot("counter", round_, [key], [], [], count=3)
    department = f.account("town_department", tree.town, "org_department")
    actions.void_election(department, election, "会场有人胁迫党员", "东乡组〔2026〕3号")
    with pytest.raises(ActionError, match="R-SUP-3"):
        election_actions.record_ballot("counter", round_, [key], [], [])
    assert BallotEntry.objects.filter(round=round_).count() == 1  # what was entered stays
    assert Election.objects.filter(organization=tree.village).exclude(status="voided").count() == 1


def test_R_SUP_3_a_pending_request_of_a_voided_election_gets_its_reply(branch):
    tree, _people = branch
    election = election_actions.start_election("village", tree.village, TODAY, 5, 1, readiness="准备就绪")
    approval = election_actions.submit_plan("village", election)
    department = f.account("town_department", tree.town, "org_department")
    with pytest.raises(ActionError, match="不能宣布"):  # nothing held yet: the reply refuses instead
        actions.void_election(department, election, "理由", "文号")
    election_actions.decide("town", approval, Approval.Decision.APPROVED, "东乡组〔2026〕1号", "")
    pending = Approval.objects.create(
        election=election, kind=Approval.Kind.CANDIDATES, submitted_on=TODAY, submitted_by="v", content={}
    )
    actions.void_election(department, election, "提名中有人拉票", "东乡组〔2026〕4号")
    pending.refresh_from_db()
    assert pending.decision == Approval.Decision.REFUSED and pending.document == "东乡组〔2026〕4号"
    with pytest.raises(ActionError, match="已经批复"):
        election_actions.decide("town", pending, Approval.Decision.APPROVED, "x", "")


def test_R_SUP_3_R_SUP_2_voiding_on_a_report_needs_it_concluded_as_substantiated(branch):
    tree, _people = branch
    election = completed(branch)
    reporter = f.account("reporter_x", tree.village, "member")
    inspector = f.account("t_inspector", tree.town, "inspector")
    department = f.account("t_department", tree.town, "org_department")
    report, _ = actions.file_report(
        reporter, tree.village, election, "vote_buying", "送购物卡", anonymous=False
    )
    with pytest.raises(ActionError, match="属实"):
        actions.void_election(department, election, "理由", "文号", report)
    actions.accept_report(inspector, report)
    actions.conclude_report(inspector, report, "查实送购物卡 12 张", "substantiated")
    detail = f.client_for(inspector).get(reverse("report_detail", args=[report.pk])).content.decode()
    void_url = f"{reverse('election_void', args=[election.pk])}?report={report.pk}"
    assert void_url in detail
    response = f.client_for(department).post(
        void_url, {"reason": "查实贿选", "decision_document": "东乡组〔2026〕5号", "confirm": "1"}
    )
    assert response.status_code == 302
    assert Voiding.objects.get(election=election).report == report
