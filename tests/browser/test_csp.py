"""The Content-Security-Policy in Chromium: the main pages load and work with no violation reported
(the conftest fails any browser test whose pages report one), and an injected inline script is
refused, which shows that the policy is in force and that a violation would be seen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.browser.conftest import csp_violations, log_in

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()


@pytest.fixture
def county():
    tree = f.county_tree()
    f.committee(tree.village, TODAY - timedelta(days=5 * 365 + 40))
    for _ in range(3):
        f.member(tree.village)
    f.account("countyorg", tree.county, "org_department")
    return tree


def test_the_main_pages_report_no_violation(page: Page, county):
    page.goto("/reports/new/")
    expect(page.get_by_role("main")).to_be_visible()
    page.goto("/reports/follow-up/")
    log_in(page, "countyorg", f.PASSWORD)
    village = county.village.pk
    for url in [
        "/",
        "/organizations/",
        f"/organizations/{village}/",
        f"/organizations/{village}/members/",
        f"/organizations/{village}/monitor/",
        f"/organizations/{county.county.pk}/reserve/",
        f"/organizations/{county.county.pk}/reserve/depth/",
        "/supervision/compliance/",
        "/notices/",
        "/reminders/",
    ]:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        # The page's own stylesheet applied (a blocked stylesheet would leave the header unstyled).
        assert page.evaluate("getComputedStyle(document.querySelector('header.top')).display") != "inline"
    assert csp_violations(page) == []


def test_an_injected_inline_script_is_refused(page: Page, county):
    page.goto("/login/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.injected") is None
    assert any("Content Security Policy" in v for v in csp_violations(page))
    page.csp_violations.clear()  # type: ignore[attr-defined]  # the refusal was the point
