"""A paper round from print to result in Chromium: the secretary prints the sheets, two counters
enter two of them at the desk (one difference, decided by a scrutineer), a counter uploads the
scans of the rest (one doubtful mark, decided from its cut-out), the board follows, and the round is
closed to a result that matches the marks on the sheets.

Twelve ballots among 20 present: a majority is 11 for-votes, so the marks below elect three of the
six candidates and leave the fourth at exactly half (10), not elected.

Set XUANJU_SCREENSHOTS=1 to save the main pages to /tmp/paper-*.png.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from itertools import count

import pypdfium2
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, messages
from tests.counting.scans import pass_deck, scanned_sheet
from tests.counting.world import open_round_world
from tests.factories import PASSWORD
from xuanju.counting.models import BallotPrint
from xuanju.elections.models import BallotEntry, CountingMethod
from xuanju.paper.synthetic import Drawn

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = os.environ.get("XUANJU_SCREENSHOTS") == "1"
_shot = count(1)

ISSUED, RESERVE = 12, 1
# The true marks of every sheet, one key per candidate in ballot order, as typed at the desk:
# o for, x against, . abstain; v is a tick (√) that the scanner must leave to a scrutineer, who
# reads it as for. Sheets 1-2 are entered at the desk, 3-12 scanned.
SHEETS = {
    1: "ooox..",
    2: "oooo.x",
    3: "oovo..",
    4: "oooo.x",
    5: "oooox.",
    6: "ooooo.",
    7: "oooo.x",
    8: "oxoo..",
    9: "oo.o..",
    10: "ooox.x",
    11: "oooo..",
    12: "ooooox",
}
MISREAD_2 = "ooo..x"  # counter 乙's slip on sheet 2: the fourth candidate's ○ read as blank
DOUBT_SHEET, DOUBT_INDEX = 3, 2
DRAWN = {"o": Drawn.CIRCLE, "x": Drawn.CROSS, "v": Drawn.CHECK}


def shot(tab: Page, name: str) -> None:
    if SCREENSHOTS:
        tab.screenshot(path=f"/tmp/paper-{next(_shot):02d}-{name}.png", full_page=True)


def tally(names: list[str]) -> dict[str, tuple[int, int, int]]:
    """(for, against, abstain) of each candidate, the tick read as for."""
    readings = [reading.replace("v", "o") for reading in SHEETS.values()]
    return {
        name: (
            sum(r[i] == "o" for r in readings),
            sum(r[i] == "x" for r in readings),
            sum(r[i] == "." for r in readings),
        )
        for i, name in enumerate(names)
    }


def enter_at_desk(desk: Page, serial: int, reading: str) -> None:
    """Keyboard only: the sheet number, Enter, one key per candidate, Enter."""
    number = desk.get_by_label("选票编号")
    expect(number).to_be_focused()
    desk.keyboard.press("Control+A")
    desk.keyboard.type(str(serial))
    desk.keyboard.press("Enter")
    expect(desk.get_by_label("标记")).to_be_focused()
    desk.keyboard.type(reading)
    expect(desk.locator("#reading-count")).to_have_text(f"{len(reading)} / {len(reading)}")
    desk.keyboard.press("Enter")


def test_R_BAL_4_paper_round_printed_double_entered_scanned_adjudicated_and_counted(
    page: Page, tab: Callable[[str], Page], tmp_path
):
    world = open_round_world(timezone.localdate(), issued=ISSUED, method=CountingMethod.SCAN)
    names = world.names()
    expected = tally(names)
    elected = [name for name, (votes, _, _) in expected.items() if votes > 20 // 2]
    assert len(elected) == 3 and expected[names[3]][0] == 10  # the majority line is drawn as meant
    overview = f"/rounds/{world.round.pk}/counting/"

    # --- the secretary prints the sheets: issued plus one in reserve, names in ballot order
    log_in(page, "village", PASSWORD)
    page.goto(overview)
    page.get_by_role("link", name="印制选票").click()
    page.get_by_label("备用选票（张）").fill(str(RESERVE))
    shot(page, "print")
    with page.expect_download() as download:
        page.get_by_role("button", name="生成选票 PDF").click()
    pdf = pypdfium2.PdfDocument(download.value.path())
    pages, text = len(pdf), pdf[0].get_textpage().get_text_range()
    pdf.close()
    assert pages == ISSUED + RESERVE
    positions = [text.find(name) for name in names]
    assert -1 not in positions and positions == sorted(positions), text
    print_ = BallotPrint.objects.get(round=world.round)
    assert print_.sheets == ISSUED + RESERVE
    pass_deck(print_)  # the test deck itself: tests/browser/test_scan_adjudication.py

    # --- double entry: 甲 and 乙 read sheets 1 and 2; they differ on sheet 2
    desk_a, desk_b = tab("counter1"), tab("counter2")
    desk_a.goto(overview)
    desk_a.get_by_role("link", name="甲录入").click()
    desk_b.goto(overview)
    desk_b.get_by_role("link", name="乙录入").click()
    enter_at_desk(desk_a, 1, SHEETS[1])
    expect(desk_a.get_by_text("第1号选票已录入（甲录入），等待另一席录入")).to_be_visible()
    enter_at_desk(desk_b, 1, SHEETS[1])
    expect(desk_b.get_by_text("第1号选票两次录入一致，已计入")).to_be_visible()
    enter_at_desk(desk_a, 2, SHEETS[2])
    expect(desk_a.get_by_text("第2号选票已录入（甲录入），等待另一席录入")).to_be_visible()
    enter_at_desk(desk_b, 2, MISREAD_2)
    stop = desk_b.get_by_role("alert").filter(has_text="停止录入")
    expect(stop).to_contain_text("第2号选票两次录入不一致")
    shot(desk_b, "desk-stopped")
    enter_at_desk(desk_b, 3, "oooo..")  # the desk refuses any further sheet until it is decided
    expect(desk_b.locator(".desk-form .errorlist")).to_contain_text(
        "第2号选票两次录入不一致，请监票人核对原票后裁定，之后才能继续录入"
    )
    expect(desk_b.get_by_label("标记")).to_be_focused()  # a refusal of the whole sheet: the marks
    desk_a.reload()
    expect(desk_a.get_by_role("alert").filter(has_text="停止录入")).to_be_visible()
    assert BallotEntry.objects.filter(round=world.round).count() == 1

    # --- the scrutineer finds sheet 2 and records what it really says
    scrutineer = tab("scrutineer")
    scrutineer.goto(overview)
    scrutineer.get_by_role("alert").get_by_role("link", name="第2号选票").click()
    expect(scrutineer.get_by_role("heading", name="第2号选票两次录入不一致")).to_be_visible()
    expect(scrutineer.locator("tr.differs")).to_have_count(1)
    expect(scrutineer.locator("tr.differs th")).to_contain_text(names[3])
    shot(scrutineer, "conflict")
    scrutineer.get_by_label("标记").fill(SHEETS[2])
    scrutineer.keyboard.press("Enter")
    expect(scrutineer.get_by_text("已按监票人核对的原票计入第2号选票，可以继续录入")).to_be_visible()
    desk_b.goto(desk_b.url)  # a GET: reloading the refused POST would send sheet 3 again
    expect(desk_b.get_by_role("alert")).to_have_count(0)
    expect(desk_b.get_by_label("选票编号")).to_be_focused()  # the desk takes sheets again

    # --- counter 甲 uploads the scans of sheets 3-12 at once; the tick waits for a scrutineer
    files = []
    for serial in range(3, ISSUED + 1):
        marks = {i: DRAWN[c] for i, c in enumerate(SHEETS[serial]) if c in DRAWN}
        path = tmp_path / f"sheet-{serial:02d}.jpg"
        path.write_bytes(scanned_sheet(print_, serial, marks))
        files.append(path)
    desk_a.goto(overview)
    desk_a.get_by_role("link", name="扫描选票").click()
    desk_a.get_by_label("扫描件").set_input_files(files)
    desk_a.get_by_role("button", name="上传并识别").click()
    expect(desk_a.get_by_text("计入 9 张，待裁定 1 张")).to_be_visible(timeout=30_000)
    expect(desk_a.get_by_role("alert")).to_contain_text("有 1 张存疑的选票待监票人整张确认")
    shot(desk_a, "scanned")

    # --- the scrutineer confirms the flagged sheet whole, the tick read as ○
    scrutineer.goto(f"/rounds/{world.round.pk}/scans/doubts/")
    scrutineer.get_by_role("link", name=f"查看整张并确认（编号{DOUBT_SHEET}）").click()
    shot(scrutineer, "doubt")
    scrutineer.get_by_role("group", name=names[DOUBT_INDEX]).get_by_label("○ 赞成").check()
    scrutineer.get_by_role("button", name="核对无误，整张确认并计入").click()
    expect(messages(scrutineer)).to_contain_text(f"已确认编号{DOUBT_SHEET}的整张选票并计入")

    # --- every sheet is in: the reserve sheet is noted unused and the count balances
    page.goto(overview)
    page.get_by_label("选票编号").fill(str(ISSUED + RESERVE))
    page.get_by_label("情况").select_option(label="未发出")
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_text("已登记 1 张选票")).to_be_visible()
    expect(page.get_by_text(f"编号清点相符：印制 {ISSUED + RESERVE} = 发出 {ISSUED}")).to_be_visible()

    # --- the board shows the count before the round is closed
    board = page.context.new_page()
    board.goto(f"/rounds/{world.round.pk}/board/")
    expect(board.locator("[data-f=entered]")).to_have_text(str(ISSUED))
    expect(board.locator("#state")).to_contain_text("计票进行中")
    rows = board.locator("#people tr")
    for name, (votes_for, against, abstain) in expected.items():
        row = rows.filter(has=board.locator("td.name", has_text=name))
        expect(row.locator("td.for")).to_have_text(str(votes_for))
        expect(row.locator("td.against")).to_have_text(str(against))
        expect(row.locator("td.abstain")).to_have_text(str(abstain))
    shot(board, "board")
    board.close()

    # --- the secretary closes the count: all 12 returned; the result matches the sheets
    page.get_by_role("link", name="单人录入和结束计票").click()
    page.get_by_label("收回选票（张）").fill(str(ISSUED))
    page.get_by_role("button", name="核对无误，结束计票").click()
    page.get_by_role("button", name="确认结束计票").click()  # asked once more (irreversible)
    expect(page.get_by_role("heading", name="计票结果")).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("当选人数不足应选人数")
    expect(main).to_contain_text("赞成票至少 11 票")
    winners = main.locator("p", has_text="当选人（按姓氏笔画为序）").locator("b")
    assert sorted(winners.inner_text().split("、")) == sorted(elected)
    result_rows = main.locator("table.tally tbody tr")
    expect(result_rows).to_have_count(len(names))
    for name, (votes_for, against, abstain) in expected.items():
        row = result_rows.filter(has_text=name)
        expect(row.locator("td.num").nth(1)).to_have_text(str(votes_for))
        expect(row.locator("td.num").nth(2)).to_have_text(str(against))
        expect(row.locator("td.num").nth(3)).to_have_text(str(abstain))
        expect(row.locator("td").last).to_have_text("当选" if name in elected else "")
    expect(main).to_contain_text(
        f"发出 {ISSUED} 张，收回 {ISSUED} 张，有效 {ISSUED} 张，无效 0 张，废票 0 张"
    )
    shot(page, "result")
    sources = dict(BallotEntry.objects.filter(round=world.round).values_list("sheet", "source"))
    assert sources == {
        1: BallotEntry.Source.DOUBLE_ENTRY,
        2: BallotEntry.Source.SCRUTINEER,
        **{serial: BallotEntry.Source.SCAN for serial in range(3, ISSUED + 1)},
    }
