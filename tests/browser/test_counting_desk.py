"""The desk and the board in Chromium: keyboard-only entry with the marks shown as they are typed,
and a projector board that follows the count without a reload."""

from __future__ import annotations

import os

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in
from tests.counting.world import open_round_world
from tests.factories import PASSWORD
from xuanju.counting import actions
from xuanju.elections.models import BallotEntry

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = os.environ.get("XUANJU_SCREENSHOTS") == "1"  # save the pages to /tmp/counting-*.png


def shot(tab: Page, name: str) -> None:
    if SCREENSHOTS:
        tab.screenshot(path=f"/tmp/counting-{name}.png", full_page=True)


def test_R_BAL_2_a_counter_enters_ballots_with_the_keyboard_alone_and_the_board_follows(page: Page):
    world = open_round_world(timezone.localdate())
    keys = world.keys()
    names = world.names()
    # counter2 has read sheet 1 already; counter1 reads it at the desk
    actions.enter_at_desk(world.accounts["counter2"], world.round, "1", 2, [keys[0], keys[3]], [keys[1]], [])
    log_in(page, "counter1", PASSWORD)
    page.goto(f"/rounds/{world.round.pk}/counting/desk/1/")
    number = page.locator("#id_key")
    expect(number).to_be_focused()
    expect(number).to_have_value("1")
    page.keyboard.press("Enter")  # the number is right: on to the marks
    expect(page.locator("#id_reading")).to_be_focused()
    page.keyboard.type("ox.o")
    marks = page.locator("#desk-candidates .desk-mark")
    expect(marks.nth(0)).to_have_text("○")
    expect(marks.nth(1)).to_have_text("×")
    expect(marks.nth(2)).to_have_text("·")
    expect(marks.nth(4)).to_have_text("")
    expect(page.locator("#reading-count")).to_have_text("4 / 6")
    shot(page, "1-desk-typing")
    page.keyboard.type("..")
    page.keyboard.press("Enter")
    expect(page.get_by_text("第1号选票两次录入一致，已计入")).to_be_visible()
    expect(number).to_be_focused()
    expect(number).to_have_value("2")
    shot(page, "2-desk-after")
    entry = BallotEntry.objects.get()
    assert entry.marks_for == [keys[0], keys[3]] and entry.marks_against == [keys[1]]

    page.goto(f"/rounds/{world.round.pk}/board/")
    first_row = page.locator("#people tr").first
    expect(first_row.locator("td.for")).to_have_text("1")
    expect(page.locator("body")).not_to_contain_text("当选")
    for who, slot in (("counter1", 1), ("counter2", 2)):  # meanwhile, at the desk
        actions.enter_at_desk(world.accounts[who], world.round, "2", slot, [keys[0]], [], [])
    expect(first_row.locator("td.for")).to_have_text("2", timeout=6000)  # the next poll
    expect(page.locator("[data-f=entered]")).to_have_text("2")
    assert names[0] in page.locator("#people").inner_text()
    shot(page, "3-board")
    if SCREENSHOTS:
        actions.enter_at_desk(world.accounts["counter1"], world.round, "3", 1, [keys[0]], [keys[1]], ["赵磊"])
        actions.enter_at_desk(world.accounts["counter2"], world.round, "3", 2, [], [keys[0]], ["赵磊"])
        page.goto(f"/rounds/{world.round.pk}/counting/desk/1/")
        shot(page, "4-desk-stopped")
        log_in(page, "scrutineer", PASSWORD)
        page.goto(f"/rounds/{world.round.pk}/counting/conflicts/3/")
        shot(page, "5-conflict")
        page.goto(f"/rounds/{world.round.pk}/report/")
        shot(page, "6-report")
        page.goto(f"/rounds/{world.round.pk}/counting/")
        shot(page, "7-overview")
