"""A real county's first day, from an empty database: ``xuanju init``, the organization tree, the
accounts, and a branch's whole re-election through the inbox — no demo data, no superuser, no
account but those the county created through its own pages:

- ``zzb``: the county's organization department (made by ``xuanju init``), who creates the tree, the
  branch secretary's account, and approves every request from its inbox (待办);
- the branch secretary (made on the 账号管理 page), who runs the election;
- two counters (made with one click from the meeting's appointment of counters), who enter every
  ballot of the members' meeting twice (双人录入) at the desk; their accounts stop working when the
  meeting ends.

The tree is made by :func:`create_tree` alone (organization pages and the roster import), so that
the organization-tree import can replace that one step.

Set XUANJU_SCREENSHOTS=1 to save a screenshot of each main page to /tmp/first-county-*.png.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from itertools import count
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import _close, _open, log_in, main, messages
from tests.browser.test_election_flow import (
    add_candidate,
    close_count,
    enter_ballots,
    roll_call_and_procedure,
)
from xuanju.cli import main as xuanju

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()
SCREENSHOTS = os.environ.get("XUANJU_SCREENSHOTS") == "1"
_shot = count(1)

COUNTY, TOWN, VILLAGE = "中共示范县委员会", "中共东乡镇委员会", "中共东村支部委员会"
# In stroke order of the surname (丁 2, 王 4, 石 5, 刘 6): the order the ballot lists them.
CANDIDATES = ["丁一", "王芳", "石磊", "刘洋"]
OTHERS = ["赵磊", "黄敏", "周杰", "吴军", "孙涛"]
ZZB_PASSWORD = "县委组织部-第一天-2026"


def shot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=f"/tmp/first-county-{next(_shot):02d}-{name}.png", full_page=True)


@pytest.fixture
def person(browser: Browser, live_server, audit_guard_lifted_for_flush) -> Iterator[Callable[[], Page]]:
    """A browser context of its own for each person (each under the CSP check)."""
    opened: list[tuple[BrowserContext, Page]] = []

    def new() -> Page:
        context, page = _open(browser, live_server, timeout_ms=15_000)
        opened.append((context, page))
        return page

    yield new
    for context, page in opened:
        _close(context, page)


def init(capsys: pytest.CaptureFixture[str]) -> str:
    """``xuanju init`` on the empty database; the initial password it printed."""
    code = xuanju(
        ["init", "--name", COUNTY, "--kind", "党委", "--username", "zzb", "--display-name", "县委组织部"]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    return re.search(r"初始密码：(\S+?)（", out).group(1)  # type: ignore[union-attr]


def first_sign_in(page: Page, username: str, password: str, new_password: str) -> None:
    """Sign in with a password someone else chose: the system asks for a new one first."""
    log_in(page, username, password)
    expect(page.locator("h1")).to_have_text("修改密码")
    expect(messages(page)).to_contain_text("请先修改密码再继续")
    page.get_by_label("旧密码").fill(password)
    page.locator("#id_new_password1").fill(new_password)
    page.get_by_label("新密码确认").fill(new_password)
    page.get_by_role("button", name="保存").click()
    expect(main(page)).to_contain_text("密码")
    page.goto("/")


def roster_file(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([f"{VILLAGE}党员名册"])
    sheet.append(
        ["姓名", "性别", "民族", "出生日期", "入党日期", "转正日期", "所在党组织", "联系电话", "身份证号"]
    )
    for number, name in enumerate(CANDIDATES + OTHERS):
        sheet.append(
            [
                name,
                "男" if number % 2 else "女",
                "汉族",
                f"{1970 + number}-03-0{1 + number % 9}",
                "2000-07-01",
                "2001-07-01",
            ]
        )
    book.save(path)
    return path


def new_organization(page: Page, parent: str, name: str, kind: str, sector: str) -> None:
    page.goto("/organizations/")
    main(page).get_by_role("link", name=parent, exact=True).click()
    main(page).get_by_role("link", name="新建下级组织").click()
    page.get_by_label("名称").fill(name)
    page.get_by_label("类型").select_option(label=kind)
    page.get_by_label("领域").select_option(label=sector)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_contain_text(name)


def create_tree(page: Page, tmp_path: Path) -> None:
    """The county department sets up the town and the village branch with its nine members (on
    the organization pages and the roster import). The organization-tree import replaces this."""
    new_organization(page, COUNTY, TOWN, "党委", "乡镇")
    new_organization(page, TOWN, VILLAGE, "党支部", "村")
    main(page).get_by_role("link", name=re.compile("^党员名册")).click()
    page.get_by_role("link", name="导入名册").click()
    page.locator("input[type=file]").set_input_files(roster_file(tmp_path / "roster.xlsx"))
    page.get_by_role("button", name="上传并检查").click()
    page.get_by_role("button", name="导入", exact=True).click()
    expect(messages(page)).to_contain_text("9")


def create_secretary_account(page: Page) -> str:
    """The department creates the branch secretary's account; the one-time password it shows."""
    page.get_by_role("navigation").get_by_role("link", name="账号管理").click()
    main(page).get_by_role("link", name="新建账号").click()
    page.get_by_label("用户名").fill("dongcun")
    page.get_by_label("姓名").fill("王芳")
    page.get_by_label("角色").select_option(label="书记/组织员")
    page.get_by_label("所属党组织").select_option(label=f"　　{VILLAGE}")
    page.get_by_role("button", name="建立账号").click()
    slip = main(page).locator(".slip")
    expect(slip).to_contain_text("首次登录后须修改密码")
    shot(page, "secretary-slip")
    return slip.locator("dd.code-big").nth(1).inner_text()


