"""A township's re-election campaign clicked through by its organization department: arranged over
the demo town's villages, started, and its board following the steps the villages take.

The demo county and its election are loaded (东关村 at its members' meeting); the town of 城关镇
arranges a campaign over its village organizations by sector, starts it (东关村's election, already
under way, is linked; the others are planned), sees 东关村's steps done and the others late with
their requests, then sees 南街村's request appear when the village sends it, and downloads the
progress table whose total matches the board's rows.

Set XUANJU_SCREENSHOTS=1 to save the board to /tmp/campaign-board.png.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, main, messages
from xuanju.demo.county import PASSWORD, load_demo
from xuanju.demo.election import BRANCH, load_demo_election
from xuanju.elections import actions
from xuanju.elections.models import Election

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()
VILLAGES = 9  # 东关、西关、南街、北街、河口, 新华村总支 and its three branches
SOUTH = "中共城关镇南街村支部委员会"
SCREENSHOTS = os.environ.get("XUANJU_SCREENSHOTS") == "1"  # the board saved to /tmp/campaign-board.png


@pytest.fixture
def demo() -> None:
    load_demo(TODAY)
    load_demo_election(TODAY)


def row(page: Page, organization: str):
    return main(page).locator(f'tr[data-organization="{organization}"]')


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

    # The progress table's total: as many organizations and requests as the board shows.
    with page.expect_download() as download:
        main(page).get_by_role("link", name="下载换届工作进展情况统计表（Excel）").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as file:
        sheet = load_workbook(file).active
    total = next(r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0] == "合计")
    assert total[1:5] == (VILLAGES, VILLAGES, 2, 1)  # organizations, started, requests sent, replied
