"""Unnumbered ballots in Chromium (issue 17): a round whose sheets carry no number is printed, its
sheets scanned in batches the scrutineers counted — one sheet fed through twice and caught by its
marks, one fed face down and read at the desk, where the two counters differ and the scrutineer is
told which sheet of which batch to pull — and a sampling audit drawn by batch and position confirms
the outcome; a second round plants a misread and sees the audit draw more sheets.

The sheets are marked by hand and scanned by the independent generator tests/paper/handdrawn.py
(tests/counting/unnumbered.py); the test deck is stored as passed (it is tested in
tests/browser/test_scan_adjudication.py)."""

from __future__ import annotations

import numpy as np
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import messages
from tests.counting.scans import pass_deck
from tests.counting.unnumbered import Voter, batch_file
from tests.counting.world import World, open_round_world
from xuanju.counting.models import BallotPrint, SamplingAudit, ScanPage
from xuanju.elections.models import BallotEntry, CountingMethod

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.rule("R-BAL-5")]
SEED = "27182 81828 45904 52353"
SHEETS = 16
PAPER = "ooooox"  # every voter: for the first five candidates, against the sixth
AGAINST_FIRST = "xoooox"


def unnumbered_round(issued: int) -> World:
    """20 voters present: 16 sheets all for the same five elect them (R-CNT-1) with margin enough
    for a sample of a few sheets."""
    return open_round_world(timezone.localdate(), issued=issued, method=CountingMethod.SCAN, numbered=False)


