"""Unnumbered ballots (issue 17): identical sheets accounted for by counts, double entry by batch
and position, scanning in counted batches with a rescanned sheet told by its marks, and the
sampling audit drawing sheets by batch and position. Marked and scanned sheets come from the
independent hand-drawn generator (tests/paper/handdrawn.py via tests/counting/unnumbered.py)."""

from __future__ import annotations

import pypdfium2
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.counting.scans import print_round
from tests.counting.unnumbered import Voter, batch_file
from tests.counting.world import World, open_round_world
from tests.factories import client_for
from xuanju.counting import actions, sampling, scan_batches, scanning
from xuanju.counting.closing import blockers
from xuanju.counting.desk import conflict_keys, next_key, sheet_account
from xuanju.counting.models import ScanPage
from xuanju.counting.sheets import sheet_ids
from xuanju.elections.models import BallotEntry, CountingMethod
from xuanju.organizations.actions import ActionError
from xuanju.paper import likeness

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db) -> World:
    return open_round_world(timezone.localdate(), issued=20, numbered=False)


@pytest.fixture
def scan_world(db) -> World:
    return open_round_world(timezone.localdate(), issued=20, method=CountingMethod.SCAN, numbered=False)


def enter(world: World, who: str, key: str, slot: int, for_=(), against=(), **extra):
    return actions.enter_at_desk(
        world.accounts[who], world.round, key, slot, list(for_), list(against), [], **extra
    )


def test_R_SUP_1_unnumbered_sheets_of_a_round_are_all_alike(world: World) -> None:
    assert world.round.numbered_sheets is False  # the procedure's default, copied by the round
    pdf, print_ = scanning.print_round("village", world.round, 2, None, False)
    ids = sheet_ids(print_)
    assert len(ids) == 22 and len(set(ids)) == 1 and ids[0].serial is None
    assert ids[0].payload() == f"XJ1/{world.election.pk}/{world.round.pk}/{print_.layout_code}"
    document = pypdfium2.PdfDocument(pdf)
    try:
        first, last = (document[n].render(scale=1).to_numpy().tobytes() for n in (0, len(document) - 1))
    finally:
        document.close()
    assert len(ids) == 22 and first == last  # the first sheet handed out looks like the last


def test_R_BAL_5_unnumbered_sheets_are_accounted_for_by_counts(world: World) -> None:
    print_round(world.round, reserve=3)
    with pytest.raises(ActionError, match="不编号，请登记作废换发和未发出的张数"):
        actions.note_sheets("village", world.round, [21], "unused")
    with pytest.raises(ActionError, match="合计最多 3 张"):
        actions.count_sheets("village", world.round, 2, 2)
    account = sheet_account(world.round)
    assert (account.printed, account.unaccounted) == (23, 3)
    assert any("还有 3 张没有下落" in text for text in blockers(world.round, 0))
    actions.count_sheets("village", world.round, 1, 2)
    account = sheet_account(world.round)
    assert (account.spoiled, account.unused, account.balanced) == (1, 2, True)
    assert not any("没有下落" in text for text in blockers(world.round, 0))


def test_R_BAL_4_double_entry_pairs_readings_by_batch_and_position(world: World) -> None:
    k = world.keys()
    assert next_key(world.round, 1) == "1-1"
    enter(world, "counter1", "1-1", 1, for_=k[:5])
    enter(world, "counter2", "第1批第1张", 2, for_=k[:5])
    entry = BallotEntry.objects.get()
    assert entry.sheet is None and entry.count == 1  # no sheet number on record
    assert next_key(world.round, 1) == "1-2"
    with pytest.raises(ActionError, match="本轮选票不编号：请填写批次和张次"):
        enter(world, "counter1", "2", 1, for_=k[:5])
    with pytest.raises(ActionError, match="是一张选票"):
        enter(world, "counter1", "1-2", 1, for_=k[:5], count=3)
    # a stack of identical ballots is still one group entry
    enter(world, "counter1", "组1", 1, for_=k[:5], count=5)
    enter(world, "counter2", "组1", 2, for_=k[:5], count=5)
    assert BallotEntry.objects.filter(count=5).exists()


def test_R_BAL_4_a_difference_stops_the_desk_and_names_the_sheet_to_pull(world: World) -> None:
    k = world.keys()
    enter(world, "counter1", "3-17", 1, for_=k[:5])
    enter(world, "counter2", "3－17", 2, for_=k[:4], against=[k[4]])
    assert conflict_keys(world.round) == ["3-17"]
    with pytest.raises(
        ActionError, match="第3批第17张选票两次录入不一致：请监票人从第3批中按顺序数出第17张原票"
    ):
        enter(world, "counter1", "3-18", 1, for_=k[:5])
    client = client_for(world.accounts["scrutineer"])
    page = client.get(reverse("desk_conflict", args=[world.round.pk, "3-17"])).content.decode()
    assert "从上往下数出第17张（第3批第17张）" in page
    actions.resolve_conflict(world.accounts["scrutineer"], world.round, "3-17", k[:5], [], [])
    enter(world, "counter1", "3-18", 1, for_=k[:5])  # the desk goes on


