"""Between elections, clicked through: a committee member's Party relationship is transferred out,
the town's organization department sees the vacancy flagged 补选不及时 on the monitor and the
compliance view, the branch runs a by-election (补选) to the town's approval, and the committee
page, the monitor and the documents show the seat filled."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.browser.conftest import log_in, main, messages
from tests.browser.test_election_flow import (
    add_candidate,
    close_count,
    decide,
    enter_ballots,
    roll_call_and_procedure,
)

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()
MOVED_ON = TODAY - timedelta(days=120)  # four months: past the three-month threshold


@pytest.fixture
def county():
    tree = f.county_tree()
    people = [f.member(tree.village, name) for name in f.VILLAGE_NAMES[:12]]
    f.committee_of(tree.village, people[:5], TODAY - timedelta(days=700))  # 王芳 secretary, 4 members
    f.account("village", tree.village, "secretary")
    f.account("town", tree.town, "org_department")
    return tree, people


def test_a_member_transferred_out_is_by_elected_to_approval(page: Page, town: Page, county):
    tree, people = county
    village = tree.village.name
    moved = people[3]  # 刘洋, an ordinary member of the committee

    # 1. The secretary transfers 刘洋's Party relationship to another branch, four months ago.
    log_in(page, "village", f.PASSWORD)
    page.goto(f"/members/{moved.pk}/")
    main(page).get_by_role("link", name="转接组织关系").click()
    page.get_by_label("转接日期").fill(str(MOVED_ON))
    page.get_by_label("转入党组织").select_option(value=str(tree.school_branch.pk))
    page.get_by_role("button", name="保存").click()
    expect(messages(page)).to_contain_text("组织关系已转接")

    # 2. The town sees the vacancy flagged on the monitor and in the compliance view.
    log_in(town, "town", f.PASSWORD)
    town.get_by_role("navigation").get_by_role("link", name="换届监测").click()
    row = main(town).locator("table.vacancies").get_by_role("row", name=re.compile("刘洋"))
    expect(row).to_contain_text(village)
    expect(row).to_contain_text("组织关系转出")
    expect(row).to_contain_text("120")
    expect(row.locator(".badge.overdue")).to_have_text("补选不及时")
    town.goto("/supervision/compliance/?kind=vacancy_late")
    finding = main(town).locator("tr[data-kind='vacancy_late']")
    expect(finding).to_have_count(1)
    expect(finding).to_contain_text("刘洋")
    expect(finding).to_contain_text("已空缺120天")

    # 3. The committee page shows the vacancy; the secretary starts the by-election and requests it.
    page.goto(f"/organizations/{tree.village.pk}/")
    between = main(page).locator("#between")
    expect(between.locator("tr.vacancy")).to_contain_text("缺额（原刘洋）")
    expect(between.locator("tr.vacancy .badge.overdue")).to_have_text("补选不及时")
    between.get_by_role("link", name="发起补选").click()
    page.get_by_label("补选准备情况").fill("支委会研究提出补选人选的建议，征求了党员意见")
    page.get_by_role("button", name="拟订补选方案").click()
    expect(messages(page)).to_contain_text("补选方案已拟订")
    expect(main(page)).to_contain_text("补选本届委员会的缺额：委员 1 名")
    main(page).get_by_role("button", name="报送换届请示").click()
    expect(main(page)).to_contain_text("关于补选委员会成员的请示")
    expect(main(page).locator("table.vacancies")).to_contain_text("刘洋")
    expect(main(page)).to_contain_text("委员实行差额选举")

    # 4. The town approves the request.
    page.get_by_role("link", name="返回换届选举").click()
    election_url = page.url
    town.goto(election_url)
    decide(town, "批复换届请示", "东乡组〔2026〕11号", "plan")

    # 5. Two provisional candidates for one seat (差额), reviewed and consented by the town.
    page.goto(election_url)
    main(page).get_by_role("link", name="确定预备人选").click()
    add_candidate(page, "委员", "周杰")
    add_candidate(page, "委员", "吴军")
    main(page).get_by_role("button", name="报送上级审查").click()
    expect(messages(page)).to_contain_text("候选人预备人选已报上级党组织审查")
    town.goto(election_url)
    decide(town, "审查预备人选", "东乡组〔2026〕12号", "candidates")

    # 6. The members' meeting: 11 on the roll (刘洋 left), all present; 周杰 elected.
    page.goto(election_url)
    page.get_by_label("会议日期").fill(str(TODAY))
    page.get_by_role("button", name="召开党员大会").click()
    expect(messages(page)).to_contain_text("党员大会已召开，请点名")
    roll_call_and_procedure(page, 11, scrutineer="赵磊", counter="黄敏")
    main(page).get_by_role("link", name="开始投票").click()
    expect(page.get_by_label("发出选票（张）")).to_have_value("11")
    page.get_by_role("button", name="发出选票，开始投票").click()
    enter_ballots(page, 8, {"周杰": "赞成", "吴军": "不赞成"}, entered=8)
    enter_ballots(page, 3, {"吴军": "赞成", "周杰": "不赞成"}, entered=11)
    close_count(page, town, 11)
    expect(main(page)).to_contain_text("当选人（按姓氏笔画为序）：周杰")

    # 7. The results report goes up and the town approves it.
    page.goto(election_url)
    main(page).get_by_role("link", name="报送选举结果").click()
    page.get_by_role("button", name="报送上级党组织").click()
    expect(messages(page)).to_contain_text("选举结果已报上级党组织")
    town.goto(election_url)
    decide(town, "审批选举结果", "东乡组〔2026〕13号", "results")
    expect(town.locator("h1")).to_contain_text("换届完成")

    # 8. The committee page, the monitor and the documents show the seat filled by the by-election.
    town.goto(f"/organizations/{tree.village.pk}/")
    seats = main(town).locator("#between table.seats")
    expect(seats.get_by_role("row", name=re.compile("周杰"))).to_contain_text("补选产生")
    expect(seats.locator("tr.vacancy")).to_have_count(0)
    main(town).get_by_role("link", name="历届委员会和调整情况").click()
    changes = main(town).locator("table.changes")
    expect(changes.get_by_role("row", name=re.compile("刘洋"))).to_contain_text("出缺")
    expect(changes.get_by_role("row", name=re.compile("周杰"))).to_contain_text("补选")
    expect(changes.get_by_role("row", name=re.compile("周杰"))).to_contain_text("东乡组〔2026〕13号")
    town.get_by_role("navigation").get_by_role("link", name="换届监测").click()
    expect(main(town).locator("table.vacancies")).to_contain_text("没有缺额")
    town.goto(election_url)
    main(town).get_by_role("link", name=re.compile("^文书")).click()
    documents = main(town).get_by_role("table")
    expect(documents).to_contain_text("关于补选的请示")
    expect(documents).to_contain_text("关于补选结果的报告")
