"""A whole re-election clicked through by the branch secretary and the town's organization department.

A branch committee of 5 seats and 6 candidates: round 1 ties 陈静 and 杨帆 for the fifth seat, the
revote elects 陈静, then the first plenary elects the secretary (王芳) and the deputy (李强), and
the town approves the results. The ballots are those of tests/elections/test_flow.py.

Set XUANJU_SCREENSHOTS=1 to save a screenshot of each main page to /tmp/election-*.png.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from tests import factories as f
from tests.browser.conftest import log_in, main, messages
from tests.elections.test_flow import NAMES

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()
SCREENSHOTS = os.environ.get("XUANJU_SCREENSHOTS") == "1"
_shot = count(1)


def shot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=f"/tmp/election-{next(_shot):02d}-{name}.png", full_page=True)


@pytest.fixture
def county():
    tree = f.county_tree()
    people = [f.member(tree.village, name) for name in NAMES]
    f.committee_of(tree.village, people[:3], TODAY - timedelta(days=5 * 365 + 30))  # re-election due
    f.account("village", tree.village, "secretary")
    f.account("town", tree.town, "org_department")
    return tree


def open_election(page: Page) -> None:
    """From an organization's page to its election overview, as a user clicks."""
    main(page).get_by_role("link", name="换届选举", exact=True).click()
    main(page).get_by_role("table").get_by_role("link").first.click()


def decide(page: Page, button: str, document: str, name: str) -> None:
    """The upper level approves a request from the election overview."""
    main(page).get_by_role("link", name=button).click()
    page.get_by_role("combobox", name=re.compile("^批复")).select_option(label="同意")
    page.get_by_label("批复文号").fill(document)
    shot(page, f"decide-{name}")
    page.get_by_role("button", name="登记批复").click()
    expect(messages(page)).to_contain_text("批复已登记")


def provisional(page: Page) -> Locator:
    return main(page).locator("div.person .badge", has_text="预备人选")


def promote(page: Page, name: str) -> None:
    """A nominee is listed as 初步人选; after vetting the secretary makes them 预备人选."""
    before = provisional(page).count()
    person = main(page).locator("div.person", has=page.get_by_text(name, exact=True)).first
    expect(person).to_contain_text("初步人选")
    person.locator("summary", has_text="修改").click()
    person.get_by_label("阶段").select_option(label="预备人选")
    person.get_by_label("考察情况").fill("考察合格")
    person.get_by_role("button", name="保存").click()
    expect(messages(page)).to_contain_text("已保存")
    expect(provisional(page)).to_have_count(before + 1)


def add_candidate(page: Page, post: str, name: str) -> None:
    """Someone not nominated on this post is added as 预备人选 directly."""
    before = provisional(page).count()
    adding = main(page).locator("details", has_text=f"增加{post}人选")
    adding.locator("summary").click()
    adding.get_by_label("党员").select_option(label=name)
    expect(adding.get_by_label("阶段")).to_have_value("provisional")
    adding.get_by_label("考察情况").fill("考察合格")
    adding.get_by_role("button", name="保存").click()
    expect(messages(page)).to_contain_text("已保存")
    expect(provisional(page)).to_have_count(before + 1)


def roll_call_and_procedure(page: Page, present: int, scrutineer: str, counter: str) -> None:
    """Everyone is present; the procedure is adopted unanimously; a scrutineer and a counter."""
    page.get_by_role("button", name="全部到会").click()
    expect(messages(page)).to_contain_text(f"已记录到会 {present} 人")
    expect(page.locator("#roll-count")).to_contain_text("已超过五分之四，可以选举")
    shot(page, f"roll-{present}")
    page.get_by_role("button", name="结束点名").click()
    expect(page.locator("h1")).to_have_text("请确认：结束点名")  # asked once more, with the consequence
    page.get_by_role("button", name="确认结束点名").click()
    expect(messages(page)).to_contain_text(f"应到会 {present} 人，实到 {present} 人")

    expect(page.locator("h1")).to_contain_text("通过选举办法")
    expect(page.get_by_label("实到会有选举权人数（一般做法）")).to_be_checked()
    page.get_by_label("表决通过选举办法的赞成人数").fill(str(present))
    expect(page.get_by_label("双人录入")).to_be_checked()  # the default for paper ballots
    page.get_by_label("单人录入、监票人逐张确认").check()
    shot(page, f"procedure-{present}")
    page.get_by_role("button", name="通过选举办法").click()
    expect(messages(page)).to_contain_text("选举办法已通过")

    expect(page.locator("h1")).to_contain_text("监票人、计票人")
    for name, role in ((scrutineer, "监票人"), (counter, "计票人")):
        page.get_by_label("党员").select_option(label=f"{name}（中共东村支部委员会）")
        page.get_by_label("职责").select_option(label=role)
        page.get_by_role("button", name="经会议通过，确定").click()
        expect(messages(page)).to_contain_text(f"{name}任{role}")
    shot(page, f"roles-{present}")
    main(page).get_by_role("link", name="返回会议").click()