def decide_from_inbox(page: Page, title: str, document: str, name: str) -> None:
    """The department finds the request in its inbox (待办) and approves it."""
    page.goto("/")
    inbox = page.get_by_role("navigation").get_by_role("link", name=re.compile("^待办"))
    expect(inbox.locator(".nav-count")).to_have_text("1")
    inbox.click()
    row = main(page).get_by_role("row", name=re.compile(VILLAGE))
    expect(row).to_contain_text(title)
    shot(page, f"inbox-{name}")
    row.get_by_role("link", name=title).click()
    page.get_by_role("combobox", name=re.compile("^批复")).select_option(label="同意")
    page.get_by_label("批复文号").fill(document)
    page.get_by_role("button", name="登记批复").click()
    expect(messages(page)).to_contain_text("批复已登记")
    page.get_by_role("navigation").get_by_role("link", name=re.compile("^待办")).click()
    expect(main(page)).to_contain_text("没有等待您处理的事项")


def appoint_and_issue_counting_accounts(page: Page, present: int) -> dict[str, tuple[str, str]]:
    """Roll call, the procedure (double entry, the default), a scrutineer and two counters, then
    their accounts with one click: {name: (username, password)} read off the printed slips."""
    page.get_by_role("button", name="全部到会").click()
    expect(messages(page)).to_contain_text(f"已记录到会 {present} 人")
    page.get_by_role("button", name="结束点名").click()
    page.get_by_role("button", name="确认结束点名").click()
    expect(messages(page)).to_contain_text(f"应到会 {present} 人，实到 {present} 人")
    page.get_by_label("表决通过选举办法的赞成人数").fill(str(present))
    expect(page.get_by_label("双人录入")).to_be_checked()
    page.get_by_role("button", name="通过选举办法").click()
    expect(messages(page)).to_contain_text("选举办法已通过")
    for name, role in (("赵磊", "监票人"), ("黄敏", "计票人"), ("周杰", "计票人")):
        page.get_by_label("党员").select_option(label=f"{name}（{VILLAGE}）")
        page.get_by_label("职责").select_option(label=role)
        page.get_by_role("button", name="经会议通过，确定").click()
        expect(messages(page)).to_contain_text(f"{name}任{role}")
    main(page).get_by_role("link", name=re.compile("为监票人、计票人建立本次会议的账号")).click()
    page.get_by_role("button", name="建立账号并打印登录凭条").click()
    slips = main(page).locator(".slip")
    expect(slips).to_have_count(3)
    expect(slips.first).to_contain_text("会议结束后自动失效")
    shot(page, "counting-slips")
    issued = {}
    for index in range(3):
        slip = slips.nth(index)
        name = slip.locator("dd").first.inner_text()
        codes = slip.locator("dd.code-big")
        issued[name] = (codes.nth(0).inner_text(), codes.nth(1).inner_text())
    page.get_by_role("link", name="返回").first.click()
    main(page).get_by_role("link", name="返回会议").click()
    return issued


