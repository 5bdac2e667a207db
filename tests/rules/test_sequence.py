"""Which round comes next (xuanju.rules.sequence): examples and invariants over any history."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xuanju.rules.sequence import (
    HeldRound,
    PlannedRound,
    Suggestion,
    advanced,
    in_pre_election,
    next_round,
    pre_election_stage,
)
from xuanju.rules.tally import RoundKind, Status

FORMAL = ("c1", "c2", "c3", "c4", "c5", "c6")
KINDS = st.sampled_from(list(RoundKind))
KEYS = st.lists(st.sampled_from(FORMAL), unique=True, max_size=6).map(tuple)
SUGGESTIONS = st.none() | st.builds(
    Suggestion,
    kind=st.sampled_from([RoundKind.TIE_REVOTE, RoundKind.FURTHER]),
    seats=st.integers(1, 5),
    candidates=KEYS,
)
HELD = st.builds(
    HeldRound,
    kind=KINDS,
    seats=st.integers(1, 5),
    candidates=KEYS,
    closed=st.just(True),
    status=st.sampled_from(list(Status)),
    elected=KEYS,
    next_round=SUGGESTIONS,
)


def held(kind, *, status=Status.COMPLETE, elected=(), suggestion=None, seats=5, candidates=FORMAL):
    return HeldRound(kind, seats, candidates, True, status, elected, suggestion)


@pytest.mark.rule("R-CNT-8")
def test_the_first_round_is_the_pre_election_when_the_procedure_adopted_one():
    plan = next_round([], seats=5, filled=0, formal_candidates=FORMAL, pre_election_keeps=6)
    assert plan == PlannedRound(RoundKind.PRE_ELECTION, 6, FORMAL)
    plan = next_round([], seats=5, filled=0, formal_candidates=FORMAL)
    assert plan == PlannedRound(RoundKind.REGULAR, 5, FORMAL)


@pytest.mark.rule("R-CNT-8")
def test_after_the_pre_election_and_its_tie_revote_the_formal_election_takes_those_placed():
    rounds = [
        held(RoundKind.PRE_ELECTION, status=Status.ROUND_VOID, elected=("c6",)),  # void: held again
        held(
            RoundKind.PRE_ELECTION,
            status=Status.TIE_REVOTE_NEEDED,
            elected=("c1", "c2", "c3"),
            suggestion=Suggestion(RoundKind.TIE_REVOTE, 1, ("c4", "c5")),
        ),
        held(RoundKind.TIE_REVOTE, elected=("c5",), seats=1, candidates=("c4", "c5")),
    ]
    plan = next_round(rounds, seats=3, filled=0, formal_candidates=FORMAL, pre_election_keeps=4)
    assert plan == PlannedRound(RoundKind.REGULAR, 3, ("c1", "c2", "c3", "c5"))


@pytest.mark.rule("R-CNT-4")
def test_a_tie_straddling_the_last_seat_is_voted_on_again_among_the_tied():
    tie = Suggestion(RoundKind.TIE_REVOTE, 1, ("c2", "c3"))
    rounds = [held(RoundKind.REGULAR, status=Status.TIE_REVOTE_NEEDED, elected=("c1",), suggestion=tie)]
    assert next_round(rounds, seats=2, filled=1, formal_candidates=FORMAL) == PlannedRound(
        RoundKind.TIE_REVOTE, 1, ("c2", "c3")
    )


@pytest.mark.rule("R-CNT-6")
def test_unfilled_seats_go_to_a_further_election_unless_reduced():
    further = Suggestion(RoundKind.FURTHER, 1, ("c4", "c5"))
    rounds = [held(RoundKind.REGULAR, status=Status.SEATS_UNFILLED, elected=("c1",), suggestion=further)]
    assert next_round(rounds, seats=2, filled=1, formal_candidates=FORMAL) == PlannedRound(
        RoundKind.FURTHER, 1, ("c4", "c5")
    )
    # R-CNT-5: the meeting reduced the seat instead: nothing left to vote on
    assert next_round(rounds, seats=2, filled=2, formal_candidates=FORMAL) is None


@pytest.mark.rule("R-BAL-5")
@given(
    history=st.lists(HELD, max_size=5),
    last=HELD,
    void=st.sampled_from([Status.ROUND_VOID, Status.MEETING_INVALID]),
)
def test_a_void_round_is_held_again_as_it_was_whatever_came_before(history, last, void):
    rounds = [
        *history,
        HeldRound(last.kind, last.seats, last.candidates, True, void, last.elected, last.next_round),
    ]
    plan = next_round(rounds, seats=5, filled=5, formal_candidates=FORMAL, pre_election_keeps=None)
    assert plan == PlannedRound(last.kind, last.seats, last.candidates)


@given(history=st.lists(HELD, max_size=5), last=HELD, filled=st.integers(0, 6))
def test_nothing_opens_while_the_last_round_is_still_being_counted(history, last, filled):
    rounds = [*history, HeldRound(last.kind, last.seats, last.candidates, closed=False)]
    assert next_round(rounds, seats=5, filled=filled, formal_candidates=FORMAL) is None


@pytest.mark.rule("R-CNT-4")
@pytest.mark.rule("R-CNT-6")
@given(history=st.lists(HELD, max_size=5), last=HELD, seats=st.integers(1, 5), filled=st.integers(0, 6))
def test_a_valid_round_is_followed_only_by_what_its_count_suggested_or_the_formal_election(
    history, last, seats, filled
):
    rounds = [*history, last]
    plan = next_round(rounds, seats=seats, filled=filled, formal_candidates=FORMAL)
    if last.status in (Status.ROUND_VOID, Status.MEETING_INVALID):
        return
    kinds = [r.kind for r in rounds]
    whole_history_is_pre_election = kinds[0] is RoundKind.PRE_ELECTION and RoundKind.REGULAR not in kinds
    if whole_history_is_pre_election and last.next_round is None:
        assert plan is not None and plan.kind is RoundKind.REGULAR and plan.seats == seats
        assert set(plan.candidates) <= {key for r in rounds for key in r.elected}
    elif last.next_round is None or filled >= seats:
        assert plan is None  # complete, or the seats were reduced (R-CNT-5)
    else:
        suggested = last.next_round
        assert plan == PlannedRound(suggested.kind, suggested.seats, suggested.candidates)


@pytest.mark.rule("R-CNT-8")
@given(kinds=st.lists(KINDS, min_size=1, max_size=8))
def test_a_round_belongs_to_the_pre_election_until_the_first_formal_round(kinds):
    for i, kind in enumerate(kinds):
        first_formal = next((j for j, k in enumerate(kinds) if k is RoundKind.REGULAR), len(kinds))
        expected = kind is RoundKind.PRE_ELECTION or (kinds[0] is RoundKind.PRE_ELECTION and i < first_formal)
        assert in_pre_election(kinds[:i], kind) is expected


@given(rounds=st.lists(HELD, max_size=8))
def test_the_pre_election_stage_is_the_rounds_before_the_first_formal_one(rounds):
    stage = pre_election_stage(rounds)
    assert stage == rounds[: len(stage)]
    if stage:
        assert rounds[0].kind is RoundKind.PRE_ELECTION
        assert all(r.kind is not RoundKind.REGULAR for r in stage)
        assert len(stage) == len(rounds) or rounds[len(stage)].kind is RoundKind.REGULAR
    else:
        assert not rounds or rounds[0].kind is not RoundKind.PRE_ELECTION


@pytest.mark.rule("R-BAL-5")
@given(stage=st.lists(HELD, max_size=6))
def test_a_void_round_places_nobody_and_a_repeated_pre_election_starts_afresh(stage):
    placed = advanced(stage)
    valid = [r for r in stage if r.status not in (Status.ROUND_VOID, Status.MEETING_INVALID)]
    starts = [i for i, r in enumerate(valid) if r.kind is RoundKind.PRE_ELECTION]
    since = valid[starts[-1] :] if starts else valid
    assert placed == tuple(key for r in since for key in r.elected)
