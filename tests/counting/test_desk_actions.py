"""The counting desk through its actions: double entry, disputes, groups, withdrawal, sheets."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from tests.counting.world import World
from tests.counts import close_counted
from xuanju.audit.models import AuditRecord
from xuanju.counting import actions
from xuanju.counting.desk import conflict_keys, next_serial, pending, sheet_account
from xuanju.counting.models import DeskEntry, SheetNote
from xuanju.elections import actions as election_actions
from xuanju.elections.models import BallotEntry
from xuanju.organizations.actions import ActionError

pytestmark = pytest.mark.django_db
STOP = "两次录入不一致，请监票人核对原票后裁定，之后才能继续录入"


def enter(world: World, who: str, key: str, slot: int, for_=(), against=(), write_ins=(), **extra):
    return actions.enter_at_desk(
        world.accounts[who], world.round, key, slot, list(for_), list(against), list(write_ins), **extra
    )


def test_R_BAL_2_two_agreeing_readings_make_one_ballot_entry(world):
    k = world.keys()
    first = enter(world, "counter1", "12", 1, for_=k[:3], against=[k[3]], write_ins=["赵磊"])
    assert first.ballot is None and BallotEntry.objects.count() == 0
    assert [e.key for e in pending(world.round, 1)] == ["12"]
    # the same reading in another order, with a stray space in the name: the same as sets
    second = enter(world, "counter2", "0012", 2, for_=reversed(k[:3]), against=[k[3]], write_ins=[" 赵磊"])
    entry = BallotEntry.objects.get()
    assert (entry.sheet, entry.source, entry.count) == (12, "double_entry", 1)
    assert set(entry.marks_for) == set(k[:3]) and entry.write_ins == ["赵磊"]
    assert set(DeskEntry.objects.values_list("ballot", flat=True)) == {entry.pk}
    assert second.key == "12" and pending(world.round, 1) == [] and conflict_keys(world.round) == []
    with pytest.raises(ActionError, match="第12号选票已经计入"):
        enter(world, "scrutineer", "12", 1)


def test_differing_readings_stop_the_desk_until_a_scrutineer_decides(world):
    k = world.keys()
    enter(world, "counter1", "12", 1, for_=[k[0]])
    enter(world, "counter2", "12", 2, against=[k[0]])
    assert BallotEntry.objects.count() == 0 and conflict_keys(world.round) == ["12"]
    with pytest.raises(ActionError, match=f"^第12号选票{STOP}$"):
        enter(world, "counter1", "13", 1, for_=[k[1]])
    with pytest.raises(ActionError, match="只有监票人才能裁定"):
        actions.resolve_conflict(world.accounts["counter2"], world.round, "12", [k[0]], [], [])
    with pytest.raises(ActionError, match="没有待裁定"):
        actions.resolve_conflict(world.accounts["scrutineer"], world.round, "13", [k[0]], [], [])
    entry = actions.resolve_conflict(world.accounts["scrutineer"], world.round, "12", [k[0]], [], [])
    assert (entry.sheet, entry.source) == (12, "scrutineer")
    readings = DeskEntry.objects.filter(key="12")
    assert readings.count() == 2 and {r.ballot_id for r in readings} == {entry.pk}  # both kept
    assert AuditRecord.objects.filter(action="resolve_conflict", actor="scrutineer").count() == 1
    enter(world, "counter1", "13", 1, for_=[k[1]])  # the desk goes on


def test_one_account_cannot_read_both_slots_of_a_ballot(world):
    k = world.keys()
    enter(world, "counter1", "5", 1, for_=k[:2])
    with pytest.raises(ActionError, match="两次录入须由两名计票人用各自的账号分别进行"):
        enter(world, "counter1", "5", 2, for_=k[:2])
    with pytest.raises(ActionError, match="甲录入已由 counter1 录入"):
        enter(world, "counter2", "5", 1, for_=k[:2])
    assert BallotEntry.objects.count() == 0


def test_group_entries_are_double_checked_including_their_count(world):
    k = world.keys()
    enter(world, "counter1", "组1", 1, for_=k[:5], count=12)
    enter(world, "counter2", "组1", 2, for_=k[:5], count=12)
    group = BallotEntry.objects.get()
    assert (group.count, group.sheet, group.source) == (12, None, "double_entry")
    enter(world, "counter1", "组2", 1, for_=k[:2], count=4)
    enter(world, "counter2", "组2", 2, for_=k[:2], count=3)
    assert conflict_keys(world.round) == ["组2"]
    with pytest.raises(ActionError, match="“组2”这叠选票" + STOP):
        enter(world, "counter1", "组3", 1, count=2)
    actions.resolve_conflict("scrutineer", world.round, "组2", k[:2], [], [], count=4)
    assert sum(BallotEntry.objects.values_list("count", flat=True)) == 16
    with pytest.raises(ActionError, match="一叠相同的选票请填组号"):
        enter(world, "counter1", "7", 1, count=3)


def test_a_counter_withdraws_a_pending_reading_of_their_own_only(world):
    k = world.keys()
    mine = enter(world, "counter1", "3", 1, for_=[k[0]])
    other = enter(world, "counter2", "4", 2, for_=[k[0]])
    with pytest.raises(ActionError, match="只能由本人撤回"):
        actions.withdraw_desk_entry(world.accounts["counter1"], other)
    actions.withdraw_desk_entry(world.accounts["counter1"], mine)
    assert not DeskEntry.objects.filter(pk=mine.pk).exists()
    assert AuditRecord.objects.filter(action="withdraw_desk_entry").count() == 1
    enter(world, "counter1", "3", 1, for_=[k[1]])  # read again
    enter(world, "counter2", "3", 2, for_=[k[1]])
    counted = DeskEntry.objects.get(key="3", slot=1)
    with pytest.raises(ActionError, match="已经计入"):
        actions.withdraw_desk_entry(world.accounts["counter1"], counted)
    # in dispute: not the counter's to take back, but a scrutineer may (a mistyped number)
    disputed = enter(world, "counter1", "4", 1, against=[k[0]])
    with pytest.raises(ActionError, match="须由监票人"):
        actions.withdraw_desk_entry(world.accounts["counter1"], disputed)
    actions.withdraw_desk_entry(world.accounts["scrutineer"], disputed, as_scrutineer=True)
    assert conflict_keys(world.round) == []


def test_R_BAL_5_every_printed_serial_is_accounted_for(world):
    round_ = world.round
    with pytest.raises(ActionError, match="没有在系统中登记印制"):
        actions.note_sheets("village", round_, [21], "unused")
    with pytest.raises(ActionError, match="8 位十六进制"):
        actions.record_print("village", round_, 5, "A4", False, "XYZ")
    printed = actions.record_print("village", round_, 5, "A4", False, "3fa2b9c0")
    assert printed.sheets == 25  # 20 to issue + 5 reserve: serials 1-25
    with pytest.raises(ActionError, match="重印只能印同样的张数"):
        actions.record_print("village", round_, 6, "A4", False, "3fa2b9c0")
    actions.record_print("village", round_, 5, "A3", True, "3fa2b9c0")  # same serials: allowed
    assert actions.note_sheets("village", round_, [21, 22, 23, 24], "unused") == 4
    assert actions.note_sheets("village", round_, [25], "spoiled") == 1
    with pytest.raises(ActionError, match="超出本轮印制的选票编号 1-25"):
        actions.note_sheets("village", round_, [26], "spoiled")
    with pytest.raises(ActionError, match="最多 5 张"):
        actions.note_sheets("village", round_, [3], "spoiled")
    account = sheet_account(round_)
    assert (account.printed, account.issued, account.spoiled, account.unused) == (25, 20, 1, 4)
    assert account.balanced and account.unused_serials == "21-24" and account.spoiled_serials == "25"
    k = world.keys()
    with pytest.raises(ActionError, match="第22号选票已登记为未发出，不能计票"):
        enter(world, "counter1", "22", 1, for_=[k[0]])
    with pytest.raises(ActionError, match="第25号选票已登记为作废换发"):
        enter(world, "counter1", "25", 1, for_=[k[0]])
    with pytest.raises(ActionError, match="第26号超出本轮印制的选票编号 1-25"):
        enter(world, "counter1", "26", 1, for_=[k[0]])
    enter(world, "counter1", "2", 1, for_=[k[0]])
    actions.clear_sheet_notes("village", round_, [25])
    with pytest.raises(ActionError, match="第2号选票已经录入或计入"):
        actions.note_sheets("village", round_, [2, 25], "spoiled")
    assert SheetNote.objects.count() == 4


def test_R_BAL_5_the_same_sheet_is_never_counted_twice(world):
    k = world.keys()
    round_ = world.round
    scanned = election_actions.check_ballot(round_, [k[0]], [], [])
    election_actions.store_ballot("scanner", round_, scanned, sheet=7, source=BallotEntry.Source.SCAN)
    with pytest.raises(ActionError, match="第7号选票已经计入本轮，同一张选票不能计两次"):
        enter(world, "counter1", "7", 1, for_=[k[0]])
    with pytest.raises(ActionError, match="第7号选票已经计入本轮"):
        election_actions.store_ballot("scanner", round_, scanned, sheet=7, source=BallotEntry.Source.SCAN)
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses it too
        BallotEntry.objects.create(round=round_, sheet=7, source="scan")
    BallotEntry.objects.create(round=round_)  # entries without a sheet are not constrained
    BallotEntry.objects.create(round=round_)


def test_R_BAL_2_R_BAL_3_R_BAL_4_a_reading_is_checked_by_the_rules_engine_as_it_is_typed(world):
    k = world.keys()
    with pytest.raises(ActionError, match="另选他人"):  # a write-in without an against-mark
        enter(world, "counter1", "1", 1, for_=[k[0]], write_ins=["赵磊"])
    with pytest.raises(ActionError):  # a candidate cannot be written in
        enter(world, "counter1", "1", 1, against=[k[0]], write_ins=[world.names()[1]])
    assert DeskEntry.objects.count() == 0
    # an over-vote (R-BAL-3) is a reading like any other: counted, as an invalid ballot
    enter(world, "counter1", "1", 1, for_=k[:5], write_ins=[], against=[k[5]])
    enter(world, "counter2", "1", 2, for_=k[:5], against=[k[5]])
    enter(world, "counter1", "2", 1, for_=k[:5], against=[k[5]], write_ins=["赵磊"])
    enter(world, "counter2", "2", 2, for_=k[:5], against=[k[5]], write_ins=["赵磊"])
    # a void ballot's reason is part of the reading: two wordings go to the scrutineer (R-BAL-4)
    enter(world, "counter1", "3", 1, void_reason="撕损无法辨认")
    enter(world, "counter2", "3", 2, void_reason="有识别投票人的标记")
    assert conflict_keys(world.round) == ["3"]
    actions.resolve_conflict("scrutineer", world.round, "3", [], [], [], void_reason="有识别投票人的标记")
    assert BallotEntry.objects.filter(void_reason="有识别投票人的标记", source="scrutineer").count() == 1


def test_the_desk_offers_the_next_number_after_its_last_and_skips_sheets_not_to_count(world):
    k = world.keys()
    assert next_serial(world.round, 1) == 1
    actions.record_print("village", world.round, 2, "A4", False, "3fa2b9c0")
    actions.note_sheets("village", world.round, [4, 21], "spoiled")
    for serial in (1, 2, 3):
        enter(world, "counter1", str(serial), 1, for_=[k[0]])
    assert next_serial(world.round, 1) == 5 and next_serial(world.round, 2) == 1
    enter(world, "counter1", "20", 1, for_=[k[0]])
    assert next_serial(world.round, 1) == 22
    enter(world, "counter1", "22", 1, for_=[k[0]])
    assert next_serial(world.round, 1) is None  # past the last printed sheet


def test_a_closed_round_takes_no_more_readings(world):
    k = world.keys()
    enter(world, "counter1", "1", 1, for_=[k[0]])
    enter(world, "counter2", "1", 2, for_=[k[0]])
    close_counted(world.round, returned=1)
    with pytest.raises(ActionError, match="已经计票结束"):
        enter(world, "counter1", "2", 1, for_=[k[0]])
    with pytest.raises(ActionError, match="已经计票结束"):
        actions.record_print("village", world.round, 0, "A4", False, "3fa2b9c0")
