"""Vetting in the election flow, clicked through by the town's organization department and the
village branch secretary (R-CAND-1, R-CAND-6, R-RPT-2).

The town sets the conditions and a structure target (at least one woman) for the village's
election; the secretary nominates from the reserve talent pool, sees a nominee failing the
conditions refused as provisional, makes six men provisional and sees that the target cannot be met
whatever the outcome, fills a vetting record, adds a woman (the warning goes) and submits.

What clicking adds nothing to is arranged in Python: the roll, genders and birth dates, the pool,
the plan and its approval (tests/browser/test_election_flow.py clicks those).

Set XUANJU_SCREENSHOTS=1 to save a screenshot of each main page to /tmp/vetting-*.png.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from itertools import count

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from tests import factories as f
from tests.browser.conftest import log_in, main, messages
from xuanju.elections import actions
from xuanju.elections.models import Approval, Election
from xuanju.organizations.models import Member
from xuanju.reserve import actions as reserve_actions
from xuanju.reserve.models import ReservePerson, ReserveStatus
from xuanju.vetting import actions as vetting_actions

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()
WOMEN = ("王芳", "陈静", "徐丽")
SLATE = ("赵磊", "李强", "张伟", "刘洋", "杨帆", "周杰")  # all men; 赵磊 comes from the pool
SCREENSHOTS = os.environ.get("XUANJU_SCREENSHOTS") == "1"
_shot = count(1)


def shot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=f"/tmp/vetting-{next(_shot):02d}-{name}.png", full_page=True)


@pytest.fixture
def village() -> Election:
    """The village branch (20 full members, re-election due) with its plan approved; 赵磊 in its
    reserve pool; 黄敏 over the age the town will set."""
    tree = f.county_tree()
    people = [f.member(tree.village, name) for name in f.VILLAGE_NAMES]
    f.committee_of(tree.village, people[:3], TODAY - timedelta(days=5 * 365 + 30))
    Member.objects.filter(organization=tree.village).update(gender="男")
    Member.objects.filter(organization=tree.village, name__in=WOMEN).update(gender="女")
    Member.objects.filter(organization=tree.village, name="黄敏").update(birth_date=date(1950, 3, 1))
    tree.village.refresh_from_db()
    f.account("village", tree.village, "secretary")
    f.account("town", tree.town, "org_department")
    zhao = Member.objects.get(organization=tree.village, name="赵磊")
    reserve_actions.put_forward("village", tree.village, zhao, date(2024, 3, 1), "懂技术，带富能力强")
    vetting_actions.save_profile("village", zhao, education="college", current_post="村合作社负责人")
    election = actions.start_election(
        "village", tree.village, TODAY + timedelta(days=30), 5, 0, readiness="已完成述职和民主评议"
    )
    actions.decide("town", actions.submit_plan("village", election), Approval.Decision.APPROVED, "1号", "")
    return election


def person(page: Page, name: str) -> Locator:
    return main(page).locator("div.person", has=page.get_by_text(name, exact=True)).first


def make_provisional(page: Page, name: str) -> Locator:
    """A nominee (初步人选) is made 预备人选; returns the person's box for what follows."""
    box = person(page, name)
    box.locator("summary", has_text="修改").click()
    box.get_by_label("阶段").select_option(label="预备人选")
    box.get_by_role("button", name="保存").click()
    return box


def add_provisional(page: Page, post: str, name: str) -> None:
    adding = main(page).locator("details", has_text=f"增加{post}人选")
    adding.locator("summary").click()
    adding.get_by_label("党员").select_option(label=name)
    adding.get_by_role("button", name="保存").click()
    expect(messages(page)).to_contain_text("已保存")


