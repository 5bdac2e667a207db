"""The optional public notice of the preliminary list: objections must be answered first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.counts import close_counted
from tests.elections.test_flow import NAMES, approve, contest
from xuanju.audit.models import AuditRecord
from xuanju.elections import actions
from xuanju.elections.models import Candidate, ElectionStatus, Meeting, Objection, Post, PublicNotice
from xuanju.organizations.actions import ActionError

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def listed():
    tree = f.county_tree()
    people = [f.member(tree.village, name) for name in NAMES]
    tree.village.refresh_from_db()
    election = actions.start_election("village", tree.village, TODAY, 5, 0, readiness="准备就绪")
    approve(actions.submit_plan("village", election))
    election.refresh_from_db()
    committee = contest(election, Post.COMMITTEE_MEMBER)
    for person in people[:6]:
        actions.set_candidate("village", committee, person, Candidate.Stage.PROVISIONAL)
    actions.set_candidate(
        "village", contest(election, Post.SECRETARY), people[0], Candidate.Stage.PROVISIONAL
    )
    accounts = {
        "secretary": f.account("village", tree.village, "secretary"),
        "member": f.account("member", tree.village, "member"),
        "town": f.account("town", tree.town, "org_department"),
        "outsider": f.account("school", tree.school_branch, "secretary"),
    }
    return election, accounts


def test_candidates_wait_for_the_notice_period_and_for_every_answer(listed):
    election, _ = listed
    notice = actions.publish_notice("village", election, "初步人选：王芳、李强……", TODAY, TODAY)
    objection = actions.lodge_objection("member", notice, "某人选曾有违纪行为，请核实", anonymous=True)
    assert objection.lodged_by == ""
    assert not AuditRecord.objects.filter(action="lodge_objection").exists()  # recorded when answered
    with pytest.raises(ActionError, match="公示期"):
        actions.submit_candidates("village", election)
    notice.starts_on = notice.ends_on = TODAY - timedelta(days=1)
    notice.save()
    with pytest.raises(ActionError, match="还没有全部答复"):
        actions.submit_candidates("village", election)
    with pytest.raises(ActionError, match="公示期内"):
        actions.lodge_objection("member", notice, "再反映一个", anonymous=False)
    actions.answer_objection("village", objection, "经核实，该同志没有受过处分")
    actions.submit_candidates("village", election)
    election.refresh_from_db()
    assert election.status == ElectionStatus.CANDIDATES_SUBMITTED


def test_the_notice_page_members_object_organizers_answer(listed):
    election, accounts = listed
    url = reverse("election_notices", args=[election.pk])
    secretary, member = Client(), Client()
    secretary.force_login(accounts["secretary"])
    member.force_login(accounts["member"])
    page = secretary.get(url).content.decode()
    assert "王芳" in page and "按姓氏笔画为序" in page
    secretary.post(
        url,
        {
            "step": "publish",
            "body": "初步人选：王芳等",
            "starts_on": TODAY,
            "ends_on": TODAY + timedelta(days=5),
        },
    )
    notice = election.notices.get()
    member.post(url, {"step": "object", "notice": notice.pk, "content": "请核实李强的工作表现"})
    objection = Objection.objects.get()
    assert objection.lodged_by == "member"
    assert "请核实李强的工作表现" not in member.get(url).content.decode()  # only organizers see objections
    assert "请核实李强的工作表现" in secretary.get(url).content.decode()
    member.post(url, {"step": "answer", "objection": objection.pk, "answer": "x"})
    objection.refresh_from_db()
    assert objection.answered_on is None  # a member cannot answer
    secretary.post(url, {"step": "answer", "objection": objection.pk, "answer": "已核实，表现良好"})
    objection.refresh_from_db()
    assert objection.answer == "已核实，表现良好"
    outsider = Client()
    outsider.force_login(accounts["outsider"])
    assert outsider.get(url).status_code == 403
    assert outsider.post(url, {"step": "object", "notice": notice.pk, "content": "x"}).status_code == 403


def test_the_overview_pages_are_refused_outside_the_subtree(listed):
    election, accounts = listed
    outsider = Client()
    outsider.force_login(accounts["outsider"])
    for url in (
        reverse("election_list", args=[election.organization_id]),
        reverse("election_detail", args=[election.pk]),
    ):
        assert outsider.get(url).status_code == 403
        assert Client().get(url).status_code == 302


@pytest.fixture
def elected():
    return build_elected()


def build_elected():
    """A branch without a committee has elected its secretary: the results can be published."""
    from tests.elections.test_flow import run_meeting

    tree = f.county_tree()
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
    with pytest.raises(ActionError, match="选满"):
        actions.publish_notice("small", election, "结果", TODAY, TODAY, PublicNotice.Kind.RESULTS)
    actions.record_ballot("small", race, [race.candidates.get().key], [], [], count=5)
    close_counted(race, returned=5)
    election.refresh_from_db()
    accounts = {
        "secretary": f.account("small", small, "secretary"),
        "member": f.account("member", small, "member"),
        "town": f.account("town", tree.town, "org_department"),
        "inspector": f.account("inspector", tree.town, "inspector"),
        "county_member": f.account("county-member", tree.county, "member"),
    }
    return election, accounts


def end_period(notice: PublicNotice) -> None:
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=TODAY - timedelta(days=7), ends_on=TODAY - timedelta(days=1)
    )


def test_R_RPT_3_results_notice_objections_block_the_report_until_answered(elected):
    election, _ = elected
    with pytest.raises(ActionError, match="报送上级之前"):
        actions.publish_notice("small", election, "结果", TODAY, TODAY, PublicNotice.Kind.CANDIDATES)
    notice = actions.publish_notice("small", election, "书记：王芳", TODAY, TODAY, PublicNotice.Kind.RESULTS)
    objection = actions.lodge_objection("member", notice, "计票时有人代写选票", anonymous=True)
    named = actions.lodge_objection("member", notice, "请公布每人得票", anonymous=False)
    with pytest.raises(ActionError, match="选举结果公示到"):
        actions.submit_results("small", election)
    end_period(notice)
    with pytest.raises(ActionError, match="还没有全部答复，答复后才能报送选举结果"):
        actions.submit_results("small", election)
    actions.answer_objection("small", objection, "经核实，系本人意愿由他人代写（R-VOTE-5）")
    with pytest.raises(ActionError, match="还没有全部答复"):
        actions.submit_results("small", election)
    actions.answer_objection("small", named, "得票已随结果报告上级")
    with pytest.raises(ActionError, match="已经答复过"):
        actions.answer_objection("small", named, "再答一次")
    report = actions.submit_results("small", election)
    election.refresh_from_db()
    assert election.status == ElectionStatus.RESULTS_SUBMITTED
    # the upper level decides with the objections and the answers before it
    [sent] = report.content["notices"]
    assert [(o["lodged_by"], o["answer"]) for o in sent["objections"]] == [
        ("匿名", "经核实，系本人意愿由他人代写（R-VOTE-5）"),
        ("member", "得票已随结果报告上级"),
    ]
    # once reported, a late answer or a new results notice is refused
    with pytest.raises(ActionError, match="报送选举结果之前"):
        actions.publish_notice("small", election, "结果", TODAY, TODAY, PublicNotice.Kind.RESULTS)


def test_R_RPT_2_a_candidates_notice_does_not_hold_up_the_results(elected):
    election, _ = elected
    notice = PublicNotice.objects.create(
        election=election, body="旧公示", starts_on=TODAY, ends_on=TODAY, published_by="small"
    )
    Objection.objects.create(notice=notice, content="未答复的旧问题", lodged_on=TODAY)
    assert actions.notice_problem(election, PublicNotice.Kind.RESULTS) is None
    actions.submit_results("small", election)


def test_R_SUP_1_an_anonymous_objection_keeps_no_account_address_or_time_of_day(elected):
    election, accounts = elected
    notice = actions.publish_notice("small", election, "书记：王芳", TODAY, TODAY, PublicNotice.Kind.RESULTS)
    member = Client()
    member.force_login(accounts["member"])
    url = reverse("election_notices", args=[election.pk])
    response = member.post(
        url,
        {"step": "object", "notice": notice.pk, "content": "匿名反映的问题", "anonymous": "on"},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.lodged_by == "" and objection.lodged_on == TODAY
    stored = {f.attname: getattr(objection, f.attname) for f in Objection._meta.concrete_fields}
    assert "member" not in str(stored) and "10.1.2.3" not in str(stored)
    # No audit record when it is lodged: its time of day could be matched to the member's visit.
    assert not AuditRecord.objects.filter(action="lodge_objection").exists()
    actions.answer_objection("small", objection, "已核实")
    [entry] = AuditRecord.objects.filter(action="answer_objection")  # the objection enters the chain
    assert entry.content()["after"]["content"] == "匿名反映的问题"
    assert "member" not in str(entry.content()) and "10.1.2.3" not in str(entry.content())


def test_who_reads_a_results_notice_and_its_objections(elected):
    election, accounts = elected
    notice = actions.publish_notice(
        "small", election, "书记：王芳", TODAY, TODAY + timedelta(days=4), PublicNotice.Kind.RESULTS
    )
    actions.lodge_objection("member", notice, "请核实得票", anonymous=False)
    url = reverse("election_notices", args=[election.pk])
    pages = {}
    for who, user in accounts.items():
        client = Client()
        client.force_login(user)
        response = client.get(url)
        pages[who] = response.content.decode() if response.status_code == 200 else response.status_code
    assert pages["county_member"] == 403  # a member of another organization
    for who in ("secretary", "member", "town", "inspector"):
        assert "书记：王芳" in pages[who], who
    # the organizer and the upper level (department and inspectors) see the objections
    for who in ("secretary", "town", "inspector"):
        assert "请核实得票" in pages[who], who
    assert "请核实得票" not in pages["member"]
    # the members' list of running notices
    member = Client()
    member.force_login(accounts["member"])
    listing = member.get(reverse("notice_list")).content.decode()
    assert "选举结果公示" in listing and reverse("election_notices", args=[election.pk]) in listing
    end_period(notice)
    assert "书记：王芳" not in member.get(url).content.decode()  # members read a notice in its period
    assert "选举结果公示" not in member.get(reverse("notice_list")).content.decode()


def test_the_page_publishes_the_results_notice_with_the_elected(elected):
    election, accounts = elected
    secretary = Client()
    secretary.force_login(accounts["secretary"])
    url = reverse("election_notices", args=[election.pk])
    page = secretary.get(url).content.decode()
    assert "选举结果公示" in page and "书记：王芳" in page
    secretary.post(
        url,
        {"step": "publish", "kind": "results", "body": "书记：王芳", "starts_on": TODAY, "ends_on": TODAY},
    )
    assert election.notices.get().kind == PublicNotice.Kind.RESULTS
    assert "选举结果公示到" in secretary.get(url).content.decode()
