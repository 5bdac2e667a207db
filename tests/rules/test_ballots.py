"""Ballots: R-BAL-2..5 as single decisions (the round-level effects are in test_tally)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

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
    # Ballots issued beyond those present are a staff error to correct, not grounds to void ...
    assert round_defect(issued=46, returned=45, present=45) is None
    # ... unless more come back than voters are present (the spare sheets withdrawn, R-BAL-5) ...
    assert round_defect(issued=47, returned=46, present=45) is RoundDefect.RETURNED_EXCEEDS_PRESENT
    # ... or the procedure adopted the strict reading.
    strict = round_defect(issued=46, returned=45, present=45, issued_over_present_voids=True)
    assert strict is RoundDefect.ISSUED_EXCEEDS_PRESENT


@given(
    present=st.integers(min_value=0, max_value=500),
    issued=st.integers(min_value=0, max_value=600),
    returned=st.integers(min_value=0, max_value=600),
    strict=st.booleans(),
)
def test_R_BAL_5_the_round_is_void_when_more_are_returned_than_issued_and_never_for_over_issue_alone(
    present, issued, returned, strict
):
    defect = round_defect(issued, returned, present, strict)
    if returned > issued:
        assert defect is RoundDefect.RETURNED_EXCEEDS_ISSUED
    elif issued > present and strict:
        assert defect is RoundDefect.ISSUED_EXCEEDS_PRESENT
    elif returned <= present:
        assert defect is None  # over-issue alone never voids by default
