"""Count integrity through the actions: the round's counting method admits one path into the count,
counters enter and scrutineers confirm, decide, void, delete and close, never the same account in
one round (R-MEET-4), and the count closes only when nothing is left open (R-BAL-4/5, R-SUP-4)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.counting.scans import confirm, print_round, scanned_sheet
from tests.counting.world import World, open_round_world
from xuanju.audit.models import AuditRecord
from xuanju.counting import actions, scanning
from xuanju.counting.models import ScanPage
from xuanju.elections import actions as election_actions
from xuanju.elections.models import BallotEntry, CountingMethod, Round
from xuanju.organizations.actions import ActionError
from xuanju.paper.synthetic import Drawn

pytestmark = pytest.mark.django_db
DOUBLE, SCAN, SINGLE = CountingMethod.DOUBLE_ENTRY, CountingMethod.SCAN, CountingMethod.SINGLE_ENTRY
SCRUTINEER_ONLY = "只有监票人才能"
ENTERED_HERE = "录入过选票"


def world_of(method: str, issued: int = 20) -> World:
    return open_round_world(timezone.localdate(), issued=issued, method=method)


def desk(world: World, who: str, key: str, slot: int, for_: list[str]) -> object:
    return actions.enter_at_desk(world.accounts[who], world.round, key, slot, for_, [], [])


def single(world: World, who: str, for_: list[str], count: int = 1) -> BallotEntry:
    return election_actions.record_ballot(world.accounts[who], world.round, for_, [], [], count=count)


def closed(world: World) -> bool:
    return Round.objects.get(pk=world.round.pk).closed


# --- the method admits one path ------------------------------------------------------------


def test_R_MEET_4_a_double_entry_round_refuses_the_plain_entry_page_and_scans_for_everyone(db):
    world = world_of(DOUBLE)
    k = world.keys()
    for who in ("counter1", "scrutineer", "secretary"):
        with pytest.raises(ActionError, match="采用“双人录入”计票，不能用单人录入计入选票"):
            single(world, who, k[:1], count=30)
        with pytest.raises(ActionError, match="不能用扫描计票计入选票"):
            scanning.scan_upload(world.accounts[who], world.round, "a.jpg", b"x")
    assert not BallotEntry.objects.exists()


def test_R_MEET_4_a_single_entry_round_refuses_the_desk_and_scans(db):
    world = world_of(SINGLE)
    with pytest.raises(ActionError, match="不能用计票台双人录入计入选票"):
        desk(world, "counter1", "1", 1, world.keys()[:1])
    with pytest.raises(ActionError, match="不能用扫描计票计入选票"):
        scanning.scan_upload(world.accounts["counter1"], world.round, "a.jpg", b"x")


def test_R_MEET_4_a_scanned_round_refuses_the_plain_entry_page_and_sends_unreadable_sheets_to_the_desk(db):
    world = world_of(SCAN)
    with pytest.raises(ActionError, match="采用“扫描计票、监票人裁定存疑”计票，不能用单人录入计入选票"):
        single(world, "counter1", world.keys()[:1])
    desk(world, "counter1", "1", 1, world.keys()[:1])
    desk(world, "counter2", "1", 2, world.keys()[:1])
    assert BallotEntry.objects.get().source == "double_entry"


def test_R_MEET_3_the_procedure_sets_the_method_and_a_round_may_choose_another_audited(db):
    world = world_of(SINGLE, issued=20)
    assert world.meeting.counting_method == SINGLE and world.round.counting_method == SINGLE
    single(world, "counter1", world.keys()[:1], count=20)
    election_actions.confirm_ballot(world.accounts["scrutineer"], world.round.ballots.get())
    election_actions.close_round(world.accounts["scrutineer"], world.round, 20)
    further = election_actions.open_round(
        "village", world.round.contest, world.meeting, 20, counting_method=DOUBLE
    )
    assert further.counting_method == DOUBLE
    opened = AuditRecord.objects.filter(action="open_round").order_by("-pk").first()
    assert opened.after["counting_method"] == DOUBLE and "计票方式：双人录入" in opened.summary
    with pytest.raises(ActionError, match="请选择双人录入"):
        election_actions.open_round(
            "village", world.round.contest, world.meeting, 20, counting_method="shout"
        )


# --- single entry: a second person confirms -------------------------------------------------


def test_R_MEET_4_a_single_entry_counts_once_another_account_as_scrutineer_confirms(db):
    world = world_of(SINGLE)
    k = world.keys()
    entry = single(world, "counter1", k[:2], count=3)
    assert entry.entered_by == "counter1" and entry.confirmed_by == ""
    for who in ("counter1", "counter2"):  # counters never confirm
        with pytest.raises(ActionError, match=f"{SCRUTINEER_ONLY}确认录入的选票"):
            election_actions.confirm_ballot(world.accounts[who], entry)
    election_actions.confirm_ballot(world.accounts["scrutineer"], entry)
    entry.refresh_from_db()
    assert entry.confirmed_by == "scrutineer"
    with pytest.raises(ActionError, match="已由 scrutineer 确认"):
        election_actions.confirm_ballot(world.accounts["secretary"], entry)
    # the scrutineer of this round may not enter in it, and an organizer who entered may not confirm
    with pytest.raises(ActionError, match="已担任监票人"):
        single(world, "scrutineer", k[:1])
    mine = single(world, "secretary", k[:1])
    with pytest.raises(ActionError, match=ENTERED_HERE):
        election_actions.confirm_ballot(world.accounts["secretary"], mine)
    # a loader's string actor has no role, but the separation by name holds for it as well
    typed = election_actions.record_ballot("loader", world.round, k[:1], [], [])
    with pytest.raises(ActionError, match=ENTERED_HERE):
        election_actions.confirm_ballot("loader", typed)


# --- deleting a counted ballot --------------------------------------------------------------


def test_R_MEET_4_R_SUP_4_only_a_scrutineer_deletes_a_counted_ballot_with_a_reason(db):
    world = world_of(DOUBLE)
    k = world.keys()
    desk(world, "counter1", "1", 1, k[:1])
    desk(world, "counter2", "1", 2, k[:1])
    agreed = BallotEntry.objects.get()
    for who in ("counter1", "counter2"):
        with pytest.raises(ActionError, match=f"{SCRUTINEER_ONLY}删除已录入的选票"):
            election_actions.delete_ballot(world.accounts[who], agreed, "录错了")
    with pytest.raises(ActionError, match="原因"):
        election_actions.delete_ballot(world.accounts["scrutineer"], agreed, " ")
    assert BallotEntry.objects.filter(pk=agreed.pk).exists()
    election_actions.delete_ballot(world.accounts["scrutineer"], agreed, "原票编号看错，应为第11号")
    assert not BallotEntry.objects.exists()
    trail = AuditRecord.objects.get(action="delete_ballot")
    assert trail.actor == "scrutineer" and "应为第11号" in trail.summary and trail.before["sheet"] == 1
    # both readings stand again as a difference: only a scrutineer decides it with the paper
    with pytest.raises(ActionError, match="两次录入不一致"):
        desk(world, "counter1", "2", 1, k[:1])
    actions.resolve_conflict(world.accounts["scrutineer"], world.round, "1", k[:1], [], [])
    assert BallotEntry.objects.get().confirmed_by == "scrutineer"


# --- desk differences and scanned doubts ----------------------------------------------------


def test_R_BAL_4_R_MEET_4_a_desk_difference_is_decided_by_a_scrutineer_who_did_not_read_it(db):
    world = world_of(DOUBLE)
    k = world.keys()
    desk(world, "secretary", "5", 1, k[:1])  # the organizer reads at the desk in this round
    desk(world, "counter2", "5", 2, k[1:2])
    with pytest.raises(ActionError, match=f"{SCRUTINEER_ONLY}裁定两次录入不一致的选票"):
        actions.resolve_conflict(world.accounts["counter1"], world.round, "5", k[:1], [], [])
    with pytest.raises(ActionError, match=ENTERED_HERE):
        actions.resolve_conflict(world.accounts["secretary"], world.round, "5", k[:1], [], [])
    actions.resolve_conflict(world.accounts["scrutineer"], world.round, "5", k[:1], [], [])
    with pytest.raises(ActionError, match="已担任监票人"):  # and the scrutineer no longer reads
        desk(world, "scrutineer", "6", 1, k[:1])


def test_R_BAL_4_R_MEET_4_scanned_doubts_and_voids_are_for_a_scrutineer_who_uploaded_nothing(db):
    world = world_of(SCAN)
    printed = print_round(world.round, 2)
    scanning.scan_upload(
        world.accounts["secretary"], world.round, "a.jpg", scanned_sheet(printed, 4, {0: Drawn.CHECK})
    )
    scanning.scan_upload(
        world.accounts["counter1"], world.round, "b.jpg", scanned_sheet(printed, 5, {0: Drawn.SCRIBBLE})
    )
    ticked = ScanPage.objects.get(serial=4)
    scribbled = ScanPage.objects.get(serial=5)
    with pytest.raises(ActionError, match=f"{SCRUTINEER_ONLY}确认存疑的选票"):
        confirm(world.accounts["counter1"], ticked, {0: "for"})
    with pytest.raises(ActionError, match=ENTERED_HERE):  # the organizer uploaded scans here
        confirm(world.accounts["secretary"], ticked, {0: "for"})
    with pytest.raises(ActionError, match=f"{SCRUTINEER_ONLY}作废选票"):
        scanning.void_scanned_sheet(world.accounts["counter1"], scribbled, "有记号")
    assert not BallotEntry.objects.exists()
    confirm(world.accounts["scrutineer"], ticked, {0: "for"})
    scanning.void_scanned_sheet(world.accounts["scrutineer"], scribbled, "有记号")
    assert sorted(BallotEntry.objects.values_list("confirmed_by", flat=True)) == ["scrutineer"] * 2
    with pytest.raises(ActionError, match="已担任监票人"):
        scanning.scan_upload(
            world.accounts["scrutineer"], world.round, "c.jpg", scanned_sheet(printed, 6, {})
        )


# --- closing ---------------------------------------------------------------------------------


def test_R_MEET_4_a_counter_or_anyone_who_entered_never_closes_the_round(db):
    world = world_of(SINGLE, issued=5)
    entry = single(world, "secretary", world.keys()[:1], count=5)
    election_actions.confirm_ballot(world.accounts["scrutineer"], entry)
    with pytest.raises(ActionError, match=f"{SCRUTINEER_ONLY}结束计票"):
        election_actions.close_round(world.accounts["counter1"], world.round, 5)
    with pytest.raises(ActionError, match=ENTERED_HERE):
        election_actions.close_round(world.accounts["secretary"], world.round, 5)
    assert not closed(world)
    election_actions.close_round(world.accounts["scrutineer"], world.round, 5)
    assert closed(world)


def test_R_BAL_5_R_BAL_4_the_desk_closes_only_with_every_sheet_accounted_and_nothing_open(db):
    world = world_of(DOUBLE, issued=4)
    k = world.keys()
    actions.record_print("village", world.round, 2, "A4", False, "3fa2b9c0")  # serials 1-6
    desk(world, "counter1", "1", 1, k[:1])
    desk(world, "counter2", "1", 2, k[:1])
    desk(world, "counter1", "2", 1, k[:1])  # waits for 乙
    desk(world, "counter1", "3", 1, k[:1])
    desk(world, "counter2", "3", 2, k[1:2])  # differs
    scrutineer = world.accounts["scrutineer"]
    blockers = election_actions.close_blockers(world.round, 4)
    assert blockers == [
        "选票印制 6 张，发出 4 张、作废换发 0 张、未发出 0 张，还有 2 张没有下落：请在计票台登记未发出或作废换发的选票编号（R-BAL-5）",
        "第2号选票只有一席录入，还在等另一名计票人录入（共 1 个）",
        "第3号选票两次录入不一致，须由监票人核对原票后裁定（R-BAL-4）",
        "已录入选票 1 张，与收回的 4 张不符，请核对后再结束计票（R-BAL-5）",
    ]
    with pytest.raises(ActionError) as refused:
        election_actions.close_round(scrutineer, world.round, 4)
    assert all(b in refused.value.message for b in blockers) and not closed(world)

    actions.note_sheets("village", world.round, [5, 6], "unused")
    actions.resolve_conflict(scrutineer, world.round, "3", k[:1], [], [])
    desk(world, "counter2", "2", 2, k[:1])
    assert election_actions.close_blockers(world.round, 4) == [
        "已录入选票 3 张，与收回的 4 张不符，请核对后再结束计票（R-BAL-5）"
    ]
    desk(world, "counter1", "4", 1, k[:1])
    desk(world, "counter2", "4", 2, k[:1])
    assert election_actions.close_blockers(world.round, 4) == []
    election_actions.close_round(scrutineer, world.round, 4)
    assert closed(world)


def test_R_BAL_4_a_scanned_round_closes_only_once_every_doubt_is_decided(db):
    world = world_of(SCAN, issued=2)
    printed = print_round(world.round, 0)
    scanning.scan_upload(world.accounts["counter1"], world.round, "a.jpg", scanned_sheet(printed, 1, {}))
    scanning.scan_upload(
        world.accounts["counter1"], world.round, "b.jpg", scanned_sheet(printed, 2, {0: Drawn.CHECK})
    )
    assert election_actions.close_blockers(world.round, 1) == [
        "扫描的选票 编号 2 共 1 张有存疑，待监票人整张确认；确认之前不计入（R-BAL-4）"
    ]
    with pytest.raises(ActionError, match="待监票人整张确认"):
        election_actions.close_round(world.accounts["scrutineer"], world.round, 2)
    confirm(world.accounts["scrutineer"], ScanPage.objects.get(serial=2), {0: "for"})
    election_actions.close_round(world.accounts["scrutineer"], world.round, 2)
    assert closed(world)


def test_R_MEET_4_a_single_entry_round_closes_only_once_every_entry_is_confirmed(db):
    world = world_of(SINGLE, issued=20)
    first = single(world, "counter1", world.keys()[:1], count=20)
    assert election_actions.close_blockers(world.round, 20) == [
        "还有 1 条单人录入没有经监票人确认（R-MEET-4）"
    ]
    with pytest.raises(ActionError, match="没有经监票人确认"):
        election_actions.close_round(world.accounts["scrutineer"], world.round, 20)
    election_actions.confirm_ballot(world.accounts["scrutineer"], first)
    election_actions.close_round(world.accounts["scrutineer"], world.round, 20)
    assert closed(world)


def test_R_SUP_4_a_scanned_ballot_deleted_by_a_scrutineer_leaves_its_page_uncounted(db):
    world = world_of(SCAN, issued=2)
    printed = print_round(world.round, 0)
    scanning.scan_upload(world.accounts["counter1"], world.round, "a.jpg", scanned_sheet(printed, 1, {}))
    entry = BallotEntry.objects.get()
    with pytest.raises(ActionError, match=f"{SCRUTINEER_ONLY}删除已录入的选票"):
        election_actions.delete_ballot(world.accounts["counter1"], entry, "扫错了")
    election_actions.delete_ballot(world.accounts["scrutineer"], entry, "这张不是本轮的选票")
    page = ScanPage.objects.get()
    assert page.ballot is None and page.status == ScanPage.Status.REJECTED
    assert "监票人已撤销" in page.problem and not BallotEntry.objects.exists()
    assert election_actions.close_blockers(world.round, 0) == []


def test_R_BAL_4_a_void_ballot_agreed_at_the_desk_is_confirmed_by_a_scrutineer_before_the_close(db):
    world = world_of(DOUBLE, issued=1)
    for who, slot in (("counter1", 1), ("counter2", 2)):
        actions.enter_at_desk(
            world.accounts[who], world.round, "1", slot, [], [], [], void_reason="撕破无法辨认"
        )
    void = BallotEntry.objects.get()
    assert void.void_reason == "撕破无法辨认" and void.confirmed_by == ""
    assert election_actions.close_blockers(world.round, 1) == [
        "还有 1 条废票的原因没有经监票人确认（R-BAL-4）"
    ]
    with pytest.raises(ActionError, match=f"{SCRUTINEER_ONLY}确认录入的选票"):
        election_actions.confirm_ballot(world.accounts["counter2"], void)
    election_actions.confirm_ballot(world.accounts["scrutineer"], void)
    election_actions.close_round(world.accounts["scrutineer"], world.round, 1)
    assert closed(world)