def test_the_desk_offers_the_next_batch_after_a_full_one(world: World) -> None:
    k = world.keys()
    enter(world, "counter1", "1-50", 1, for_=k[:5])
    assert next_key(world.round, 1) == "2-1" and next_key(world.round, 2) == "1-1"
    page = client_for(world.accounts["counter1"]).get(reverse("counting_desk", args=[world.round.pk, 1]))
    assert 'value="2-1"' in page.content.decode() and "批次-张次" in page.content.decode()


def _upload(world: World, name: str, pages: list, stated: int | None) -> ScanPage:
    file = scan_batches.store_upload("counter1", world.round, name, batch_file(pages), stated)
    scan_batches.read_batch(file.pk, "counter1")
    return file


def test_R_BAL_5_a_sheet_scanned_twice_is_refused_by_its_marks(scan_world: World) -> None:
    world = scan_world
    print_ = print_round(world.round)
    a, b, c = (Voter(print_, "ooooox", hand) for hand in (1, 2, 3))  # the same choices, three hands
    with pytest.raises(ActionError, match="请填写监票人清点的这一批选票张数"):
        scan_batches.store_upload("counter1", world.round, "b1.tiff", batch_file([a.scan(10)]), None)
    first = _upload(world, "b1.tiff", [a.scan(10), b.scan(11)], 2)
    # batch 2: one sheet, and the first sheet of batch 1 fed through again
    second = _upload(world, "b2.tiff", [c.scan(12), a.scan(13)], 1)
    assert (first.batch, second.batch) == (1, 2)
    statuses = list(ScanPage.objects.order_by("file__batch", "page_number").values_list("status", flat=True))
    assert statuses == ["counted", "counted", "counted", "duplicate"]
    rescan = ScanPage.objects.get(status="duplicate")
    assert "与已扫描的第1批第1张选票标记笔迹一致" in rescan.problem and rescan.likeness >= likeness.SAME_SHEET
    assert BallotEntry.objects.count() == 3
    assert all(batch.matches for batch in scan_batches.batch_counts(world.round))


def test_R_BAL_5_a_batch_whose_sheets_differ_from_its_count_stops_the_close(scan_world: World) -> None:
    world = scan_world
    print_ = print_round(world.round)
    _upload(world, "b1.tiff", [Voter(print_, "ooooox", 4).scan(20)], 2)  # counted two, scanned one
    [batch] = scan_batches.batch_counts(world.round)
    assert (batch.stated, batch.sheets, batch.matches) == (2, 1, False)
    assert any("第1批清点 2 张，扫描计入和待定的 1 张" in text for text in blockers(world.round, 1))


def test_a_close_likeness_waits_for_the_scrutineers(scan_world: World, monkeypatch) -> None:
    world = scan_world
    print_ = print_round(world.round)
    voter = Voter(print_, "oooo.x", 5)
    monkeypatch.setattr(likeness, "SAME_SHEET", 1.01)  # nothing is sure: every close pair is asked
    _upload(world, "b1.tiff", [voter.scan(30)], 1)
    _upload(world, "b2.tiff", [voter.scan(31)], 1)
    suspect = ScanPage.objects.get(status="suspect")
    assert "请监票人对照两张原票判断" in suspect.problem
    assert any("可能是同一张重复扫描" in text for text in blockers(world.round, 1))
    with pytest.raises(ActionError, match="只有监票人"):
        scanning.decide_rescan(world.accounts["counter1"], suspect, True)
    scanning.decide_rescan(world.accounts["scrutineer"], suspect, True)
    suspect.refresh_from_db()
    assert suspect.status == "duplicate" and BallotEntry.objects.count() == 1


def test_the_audit_draws_unnumbered_sheets_by_batch_and_position(scan_world: World) -> None:
    world = scan_world
    keys = world.keys()
    print_ = print_round(world.round)
    voters = [Voter(print_, "ooooox", 40 + n) for n in range(3)]
    _upload(world, "b1.tiff", [v.scan(50 + n) for n, v in enumerate(voters)], 3)
    assert BallotEntry.objects.count() == 3
    audit = sampling.start_audit(world.accounts["scrutineer"], world.round, "1234567890", 5)
    draws = list(audit.draws.all())
    assert draws and all(d.serial is None and d.batch == 1 and 1 <= d.position <= 3 for d in draws)
    key = draws[0].key
    reading = {"marks_for": keys[:5], "marks_against": keys[5:], "write_ins": [], "void_reason": ""}
    sampling.record_paper(world.accounts["scrutineer"], audit, key, reading)
    assert not audit.draws.filter(
        batch=draws[0].batch, position=draws[0].position, paper__isnull=True
    ).exists()
