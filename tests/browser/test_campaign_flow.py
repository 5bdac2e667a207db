"""A township's re-election campaign clicked through by its organization department: arranged over
the demo town's villages, started, its board following the steps the villages take, the structure
of the new teams read from its charts, and both statistics tables downloaded (issue 19's "done when").

The demo county and its election are loaded (东关村 at its members' meeting); the town of 城关镇
arranges a campaign over its village organizations by sector, starts it (东关村's election, already
under way, is linked; the others are planned), sees 东关村's steps done and the others late with
their requests, then sees 南街村's request appear when the village sends it. Two villages then go
through their whole re-election by the actions (the branch asks, the town approves, candidates,
the members' meeting and the plenary, results approved, committee seated): the reloaded board shows
them completed, the structure page's charts (inline SVG, with a data table) show their elected
teams with the figures counted here from the records, and both tables — 换届工作进展情况统计表 and
新一届班子结构情况统计表 — are downloaded as .xlsx, their totals equal to the sums of their rows.

Set XUANJU_SCREENSHOTS=1 to save the board to /tmp/campaign-board.png.
"""

from __future__ import annotations

import io
import os
import random
from datetime import timedelta
from fractions import Fraction

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, main, messages
from xuanju.campaigns.progress import STEPS
from xuanju.campaigns.structure import TEAM_POSTS
from xuanju.campaigns.structure_tables import COUNT_COLUMNS, DETAIL_SHEET, FIRST_DATA_ROW, SUMMARY_SHEET
from xuanju.demo.campaign import hold_election, propose_candidates
from xuanju.demo.county import PASSWORD, load_demo
from xuanju.demo.election import BRANCH, load_demo_election
from xuanju.elections import actions
from xuanju.elections.models import Approval, Elected, Election, ElectionStatus
from xuanju.organizations.models import Member

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()
VILLAGES = 9  # 东关、西关、南街、北街、河口, 新华村总支 and its three branches
SOUTH = "中共城关镇南街村支部委员会"
ELECTING = ("中共城关镇北街村支部委员会", "中共城关镇河口村支部委员会")  # go all the way here
SCREENSHOTS = os.environ.get("XUANJU_SCREENSHOTS") == "1"  # the board saved to /tmp/campaign-board.png


@pytest.fixture
def demo() -> None:
    load_demo(TODAY)
    load_demo_election(TODAY)


def row(page: Page, organization: str):
    return main(page).locator(f'tr[data-organization="{organization}"]')


def _elect(name: str) -> Election:
    """The village's whole re-election through the actions: request, candidates, meetings, results,
    each approved by the town; the new committee is seated."""
    election = Election.objects.get(organization__name=name, campaign_entries__isnull=False)
    actions.edit_plan(
        "branch",
        election,
        election.planned_on,
        election.committee_seats,
        election.deputy_seats,
        readiness="已完成述职",
    )

    def approve(approval: Approval) -> None:
        actions.decide("town_org", approval, Approval.Decision.APPROVED, "城关党字1号", "")

    approve(actions.submit_plan("branch", election))
    approve(propose_candidates(election, "branch", random.Random(name)))
    hold_election(election, "branch", TODAY)
    approve(actions.submit_results("branch", election))
    election.refresh_from_db()
    assert election.status == ElectionStatus.COMPLETED
    return election


def _totals_are_sums(sheet, first_row: int, columns: list[int]) -> tuple:
    """The 合计 row of ``sheet`` and the rows above it from ``first_row``: each of ``columns`` of the
    total equals the sum of the rows'."""
    rows = list(sheet.iter_rows(min_row=first_row, values_only=True))
    at = next(i for i, r in enumerate(rows) if r[0] == "合计")
    total, detail = rows[at], rows[:at]
    for column in columns:
        assert total[column] == sum(r[column] for r in detail), column
    return total


