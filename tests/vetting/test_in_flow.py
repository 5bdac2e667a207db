"""Vetting wired into the election flow: the conditions refuse provisional candidates and are checked
again on submission, the request carries the vetting, profiles and structure, and the approval of
the results marks the elected people of the reserve pool (R-CAND-1, R-CAND-6, R-RPT-2, R-RPT-3)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from tests import factories as f
from tests.counts import SINGLE_ENTRY, close_counted
from tests.documents.reading import docx_text
from tests.vetting.conftest import approve
from xuanju.audit.models import AuditRecord
from xuanju.documents.files import document_file
from xuanju.documents.kinds import Kind
from xuanju.elections import actions
from xuanju.elections.models import Approval, Candidate, ElectionStatus, Meeting, Nomination, Post
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import Member
from xuanju.reserve import actions as reserve_actions
from xuanju.reserve.models import ReserveStatus
from xuanju.vetting import actions as vetting_actions

pytestmark = pytest.mark.django_db


def test_R_CAND_1_a_nominee_failing_the_conditions_is_recorded_but_refused_as_provisional(village):
    election, committee = village.election, village.contest()
    vetting_actions.set_conditions("town", election, min_party_age=30, min_education="college")
    nominee = village.people[6]  # full member since 2006-07-01: 19 years on 2026-06-01; no profile
    actions.record_nomination("village", committee, nominee, "党员个人推荐", 4)
    assert Nomination.objects.filter(contest=committee, nominee=nominee).exists()  # recorded all the same
    with pytest.raises(ActionError) as refused:
        actions.set_candidate("village", committee, nominee, Candidate.Stage.PROVISIONAL)
    assert refused.value.field == "member"
    message = refused.value.message
    assert message.startswith(f"{nominee.name}不符合条件")
    assert "党龄 19 年，不足 30 年" in message and "学历未登记" in message  # every reason
    assert committee.candidates.get(member=nominee).stage == Candidate.Stage.PRELIMINARY
    # the organizers see the nominee's check on the nominations page; members see no tally at all
    page = f.client_for(village.accounts["secretary"]).get(f"/elections/{election.pk}/nominations/")
    text = page.content.decode()
    assert "党龄不少于 30 年" in text and "学历大专以上" in text  # the conditions stated
    assert "不符合条件" in text and "党龄 19 年，不足 30 年" in text
    member_page = f.client_for(village.accounts["member"]).get(f"/elections/{election.pk}/nominations/")
    assert "不足 30 年" not in member_page.content.decode()


def test_R_CAND_1_the_candidates_page_shows_each_persons_check_to_the_organizers_only(village):
    election = village.election
    vetting_actions.set_conditions("town", election, max_age=60)
    Member.objects.filter(pk=village.people[5].pk).update(birth_date=date(1960, 1, 1))
    url = f"/elections/{election.pk}/candidates/"
    text = f.client_for(village.accounts["secretary"]).get(url).content.decode()
    assert "选举日年龄 66 岁，超过 60 周岁" in text and "符合条件" in text
    assert "超过 60 周岁" in f.client_for(village.accounts["town"]).get(url).content.decode()
    assert "超过 60 周岁" not in f.client_for(village.accounts["member"]).get(url).content.decode()


def test_R_CAND_1_submission_checks_again_the_conditions_changed_after_the_slate_was_made(village):
    election, committee = village.election, village.contest()
    for old in village.people[4:6]:
        Member.objects.filter(pk=old.pk).update(birth_date=date(1960, 1, 1))
    # the upper level sets the conditions after the six were made provisional (allowed until submission)
    vetting_actions.set_conditions("town", election, max_age=60)
    with pytest.raises(ActionError) as refused:
        actions.submit_candidates("village", election)
    message = refused.value.message
    for old in village.people[4:6]:  # everyone failing is named, with the reason
        assert f"{old.name}不符合条件：选举日年龄 66 岁，超过 60 周岁" in message
    election.refresh_from_db()
    assert election.status == ElectionStatus.PLAN_APPROVED
    assert not election.approvals.filter(kind=Approval.Kind.CANDIDATES).exists()
    for old, new in zip(village.people[4:6], village.people[6:8], strict=True):
        actions.set_candidate("village", committee, old, Candidate.Stage.DROPPED)
        actions.set_candidate("village", committee, new, Candidate.Stage.PROVISIONAL)
    actions.submit_candidates("village", election)
    election.refresh_from_db()
    assert election.status == ElectionStatus.CANDIDATES_SUBMITTED


def test_R_RPT_2_the_request_carries_the_vetting_conclusion_education_post_and_structure(village):
    election, committee = village.election, village.contest()
    first, second = village.people[0], village.people[1]
    vetting_actions.save_profile(
        "village", first, education="bachelor", current_post="村委会主任", front_line=True
    )
    candidate = committee.candidates.get(member=first)
    vetting_actions.save_vetting("town", candidate, conclusion="德才兼备，考察合格，同意列为预备人选")
    actions.set_candidate("village", committee, second, Candidate.Stage.PROVISIONAL, vetting="群众认可度高")
    women = Member.objects.filter(pk__in=[p.pk for p in village.people[:6]], gender="女").count()
    approval = actions.submit_candidates("village", election)

    entries = {c["name"]: c for c in approval.content["contests"][0]["candidates"]}
    assert entries[first.name]["vetting"] == "德才兼备，考察合格，同意列为预备人选"  # the record's conclusion
    assert entries[second.name]["vetting"] == "群众认可度高"  # no record: the text typed
    assert (entries[first.name]["education"], entries[first.name]["current_post"]) == (
        "大学本科",
        "村委会主任",
    )
    assert entries[second.name]["education"] == "" and entries[second.name]["current_post"] == ""
    structure = approval.content["structure"]
    assert (structure["size"], structure["seats"], structure["women"]) == (6, 5, women)
    assert (structure["college_or_above"], structure["front_line"], structure["education_unknown"]) == (
        1,
        1,
        5,
    )
    assert structure["average_age"] == 46.0 and structure["on"] == "2026-06-01"

    paragraphs, tables = docx_text(document_file(election, Kind.CANDIDATES_REQUEST, None, "docx").data)
    rows = {row[0]: row for row in tables[0][1:]}
    assert rows[first.name][6:8] == ["大学本科", "村委会主任"] and rows[second.name][6:8] == ["—", "—"]
    assert rows[first.name][9] == "德才兼备，考察合格，同意列为预备人选"
    summary = (
        f"委员预备人选6名中，女性{women}名，少数民族0名，平均年龄46岁（按2026年6月1日计算），"
        "大专以上学历1名（另有5名学历未登记），生产、工作一线1名。"
    )
    assert summary in paragraphs

    # the request reads as submitted: a profile changed afterwards does not rewrite it
    before = document_file(election, Kind.CANDIDATES_REQUEST, None, "docx").data
    vetting_actions.save_profile("village", first, education="postgraduate", current_post="镇干部")
    vetting_actions.save_profile("village", second, education="college", current_post="会计")
    assert document_file(election, Kind.CANDIDATES_REQUEST, None, "docx").data == before


def test_R_RPT_3_the_approval_of_the_results_marks_the_elected_reserve_people(village):
    tree = village.tree
    small = f.org(tree.town, "中共西村支部委员会", "branch", "village")
    people = [f.member(small, name) for name in ("孙明", "周丽", "吴刚", "郑红", "冯军")]
    small.refresh_from_db()
    elected = reserve_actions.put_forward("small", small, people[0], date(2024, 3, 1), "带富能力强")
    upper = reserve_actions.put_forward("town", tree.town, people[0], date(2024, 3, 1), "镇级后备")
    not_elected = reserve_actions.put_forward("small", small, people[1], date(2024, 3, 1), "年轻有为")
    today = timezone.localdate()
    election = actions.start_election("small", small, today, 0, 0, readiness="准备就绪")
    approve(actions.submit_plan("small", election))
    secretary = election.contests.get(post=Post.SECRETARY)
    actions.set_candidate("small", secretary, people[0], Candidate.Stage.PROVISIONAL)
    approve(actions.submit_candidates("small", election))
    election.refresh_from_db()
    meeting = actions.open_meeting("small", election, Meeting.Kind.MEMBERS, today)
    actions.mark_present("small", meeting, [p.pk for p in people])
    actions.close_roll("small", meeting)
    actions.adopt_procedure("small", meeting, "present", False, votes_for=5, counting_method=SINGLE_ENTRY)
    actions.appoint("small", meeting, people[1], "scrutineer")
    actions.appoint("small", meeting, people[2], "counter")
    race = actions.open_round("small", secretary, meeting, issued=5)
    actions.record_ballot("small", race, [race.candidates.get().key], [], [], count=5)
    close_counted(race, returned=5)
    report = actions.submit_results("small", election)
    elected.refresh_from_db()
    assert elected.status == ReserveStatus.IN_POOL  # not before the upper level approves
    approve(report)
    for person in (elected, upper, not_elected):
        person.refresh_from_db()
    assert (elected.status, upper.status, not_elected.status) == (
        ReserveStatus.ELECTED,
        ReserveStatus.ELECTED,
        ReserveStatus.IN_POOL,
    )
    assert AuditRecord.objects.filter(action="reserve_elected").count() == 2
