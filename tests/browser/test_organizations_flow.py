"""What users click through: log in, see the monitor flag an overdue branch, record an approved delay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.browser.conftest import log_in
from xuanju.organizations.models import Committee

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()


@pytest.fixture
def county():
    tree = f.county_tree()
    f.committee(tree.village, TODAY - timedelta(days=5 * 365 + 40))  # village term: 5 years, overdue
    f.committee(tree.school_branch, TODAY - timedelta(days=2 * 365))  # in term
    f.account("town", tree.town, "org_department")
    f.account("village", tree.village, "secretary")
    return tree


def test_a_wrong_password_is_refused_in_chinese(page: Page, county):
    log_in(page, "town", "not-the-password")
    expect(page.locator("body")).to_contain_text("请输入一个正确的")


def test_R_TERM_3_monitor_flags_an_overdue_branch_and_a_delay_is_recorded(page: Page, county):
    log_in(page, "town", f.PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="换届监测").click()
    expect(page.get_by_role("link", name="逾期未换届")).to_contain_text("1")
    row = page.locator("tr", has_text=county.village.name)
    expect(row).to_be_visible()
    row.get_by_role("link", name=county.village.name).click()
    expect(page.locator("h1")).to_contain_text(county.village.name)
    expect(page.locator(".badge.overdue")).to_contain_text("逾期未换届")

    page.get_by_role("link", name="登记延期或提前换届批复").click()
    committee = Committee.objects.get(organization=county.village, is_current=True)
    page.get_by_label("类型").select_option("delay")
    page.get_by_label("批准的换届日期").fill(str(committee.term_end + timedelta(days=500)))
    page.get_by_label("批准日期").fill(str(TODAY))
    page.get_by_label("批复文号").fill("东乡组〔2026〕8号")
    page.get_by_label("理由").fill("与村民委员会换届同步进行")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".errorlist")).to_contain_text("一般不超过 1 年")

    new_date = TODAY + timedelta(days=60)
    if new_date > committee.term_end + timedelta(days=365):
        new_date = committee.term_end + timedelta(days=365)
    page.get_by_label("批准的换届日期").fill(str(new_date))
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("批复已登记")
    expect(page.locator("main")).to_contain_text("延期换届至")
    committee.refresh_from_db()
    assert committee.reelection_due == new_date

    page.get_by_role("navigation").get_by_role("link", name="换届监测").click()
    expect(page.get_by_role("link", name="逾期未换届")).to_contain_text("0")


def test_R_TERM_3_a_reminder_reaches_the_branch(page: Page, county, browser):
    log_in(page, "town", f.PASSWORD)
    page.goto(f"/organizations/{county.village.pk}/remind/")
    page.get_by_role("button", name="发出提醒").click()
    expect(page.locator(".messages")).to_contain_text("提醒已发出")

    other = browser.new_context(base_url=page.url.split("/organizations")[0])
    secretary = other.new_page()
    log_in(secretary, "village", f.PASSWORD)
    secretary.get_by_role("navigation").get_by_role("link", name="换届提醒").click()
    expect(secretary.locator("table")).to_contain_text("按期做好换届准备")
    secretary.get_by_role("button", name="标为已读").click()
    expect(secretary.locator("table")).to_contain_text("已读")
    other.close()


def test_the_pages_fit_a_phone(page: Page, county):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "town", f.PASSWORD)
    page.goto(f"/organizations/{county.village.pk}/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1