def test_a_town_arranges_a_campaign_and_its_board_follows_the_villages(page: Page, demo):
    log_in(page, "town_org", PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="集中换届").click()
    main(page).get_by_role("link", name="安排集中换届").click()

    form = main(page)
    form.get_by_label("名称").fill("城关镇村党组织集中换届")
    dates = {
        "报送换届请示截止日期": TODAY - timedelta(days=5),
        "报送候选人预备人选截止日期": TODAY,
        "召开选举大会开始日期": TODAY,
        "召开选举大会截止日期": TODAY + timedelta(days=20),
        "报送选举结果截止日期": TODAY + timedelta(days=30),
    }
    for label, day in dates.items():
        form.get_by_label(label).fill(day.isoformat())
    form.get_by_label("女性至少（名）").fill("1")
    form.get_by_label("村", exact=True).check()
    form.get_by_role("button", name="保存安排").click()
    expect(messages(page)).to_contain_text(f"共 {VILLAGES} 个党组织")
    expect(page.locator("h1")).to_have_text("城关镇村党组织集中换届")

    main(page).get_by_role("button", name="启动集中换届").click()
    expect(page.locator("h1")).to_contain_text("请确认")
    main(page).get_by_role("button", name="启动").click()
    expect(messages(page)).to_contain_text(f"已发起 {VILLAGES - 1} 个党组织的换届，接续已在进行的 1 个")

    # 东关村's election was at its members' meeting: every step up to the meeting is done.
    dongguan = row(page, BRANCH)
    expect(dongguan.locator("td.cell.done")).to_have_count(5)
    expect(dongguan).not_to_have_class("late")
    south = row(page, SOUTH)
    expect(south).to_have_class("late")
    expect(south).to_contain_text("等待该组织：报送换届请示，已逾期 5 天")

    # 南街村 sends its request up; the board shows it done and the reply owed by the town.
    election = Election.objects.get(organization__name=SOUTH, campaign_entries__isnull=False)
    actions.edit_plan(
        "branch",
        election,
        election.planned_on,
        election.committee_seats,
        election.deputy_seats,
        readiness="已完成述职",
    )
    actions.submit_plan("branch", election)
    page.reload()
    if SCREENSHOTS:
        page.screenshot(path="/tmp/campaign-board.png", full_page=True)
    south = row(page, SOUTH)
    expect(south.locator("td.cell").nth(0)).to_contain_text("已完成")
    expect(south.locator("td.cell").nth(1)).to_contain_text("截止")
    expect(south).not_to_have_class("late")

    # Late ones only: the seven villages that have not asked yet.
    main(page).get_by_label("状态").select_option(label="逾期：等待该组织")
    main(page).get_by_role("button", name="筛选").click()
    expect(main(page).locator("table.campaign-board tbody tr")).to_have_count(VILLAGES - 2)

    # Two villages go through their whole re-election; the board, reloaded, shows them completed.
    elections = [_elect(name) for name in ELECTING]
    page.goto(page.url.split("?")[0])  # the whole board, not only the late ones
    for name in ELECTING:
        expect(row(page, name).locator("td.cell.done")).to_have_count(len(STEPS))
        expect(row(page, name)).to_contain_text("已完成")

    # The progress table: totals equal the sums of the township rows, and match the board.
    with page.expect_download() as download:
        main(page).get_by_role("link", name="下载换届工作进展情况统计表（Excel）").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as file:
        sheet = load_workbook(file).active
    total = _totals_are_sums(sheet, 5, list(range(1, 13)))
    # organizations, started, requests sent, replied (南街村's waits), ..., completed
    assert total[1:5] == (VILLAGES, VILLAGES, 2 + len(ELECTING), 1 + len(ELECTING))
    assert total[10] == len(ELECTING)

    # The structure page: the elected teams' chart is an SVG image named by its title, with its
    # numbers in a table; the figures are those counted here from the records.
    main(page).get_by_role("link", name="新一届班子结构").click()
    title = f"已选出的新一届班子（{len(ELECTING)} 个）"
    figure = main(page).locator("figure", has=page.get_by_role("img", name=title))
    expect(figure.locator("svg")).to_have_count(1)
    people = Member.objects.filter(
        pk__in=Elected.objects.filter(contest__election__in=elections, contest__post__in=TEAM_POSTS).values(
            "member_id"
        )
    )
    women = people.filter(gender="女").count()
    figure.get_by_text("数据表").click()
    share = int(Fraction(women * 1000, people.count()) + Fraction(1, 2)) / 10  # one decimal, half up
    cells = figure.get_by_role("row").filter(has_text="女性").get_by_role("cell")
    expect(cells.nth(1)).to_be_visible()
    assert float(cells.nth(1).inner_text()) == share  # the chart's table drops a trailing .0

    # The structure table: the township's row and the total are the sums of the detail rows.
    with page.expect_download() as download:
        main(page).get_by_role("link", name="下载统计表（Excel）").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    summary, detail = book[SUMMARY_SHEET], book[DETAIL_SHEET]
    details = list(detail.iter_rows(min_row=FIRST_DATA_ROW, values_only=True))
    assert len(details) == VILLAGES
    summed = _totals_are_sums(summary, FIRST_DATA_ROW, [1 + index for index in COUNT_COLUMNS])
    for index in COUNT_COLUMNS:
        assert summed[1 + index] == sum(d[3 + index] for d in details), index
    assert summed[1:4] == (VILLAGES, len(ELECTING), people.count())  # organizations, elected, members
    assert summed[4] == women  # 女性 人数
