"""Invariants of the tally that must hold for every round (hypothesis)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import candidates
from xuanju.rules.ballots import Ballot, BallotState, ballot_state
from xuanju.rules.candidates import Post
from xuanju.rules.tally import (
    NO_WRITE_IN_KINDS,
    ElectionRound,
    MajorityBase,
    NoteCode,
    Problem,
    Procedure,
    RoundKind,
    Status,
    VotingBody,
    count_marks,
    is_majority,
    needs_majority,
    round_problems,
    tally_round,
)

WRITE_IN_POOL = ("赵六", "钱七", "孙八", "欧阳娜")


@st.composite
def ballots_for(draw, n_candidates: int, kind: RoundKind) -> Ballot:
    if draw(st.integers(0, 19)) == 0:
        return Ballot(
            void_reason=draw(st.sampled_from(["撕损无法辨认", "有识别标记"])), count=draw(st.integers(1, 3))
        )
    ids = [f"c{i + 1}" for i in range(n_candidates)]
    marks = draw(
        st.lists(st.sampled_from(["for", "against", "abstain"]), min_size=n_candidates, max_size=n_candidates)
    )
    for_ = tuple(i for i, m in zip(ids, marks, strict=True) if m == "for")
    against = tuple(i for i, m in zip(ids, marks, strict=True) if m == "against")
    write_in: tuple[str, ...] = ()
    if kind not in NO_WRITE_IN_KINDS and against:
        write_in = tuple(draw(st.lists(st.sampled_from(WRITE_IN_POOL), unique=True, max_size=len(against))))
    return Ballot(for_=for_, against=against, write_in=write_in, count=draw(st.integers(1, 4)))


@st.composite
def rounds(
    draw, kinds: tuple[RoundKind, ...] = tuple(RoundKind), pre_election_majority: bool | None = None
) -> ElectionRound:
    kind = draw(st.sampled_from(kinds))
    if kind in (RoundKind.PRE_ELECTION, RoundKind.TIE_REVOTE):
        # more candidates than the formal list it keeps (R-CAND-4), than the seats tied for (R-CNT-4)
        n = draw(st.integers(2, 8))
        seats = draw(st.integers(1, n - 1))
    else:
        n = draw(st.integers(1, 7))
        seats = draw(st.integers(1, 5))
    pre_election = kind is not RoundKind.REGULAR and draw(st.booleans())  # a later pre-election round
    writing = RoundKind.PRE_ELECTION if pre_election and kind is RoundKind.FURTHER else kind
    ballots = tuple(draw(st.lists(ballots_for(n, writing), max_size=25)))
    cast = sum(b.count for b in ballots)
    present = cast + draw(st.integers(0, 3))
    entitled = present + draw(st.integers(0, max(1, present // 3)))
    procedure = Procedure(
        majority_base=draw(st.sampled_from(list(MajorityBase))),
        tie_revote_needs_majority=draw(st.booleans()),
        pre_election_needs_majority=draw(st.booleans())
        if pre_election_majority is None
        else pre_election_majority,
        issued_over_present_voids=draw(st.booleans()),
    )
    round_ = ElectionRound(
        seats=seats,
        entitled=entitled,
        present=present,
        candidates=candidates(n),
        ballots=ballots,
        kind=kind,
        procedure=procedure,
        post=draw(st.sampled_from(list(Post))),
        body=draw(st.sampled_from(list(VotingBody))),
        pre_election=pre_election,
        statutory_minimum=draw(st.one_of(st.none(), st.integers(1, 9))),
        elected_before=draw(st.integers(0, 9)),
    )
    assert round_problems(round_) == []
    return round_


def expanded(round_: ElectionRound) -> ElectionRound:
    """The same round with every ``count: n`` entry written out as n single ballots."""
    singles = tuple(replace(b, count=1) for b in round_.ballots for _ in range(b.count))
    return replace(round_, ballots=singles)


def comparable(round_: ElectionRound):
    result = tally_round(round_)
    return (
        result.status,
        result.tally,
        result.elected,
        result.tied,
        result.next_round,
        result.ballots,
        result.notes,
    )


@given(rounds(), st.randoms())
def test_R_CNT_result_is_invariant_under_ballot_order(round_, rng):
    shuffled = list(round_.ballots)
    rng.shuffle(shuffled)
    assert comparable(replace(round_, ballots=tuple(shuffled))) == comparable(round_)


@given(rounds())
def test_R_CNT_count_n_equals_n_copies(round_):
    assert comparable(expanded(round_)) == comparable(round_)


@given(rounds(), st.randoms())
def test_R_CNT_result_is_invariant_under_grouping(round_, rng):
    # regroup: split the expanded ballots into runs of identical ballots of random lengths
    singles = list(expanded(round_).ballots)
    singles.sort(key=repr)
    grouped: list[Ballot] = []
    for ballot in singles:
        if grouped and replace(grouped[-1], count=1) == ballot and rng.random() < 0.7:
            grouped[-1] = replace(grouped[-1], count=grouped[-1].count + 1)
        else:
            grouped.append(ballot)
    assert comparable(replace(round_, ballots=tuple(grouped))) == comparable(round_)


@given(rounds())
def test_R_BAL_2_per_person_for_against_abstain_add_up_to_the_valid_ballots(round_):
    result = tally_round(round_)
    for person in result.tally:
        assert person.for_votes + person.against + person.abstain == result.ballots.valid
        assert min(person.for_votes, person.against, person.abstain) >= 0
    counts = result.ballots
    assert counts.valid + counts.invalid + counts.void == sum(b.count for b in round_.ballots)


@given(rounds())
def test_R_CNT_1_nobody_is_elected_below_the_threshold(round_):
    result = tally_round(round_)
    majority_needed = needs_majority(round_.kind, round_.procedure, round_.in_pre_election)
    for person in result.tally:
        if person.elected and majority_needed:
            assert is_majority(person.for_votes, result.base)
            assert result.threshold is not None and person.for_votes >= result.threshold


@given(rounds())
def test_R_CNT_4_a_threshold_is_given_exactly_where_a_majority_applies(round_):
    # the report never prints a threshold for a round where none applies (R-CNT-4, R-CNT-8)
    result = tally_round(round_)
    applies = needs_majority(round_.kind, round_.procedure, round_.in_pre_election)
    counted = result.status not in (Status.MEETING_INVALID, Status.ROUND_VOID)
    assert (result.threshold is not None) == (applies and counted)


@given(rounds())
def test_R_CNT_3_never_more_elected_than_seats(round_):
    result = tally_round(round_)
    assert len(result.elected) <= round_.seats
    assert len(result.elected) + result.seats_left == round_.seats
    assert sorted(result.elected) == sorted(p.id for p in result.tally if p.elected)


@given(rounds())
def test_R_CNT_4_a_tie_straddling_the_last_seat_always_asks_for_a_revote(round_):
    result = tally_round(round_)
    if result.status in (Status.MEETING_INVALID, Status.ROUND_VOID):
        assert result.elected == ()
        return
    elected_votes = [p.for_votes for p in result.tally if p.elected]
    others = [p for p in result.tally if not p.elected]
    majority_needed = needs_majority(round_.kind, round_.procedure, round_.in_pre_election)
    contenders = [p for p in others if not majority_needed or is_majority(p.for_votes, result.base)]
    if result.status is Status.TIE_REVOTE_NEEDED:
        tied_votes = {p.for_votes for p in result.tally if p.id in result.tied}
        assert len(tied_votes) == 1 and len(result.tied) > result.seats_left
        assert all(v > next(iter(tied_votes)) for v in elected_votes)
    else:
        # nobody left out could claim a seat: all contenders have fewer votes than every one elected,
        # and a contender left out only when the seats are full
        if elected_votes:
            assert all(p.for_votes < min(elected_votes) for p in contenders)
        if contenders:
            assert result.seats_left == 0


@settings(max_examples=50)
@given(rounds())
def test_R_CNT_6_the_further_pool_has_the_surplus_when_enough_people_remain(round_):
    result = tally_round(round_)
    if result.status is not Status.SEATS_UNFILLED:
        return
    nxt = result.next_round
    assert nxt is not None and nxt.kind is RoundKind.FURTHER and nxt.seats == result.seats_left
    remaining = [p.id for p in result.tally if not p.elected]
    assert set(nxt.candidates) <= set(remaining)
    assert len(nxt.candidates) >= min(nxt.minimum_candidates, len(remaining))


@given(rounds())
def test_R_BAL_3_the_fast_count_sorts_ballots_exactly_as_ballot_state_does(round_):
    counts, _ = count_marks(round_)
    by_state = Counter()
    for ballot in round_.ballots:
        by_state[ballot_state(ballot, round_.seats)] += ballot.count
    assert (counts.valid, counts.invalid, counts.void) == (
        by_state[BallotState.VALID],
        by_state[BallotState.INVALID],
        by_state[BallotState.VOID],
    )


# 预选: the pre-election ranks, it needs no majority (R-CNT-3, R-CNT-4) ------------------------------


def pre_elections(majority: bool = False):
    """Pre-elections counted without a majority (the procedure parameter off, R-CNT-8), or with."""
    return rounds(kinds=(RoundKind.PRE_ELECTION,), pre_election_majority=majority)


def _ranks_were_countable(result) -> bool:
    return result.status not in (Status.MEETING_INVALID, Status.ROUND_VOID)


@given(pre_elections())
def test_R_CNT_3_pre_election_advances_exactly_the_top_seats_when_no_tie_straddles_the_cut(round_):
    result = tally_round(round_)
    if not _ranks_were_countable(result):
        assert result.elected == () and result.next_round is None
        return
    votes = sorted((p.for_votes for p in result.tally), reverse=True)
    straddles = votes[round_.seats - 1] == votes[round_.seats]  # there are more candidates than seats
    assert (result.status is Status.TIE_REVOTE_NEEDED) == straddles
    if not straddles:
        assert result.status is Status.COMPLETE and result.next_round is None
        assert len(result.elected) == round_.seats and result.seats_left == 0
        top = {p.id for p in result.tally if p.for_votes >= votes[round_.seats - 1]}
        assert set(result.elected) == top


@given(pre_elections())
def test_R_CNT_3_pre_election_nobody_below_an_advanced_persons_votes_advances_over_them(round_):
    result = tally_round(round_)
    advanced = [p.for_votes for p in result.tally if p.elected]
    for person in result.tally:
        if not person.elected and advanced:
            assert person.for_votes <= min(advanced)
            if person.id not in result.tied:
                assert person.for_votes < min(advanced)


@given(pre_elections())
def test_R_CNT_4_pre_election_never_more_than_seats_advance_and_a_tie_is_voted_again(round_):
    result = tally_round(round_)
    assert len(result.elected) <= round_.seats
    assert len(result.elected) + result.seats_left == round_.seats
    assert result.status is not Status.SEATS_UNFILLED
    assert all(not p.write_in for p in result.tally)
    if result.status is Status.TIE_REVOTE_NEEDED:
        nxt = result.next_round
        assert nxt is not None and nxt.kind is RoundKind.TIE_REVOTE
        assert set(nxt.candidates) == set(result.tied) and nxt.seats == result.seats_left
        assert len(result.tied) > result.seats_left >= 1


@given(pre_elections(majority=True))
def test_R_CNT_8_a_pre_election_places_nobody_without_a_majority_and_short_lists_go_further(round_):
    result = tally_round(round_)
    if result.status in (Status.MEETING_INVALID, Status.ROUND_VOID):
        assert result.threshold is None and result.elected == ()
        return
    assert result.threshold is not None
    for person in result.tally:
        if person.elected:
            assert is_majority(person.for_votes, result.base)
    if result.status is Status.SEATS_UNFILLED:
        nxt = result.next_round
        assert nxt is not None and nxt.kind is RoundKind.FURTHER and nxt.pre_election
        assert nxt.seats == result.seats_left
        assert not set(nxt.candidates) & set(result.elected)


@given(rounds(kinds=(RoundKind.REGULAR, RoundKind.FURTHER)))
def test_R_CAND_3_a_secretarys_further_election_never_asks_for_a_surplus(round_):
    result = tally_round(round_)
    if result.status is not Status.SEATS_UNFILLED or round_.in_pre_election:
        return
    codes = {n.code for n in result.notes}
    nxt = result.next_round
    assert nxt is not None
    if round_.post in (Post.SECRETARY, Post.DEPUTY_SECRETARY):
        assert nxt.minimum_candidates == nxt.seats  # 等额 (R-CAND-3)
        assert NoteCode.SEAT_REDUCTION_POSSIBLE not in codes  # never reduce a secretary to zero
    if NoteCode.SEAT_REDUCTION_POSSIBLE in codes:
        elected = round_.elected_before + len(result.elected)
        assert elected >= (round_.statutory_minimum or 1)  # R-CNT-5


@given(st.integers(1, 6), st.integers(0, 6))
def test_R_CNT_4_a_revote_with_no_more_candidates_than_seats_is_refused(seats, n):
    round_ = ElectionRound(
        seats=seats, entitled=5, present=5, candidates=candidates(n), ballots=(), kind=RoundKind.TIE_REVOTE
    )
    refused = Problem.REVOTE_WITHOUT_TIE in {p.code for p in round_problems(round_)}
    assert refused == (n <= seats)
