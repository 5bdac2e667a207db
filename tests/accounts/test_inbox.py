"""The inbox (待办): what waits for each account, with the count in the navigation bar, and a
registry other apps extend."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.worlds import built_once
from xuanju.accounts import inbox
from xuanju.elections import actions as elections
from xuanju.elections.models import Objection, PublicNotice
from xuanju.organizations import actions as organizations
from xuanju.supervision import actions as supervision

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@built_once
def world():
    tree = f.county_tree()
    people = {
        "town": f.account("town", tree.town, "org_department"),
        "county": f.account("county", tree.county, "org_department"),
        "village": f.account("village", tree.village, "secretary"),
        "inspector": f.account("inspector", tree.town, "inspector"),
        "school": f.account("school", tree.school, "org_department"),
        "member": f.account("member", tree.village, "member"),
    }
    election = elections.start_election("village", tree.village, TODAY, 0, 0, readiness="已完成述职")
    plan = elections.submit_plan("village", election)
    notice = PublicNotice.objects.create(
        election=election, body="候选人名单", starts_on=TODAY, ends_on=TODAY, published_by="village"
    )
    Objection.objects.create(notice=notice, content="某某不符合条件", lodged_on=TODAY)
    f.committee_of(tree.village, [f.member(tree.village, "王芳")], TODAY.replace(year=TODAY.year - 5))
    organizations.send_reminder("town", tree.town, tree.village, "请按期换届")
    supervision.file_report(
        people["member"], tree.village, election, "canvassing", "有人拉票", anonymous=False
    )
    return tree, people, plan


def keys(user) -> dict[str, int]:
    return {s.source.key: len(s.items) for s in inbox.sections(user) if s.items}


def test_each_account_sees_what_waits_for_it(world):
    tree, people, plan = world
    # the town decides the village's request and answers objections in its subtree
    assert keys(people["town"]) == {"approvals": 1, "objections": 1}
    assert keys(people["county"]) == {"approvals": 1, "objections": 1}
    assert keys(people["village"]) == {"objections": 1, "reminders": 1}
    assert keys(people["inspector"]) == {"reports": 1}
    assert keys(people["school"]) == {} and keys(people["member"]) == {}
    for user in people.values():
        assert inbox.waiting_count(user) == sum(keys(user).values())

    page = f.client_for(people["town"]).get(reverse("inbox")).content.decode()
    assert reverse("approval_decide", args=[plan.pk]) in page and tree.village.name in page
    assert f"{TODAY.year}年{TODAY.month}月{TODAY.day}日" in page
    nav = f.client_for(people["town"]).get(reverse("organization_list")).content.decode()
    assert '待办 <span class="nav-count">2</span>' in nav

    elections.decide("town", plan, "approved", "东乡组〔2026〕1号", "")
    assert "approvals" not in keys(people["town"])
    empty = f.client_for(people["school"]).get(reverse("inbox")).content.decode()
    assert "没有等待您处理的事项" in empty


def test_another_app_adds_a_source_through_the_registry(world):
    _tree, people, _plan = world
    source = inbox.Source(
        "vacancies",
        "待补选的空缺",
        lambda user: 1 if user.role == "org_department" else 0,
        lambda user: (
            [inbox.Item("补选委员", "中共东村支部委员会", "/")] if user.role == "org_department" else []
        ),
        order=50,
    )
    inbox.register(source)
    try:
        assert keys(people["town"])["vacancies"] == 1
        assert "待补选的空缺" in f.client_for(people["town"]).get(reverse("inbox")).content.decode()
    finally:
        inbox._SOURCES.pop("vacancies")
