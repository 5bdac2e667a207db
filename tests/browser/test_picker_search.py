"""The role picker's search field (static picker.js, under the CSP): typing narrows the list."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.browser.conftest import log_in
from xuanju.elections import actions
from xuanju.elections.models import Approval, Candidate, Meeting, Post

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()


def approve(approval: Approval) -> None:
    actions.decide("town", approval, Approval.Decision.APPROVED, "东乡组〔2026〕1号", "")


def test_the_scrutineer_picker_is_searchable_and_lists_only_present_voters(page: Page):
    tree, people = f.village_due_for_reelection(TODAY)
    f.account("village", tree.village, "secretary")
    election = actions.start_election("village", tree.village, TODAY, 5, 1, readiness="已完成述职和民主评议")
    approve(actions.submit_plan("village", election))
    committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
    for person in people[:6]:
        actions.set_candidate("village", committee, person, Candidate.Stage.PROVISIONAL, vetting="考察合格")
    actions.set_candidate("village", election.contests.get(post=Post.SECRETARY), people[0], "provisional")
    actions.set_candidate(
        "village", election.contests.get(post=Post.DEPUTY_SECRETARY), people[1], "provisional"
    )
    approve(actions.submit_candidates("village", election))
    meeting = actions.open_meeting("village", election, Meeting.Kind.MEMBERS, TODAY)
    actions.mark_present("village", meeting, [p.pk for p in people if p.name != "周杰"])
    actions.close_roll("village", meeting)
    actions.adopt_procedure("village", meeting, "present", False, votes_for=19)

    log_in(page, "village", f.PASSWORD)
    page.goto(f"/meetings/{meeting.pk}/roles/")
    select = page.locator("select[name=member]")
    expect(select.locator("option", has_text="周杰")).to_have_count(0)  # absent at the roll call
    search = page.locator("input.picker-search")
    search.fill("林")
    expect(select.locator("option:not([hidden])", has_text="林峰")).to_have_count(1)
    expect(select.locator("option:not([hidden])", has_text="罗兰")).to_have_count(0)
    select.select_option(label=select.locator("option:not([hidden])", has_text="林峰").inner_text())
    page.get_by_label("职责").select_option("scrutineer")
    page.get_by_role("button", name="经会议通过，确定").click()
    expect(page.locator(".messages")).to_contain_text("林峰任监票人")