def desk_enters(counter: Page, round_id: int, slot: int, readings: list[str]) -> None:
    """A counter reads every sheet at the desk with the keyboard: the place the desk offers, Enter,
    the marks, Enter. The county adopted the default procedure, whose sheets carry no number: the
    counters key each sheet by batch and position in the stack (1-1, 1-2, …)."""
    counter.goto(f"/rounds/{round_id}/counting/desk/{slot}/")
    for number, reading in enumerate(readings, start=1):
        key = counter.locator("#id_key")
        expect(key).to_have_value(f"1-{number}")
        key.press("Enter")
        counter.locator("#id_reading").type(reading)
        counter.locator("#id_reading").press("Enter")
        expect(counter.get_by_text(f"第1批第{number}张选票").first).to_be_visible()


def test_a_county_starts_from_nothing_and_re_elects_a_branch(person, capsys, tmp_path: Path):
    password = init(capsys)
    county = person()
    first_sign_in(county, "zzb", password, ZZB_PASSWORD)
    expect(county.locator("h1")).to_contain_text(COUNTY)

    create_tree(county, tmp_path)
    secretary_password = create_secretary_account(county)

    # 1. The secretary signs in, chooses a password, plans and requests the re-election.
    page = person()
    first_sign_in(page, "dongcun", secretary_password, "东村支部-换届-2026")
    expect(page.locator("h1")).to_contain_text(VILLAGE)
    main(page).get_by_role("link", name="换届选举", exact=True).click()
    main(page).get_by_role("link", name="发起换届选举").click()
    page.get_by_label("委员名额").fill("3")
    page.get_by_label("副书记名额").fill("0")
    page.get_by_label("换届准备情况").fill("已完成述职和民主评议，征求了党员意见")
    page.get_by_role("button", name="保存换届方案").click()
    expect(messages(page)).to_contain_text("换届方案已拟订")
    overview = page.url
    main(page).get_by_role("button", name="报送换届请示").click()
    expect(messages(page)).to_contain_text("换届请示已报送上级党组织")

    # 2. The county finds it in its inbox and approves.
    decide_from_inbox(county, "关于召开党员大会进行换届选举的请示", "示组〔2026〕1号", "plan")

    # 3. The secretary fixes the provisional candidates and reports them.
    page.goto(overview)
    expect(page.locator("h1")).to_contain_text("上级已同意换届")
    main(page).get_by_role("link", name="推荐提名", exact=True).click()
    main(page).get_by_role("link", name="确定预备人选").click()
    for name in CANDIDATES:
        add_candidate(page, "委员", name)
    add_candidate(page, "书记", "王芳")
    main(page).get_by_role("button", name="报送上级审查").click()
    expect(messages(page)).to_contain_text("候选人预备人选已报上级党组织审查")

    # 4. The county consents, from its inbox.
    decide_from_inbox(county, "关于候选人预备人选的请示", "示组〔2026〕2号", "candidates")

    # 5. The members' meeting: roll call, the procedure, counters with their own accounts.
    page.goto(overview)
    expect(page.locator("h1")).to_contain_text("上级已同意候选人")
    page.get_by_label("会议日期").fill(str(TODAY))
    page.get_by_role("button", name="召开党员大会").click()
    expect(messages(page)).to_contain_text("党员大会已召开，请点名")
    issued = appoint_and_issue_counting_accounts(page, 9)
    assert set(issued) == {"赵磊", "黄敏", "周杰"}
    main(page).get_by_role("link", name="开始投票").click()
    expect(page.get_by_label("发出选票（张）")).to_have_value("9")
    page.get_by_role("button", name="发出选票，开始投票").click()
    expect(messages(page)).to_contain_text("第1轮投票开始，发出选票 9 张")
    entry_url = page.url
    round_id = int(re.search(r"/rounds/(\d+)/", entry_url).group(1))  # type: ignore[union-attr]

    # Seven ballots for 丁一, 王芳 and 石磊 against 刘洋; two for 王芳, 石磊 and 刘洋, 丁一 left blank.
    readings = ["ooox"] * 7 + [".ooo"] * 2
    counters = []
    for slot, name in ((1, "黄敏"), (2, "周杰")):
        username, slip_password = issued[name]
        counter = person()
        log_in(counter, username, slip_password)
        expect(counter.locator("header")).to_contain_text(f"{name}（计票人")
        desk_enters(counter, round_id, slot, readings)
        counters.append(counter)
    expect(counters[1].get_by_text("第1批第9张选票两次录入一致，已计入")).to_be_visible()
    shot(counters[1], "desk")

    # The secretary entered nothing, so closes the count as the organizer (R-MEET-4).
    page.goto(entry_url)
    page.get_by_label("收回选票（张）").fill("9")
    page.get_by_role("button", name="核对无误，结束计票").click()
    page.get_by_role("button", name="确认结束计票").click()
    expect(messages(page)).to_contain_text("计票结束")
    expect(main(page)).to_contain_text("当选人（按姓氏笔画为序）：丁一、王芳、石磊")
    shot(page, "round-result")
    main(page).get_by_role("link", name="返回会议").click()
    expect(page.locator("h1")).to_contain_text("会议结束")

    # The meeting has ended: the counters' accounts no longer work.
    counters[0].goto("/")
    expect(counters[0].locator("h1")).to_have_text("登录")
    expect(messages(counters[0])).to_contain_text("会议已结束")

    # 6. The committee's first plenary elects the secretary; the county scrutinizes the count.
    main(page).locator(".crumbs").get_by_role("link", name="换届选举").click()
    page.get_by_role("button", name="召开委员会第一次全体会议").click()
    expect(messages(page)).to_contain_text("委员会第一次全体会议已召开，请点名")
    roll_call_and_procedure(page, 3, scrutineer="丁一", counter="石磊")
    card = main(page).locator(".card", has=page.get_by_role("heading", name=re.compile("^书记：")))
    card.get_by_role("link", name="开始投票").click()
    page.get_by_role("button", name="发出选票，开始投票").click()
    enter_ballots(page, 3, {"王芳": "赞成"}, entered=3)
    close_count(page, county, 3)
    expect(main(page)).to_contain_text("当选人（按姓氏笔画为序）：王芳")
    main(page).get_by_role("link", name="返回会议").click()

    # 7. The results go up, and the county approves them from its inbox.
    main(page).locator(".crumbs").get_by_role("link", name="换届选举").click()
    main(page).get_by_role("link", name="报送选举结果").click()
    page.get_by_role("button", name="报送上级党组织").click()
    expect(messages(page)).to_contain_text("选举结果已报上级党组织")
    decide_from_inbox(county, "关于选举结果的报告", "示组〔2026〕3号", "results")
    page.goto(overview)
    expect(page.locator("h1")).to_contain_text("换届完成")
    shot(page, "completed")

    from xuanju.accounts.models import User

    assert not User.objects.filter(is_superuser=True).exists()
    assert set(User.objects.values_list("username", flat=True)) == {
        "zzb",
        "dongcun",
        *(u for u, _ in issued.values()),
    }
