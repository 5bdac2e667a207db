"""Misconduct reports (R-SUP-2): routed to the upper level, hidden from the reported organization,
anonymous without account, address or time (R-SUP-1), followed up by a one-time code."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.sessions.models import Session
from django.core import serializers
from django.db import models
from django.test import Client
from django.urls import reverse

from tests import factories as f
from tests.worlds import built_once
from xuanju.audit.models import AuditRecord
from xuanju.audit.trail import verify_chain
from xuanju.elections import actions as election_actions
from xuanju.organizations.actions import ActionError
from xuanju.supervision import actions
from xuanju.supervision.models import Report, ReportNote, ReportStatus

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.77"
CODE = re.compile(r"\b([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})\b")


@built_once
def world():
    tree = f.county_tree()
    people = {
        "reporter": f.account("wang_whistle", tree.village, "member"),
        "village_secretary": f.account("village_secretary", tree.village, "secretary"),
        "village_department": f.account("village_department", tree.village, "org_department"),
        "village_inspector": f.account("village_inspector", tree.village, "inspector"),
        "town_inspector": f.account("town_inspector", tree.town, "inspector"),
        "town_secretary": f.account("town_secretary", tree.town, "secretary"),
        "town_department": f.account("town_department", tree.town, "org_department"),
        "county_inspector": f.account("county_inspector", tree.county, "inspector"),
        "county_department": f.account("county_department", tree.county, "org_department"),
        "county_secretary": f.account("county_secretary", tree.county, "secretary"),
        "school_inspector": f.account("school_inspector", tree.school, "inspector"),
    }
    return tree, people


def named_report(world, org=None):
    tree, people = world
    report, code = actions.file_report(
        people["reporter"],
        org or tree.village,
        None,
        "canvassing",
        "某某在选举前请党员吃饭拉票",
        anonymous=False,
    )
    assert code is None
    return report


def sees(user, report) -> bool:
    """Whether ``user`` finds the report in their list and can open it (checked both ways agree)."""
    client = f.client_for(user)
    listed = client.get(reverse("report_list"))
    detail = client.get(reverse("report_detail", args=[report.pk]))
    in_list = listed.status_code == 200 and report.reference in listed.content.decode()
    assert listed.status_code in (200, 403)
    assert detail.status_code in (200, 404)
    assert in_list == (detail.status_code == 200)
    return in_list


def test_R_SUP_2_a_report_goes_to_the_upper_level_and_never_to_the_reported_organization(world):
    tree, people = world
    report = named_report(world)
    assert report.handled_by == tree.town
    for name in ("town_inspector", "county_inspector"):
        assert sees(people[name], report), name
    for name in (
        "village_secretary",
        "village_department",
        "village_inspector",
        "town_secretary",
        "town_department",
        "county_department",
        "county_secretary",
        "school_inspector",
    ):
        assert not sees(people[name], report), name
        client = f.client_for(people[name])
        assert client.post(reverse("report_accept", args=[report.pk])).status_code == 404
        assert client.get(reverse("report_conclude", args=[report.pk])).status_code == 404
        with pytest.raises(ActionError):
            actions.accept_report(people[name], report)


def test_R_SUP_2_a_report_about_the_town_is_hidden_from_the_town_and_everything_beneath_it(world):
    tree, people = world
    report = named_report(world, tree.town)
    assert report.handled_by == tree.county
    assert sees(people["county_inspector"], report)
    for name in ("town_inspector", "village_inspector", "town_department", "village_secretary"):
        assert not sees(people[name], report), name


def test_R_SUP_2_reports_about_the_root_go_to_the_roots_own_inspectors_only(world):
    tree, people = world
    report = named_report(world, tree.county)
    assert report.handled_by == tree.county
    assert sees(people["county_inspector"], report)
    for name in ("county_department", "county_secretary", "town_inspector", "school_inspector"):
        assert not sees(people[name], report), name


def test_R_SUP_2_a_named_report_only_on_the_reporters_own_chain_and_only_with_an_account(world):
    tree, people = world
    with pytest.raises(ActionError, match="实名举报只能"):
        actions.file_report(people["reporter"], tree.school_branch, None, "other", "x", anonymous=False)
    with pytest.raises(ActionError, match="须先登录"):
        actions.file_report(None, tree.village, None, "other", "x", anonymous=False)
    other = election_actions.start_election("t", tree.school_branch, _today(), 0, 0, readiness="x")
    with pytest.raises(ActionError, match="不是被举报党组织的"):
        actions.file_report(people["reporter"], tree.village, other, "other", "x", anonymous=False)
    # anonymously, anyone may report on any organization
    report, code = actions.file_report(
        None, tree.school_branch, None, "vote_buying", "送购物卡", anonymous=True
    )
    assert code and report.reporter is None


def _today():
    from django.utils import timezone

    return timezone.localdate()


def test_R_SUP_2_the_reporter_sees_status_and_conclusion_but_not_the_investigation(world):
    tree, people = world
    report = named_report(world)
    inspector = people["town_inspector"]
    actions.accept_report(inspector, report)
    actions.add_note(inspector, report, "约谈了村党支部书记，内部核查意见")
    actions.add_note(people["reporter"], report, "补充：饭店名称是某某饭店")
    actions.conclude_report(inspector, report, "经核查，确有请吃饭拉票的情况", "substantiated")
    page = f.client_for(people["reporter"]).get(reverse("report_detail", args=[report.pk])).content.decode()
    assert "已办结" in page and "属实" in page and "饭店名称" in page
    assert "内部核查意见" not in page and "确有请吃饭" not in page
    handler_page = f.client_for(inspector).get(reverse("report_detail", args=[report.pk])).content.decode()
    assert "wang_whistle" in handler_page  # the reporter's account, for the handling inspector only
    assert "内部核查意见" in handler_page
    mine = f.client_for(people["reporter"]).get(reverse("report_mine")).content.decode()
    assert report.reference in mine
    assert verify_chain()[1] is None
    # the trail names neither the reporter's account nor the reported organization
    for entry in AuditRecord.objects.filter(object_type="supervision.report"):
        text = json.dumps(entry.content(), ensure_ascii=False)
        assert "wang_whistle" not in text and tree.village.name not in text
    with pytest.raises(ActionError, match="已经办结"):
        actions.add_note(people["reporter"], report, "再补充")


def test_R_SUP_1_R_SUP_2_an_anonymous_report_keeps_no_account_no_address_and_only_a_date(world):
    tree, people = world
    audit_before = AuditRecord.objects.count()
    client = f.client_for(people["reporter"])  # signed in, but choosing to stay anonymous
    response = client.post(
        f"{reverse('report_new')}?org={tree.village.pk}",
        {
            "category": "vote_buying",
            "content": "选举前有人挨家送红包",
            "identity": "anonymous",
            "election": "",
        },
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "请抄下或截图保存，系统不保存此码" in page
    assert "no-store" in response["Cache-Control"]
    code = CODE.search(page).group(1)
    report = Report.objects.get()
    assert report.reporter is None and report.follow_up_hash and report.follow_up_locator
    assert code.replace("-", "")[4:] not in report.follow_up_hash
    # nothing with a time of day, and no audit record yet (its time would date the report)
    for model in (Report, ReportNote):
        assert not any(isinstance(field, models.DateTimeField) for field in model._meta.get_fields())
    assert AuditRecord.objects.count() == audit_before
    # the address and the account appear nowhere: report, notes, audit trail, sessions
    actions.add_follow_up(code, "补充：红包每个两百元")
    actions.accept_report(people["town_inspector"], report)
    rows = serializers.serialize(
        "json", [*Report.objects.all(), *ReportNote.objects.all(), *AuditRecord.objects.all()]
    )
    sessions = json.dumps([s.get_decoded() for s in Session.objects.all()], default=str)
    for text in (rows, sessions):
        assert ADDRESS not in text
    assert people["reporter"].username not in rows
    assert json.loads(rows)[0]["fields"]["reporter"] is None
    # without signing in at all
    response = Client().post(
        f"{reverse('report_new')}?org={tree.town.pk}",
        {"category": "coercion", "content": "威胁党员", "identity": "anonymous"},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 200 and CODE.search(response.content.decode())
    assert Report.objects.filter(organization=tree.town, reporter=None).count() == 1


def test_R_SUP_2_the_follow_up_code_works_and_a_wrong_code_reveals_nothing(world):
    tree, people = world
    report, code = actions.file_report(None, tree.village, None, "canvassing", "打电话拉票", anonymous=True)
    shown = actions.format_code(code)
    client = Client()
    url = reverse("report_follow_up")
    page = client.post(url, {"code": shown.lower()}).content.decode()
    assert "打电话拉票" in page and "已收到" in page

    wrong_secret = code[:4] + ("0" if code[4] != "0" else "1") + code[5:]
    _other, _other_code = actions.file_report(None, tree.town, None, "other", "y", anonymous=True)
    no_such_locator = (
        next(
            a + b + c + d
            for a in "0123"
            for b in "0123"
            for c in "0123"
            for d in "0123"
            if not Report.objects.filter(follow_up_locator=a + b + c + d).exists()
        )
        + code[4:]
    )

    def answer(value: str) -> str:
        text = Client().post(url, {"code": value}).content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text).replace(value, "")

    answers = {answer(value) for value in (wrong_secret, no_such_locator, "ABCD-EFGH")}
    assert len(answers) == 1
    assert "查询码不正确" in answers.pop()

    # a reporter's follow-up is kept under "举报人", and the inspector sees it
    client.post(url, {"code": shown, "text": "补充：是晚上打的电话"})
    note = ReportNote.objects.get(report=report)
    assert note.author == "举报人" and note.by_reporter
    handler = f.client_for(people["town_inspector"]).get(reverse("report_detail", args=[report.pk]))
    assert "晚上打的电话" in handler.content.decode()

    # the conclusion reaches the anonymous reporter; the investigation notes do not
    actions.accept_report(people["town_inspector"], report)
    actions.add_note(people["town_inspector"], report, "内部意见：证据不足")
    actions.conclude_report(people["town_inspector"], report, "未发现拉票", "unsubstantiated")
    page = client.post(url, {"code": shown}).content.decode()
    assert "不属实" in page and "已办结" in page and "证据不足" not in page
    assert "提交补充材料" not in page
    assert verify_chain()[1] is None


def test_R_SUP_2_wrong_codes_are_limited_for_a_report_and_for_one_that_does_not_exist(world):
    tree, _ = world
    report, code = actions.file_report(None, tree.village, None, "canvassing", "z", anonymous=True)
    wrong = code[:4] + ("0" if code[4] != "0" else "1") + code[5:]
    for _ in range(actions.FAILURES_PER_LOCATOR):
        assert actions.find_by_code(wrong).report is None
    limited = actions.find_by_code(code)
    assert limited.report is None and limited.limited
    ghost = "ZZZZ" + code[4:] if report.follow_up_locator != "ZZZZ" else "YYYY" + code[4:]
    for _ in range(actions.FAILURES_PER_LOCATOR):
        assert not actions.find_by_code(ghost).limited
    assert actions.find_by_code(ghost).limited  # the same answer whether or not a report exists


def test_R_SUP_2_inspectors_filter_by_status(world):
    _tree, people = world
    first = named_report(world)
    second = named_report(world)
    actions.accept_report(people["town_inspector"], second)
    client = f.client_for(people["town_inspector"])
    page = client.get(reverse("report_list"), {"status": ReportStatus.INVESTIGATING}).content.decode()
    assert second.reference in page and first.reference not in page


def test_R_SUP_2_the_report_link_is_on_the_organization_and_election_pages(world):
    tree, people = world
    election = election_actions.start_election("t", tree.village, _today(), 0, 0, readiness="x")
    client = f.client_for(people["reporter"])
    page = client.get(reverse("election_detail", args=[election.pk])).content.decode()
    assert f"{reverse('report_new')}?org={tree.village.pk}&amp;election={election.pk}" in page
    org_page = f.client_for(people["village_secretary"]).get(
        reverse("organization_detail", args=[tree.village.pk])
    )
    assert f"{reverse('report_new')}?org={tree.village.pk}" in org_page.content.decode()
    form = client.get(reverse("report_new"), {"org": tree.village.pk, "election": election.pk})
    assert "不记录" in form.content.decode()
    search = Client().get(reverse("report_new"), {"q": "东村"}).content.decode()
    assert tree.village.name in search and tree.school.name not in search
