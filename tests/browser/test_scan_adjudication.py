"""Scanning in Chromium (R-BAL-4, R-MEET-4): a scrutineer passes the round's test deck, which unlocks
the upload of real sheets; a counter uploads them; a flagged sheet counts nothing until the scrutineer
has looked at the whole sheet, with the machine's reading drawn on every box, corrected a box the
machine read with confidence, and confirmed the sheet; then the round closes."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import messages
from tests.browser.test_count_duties import scrutineer_closes
from tests.counting.scans import print_round, scanned_deck, scanned_sheet
from tests.counting.world import open_round_world
from xuanju.elections.models import BallotEntry, CountingMethod
from xuanju.paper.synthetic import Drawn

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.rule("R-BAL-4")]


def test_R_BAL_4_deck_first_then_a_flagged_sheet_confirmed_whole_by_the_scrutineer(tab, tmp_path):
    world = open_round_world(timezone.localdate(), issued=2, method=CountingMethod.SCAN)
    printed = print_round(world.round, 0, deck_passed=False)
    names, keys = world.names(), world.keys()
    scans_url = f"/rounds/{world.round.pk}/scans/"

    counter = tab("counter1")
    counter.goto(scans_url)
    expect(counter.get_by_text("通过测试票检验之后才能上传正式选票")).to_be_visible()
    expect(counter.get_by_role("button", name="上传并识别")).to_have_count(0)

    # the scrutineer scans the deck; it reads exactly as printed
    scrutineer = tab("scrutineer")
    scrutineer.goto(scans_url)
    scrutineer.get_by_role("link", name="测试票检验（打印、上传、结果）").click()
    expect(scrutineer.locator("h1")).to_contain_text("测试票检验")
    expect(scrutineer.locator(".deck-verdict")).to_contain_text("尚未进行")
    deck = tmp_path / "deck.tiff"
    deck.write_bytes(scanned_deck(printed))
    scrutineer.get_by_label("扫描件").set_input_files(deck)
    scrutineer.get_by_role("button", name="上传并检验").click()
    expect(messages(scrutineer)).to_contain_text("测试票检验通过", timeout=60_000)
    expect(scrutineer.locator(".deck-verdict")).to_contain_text("通过")

    # the counter uploads the real sheets: one clear, one with a √ (doubtful)
    files = []
    for serial, marks in ((1, {0: Drawn.CIRCLE}), (2, {0: Drawn.CHECK, 2: Drawn.CIRCLE})):
        path = tmp_path / f"sheet-{serial}.jpg"
        path.write_bytes(scanned_sheet(printed, serial, marks))
        files.append(path)
    counter.goto(scans_url)
    counter.get_by_label("扫描件").set_input_files(files)
    counter.get_by_role("button", name="上传并识别").click()
    expect(counter.get_by_text("待裁定 1 张")).to_be_visible(timeout=60_000)
    assert list(BallotEntry.objects.values_list("sheet", flat=True)) == [1]  # sheet 2 counts nothing

    # the scrutineer looks at sheet 2 whole, corrects the third box and confirms the sheet
    scrutineer.goto(f"/rounds/{world.round.pk}/scans/doubts/")
    scrutineer.get_by_role("link", name="查看整张并确认（编号2）").click()
    image = scrutineer.locator("img.sheet-img")
    expect(image).to_have_js_property("naturalWidth", 1680)  # the registered A4 sheet, drawn on
    rows = scrutineer.locator("table.sheet-boxes-table tbody tr")
    expect(rows).to_have_count(6 + 5)
    expect(rows.first).to_contain_text(names[0])  # the doubtful box first
    expect(rows.first).to_contain_text("存疑")
    scrutineer.get_by_role("group", name=names[0]).get_by_label("○ 赞成").check()
    third = scrutineer.get_by_role("group", name=names[2])
    expect(third.get_by_label("○ 赞成")).to_be_checked()  # as the machine read it
    third.get_by_label("× 不赞成").check()
    scrutineer.get_by_role("button", name="核对无误，整张确认并计入").click()
    expect(messages(scrutineer)).to_contain_text("已确认编号2的整张选票并计入")
    entry = BallotEntry.objects.get(sheet=2)
    assert (entry.marks_for, entry.marks_against, entry.confirmed_by) == ([keys[0]], [keys[2]], "scrutineer")
    scrutineer_closes(scrutineer, world, 2)
