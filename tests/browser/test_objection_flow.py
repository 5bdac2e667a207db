"""A results notice clicked through: a member objects during the notice period, the secretary's
report of the results is refused until the objection is answered, then goes up (R-RPT-3).

The branch (no committee, 5 members) has elected its secretary through the actions, as in
tests/elections/test_notices.py; the browser takes over at the results notice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests import factories as f
from tests.browser.conftest import log_in
from tests.browser.test_election_flow import main, messages, open_election
from tests.elections.test_notices import build_elected
from xuanju.elections.models import ElectionStatus, Objection, PublicNotice

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()


@pytest.fixture
def branch():
    election, _ = build_elected()
    return election


@pytest.fixture
def member(browser: Browser, live_server) -> Iterator[Page]:
    """A member of the branch, in a browser context of their own."""
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_R_RPT_3_a_results_objection_is_answered_before_the_results_go_up(page: Page, member: Page, branch):
    # 1. The secretary publishes the results notice from the election's overview.
    log_in(page, "small", f.PASSWORD)
    open_election(page)
    expect(page.locator("h1")).to_contain_text("选举大会进行中")
    main(page).get_by_role("link", name="结果公示").click()
    expect(page.get_by_label("公示类型")).to_have_value("results")
    expect(page.get_by_label("公示内容")).to_have_value(re.compile("书记：王芳"))
    page.get_by_role("button", name="发布公示").click()
    expect(messages(page)).to_contain_text("公示已发布")
    expect(main(page)).to_contain_text("选举结果公示到")

    # 2. A member finds the running notice and objects to it, with their name.
    log_in(member, "member", f.PASSWORD)
    member.goto("/notices/")
    expect(main(member)).to_contain_text("选举结果公示")
    main(member).get_by_role("link", name="查看和反映问题").click()
    expect(main(member)).to_contain_text("书记：王芳")
    member.get_by_label("反映的问题").fill("唱票时没有公开展示选票，请说明")
    member.get_by_role("button", name="提交").click()
    expect(messages(member)).to_contain_text("您反映的问题已收到")
    expect(main(member)).not_to_contain_text("唱票时没有公开展示选票")  # only organizers see it
    objection = Objection.objects.get()
    assert objection.lodged_by == "member" and objection.answered_on is None

    # 3. The period runs out; the report is refused while the objection is unanswered.
    PublicNotice.objects.update(starts_on=TODAY - timedelta(days=7), ends_on=TODAY - timedelta(days=1))
    page.reload()
    expect(main(page)).to_contain_text("还没有全部答复，答复后才能报送选举结果")
    page.locator(".crumbs").get_by_role("link", name="换届选举").click()
    main(page).get_by_role("link", name="报送选举结果").click()
    page.get_by_role("button", name="报送上级党组织").click()
    expect(messages(page)).to_contain_text("还没有全部答复，答复后才能报送选举结果")
    branch.refresh_from_db()
    assert branch.status == ElectionStatus.MEETING

    # 4. The secretary answers, then reports the results.
    page.goto(f"/elections/{branch.pk}/notices/")
    expect(main(page)).to_contain_text("唱票时没有公开展示选票，请说明")
    page.get_by_label("答复：").fill("选票已逐张展示，监票人在场监督")
    page.get_by_role("button", name="答复").click()
    expect(messages(page)).to_contain_text("已答复")
    expect(main(page)).to_contain_text("答复（small）：选票已逐张展示")
    page.locator(".crumbs").get_by_role("link", name="换届选举").click()
    main(page).get_by_role("link", name="报送选举结果").click()
    page.get_by_role("button", name="报送上级党组织").click()
    expect(messages(page)).to_contain_text("选举结果已报上级党组织")
    expect(page.locator("h1")).to_contain_text("选举结果已报上级")
