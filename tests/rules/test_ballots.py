"""Ballots: R-BAL-2..5 as single decisions (the round-level effects are in test_tally)."""

from __future__ import annotations

from xuanju.rules.ballots import (
    Ballot,
    BallotState,
    RoundDefect,
    ballot_state,
    round_defect,
    write_ins_allowed,
)


def test_R_BAL_3_for_marks_plus_write_ins_up_to_the_seats_is_valid():
    assert (
        ballot_state(Ballot(for_=("a", "b"), against=("c",), write_in=("x",)), seats=3) is BallotState.VALID
    )
    assert (
        ballot_state(Ballot(for_=("a", "b", "c"), against=("d",), write_in=("x",)), 3) is BallotState.INVALID
    )


def test_R_BAL_3_a_ballot_with_only_against_marks_or_blank_is_valid():
    assert ballot_state(Ballot(against=("a", "b", "c")), seats=1) is BallotState.VALID
    assert ballot_state(Ballot(), seats=1) is BallotState.VALID


def test_R_BAL_4_a_ballot_declared_void_stays_void():
    assert ballot_state(Ballot(void_reason="有识别标记"), seats=5) is BallotState.VOID


def test_R_BAL_2_one_write_in_per_against_mark():
    assert write_ins_allowed(Ballot(against=("a",), write_in=("x",)))
    assert not write_ins_allowed(Ballot(against=("a",), write_in=("x", "y")))
    assert not write_ins_allowed(Ballot(write_in=("x",)))


def test_R_BAL_5_round_validity():
    assert round_defect(issued=45, returned=45, present=45) is None
    assert round_defect(issued=45, returned=44, present=45) is None
    assert round_defect(issued=45, returned=46, present=45) is RoundDefect.RETURNED_EXCEEDS_ISSUED
    assert round_defect(issued=46, returned=45, present=45) is RoundDefect.ISSUED_EXCEEDS_PRESENT
