"""Browser tests: Debian's Chromium driven by Playwright against a live server on localhost."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, sync_playwright

CHROMIUM = os.environ.get("XUANJU_CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in the test's thread; the test's own database calls are
# still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"browser tests need Chromium at {CHROMIUM} (Debian package chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def csp_violations(page: Page) -> list[str]:
    """The Content-Security-Policy violations Chromium reported on ``page`` so far (console errors)."""
    return page.csp_violations  # type: ignore[attr-defined, no-any-return]


def _open(browser: Browser, live_server, timeout_ms: int = 10_000) -> tuple[BrowserContext, Page]:
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(timeout_ms)
    page = context.new_page()
    # Every page of every browser test runs under the Content-Security-Policy (xuanju/csp.py): an
    # inline script, handler or style the policy blocks is reported on the console and fails the test.
    page.csp_violations = []  # type: ignore[attr-defined]
    page.on(
        "console",
        lambda message: (
            page.csp_violations.append(f"{page.url}: {message.text}")  # type: ignore[attr-defined]
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return context, page


def _close(context: BrowserContext, page: Page) -> None:
    context.close()
    assert page.csp_violations == [], "the pages broke the Content-Security-Policy"  # type: ignore[attr-defined]


def _new_page(browser: Browser, live_server) -> Iterator[Page]:
    context, page = _open(browser, live_server)
    yield page
    _close(context, page)


@pytest.fixture
def page(browser: Browser, live_server, audit_guard_lifted_for_flush) -> Iterator[Page]:
    yield from _new_page(browser, live_server)


@pytest.fixture
def town(browser: Browser, live_server) -> Iterator[Page]:
    """A second person (the town's organization department) in a browser context of their own."""
    yield from _new_page(browser, live_server)


@pytest.fixture
def tab(browser: Browser, live_server, audit_guard_lifted_for_flush) -> Iterator[Callable[[str], Page]]:
    """A browser context of its own for each account, logged in (each under the CSP check too)."""
    from tests.factories import PASSWORD

    opened: list[tuple[BrowserContext, Page]] = []

    def open_as(username: str) -> Page:
        context, new = _open(browser, live_server, timeout_ms=15_000)
        opened.append((context, new))
        log_in(new, username, PASSWORD)
        return new

    yield open_as
    for context, new in opened:
        _close(context, new)


def main(page: Page) -> Locator:
    return page.get_by_role("main")


def messages(page: Page) -> Locator:
    return page.locator(".messages")


@pytest.fixture
def audit_guard_lifted_for_flush(transactional_db) -> Iterator[None]:
    """A live-server test empties the database afterwards, which the audit guard refuses: lift it
    for that flush only and put it back for the next test."""
    from django.db import connection

    from xuanju.audit import guard

    guard.install(connection)
    yield
    guard.remove(connection)


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
