"""R-RPT-1, R-RPT-4: a plan returned for changes (退回修改) is edited and submitted again; the new
request shows what changed since the returned version — on the request page and in the 请示."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.documents.reading import docx_text
from xuanju.documents.content import cn_date
from xuanju.documents.files import document_file
from xuanju.documents.kinds import Kind
from xuanju.elections import actions
from xuanju.elections.models import Approval, ElectionStatus, Post
from xuanju.organizations.actions import ActionError

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LATER = TODAY + timedelta(days=45)


@pytest.fixture
def returned():
    """A village branch's plan (5 members, 1 deputy) returned by the town with its comments."""
    tree, _ = f.village_due_for_reelection(TODAY)
    election = actions.start_election("village", tree.village, TODAY, 5, 1, readiness="已完成述职")
    approval = actions.submit_plan("village", election)
    actions.decide(
        "town", approval, Approval.Decision.RETURNED, "东乡组〔2026〕2号", "请补充结构要求，推迟半月召开"
    )
    election.refresh_from_db()
    return tree, election, approval


def test_R_RPT_4_the_resubmitted_request_lists_what_changed_since_the_return(returned):
    _, election, first = returned
    assert election.status == ElectionStatus.PLANNING
    with pytest.raises(ActionError, match="还没有修改"):
        actions.submit_plan("village", election)
    actions.edit_plan("village", election, LATER, 5, 0, readiness="已完成述职", composition="女性委员至少1名")
    assert not election.contests.filter(post=Post.DEPUTY_SECRETARY).exists()  # no deputy any more
    second = actions.submit_plan("village", election)
    revision = second.content["revision"]
    assert revision["comments"] == "请补充结构要求，推迟半月召开"
    assert revision["document"] == "东乡组〔2026〕2号" and revision["returned_on"] == TODAY.isoformat()
    changed = {tuple(c["path"]): (c["kind"], c["before"], c["after"]) for c in revision["changes"]}
    assert changed == {
        ("planned_on",): ("changed", TODAY.isoformat(), LATER.isoformat()),
        ("deputy_seats",): ("changed", 1, 0),
        ("composition",): ("changed", "", "女性委员至少1名"),
    }
    assert "revision" not in first.content  # the returned request stays as it was sent (R-RPT-4)
    # returned again, resubmitted again: compared with the latest returned version
    actions.decide("town", second, Approval.Decision.RETURNED, "", "请设副书记")
    actions.edit_plan("village", election, LATER, 5, 1, readiness="已完成述职", composition="女性委员至少1名")
    third = actions.submit_plan("village", election)
    assert [c["path"] for c in third.content["revision"]["changes"]] == [["deputy_seats"]]


def test_R_RPT_4_the_plan_is_edited_only_before_it_is_sent_and_within_the_rules(returned):
    _, election, _ = returned
    with pytest.raises(ActionError, match="R-ORG-2"):
        actions.edit_plan("village", election, LATER, 9, 1, readiness="x")
    with pytest.raises(ActionError, match="纪律检查委员会"):
        actions.edit_plan("village", election, LATER, 5, 1, readiness="x", discipline_seats=3)
    actions.edit_plan("village", election, LATER, 3, 0, readiness="x")
    assert election.contests.get(post=Post.COMMITTEE_MEMBER).seats == 3
    actions.submit_plan("village", election)
    election.refresh_from_db()
    with pytest.raises(ActionError, match="R-RPT-4"):
        actions.edit_plan("village", election, LATER, 5, 1, readiness="x")


def test_R_RPT_4_the_edit_page_and_the_request_show_the_changes(returned):
    tree, election, _ = returned
    chair = f.client_for(f.account("village", tree.village, "secretary"))
    overview = chair.get(reverse("election_detail", args=[election.pk])).content.decode()
    edit = reverse("election_plan_edit", args=[election.pk])
    assert edit in overview
    page = chair.get(edit).content.decode()
    assert "请补充结构要求，推迟半月召开" in page and "已完成述职" in page  # the return and the plan as it is
    preview = reverse("election_request_preview", args=[election.pk])
    assert "还没有修改" in chair.get(preview).content.decode()
    bad = chair.post(
        edit, {"planned_on": LATER.isoformat(), "committee_seats": 9, "deputy_seats": 1, "readiness": "x"}
    )
    assert bad.status_code == 200 and "R-ORG-2" in bad.content.decode()
    response = chair.post(
        edit,
        {
            "planned_on": LATER.isoformat(),
            "committee_seats": 5,
            "deputy_seats": 1,
            "readiness": "已完成述职",
            "composition": "女性委员至少1名",
        },
    )
    assert response.status_code == 302 and response["Location"] == preview
    shown = chair.get(preview).content.decode()
    assert "与退回版本相比的修改" in shown and "结构和人选条件" in shown and "女性委员至少1名" in shown
    election.refresh_from_db()
    approval = actions.submit_plan("village", election)
    town = f.client_for(f.account("town", tree.town, "org_department"))
    request_page = town.get(reverse("election_request", args=[approval.pk])).content.decode()
    assert "与退回版本相比的修改" in request_page and "拟召开日期" in request_page
    assert LATER.isoformat() in request_page and TODAY.isoformat() in request_page

    paragraphs, tables = docx_text(document_file(election, Kind.PLAN_REQUEST, None, "docx").data)
    text = "".join(paragraphs)
    assert "六、与退回版本相比的修改" in text
    assert (
        f"{cn_date(TODAY)}，上级党组织将本请示退回修改（东乡组〔2026〕2号），意见：请补充结构要求，推迟半月召开"
        in text
    )
    rows = tables[-1]
    assert rows[0] == ["项目", "修改", "退回版本", "修改后"]
    assert ["拟召开日期", "修改", TODAY.isoformat(), LATER.isoformat()] in rows
    assert ["结构和人选条件", "修改", "（未填写）", "女性委员至少1名"] in rows
