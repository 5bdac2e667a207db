"""The sampling audit (抽样复核) in Chromium: a round's 20 sheets were counted by the scanner (its
records are planted here: scanning itself is tested in tests/counting and test_count_duties.py); a
scrutineer reads on the page how many sheets the first stage pulls, types the seed rolled in the
room, reads each pulled sheet off the paper, and the outcome is confirmed; when the paper of a pulled
sheet differs from the machine's record (a misread), the audit draws more sheets, and the hand
reading governs that sheet once the audit concludes."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.counting.world import World, open_round_world
from xuanju.counting.models import SamplingAudit
from xuanju.elections.models import BallotEntry, CountingMethod

pytestmark = [pytest.mark.django_db(transaction=True)]
SHEETS = 20
SEED = "31415 92653 58979 32384"
PAPER = "ooooox"  # every voter: for the first five candidates, against the sixth


def scanned_round() -> World:
    world = open_round_world(timezone.localdate(), issued=SHEETS, method=CountingMethod.SCAN)
    keys = world.keys()
    BallotEntry.objects.bulk_create(
        BallotEntry(
            round=world.round,
            marks_for=keys[:5],
            marks_against=keys[5:],
            sheet=serial,
            source=BallotEntry.Source.SCAN,
            entered_by="counter1",
        )
        for serial in range(1, SHEETS + 1)
    )
    return world


def pending(world: World) -> list[int]:
    audit = SamplingAudit.objects.get(round=world.round)
    return sorted(set(audit.draws.filter(paper__isnull=True).values_list("serial", flat=True)))


def read_off_paper(scrutineer: Page, serial: int, reading: str) -> None:
    scrutineer.get_by_label("选票编号").fill(str(serial))
    scrutineer.get_by_label("标记").fill(reading)
    scrutineer.get_by_role("button", name="记录复核结果").click()
    expect(scrutineer.get_by_text(f"编号 {serial} 的选票已复核")).to_be_visible()


def start(scrutineer: Page, world: World) -> None:
    scrutineer.goto(f"/rounds/{world.round.pk}/scans/")
    scrutineer.get_by_role("link", name="抽样复核").click()
    expect(scrutineer.get_by_text("第一批须抽取")).to_be_visible()
    scrutineer.get_by_label("随机种子").fill(SEED)
    scrutineer.get_by_role("button", name="按随机种子抽取选票").click()
    expect(scrutineer.get_by_text("已按随机种子抽取选票")).to_be_visible()


def test_a_clean_sample_confirms_the_scanned_count(tab):
    world = scanned_round()
    scrutineer = tab("scrutineer")
    start(scrutineer, world)
    for serial in pending(world):
        expect(scrutineer.locator(".serials")).to_contain_text(str(serial))
        read_off_paper(scrutineer, serial, PAPER)
    expect(scrutineer.get_by_role("heading", name="抽样复核确认了计票结果")).to_be_visible()
    assert SamplingAudit.objects.get().measured_risk <= 0.05


def test_a_misread_found_in_the_sample_draws_more_and_the_paper_governs(tab):
    world = scanned_round()
    scrutineer = tab("scrutineer")
    start(scrutineer, world)
    first = pending(world)
    # The paper of the first pulled sheet votes against the first candidate, where the machine's
    # record has a vote for: a misread that overstates a winner's votes.
    read_off_paper(scrutineer, first[0], "xoooox")
    for serial in first[1:]:
        read_off_paper(scrutineer, serial, PAPER)
    audit = SamplingAudit.objects.get()
    assert audit.stages == 2 and pending(world), "the discrepancy must draw more sheets"
    expect(scrutineer.get_by_text("待复核的选票")).to_be_visible()
    while pending(world):
        read_off_paper(scrutineer, pending(world)[0], PAPER)
    audit.refresh_from_db()
    assert audit.verdict in (SamplingAudit.Verdict.CONFIRMED, SamplingAudit.Verdict.HAND_COUNTED)
    corrected = BallotEntry.objects.get(round=world.round, sheet=first[0])
    keys = world.keys()
    assert corrected.marks_for == keys[1:5] and corrected.marks_against == [keys[0], keys[5]]
    assert corrected.source == BallotEntry.Source.SCRUTINEER
