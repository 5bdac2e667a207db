"""The demo congress opened and its committee elected through the browser (issue 7).

The development zone of the demo county (``xuanju.demo.congress`` at a fifth of its size: 6 units,
30 formal delegates) is loaded into the test database. Its organization department checks
the allocation, the composition and the credentials report, opens the 党员代表大会 from the
election's page, marks all 30 delegates present, adopts the procedure without a pre-election
(11 candidates for 9 seats already), appoints a scrutineer and a counter, enters the 30 ballots
in two stacks of identical ones, closes the count and sees 9 elected: the election moves on to the
new committee's first plenary.

Set XUANJU_SCREENSHOTS=1 to save a screenshot of each main page to /tmp/congress-*.png.
"""

from __future__ import annotations

import os
from itertools import count

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, main, messages
from xuanju.congress.models import Congress
from xuanju.demo.congress import ORGANIZER, DemoCongress, load_demo_congress
from xuanju.demo.county import PASSWORD, load_demo
from xuanju.elections.models import Post
from xuanju.elections.rounds import ballot_order

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()
SCREENSHOTS = os.environ.get("XUANJU_SCREENSHOTS") == "1"
_shot = count(1)


def shot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=f"/tmp/congress-{next(_shot):02d}-{name}.png", full_page=True)


# The flow needs the congress's shape, not its size: the zone at a fifth of its scale has 6 units
# electing 30 delegates (tests/congress/test_demo_congress.py checks the full 30 units and 150).
SCALE, UNITS, DELEGATES = 0.2, 6, 30


@pytest.fixture
def demo() -> DemoCongress:
    load_demo(TODAY)
    demo = load_demo_congress(TODAY, scale=SCALE)
    assert (demo.units, demo.delegates_total, demo.formal) == (UNITS, DELEGATES, DELEGATES)
    return demo


