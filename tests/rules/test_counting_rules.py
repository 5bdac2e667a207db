"""The pure decisions of the count: which path each method admits, who may do what, and what
stops a round from closing (R-MEET-4, R-BAL-4, R-BAL-5)."""

from __future__ import annotations

import pytest

from xuanju.rules.counting import (
    Blocker,
    CountState,
    Duty,
    Method,
    Path,
    close_blockers,
    duty_conflict,
    path_allowed,
)


@pytest.mark.parametrize(
    ("method", "paths"),
    [
        (Method.DOUBLE_ENTRY, {Path.DESK}),
        (Method.SCAN, {Path.SCAN, Path.DESK}),  # what the scanner cannot read goes to the desk
        (Method.SINGLE_ENTRY, {Path.SINGLE}),
    ],
)
def test_R_MEET_4_each_method_admits_only_paths_where_two_people_see_each_ballot(method, paths):
    assert {p for p in Path if path_allowed(method, p)} == paths
    assert path_allowed(method, Path.SINGLE) == (method == Method.SINGLE_ENTRY)


def test_R_MEET_4_one_account_is_never_counter_and_scrutineer_in_a_round():
    counters, scrutineers = frozenset({"counter1", "village"}), frozenset({"scrutineer"})
    assert duty_conflict(Duty.SCRUTINEER, "village", counters, scrutineers)  # entered, may not close
    assert not duty_conflict(Duty.SCRUTINEER, "scrutineer", counters, scrutineers)
    assert duty_conflict(Duty.COUNTER, "scrutineer", counters, scrutineers)  # confirmed, may not enter
    assert not duty_conflict(Duty.COUNTER, "counter2", counters, scrutineers)


def test_R_BAL_5_a_clean_count_has_no_blockers():
    assert (
        close_blockers(CountState(printed=22, issued=20, spoiled=1, unused=1, entered=19, returned=19)) == []
    )
    assert (
        close_blockers(CountState(printed=None, issued=20, spoiled=0, unused=0, entered=20, returned=20))
        == []
    )


def test_R_BAL_4_R_BAL_5_every_open_matter_is_a_blocker_in_order():
    state = CountState(
        printed=24,
        issued=20,
        spoiled=1,
        unused=1,
        waiting=("7", "8"),
        conflicts=("9",),
        in_review=(12,),
        unconfirmed=3,
        void_unconfirmed=2,
        entered=11,
        returned=19,
    )
    blockers = close_blockers(state)
    assert [b.code for b in blockers] == [
        Blocker.SHEETS_UNACCOUNTED,
        Blocker.WAITING_FOR_SECOND,
        Blocker.DESK_CONFLICTS,
        Blocker.SCAN_IN_REVIEW,
        Blocker.UNCONFIRMED,
        Blocker.VOID_UNCONFIRMED,
        Blocker.RETURNED_MISMATCH,
    ]
    assert blockers[0].numbers == (24, 20, 1, 1, 2)  # two printed sheets without a fate
    assert blockers[1].keys == ("7", "8") and blockers[6].numbers == (11, 19)
