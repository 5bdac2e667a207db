"""The structure of a campaign's new teams, read in the browser by the county's organization
department: from the board to the structure page, the charts and their data tables, and the
新一届班子结构情况统计表 downloaded as .xlsx (totals equal to the sums of the detail rows) and as PDF
(R-CAND-1: 结构合理; R-DEL-3: targets checked against those elected).

The campaign and its elections are rows of tests/campaigns/structure_world.py (the board's own flow
is clicked elsewhere). Set XUANJU_SCREENSHOTS=1 to save the page to /tmp/campaign-structure.png.
"""

from __future__ import annotations

import io
import os
from fractions import Fraction

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import main
from tests.campaigns.structure_world import build_structure_world
from tests.factories import PASSWORD
from xuanju.accounts.models import User
from xuanju.campaigns.structure_tables import COUNT_COLUMNS, DETAIL_SHEET, FIRST_DATA_ROW, SUMMARY_SHEET
from xuanju.demo.campaign import TOWN_DEPARTMENT, load_demo_campaign
from xuanju.demo.county import load_demo
from xuanju.demo.election import BRANCH, load_demo_election
from xuanju.elections.models import Candidate, Post

pytestmark = pytest.mark.django_db(transaction=True)


def test_R_CAND_1_the_department_reads_the_structure_charts_and_downloads_the_table(tab):
    world = build_structure_world()
    page = tab("cs_county")
    page.goto(f"/campaigns/{world.campaign.pk}/")
    main(page).get_by_role("link", name="新一届班子结构").click()
    expect(main(page).get_by_role("heading", level=1)).to_contain_text("新一届班子结构")
    if os.environ.get("XUANJU_SCREENSHOTS") == "1":
        page.screenshot(path="/tmp/campaign-structure.png", full_page=True)

    # Each chart is an image named by its title; its numbers are in the table beneath it.
    elected = main(page).get_by_role("img", name="已选出的新一届班子（3 个）")
    expect(elected).to_be_visible()
    figure = main(page).locator("figure", has=page.get_by_role("img", name="已选出的新一届班子（3 个）"))
    figure.get_by_text("数据表").click()
    women = figure.get_by_role("row").filter(has_text="女性")
    expect(women.get_by_role("cell").nth(1)).to_have_text("33.3")
    attainment = main(page).locator("figure", has=page.get_by_role("img", name="达到结构要求的班子数"))
    attainment.get_by_text("数据表").click()
    expect(attainment.get_by_role("row").filter(has_text="女性至少 1 名")).to_contain_text("（未达到）")
    missing = main(page).locator("#structure-missing")
    expect(missing).to_contain_text("中共A2村支部委员会")
    expect(missing).not_to_contain_text("中共A1村支部委员会")

    with page.expect_download() as download:
        main(page).get_by_role("link", name="下载统计表（Excel）").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    summary, detail = book[SUMMARY_SHEET], book[DETAIL_SHEET]
    details = list(detail.iter_rows(min_row=FIRST_DATA_ROW, values_only=True))
    total_row = [summary.cell(r, 1).value for r in range(1, summary.max_row + 1)].index("合计") + 1
    for index in COUNT_COLUMNS:
        assert summary.cell(total_row, 2 + index).value == sum(d[3 + index] for d in details)
    assert summary.cell(total_row, 4).value == 9  # 班子成员

    with page.expect_download() as pdf:
        main(page).get_by_role("link", name="下载统计表（PDF）").click()
    assert pdf.value.path().read_bytes().startswith(b"%PDF")


def test_R_DEL_3_the_demo_towns_campaign_shows_its_open_slate(tab):
    """On the demo: 城关镇's campaign, whose 东关村 and 北街村 have fixed their provisional candidates
    for the committee (the demo draws them for the day); two have elected their teams."""
    today = timezone.localdate()
    load_demo(today)
    load_demo_election(today)
    demo = load_demo_campaign(today)
    user = User.objects.get(username=TOWN_DEPARTMENT)
    user.set_password(PASSWORD)  # the browser fixture signs in with the tests' password
    user.save()
    page = tab(TOWN_DEPARTMENT)
    page.goto(f"/campaigns/{demo.campaign_id}/")
    main(page).get_by_role("link", name="新一届班子结构").click()
    slates = main(page).get_by_role("img", name="尚未选举的预备人选（2 个）")
    expect(slates).to_be_visible()
    expect(main(page).get_by_role("img", name="已选出的新一届班子（2 个）")).to_be_visible()
    figure = main(page).locator("figure", has=page.get_by_role("img", name="尚未选举的预备人选（2 个）"))
    figure.get_by_text("数据表").click()
    # The share shown is the one counted here from the slate on record.
    slate = Candidate.objects.filter(
        contest__election__organization__name__in=[BRANCH, "中共城关镇北街村支部委员会"],
        contest__post=Post.COMMITTEE_MEMBER,
        stage__in=[Candidate.Stage.PROVISIONAL, Candidate.Stage.CANDIDATE],
    ).values_list("member__gender", flat=True)
    women, size = sum(1 for g in slate if g == "女"), len(slate)
    share = int(Fraction(women * 1000, size) + Fraction(1, 2)) / 10
    cell = figure.get_by_role("row").filter(has_text="女性").get_by_role("cell").nth(1)
    expect(cell).to_be_visible()
    assert float(cell.inner_text()) == share  # the chart's table drops a trailing .0
    if women == 0:  # the campaign asks for at least one woman: no outcome can give one
        expect(main(page).locator("#structure-missing")).to_contain_text(BRANCH)

    with page.expect_download() as download:
        main(page).get_by_role("link", name="下载统计表（Excel）").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    summary, detail = book[SUMMARY_SHEET], book[DETAIL_SHEET]
    details = list(detail.iter_rows(min_row=FIRST_DATA_ROW, values_only=True))
    assert len(details) == demo.organizations
    total_row = [summary.cell(r, 1).value for r in range(1, summary.max_row + 1)].index("合计") + 1
    for index in COUNT_COLUMNS:
        assert summary.cell(total_row, 2 + index).value == sum(d[3 + index] for d in details)
    assert summary.cell(total_row, 2).value == demo.organizations