def enter_ballots(page: Page, stack: int, marks: dict[str, str], entered: int) -> None:
    """A stack of ``stack`` identical ballots, ``entered`` in all after it; candidates not named
    are left unmarked (弃权)."""
    for name, mark in marks.items():
        page.get_by_role("group", name=name).get_by_label(mark, exact=True).check()
    page.get_by_label("相同选票张数").fill(str(stack))
    page.get_by_role("button", name="录入这张选票").click()
    expect(messages(page)).to_contain_text(f"已录入选票 {stack} 张")
    expect(page.get_by_role("heading", name=f"已录入（{entered} 张）")).to_be_visible()


def close_count(page: Page, scrutineer: Page, returned: int) -> None:
    """The secretary entered the ballots, so may not close (R-MEET-4): the town's organization
    department, acting as scrutineer, confirms each entry and closes, confirming once more."""
    entry_url = page.url
    scrutineer.goto(entry_url)
    confirm = scrutineer.locator("form[action$='/confirm/'] button")
    while confirm.count():
        confirm.first.click()
        expect(messages(scrutineer)).to_contain_text("已确认这条录入")
    scrutineer.get_by_label("收回选票（张）").fill(str(returned))
    scrutineer.get_by_role("button", name="核对无误，结束计票").click()
    scrutineer.get_by_role("button", name="确认结束计票").click()
    expect(messages(scrutineer)).to_contain_text("计票结束")
    page.goto(entry_url)  # the closed round's page is its result