def test_R_DEL_6_R_MEET_1_the_demo_congress_elects_its_committee_in_the_browser(page: Page, town: Page, demo):
    congress = Congress.objects.get(pk=demo.congress_id)
    election = congress.election
    committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
    candidates = [c.member for c in ballot_order(list(committee.candidates.select_related("member")))]
    names = [m.name for m in candidates]
    assert len(set(names)) == 11
    helpers = [
        d.member
        for d in congress.delegates.select_related("member__organization").order_by("pk")
        if d.member_id not in {m.pk for m in candidates}
    ]
    scrutineer, counter = helpers[0], helpers[1]
    women_elected = congress.delegates.filter(member__gender="女").count()

    # 1. The zone's organization department looks at the plan, the composition and the credentials.
    log_in(page, ORGANIZER, PASSWORD)
    expect(page.locator("h1")).to_contain_text(demo.organization)
    main(page).get_by_role("link", name="换届选举", exact=True).click()
    main(page).get_by_role("table").get_by_role("link").first.click()
    expect(page.locator("h1")).to_contain_text("上级已同意候选人")
    main(page).get_by_role("link", name="党员代表大会：代表名额、选举单位、资格审查").click()
    expect(main(page)).to_contain_text(f"代表名额 {DELEGATES} 名")
    main(page).get_by_role("link", name="名额分配表").click()
    expect(page.locator("h1")).to_have_text("代表名额分配表")
    table = main(page).get_by_role("table").first
    expect(table.locator("tbody tr")).to_have_count(UNITS)
    expect(table.locator("tfoot th").nth(6)).to_have_text(str(DELEGATES))
    shot(page, "allocation")
    page.go_back()
    main(page).get_by_role("link", name="代表结构").click()
    expect(main(page)).to_contain_text(
        f"已选出（未被资格审查否定的）代表 {DELEGATES} 名，尚有 0 个名额未选出"
    )
    women = main(page).get_by_role("row").filter(has_text="女性")
    expect(women.get_by_role("cell").nth(1)).to_have_text("至少 9 名")  # 30% of 30 (R-DEL-3)
    expect(women.get_by_role("cell").nth(2)).to_have_text(str(women_elected))
    shot(page, "composition")
    page.go_back()
    main(page).get_by_role("link", name="代表资格审查报告").click()
    expect(main(page)).to_contain_text(f"应选代表 {DELEGATES} 名，经审查确认正式代表 {DELEGATES} 名")
    shot(page, "report")
    page.go_back()

    # 2. The congress opens from the election's page; everyone is present.
    main(page).locator(".crumbs").get_by_role("link", name=str(election)).click()
    page.get_by_role("button", name="召开党员代表大会").click()
    expect(messages(page)).to_contain_text("请点名")
    page.get_by_role("button", name="全部到会").click()
    expect(messages(page)).to_contain_text(f"已记录到会 {DELEGATES} 人")
    page.get_by_role("button", name="结束点名").click()
    page.get_by_role("button", name="确认结束点名").click()
    expect(messages(page)).to_contain_text(f"应到会 {DELEGATES} 人，实到 {DELEGATES} 人")

    # 3. The procedure, no pre-election (11 candidates for 9 seats), a scrutineer and a counter.
    expect(page.locator("h1")).to_contain_text("通过选举办法")
    page.get_by_label("表决通过选举办法的赞成人数").fill(str(DELEGATES))
    page.get_by_label("单人录入、监票人逐张确认").check()
    shot(page, "procedure")
    page.get_by_role("button", name="通过选举办法").click()
    expect(messages(page)).to_contain_text("选举办法已通过")
    for person, role in ((scrutineer, "监票人"), (counter, "计票人")):
        page.get_by_label("党员").select_option(label=f"{person.name}（{person.organization.name}）")
        page.get_by_label("职责").select_option(label=role)
        page.get_by_role("button", name="经会议通过，确定").click()
        expect(messages(page)).to_contain_text(f"{person.name}任{role}")
    main(page).get_by_role("link", name="返回会议").click()

    # 4. The regular round: 30 ballots in two stacks, 9 elected.
    main(page).get_by_role("link", name="开始投票").first.click()
    expect(main(page)).to_contain_text("正式选举，应选 9 人")
    expect(page.get_by_label("发出选票（张）")).to_have_value(str(DELEGATES))
    page.get_by_role("button", name="发出选票，开始投票").click()
    expect(messages(page)).to_contain_text(f"第1轮投票开始，发出选票 {DELEGATES} 张")
    for chosen, stack, entered in ((names[:9], 28, 28), (names[1:10], 2, DELEGATES)):
        for name in chosen:
            page.get_by_role("group", name=name, exact=True).get_by_label("赞成", exact=True).check()
        page.get_by_label("相同选票张数").fill(str(stack))
        page.get_by_role("button", name="录入这张选票").click()
        expect(messages(page)).to_contain_text(f"已录入选票 {stack} 张")
        expect(page.get_by_role("heading", name=f"已录入（{entered} 张）")).to_be_visible()
    shot(page, "entry")
    # The organizer entered the ballots; the county's organization department, as scrutineer,
    # confirms each stack and closes the count (R-MEET-4).
    entry_url = page.url
    log_in(town, "county_org", PASSWORD)
    town.goto(entry_url)
    for _ in range(2):
        town.locator("form[action$='/confirm/'] button").first.click()
        expect(messages(town)).to_contain_text("已确认这条录入")
    town.get_by_label("收回选票（张）").fill(str(DELEGATES))
    town.get_by_role("button", name="核对无误，结束计票").click()
    town.get_by_role("button", name="确认结束计票").click()
    expect(messages(town)).to_contain_text("计票结束")
    page.goto(entry_url)
    expect(main(page)).to_contain_text("选举完成")
    shot(page, "result")
    assert committee.elected.count() == 9
    assert set(committee.elected.values_list("member__name", flat=True)) == set(names[:9])

    # 5. On to the new committee's first plenary (R-CAND-5).
    main(page).get_by_role("link", name="返回会议").click()
    expect(page.locator("h1")).to_contain_text("会议结束")
    main(page).locator(".crumbs").get_by_role("link", name="换届选举").click()
    expect(page.locator("h1")).to_contain_text("全体会议选举书记、副书记")
    expect(page.get_by_role("button", name="召开委员会第一次全体会议")).to_be_visible()
    shot(page, "plenary")