def print_sheets(scrutineer: Page, world: World) -> BallotPrint:
    scrutineer.goto(f"/rounds/{world.round.pk}/print/")
    expect(scrutineer.get_by_text("每张选票完全相同")).to_be_visible()
    scrutineer.get_by_label("备用选票（张）").fill("0")
    with scrutineer.expect_download() as download:
        scrutineer.get_by_role("button", name="生成选票 PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    printed = BallotPrint.objects.get(round=world.round)
    pass_deck(printed)
    return printed


def upload(counter: Page, world: World, path, pages: list, stated: int) -> None:
    path.write_bytes(batch_file(pages))
    counter.goto(f"/rounds/{world.round.pk}/scans/")
    counter.get_by_label("扫描件").set_input_files(path)
    counter.get_by_label("这一批的张数").fill(str(stated))
    # the test settings read the batch in the request: a slow machine takes a while
    counter.get_by_role("button", name="上传并识别").click(timeout=180_000)
    expect(messages(counter)).to_contain_text("已上传 1 个文件", timeout=180_000)


def pending(world: World) -> list[str]:
    audit = SamplingAudit.objects.get(round=world.round)
    return sorted({d.key for d in audit.draws.filter(paper__isnull=True)})


def read_off_paper(scrutineer: Page, key: str, reading: str) -> None:
    batch, position = key.split("-")
    scrutineer.get_by_label("批次-张次").fill(key)
    scrutineer.get_by_label("标记").fill(reading)
    scrutineer.get_by_role("button", name="记录复核结果").click()
    expect(messages(scrutineer)).to_contain_text(f"第{batch}批第{position}张选票已复核")


def start_audit(scrutineer: Page, world: World) -> None:
    scrutineer.goto(f"/rounds/{world.round.pk}/sampling-audit/")
    expect(scrutineer.get_by_text("第一批须抽取")).to_be_visible()
    scrutineer.get_by_label("随机种子").fill(SEED)
    scrutineer.get_by_role("button", name="按随机种子抽取选票").click()
    expect(messages(scrutineer)).to_contain_text("已按随机种子抽取选票")


def test_R_BAL_5_R_BAL_4_an_unnumbered_round_printed_scanned_entered_and_audited(tab, tmp_path):
    world = unnumbered_round(issued=SHEETS)
    scrutineer, counter = tab("scrutineer"), tab("counter1")
    printed = print_sheets(scrutineer, world)
    voters = [Voter(printed, PAPER, hand) for hand in range(100, 100 + SHEETS - 1)]
    scans = f"/rounds/{world.round.pk}/scans/"

    # batch 1: eight sheets the scrutineers counted
    upload(counter, world, tmp_path / "batch1.tiff", [v.scan(n) for n, v in enumerate(voters[:8])], 8)
    # batch 2: eight sheets counted; the feeder also took the second sheet of batch 1 again, and
    # the last sheet went in face down (its blank back has nothing to read)
    rest = [v.scan(20 + n) for n, v in enumerate(voters[8:])]
    back = np.full_like(rest[0], 250)
    upload(counter, world, tmp_path / "batch2.tiff", [*rest[:3], voters[1].scan(40), *rest[3:], back], 8)
    counter.goto(scans)
    rescan = ScanPage.objects.get(status=ScanPage.Status.DUPLICATE)
    assert (rescan.file.batch, rescan.page_number) == (2, 4)
    expect(counter.get_by_text("与已扫描的第1批第2张选票标记笔迹一致").first).to_be_visible()
    rows = counter.locator(".scan-batch-counts tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("相符")
    expect(rows.nth(1)).to_contain_text("相符")
    assert BallotEntry.objects.filter(round=world.round).count() == SHEETS - 1

    # the face-down sheet, 2nd batch 9th page, is read at the desk by two counters who differ
    counter.goto(f"/rounds/{world.round.pk}/counting/desk/1/")
    counter.get_by_label("批次-张次").fill("2-9")
    counter.get_by_label("标记").fill(PAPER)
    counter.get_by_role("button", name="录入（Enter）").click()
    expect(messages(counter)).to_contain_text("等待另一席录入")
    second = tab("counter2")
    second.goto(f"/rounds/{world.round.pk}/counting/desk/2/")
    second.get_by_label("批次-张次").fill("2-9")
    second.get_by_label("标记").fill("oooo.x")
    second.get_by_role("button", name="录入（Enter）").click()
    expect(messages(second)).to_contain_text("请监票人从第2批中按顺序数出第9张原票")
    scrutineer.goto(f"/rounds/{world.round.pk}/counting/")
    scrutineer.get_by_role("link", name="第2批第9张选票").click()
    expect(scrutineer.locator(".pull-sheet")).to_contain_text("从上往下数出第9张（第2批第9张）")
    scrutineer.get_by_label("标记").fill(PAPER)
    scrutineer.get_by_role("button", name="按原票计入").click()
    expect(messages(scrutineer)).to_contain_text("已按监票人核对的原票计入第2批第9张选票")
    assert BallotEntry.objects.filter(round=world.round).count() == SHEETS

    # the sampling audit pulls sheets by batch and position and confirms the outcome
    start_audit(scrutineer, world)
    expect(scrutineer.get_by_role("columnheader", name="批次和张次")).to_be_visible()
    while pending(world):
        key = pending(world)[0]
        batch, position = key.split("-")
        expect(scrutineer.locator(".serials")).to_contain_text(f"第{batch}批第{position}张")
        read_off_paper(scrutineer, key, PAPER)
    expect(scrutineer.get_by_role("heading", name="抽样复核确认了计票结果")).to_be_visible()
    audit = SamplingAudit.objects.get()
    assert audit.verdict == SamplingAudit.Verdict.CONFIRMED and audit.measured_risk <= 0.05
    assert all(d.serial is None and d.batch in (1, 2) for d in audit.draws.all())


def test_R_BAL_5_a_planted_misread_makes_the_audit_draw_more(tab, tmp_path):
    world = unnumbered_round(issued=SHEETS)
    scrutineer, counter = tab("scrutineer"), tab("counter1")
    printed = print_sheets(scrutineer, world)
    # every fourth voter voted against the first candidate; the others as everyone in PAPER
    papers = [AGAINST_FIRST if n % 4 == 1 else PAPER for n in range(SHEETS)]
    voters = [Voter(printed, paper, 200 + n) for n, paper in enumerate(papers)]
    half = SHEETS // 2
    upload(
        counter, world, tmp_path / "batch1.tiff", [v.scan(80 + n) for n, v in enumerate(voters[:half])], half
    )
    upload(
        counter, world, tmp_path / "batch2.tiff", [v.scan(90 + n) for n, v in enumerate(voters[half:])], half
    )
    counter.goto(f"/rounds/{world.round.pk}/scans/")
    expect(counter.locator(".scan-batch-counts tbody tr").nth(1)).to_contain_text("相符")
    assert BallotEntry.objects.filter(round=world.round).count() == SHEETS

    # plant the misreads: the machine's records of those four sheets say ○ for the first candidate
    # where the paper has ×, which overstates a winner's votes
    keys = world.keys()
    paper_of = {f"{n // half + 1}-{n % half + 1}": paper for n, paper in enumerate(papers)}
    misread = [key for key, paper in paper_of.items() if paper != PAPER]
    for key in misread:
        batch, position = (int(x) for x in key.split("-"))
        entry = ScanPage.objects.get(file__batch=batch, page_number=position).ballot
        assert entry.marks_against == [keys[0], keys[5]]  # the scanner had read it right
        entry.marks_for, entry.marks_against = keys[:5], [keys[5]]
        entry.save()

    start_audit(scrutineer, world)
    first = pending(world)
    assert set(first) & set(misread), "this seed draws a misread sheet in the first stage"
    for key in first:
        read_off_paper(scrutineer, key, paper_of[key])
    audit = SamplingAudit.objects.get()
    assert audit.stages == 2, "the discrepancy must draw more sheets"
    assert audit.verdict in (SamplingAudit.Verdict.OPEN, SamplingAudit.Verdict.FULL_COUNT)
    scrutineer.reload()
    expect(scrutineer.get_by_text("待复核的选票")).to_be_visible()
    while pending(world):
        key = pending(world)[0]
        read_off_paper(scrutineer, key, paper_of[key])
    audit.refresh_from_db()
    assert audit.verdict in (SamplingAudit.Verdict.CONFIRMED, SamplingAudit.Verdict.HAND_COUNTED)
    for key in set(misread) & {d.key for d in audit.draws.all()}:
        batch, position = (int(x) for x in key.split("-"))
        corrected = ScanPage.objects.get(file__batch=batch, page_number=position).ballot
        assert corrected.marks_against == [keys[0], keys[5]]  # the paper governs
        assert corrected.source == BallotEntry.Source.SCRUTINEER
