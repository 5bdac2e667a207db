"""Count integrity in Chromium (R-MEET-4, R-BAL-4, R-BAL-5, R-SUP-4): signed in as a counter (计票人),
every route that would change a count — the plain entry page in a double-entry round, deciding a
desk difference, confirming a single entry, deciding or voiding a scanned sheet, deleting a counted
ballot, closing the round — is refused with a Chinese message, whatever the page shows; the same
steps succeed for a scrutineer (监票人), the irreversible ones after a second, stated confirmation.

The counter posts with the browser's own session and CSRF token (what an attacker at the counter's
desk could do), so the refusals tested are the server's, not the page's."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import messages
from tests.counting.scans import print_round, scanned_sheet
from tests.counting.world import World, open_round_world
from xuanju.counting import actions
from xuanju.counting.models import ScanPage
from xuanju.elections.models import BallotEntry, CountingMethod, Round
from xuanju.paper.synthetic import Drawn

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.rule("R-MEET-4")]


def post(tab: Page, url: str, data: dict[str, str]) -> str:
    """POST a form as the signed-in account (its session cookie and CSRF token), following the
    redirect; the text of the page that answers."""
    token = next(c["value"] for c in tab.context.cookies() if c["name"] == "csrftoken")
    response = tab.request.post(url, form={"csrfmiddlewaretoken": token, **data})
    return response.text()


def counted(world: World) -> int:
    return sum(BallotEntry.objects.filter(round=world.round).values_list("count", flat=True))


def is_closed(world: World) -> bool:
    return Round.objects.get(pk=world.round.pk).closed


def scrutineer_closes(scrutineer: Page, world: World, returned: int) -> None:
    scrutineer.goto(f"/rounds/{world.round.pk}/")
    scrutineer.get_by_label("收回选票（张）").fill(str(returned))
    scrutineer.get_by_role("button", name="核对无误，结束计票").click()
    expect(scrutineer.locator("h1")).to_have_text(f"请确认：结束第{world.round.number}轮计票")
    expect(scrutineer.locator(".consequence")).to_contain_text("不能再录入、修改或删除")
    assert not is_closed(world)  # asked once more, nothing closed yet
    scrutineer.get_by_role("button", name="确认结束计票").click()
    expect(messages(scrutineer)).to_contain_text("计票结束")
    assert is_closed(world)


def test_R_MEET_4_R_BAL_4_a_counter_cannot_bypass_the_desk_decide_delete_or_close(tab):
    world = open_round_world(timezone.localdate(), issued=3)
    k = world.keys()
    for who, slot in (("counter1", 1), ("counter2", 2)):
        actions.enter_at_desk(world.accounts[who], world.round, "1", slot, k[:5], [k[5]], [])
    agreed = BallotEntry.objects.get()
    actions.enter_at_desk(world.accounts["counter1"], world.round, "2", 1, k[:5], [], [])
    actions.enter_at_desk(world.accounts["counter2"], world.round, "2", 2, k[:4], [], [])
    round_url = f"/rounds/{world.round.pk}/"

    counter = tab("counter1")
    counter.goto(round_url)
    expect(counter.locator(".counting-method")).to_contain_text("本轮计票方式：双人录入")
    expect(counter.locator("#ballot-form")).to_have_count(0)  # no plain entry page in this round
    # 30 identical ballots, no serial, no second counter: refused by the server all the same
    group = {"count": "30", **dict.fromkeys(k[:5], "for")}
    refused = post(counter, round_url, group)
    assert "采用“双人录入”计票，不能用单人录入计入选票" in refused
    refused = post(
        counter, f"/rounds/{world.round.pk}/counting/conflicts/2/", {"reading": "ooooo.", "count": "1"}
    )
    assert "只有监票人才能裁定两次录入不一致的选票" in refused
    refused = post(counter, f"/ballots/{agreed.pk}/delete/", {"reason": "不要了", "confirm": "1"})
    assert "只有监票人才能删除已录入的选票" in refused
    refused = post(counter, f"/rounds/{world.round.pk}/close/", {"returned": "1", "confirm": "1"})
    assert "只有监票人才能结束计票" in refused
    assert counted(world) == 1 and not is_closed(world)

    # the scrutineer decides sheet 2 from the paper, at the page
    scrutineer = tab("scrutineer")
    scrutineer.goto(f"/rounds/{world.round.pk}/counting/conflicts/2/")
    scrutineer.get_by_label("标记").fill("ooooo.")
    scrutineer.get_by_role("button", name="按原票计入").click()
    expect(scrutineer.get_by_text("已按监票人核对的原票计入第2号选票")).to_be_visible()
    # ...deletes sheet 1 with the reason, asked once more, and decides it again from the paper
    scrutineer.goto(round_url)
    row = scrutineer.locator(f"form[action='/ballots/{agreed.pk}/delete/']")
    row.get_by_label("删除原因").fill("原票为第3号，编号看错")
    row.get_by_role("button", name="删除").click()
    expect(scrutineer.locator("h1")).to_have_text("请确认：删除第1号选票")
    expect(scrutineer.locator(".consequence")).to_contain_text("原票为第3号，编号看错")
    assert BallotEntry.objects.filter(pk=agreed.pk).exists()
    scrutineer.get_by_role("button", name="确认删除").click()
    expect(messages(scrutineer)).to_contain_text("已删除第1号选票")
    assert not BallotEntry.objects.filter(pk=agreed.pk).exists()
    # the close page lists what still blocks it: the deleted sheet's readings and the third ballot
    expect(scrutineer.locator(".blockers")).to_contain_text(
        "第1号选票两次录入不一致，须由监票人核对原票后裁定"
    )
    scrutineer.goto(f"/rounds/{world.round.pk}/counting/conflicts/1/")
    scrutineer.get_by_label("标记").fill("ooooox")
    scrutineer.get_by_role("button", name="按原票计入").click()
    for who, slot in (("counter1", 1), ("counter2", 2)):
        actions.enter_at_desk(world.accounts[who], world.round, "3", slot, k[:5], [], [])
    scrutineer_closes(scrutineer, world, 3)


def test_R_MEET_4_a_single_entry_counts_only_once_a_scrutineer_confirms_it(tab):
    world = open_round_world(timezone.localdate(), issued=20, method=CountingMethod.SINGLE_ENTRY)
    names = world.names()
    round_url = f"/rounds/{world.round.pk}/"
    counter = tab("counter1")
    counter.goto(round_url)
    expect(counter.locator(".counting-method")).to_contain_text("单人录入、监票人逐张确认")
    for name in names[:5]:
        counter.get_by_role("group", name=name, exact=True).get_by_label("赞成", exact=True).check()
    counter.get_by_label("相同选票张数").fill("20")
    counter.get_by_role("button", name="录入这张选票").click()
    expect(messages(counter)).to_contain_text("已录入选票 20 张")
    expect(counter.locator(".blockers")).to_contain_text("还有 1 条单人录入没有经监票人确认")
    entry = BallotEntry.objects.get()
    refused = post(counter, f"/ballots/{entry.pk}/confirm/", {})
    assert "只有监票人才能确认录入的选票" in refused
    refused = post(counter, f"/rounds/{world.round.pk}/close/", {"returned": "20", "confirm": "1"})
    assert "只有监票人才能结束计票" in refused
    assert BallotEntry.objects.get().confirmed_by == "" and not is_closed(world)

    scrutineer = tab("scrutineer")
    scrutineer.goto(round_url)
    scrutineer.get_by_role("button", name="确认", exact=True).click()
    expect(messages(scrutineer)).to_contain_text("已确认这条录入（20 张）")
    assert BallotEntry.objects.get().confirmed_by == "scrutineer"
    # the scrutineer of this round may not enter in it
    assert "已担任监票人" in post(scrutineer, round_url, {"count": "1"})
    scrutineer_closes(scrutineer, world, 20)


def test_R_BAL_4_R_MEET_4_a_counter_cannot_decide_or_void_a_scanned_sheet(tab, tmp_path):
    world = open_round_world(timezone.localdate(), issued=2, method=CountingMethod.SCAN)
    printed = print_round(world.round, 0)
    counter = tab("counter1")
    files = []
    for serial, marks in ((1, {0: Drawn.CHECK}), (2, {0: Drawn.SCRIBBLE})):
        path = tmp_path / f"sheet-{serial}.jpg"
        path.write_bytes(scanned_sheet(printed, serial, marks))
        files.append(path)
    counter.goto(f"/rounds/{world.round.pk}/scans/")
    counter.get_by_label("扫描件").set_input_files(files)
    counter.get_by_role("button", name="上传并识别").click()
    expect(counter.get_by_text("待裁定 2 张")).to_be_visible(timeout=30_000)
    ticked = ScanPage.objects.get(serial=1)
    scribbled = ScanPage.objects.get(serial=2)
    whole = {f"c{i}": "blank" for i in range(6)} | {f"w{r}": "" for r in range(5)} | {"c0": "for"}
    refused = post(counter, f"/scan-pages/{ticked.pk}/review/", whole)
    assert "只有监票人才能确认存疑的选票" in refused
    refused = post(counter, f"/scan-pages/{scribbled.pk}/void/", {"void_reason": "有记号"})
    assert "只有监票人才能作废选票" in refused
    refused = post(counter, f"/rounds/{world.round.pk}/close/", {"returned": "2", "confirm": "1"})
    assert "只有监票人才能结束计票" in refused
    assert counted(world) == 0

    scrutineer = tab("scrutineer")
    scrutineer.goto(f"/rounds/{world.round.pk}/scans/doubts/")
    scrutineer.get_by_role("link", name="查看整张并确认（编号1）").click()
    scrutineer.get_by_role("group", name=world.names()[0]).get_by_label("○ 赞成").check()
    scrutineer.get_by_role("button", name="核对无误，整张确认并计入").click()
    expect(messages(scrutineer)).to_contain_text("已确认编号1的整张选票并计入")
    scrutineer.goto(f"/scan-pages/{scribbled.pk}/")
    scrutineer.get_by_label("作废原因").fill("有可辨认投票人的记号")
    scrutineer.get_by_role("button", name="作为废票计入").click()
    expect(messages(scrutineer)).to_contain_text("编号2的选票已作为废票计入")
    scrutineer_closes(scrutineer, world, 2)