def test_R_CAND_1_conditions_pool_structure_and_vetting_in_the_flow(page: Page, town: Page, village):
    election = village
    detail = f"/elections/{election.pk}/"

    # 1. The town sets the conditions and a structure target for the village's election.
    log_in(town, "town", f.PASSWORD)
    town.goto(detail)
    main(town).get_by_role("link", name="设定候选人条件").click()
    town.get_by_label("最低党龄（年）").fill("3")
    town.get_by_label("最高年龄（周岁）").fill("60")
    town.get_by_role("button", name="保存").click()
    expect(messages(town)).to_contain_text("候选人条件已保存")
    town.goto(detail)
    main(town).get_by_role("link", name="设定结构要求").click()
    town.get_by_label("女性至少（名）").fill("1")
    town.get_by_role("button", name="保存").click()
    expect(messages(town)).to_contain_text("结构要求已保存")
    shot(town, "targets")

    # 2. The secretary nominates from the pool; a nominee over the age is recorded with the reason.
    log_in(page, "village", f.PASSWORD)
    page.goto(detail)
    expect(main(page).get_by_role("link", name="设定候选人条件")).to_have_count(0)  # the upper level's
    main(page).get_by_role("link", name="推荐提名", exact=True).click()
    expect(main(page)).to_contain_text("上级提出的条件：党龄不少于 3 年；选举日不超过 60 周岁")
    pool = main(page).locator("table", has=page.get_by_role("columnheader", name="后备人才库")).first
    expect(pool.get_by_role("row", name="赵磊")).to_contain_text("符合")
    shot(page, "pool-suggestion")
    pool.get_by_role("row", name="赵磊").get_by_role("button", name="从后备人才库提名").click()
    expect(messages(page)).to_contain_text("已从后备人才库推荐赵磊")
    nominate = main(page).locator("form", has=page.get_by_role("button", name="登记推荐")).first
    nominate.get_by_label("被推荐人").select_option(label="黄敏")
    nominate.get_by_label("推荐来源").fill("第二党小组")
    nominate.get_by_label("推荐人数（票数）").fill("3")
    nominate.get_by_role("button", name="登记推荐").click()
    expect(messages(page)).to_contain_text("推荐提名已登记")
    tally = main(page).get_by_role("table").first
    expect(tally.get_by_role("row", name="赵磊")).to_contain_text("符合条件")
    expect(tally.get_by_role("row", name="黄敏")).to_contain_text("不符合条件")
    expect(tally.get_by_role("row", name="黄敏")).to_contain_text(
        "超过 60 周岁（《中国共产党基层组织选举工作条例》"
    )
    shot(page, "nominations")

    # 3. Provisional candidates: the one failing the conditions is refused with the reason; six men.
    main(page).get_by_role("link", name="确定预备人选").click()
    refused = make_provisional(page, "黄敏")
    expect(refused.locator(".errorlist")).to_contain_text("黄敏不符合条件")
    expect(refused.locator(".errorlist")).to_contain_text("超过 60 周岁")
    page.goto(f"/elections/{election.pk}/candidates/")
    make_provisional(page, "赵磊")
    expect(messages(page)).to_contain_text("已保存")
    for name in SLATE[1:]:
        add_provisional(page, "委员", name)
    add_provisional(page, "书记", "李强")
    warning = main(page).locator(".structure-warning")
    expect(warning).to_contain_text("候选人中没有女性，无论选举结果如何都达不到“女性至少 1 名”的要求")
    shot(page, "slate-men-only")

    # 4. A vetting record for the candidate from the pool.
    page.goto(detail)
    main(page).get_by_role("link", name="考察", exact=True).click()
    main(page).get_by_role("row", name="赵磊").first.get_by_role("link", name="填写").click()
    page.locator("input[name='v-political_verdict'][value='pass']").check()  # 政治关：合格
    page.get_by_label("考察结论").fill("政治坚定，带富能力强，考察合格，同意列为预备人选")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(messages(page)).to_contain_text("考察情况已保存")
    shot(page, "vetting")

    # 5. A woman added: the target can be met and the warning goes; the slate is submitted.
    page.goto(f"/elections/{election.pk}/candidates/")
    add_provisional(page, "委员", "王芳")
    expect(main(page).locator(".structure-warning")).to_have_count(0)
    expect(main(page).locator(".structure-note")).to_contain_text("候选人中的 1 名女性须全部当选")
    expect(person(page, "赵磊")).to_contain_text("符合条件")
    shot(page, "slate-fixed")
    main(page).get_by_role("button", name="报送上级审查").click()
    expect(messages(page)).to_contain_text("候选人预备人选已报上级党组织审查")
    expect(main(page)).to_contain_text("政治坚定，带富能力强，考察合格")
    shot(page, "request")

    approval = election.approvals.get(kind=Approval.Kind.CANDIDATES)
    assert approval.content["structure"]["women"] == 1 and approval.content["structure"]["size"] == 7
    zhao = ReservePerson.objects.get(member__name="赵磊")
    assert zhao.status == ReserveStatus.NOMINATED
