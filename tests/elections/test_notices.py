"""The optional public notice of the preliminary list: objections must be answered first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.elections.test_flow import NAMES, approve, contest
from xuanju.audit.models import AuditRecord
from xuanju.elections import actions
from xuanju.elections.models import Candidate, ElectionStatus, Objection, Post
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
    assert AuditRecord.objects.filter(action="lodge_objection", actor="匿名").exists()
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