def test_R_RPT_4_a_branch_committee_is_re_elected_through_the_browser(page: Page, town: Page, county):
    village = county.village.name

    # 1. The secretary drafts the plan and sends the request (请示).
    log_in(page, "village", f.PASSWORD)
    expect(page.locator("h1")).to_contain_text(village)
    main(page).get_by_role("link", name="换届选举", exact=True).click()
    expect(main(page)).to_contain_text("还没有换届选举")
    main(page).get_by_role("link", name="发起换届选举").click()
    expect(main(page)).to_contain_text("已逾期")
    page.get_by_label("委员名额").fill("5")
    page.get_by_label("副书记名额").fill("1")
    page.get_by_label("换届准备情况").fill("已完成述职和民主评议，征求了党员意见")
    shot(page, "plan")
    page.get_by_role("button", name="保存换届方案").click()
    expect(messages(page)).to_contain_text("换届方案已拟订")
    expect(page.locator("h1")).to_contain_text("拟订方案")
    expect(main(page)).to_contain_text("选举委员会委员 5 名，书记 1 名、副书记 1 名")
    shot(page, "overview-planning")
    main(page).get_by_role("button", name="报送换届请示").click()
    expect(messages(page)).to_contain_text("换届请示已报送上级党组织")
    expect(main(page)).to_contain_text("关于召开党员大会进行换届选举的请示")
    expect(main(page)).to_contain_text("已完成述职和民主评议")
    shot(page, "request")

    # 2. The town sees the branch overdue and approves its request.
    log_in(town, "town", f.PASSWORD)
    town.get_by_role("navigation").get_by_role("link", name="换届监测").click()
    expect(town.get_by_role("link", name="逾期未换届")).to_contain_text("1")
    main(town).get_by_role("table").get_by_role("link", name=village).click()
    expect(town.locator(".badge.overdue")).to_contain_text("逾期未换届")
    open_election(town)
    expect(town.locator("h1")).to_contain_text("已请示，待批复")
    decide(town, "批复换届请示", "东乡组〔2026〕1号", "plan")
    expect(town.locator("h1")).to_contain_text("上级已同意换届")

    # 3. The secretary records nominations and fixes the provisional candidates.
    page.get_by_role("link", name="返回换届选举").click()
    expect(page.locator("h1")).to_contain_text("上级已同意换届")
    main(page).get_by_role("link", name="推荐提名", exact=True).click()
    nominate = main(page).locator("form", has=page.get_by_role("button", name="登记推荐")).first
    for name, votes in (("王芳", 18), ("李强", 17), ("张伟", 15)):
        nominate.get_by_label("被推荐人").select_option(label=name)
        nominate.get_by_label("推荐来源").fill("第一党小组")
        nominate.get_by_label("推荐人数（票数）").fill(str(votes))
        nominate.get_by_role("button", name="登记推荐").click()
        expect(messages(page)).to_contain_text("推荐提名已登记")
        expect(main(page).get_by_role("table").first).to_contain_text(name)
    shot(page, "nominations")

    main(page).get_by_role("link", name="确定预备人选").click()
    expect(page.locator("h1")).to_have_text("候选人预备人选")
    for name in ("王芳", "李强", "张伟"):
        promote(page, name)
    for name in ("刘洋", "陈静", "杨帆"):
        add_candidate(page, "委员", name)
    add_candidate(page, "书记", "王芳")
    add_candidate(page, "副书记", "李强")
    expect(main(page)).to_contain_text("应选 5 人，预备人选 6 人，差额 20%")
    shot(page, "candidates")
    main(page).get_by_role("button", name="报送上级审查").click()
    expect(messages(page)).to_contain_text("候选人预备人选已报上级党组织审查")
    expect(main(page)).to_contain_text("关于委员会委员候选人预备人选的请示")

    # 4. The town consents to the candidates.
    town.reload()
    expect(town.locator("h1")).to_contain_text("候选人预备人选已报上级审查")
    decide(town, "审查预备人选", "东乡组〔2026〕2号", "candidates")
    expect(town.locator("h1")).to_contain_text("上级已同意候选人")

    # 5. The members' meeting elects the committee: a tie in round 1, then a revote.
    page.get_by_role("link", name="返回换届选举").click()
    expect(page.locator("h1")).to_contain_text("上级已同意候选人")
    shot(page, "overview-candidates-approved")
    page.get_by_label("会议日期").fill(str(TODAY))
    page.get_by_role("button", name="召开党员大会").click()
    expect(messages(page)).to_contain_text("党员大会已召开，请点名")
    roll_call_and_procedure(page, 20, scrutineer="赵磊", counter="黄敏")

    expect(page.locator("h1")).to_contain_text("党员大会")
    shot(page, "members-meeting")
    main(page).get_by_role("link", name="开始投票").click()
    expect(main(page)).to_contain_text("正式选举，应选 5 人")
    expect(page.get_by_label("发出选票（张）")).to_have_value("20")
    page.get_by_role("button", name="发出选票，开始投票").click()
    expect(messages(page)).to_contain_text("第1轮投票开始，发出选票 20 张")
    # Every ballot is for 王芳 and 李强 and three of the other four, against the one left out:
    # 张伟 16, 刘洋 16, 陈静 14, 杨帆 14 of 20 -- 陈静 and 杨帆 tie for the fifth seat.
    others = ["张伟", "刘洋", "陈静", "杨帆"]
    for left_out, stack, entered in (("张伟", 4, 4), ("刘洋", 4, 8), ("陈静", 6, 14), ("杨帆", 6, 20)):
        marks = {name: "赞成" for name in ["王芳", "李强", *others]} | {left_out: "不赞成"}
        enter_ballots(page, stack, marks, entered)
    expect(main(page)).to_contain_text("已录入 20 张")
    shot(page, "round1-entry")
    close_count(page, town, 20)
    expect(page.locator("h1")).to_contain_text("委员 第1轮（正式选举）计票结果")
    expect(main(page)).to_contain_text("得票相等，须再次投票")
    expect(main(page)).to_contain_text("当选人（按姓氏笔画为序）：王芳、刘洋、李强、张伟")
    tally = main(page).locator("table.tally")
    for name in ("陈静", "杨帆"):
        expect(tally.get_by_role("row", name=name)).to_contain_text("须再次投票")
    expect(main(page)).to_contain_text("下一步：再次投票")
    shot(page, "round1-result")

    page.get_by_role("button", name="发出选票，开始第2轮投票").click()
    expect(messages(page)).to_contain_text("第2轮投票开始，发出选票 20 张")
    expect(page.locator("h1")).to_contain_text("委员 第2轮（再次投票）录入选票")
    expect(page.get_by_role("group")).to_have_count(2)
    enter_ballots(page, 12, {"陈静": "赞成"}, entered=12)
    enter_ballots(page, 8, {"杨帆": "赞成"}, entered=20)
    shot(page, "round2-entry")
    close_count(page, town, 20)
    expect(main(page)).to_contain_text("选举完成")
    expect(main(page)).to_contain_text("当选人（按姓氏笔画为序）：陈静")
    shot(page, "round2-result")
    main(page).get_by_role("link", name="返回会议").click()
    expect(page.locator("h1")).to_contain_text("会议结束")
    expect(main(page)).to_contain_text("已选满")
    shot(page, "members-meeting-closed")

    # 6. The new committee's first plenary elects the secretary and the deputy.
    main(page).locator(".crumbs").get_by_role("link", name="换届选举").click()
    expect(page.locator("h1")).to_contain_text("全体会议选举书记、副书记")
    shot(page, "overview-plenary")
    page.get_by_role("button", name="召开委员会第一次全体会议").click()
    expect(messages(page)).to_contain_text("委员会第一次全体会议已召开，请点名")
    roll_call_and_procedure(page, 5, scrutineer="张伟", counter="刘洋")
    expect(page.locator("h1")).to_contain_text("委员会第一次全体会议")
    for post, name in (("书记", "王芳"), ("副书记", "李强")):
        card = main(page).locator(".card", has=page.get_by_role("heading", name=re.compile(f"^{post}：")))
        card.get_by_role("link", name="开始投票").click()
        ballot = main(page).locator(".card ol").get_by_role("listitem")
        expect(ballot).to_have_text([name])  # R-CAND-3: an equal election
        expect(page.get_by_label("发出选票（张）")).to_have_value("5")
        page.get_by_role("button", name="发出选票，开始投票").click()
        enter_ballots(page, 5, {name: "赞成"}, entered=5)
        close_count(page, town, 5)
        expect(main(page)).to_contain_text("选举完成")
        expect(main(page)).to_contain_text(f"当选人（按姓氏笔画为序）：{name}")
        main(page).get_by_role("link", name="返回会议").click()
    shot(page, "plenary")

    main(page).get_by_role("link", name="宣布选举结果").click()
    for post, elected in (
        ("委员", ["王芳", "刘洋", "李强", "张伟", "陈静"]),  # in stroke order (R-CNT-7)
        ("书记", ["王芳"]),
        ("副书记", ["李强"]),
    ):
        section = main(page).locator(
            "section", has=page.get_by_role("heading", name=re.compile(f"^{post}（"))
        )
        expect(section.locator(".announce-name")).to_have_text(elected)
    shot(page, "announcement")

    page.get_by_role("link", name="返回换届选举").click()
    main(page).get_by_role("link", name="报送选举结果").click()
    shot(page, "results-submit")
    page.get_by_role("button", name="报送上级党组织").click()
    expect(messages(page)).to_contain_text("选举结果已报上级党组织")
    expect(page.locator("h1")).to_contain_text("选举结果已报上级")

    # 7. The town approves; the new committee takes office and the branch is no longer overdue.
    town.goto(page.url)
    expect(town.locator("h1")).to_contain_text("选举结果已报上级")
    decide(town, "审批选举结果", "东乡组〔2026〕3号", "results")
    expect(town.locator("h1")).to_contain_text("换届完成")
    shot(town, "overview-completed")

    town.locator(".crumbs").get_by_role("link", name=village).click()
    committee = main(town).get_by_role("table").first
    expect(committee.get_by_role("row", name="王芳").get_by_role("cell").first).to_have_text("书记")
    expect(committee.get_by_role("row", name="李强").get_by_role("cell").first).to_have_text("副书记")
    expect(committee.get_by_role("row")).to_have_count(6)
    expect(main(town)).to_contain_text(f"{TODAY.year}年{TODAY.month}月{TODAY.day}日 选举产生，任期 5 年")
    shot(town, "village-new-committee")
    town.get_by_role("navigation").get_by_role("link", name="换届监测").click()
    expect(town.get_by_role("link", name="逾期未换届")).to_contain_text("0")
    town.get_by_role("link", name="逾期未换届").click()
    expect(main(town)).not_to_contain_text(village)
    shot(town, "monitor")
