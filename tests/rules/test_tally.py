"""Counting and the outcome of a round: R-CNT-1..7 with R-MEET-1 and R-BAL-3/4/5."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.builders import ballot, election, void
from xuanju.rules.candidates import Post
from xuanju.rules.reduction import ConsentReading, ReductionProblem, may_reduce_seats, seat_reduction_problem
from xuanju.rules.tally import (
    MajorityBase,
    NoteCode,
    Problem,
    Procedure,
    RoundKind,
    Status,
    is_majority,
    majority_threshold,
    needs_majority,
    round_problems,
    tally_round,
)


def votes(result, person_id):
    return next(p for p in result.tally if p.id == person_id)


def codes(result):
    return [n.code for n in result.notes]


# R-CNT-1: more than half of the base; exactly half is not enough -------------------------------


@pytest.mark.parametrize(("base", "threshold"), [(1, 1), (2, 2), (45, 23), (50, 26), (51, 26), (0, 1)])
def test_R_CNT_1_threshold_is_the_least_number_above_half(base, threshold):
    assert majority_threshold(base) == threshold
    assert is_majority(threshold, base)
    assert not is_majority(threshold - 1, base)


def test_R_CNT_1_exactly_half_of_those_present_is_not_elected():
    round_ = election(
        ballot(for_=["c1"], count=25), ballot(for_=["c2"], count=25), seats=1, entitled=50, present=50
    )
    result = tally_round(round_)
    assert result.threshold == 26
    assert result.elected == ()
    assert result.status is Status.SEATS_UNFILLED


def test_R_CNT_1_one_vote_above_half_is_elected():
    round_ = election(ballot(for_=["c1"], count=26), ballot(for_=["c2"], count=24), seats=1)
    assert tally_round(round_).elected == ("c1",)


def test_R_CNT_1_base_is_those_present_by_default_and_entitled_when_the_procedure_says_so():
    # 41 of 50 present (a quorum); 23 for-votes are more than half of 41 but not of 50.
    ballots = (ballot(for_=["c1"], count=23), ballot(for_=["c2"], count=18))
    by_present = tally_round(election(*ballots, entitled=50, present=41))
    by_entitled = tally_round(
        election(*ballots, entitled=50, present=41, majority_base=MajorityBase.ENTITLED)
    )
    assert (by_present.base, by_present.threshold, by_present.elected) == (41, 21, ("c1",))
    assert (by_entitled.base, by_entitled.threshold, by_entitled.elected) == (50, 26, ())


def test_R_CNT_1_invalid_and_void_ballots_still_count_in_the_base():
    # 10 present; c1 has 5 valid for-votes: not more than half of 10 however many ballots were invalid.
    round_ = election(ballot(for_=["c1"], count=5), ballot(for_=["c1", "c2"], count=4), void(), seats=1)
    result = tally_round(round_)
    assert (result.ballots.valid, result.ballots.invalid, result.ballots.void) == (5, 4, 1)
    assert result.elected == ()


# R-MEET-1: quorum --------------------------------------------------------------------------


def test_R_MEET_1_forty_of_fifty_present_elects_nobody():
    result = tally_round(election(ballot(for_=["c1"], count=40), entitled=50, present=40))
    assert result.status is Status.MEETING_INVALID
    assert result.elected == ()
    assert not any(p.elected for p in result.tally)
    assert NoteCode.QUORUM_NOT_MET in codes(result)


def test_R_MEET_1_forty_one_of_fifty_present_may_elect():
    result = tally_round(election(ballot(for_=["c1"], count=41), entitled=50, present=41))
    assert result.status is Status.COMPLETE
    assert result.elected == ("c1",)


# R-BAL-3/4/5: ballots and the round --------------------------------------------------------


def test_R_BAL_3_a_ballot_voting_for_more_than_the_seats_is_invalid_as_a_whole():
    round_ = election(
        ballot(for_=["c1", "c2"], count=3), ballot(for_=["c1"], count=2), seats=1, n_candidates=2
    )
    result = tally_round(round_)
    assert (result.ballots.valid, result.ballots.invalid) == (2, 3)
    assert votes(result, "c2").for_votes == 0
    assert NoteCode.INVALID_BALLOTS in codes(result)


def test_R_BAL_3_write_ins_count_toward_the_seats():
    round_ = election(ballot(for_=["c1"], against=["c2"], write_in=["赵六"]), seats=1, n_candidates=2)
    assert tally_round(round_).ballots.invalid == 1


def test_R_BAL_4_void_ballots_are_counted_apart_with_their_reasons():
    round_ = election(
        ballot(for_=["c1"], count=8), void("有识别标记"), void("撕损无法辨认", count=2), seats=1
    )
    result = tally_round(round_)
    assert (result.ballots.valid, result.ballots.void, result.ballots.returned) == (8, 3, 11)
    assert result.ballots.void_reasons == ("撕损无法辨认", "有识别标记")


def test_R_BAL_5_more_ballots_returned_than_issued_voids_the_round():
    round_ = election(ballot(for_=["c1"], count=10), present=10, ballots_issued=9)
    result = tally_round(round_)
    assert result.status is Status.ROUND_VOID
    assert result.elected == ()
    assert NoteCode.RETURNED_EXCEEDS_ISSUED in codes(result)


def test_R_BAL_5_as_many_returned_as_issued_is_valid_and_fewer_too():
    assert tally_round(election(ballot(for_=["c1"], count=10), ballots_issued=10)).status is Status.COMPLETE
    assert tally_round(election(ballot(for_=["c1"], count=9), present=10)).status is Status.COMPLETE


def test_R_BAL_5_ballots_issued_beyond_those_present_are_a_staff_error_not_grounds_to_void():
    result = tally_round(election(ballot(for_=["c1"], count=9), present=9, ballots_issued=10))
    assert result.status is Status.COMPLETE and result.elected == ("c1",)
    note = next(n for n in result.notes if n.code is NoteCode.EXCESS_BALLOTS_ISSUED)
    assert (note.rule, note.params["excess"]) == ("R-BAL-5", 1)


def test_R_BAL_5_the_strict_reading_is_a_procedure_parameter():
    round_ = election(
        ballot(for_=["c1"], count=9), present=9, ballots_issued=10, issued_over_present_voids=True
    )
    result = tally_round(round_)
    assert result.status is Status.ROUND_VOID
    assert NoteCode.ISSUED_EXCEEDS_PRESENT in codes(result)


def test_R_BAL_5_more_ballots_returned_than_voters_present_still_voids_after_an_over_issue():
    result = tally_round(election(ballot(for_=["c1"], count=10), present=9, ballots_issued=11))
    assert result.status is Status.ROUND_VOID and result.threshold is None
    assert NoteCode.RETURNED_EXCEEDS_PRESENT in codes(result)


# R-BAL-2: for, against, abstain and write-ins ----------------------------------------------


def test_R_BAL_2_a_candidate_not_marked_is_an_abstention():
    round_ = election(
        ballot(for_=["c1"], against=["c2"]), ballot(for_=["c2"]), ballot(), seats=1, n_candidates=3
    )
    result = tally_round(round_)
    assert (votes(result, "c3").for_votes, votes(result, "c3").against, votes(result, "c3").abstain) == (
        0,
        0,
        3,
    )
    assert (votes(result, "c2").for_votes, votes(result, "c2").against, votes(result, "c2").abstain) == (
        1,
        1,
        1,
    )


def test_R_BAL_2_a_write_in_without_an_against_mark_is_refused():
    round_ = election(ballot(for_=["c1"], write_in=["赵六"]), seats=2)
    assert [p.code for p in round_problems(round_)] == [Problem.WRITE_IN_WITHOUT_AGAINST]


# R-CNT-2/3: write-ins and ranking ----------------------------------------------------------


def test_R_CNT_2_a_write_in_with_a_majority_is_elected_and_flagged_for_an_eligibility_check():
    round_ = election(
        ballot(against=["c1"], write_in=["赵六"], count=6),
        ballot(for_=["c1"], count=4),
        seats=1,
        n_candidates=1,
    )
    result = tally_round(round_)
    assert result.elected == ("w:赵六",)
    person = votes(result, "w:赵六")
    assert person.write_in and person.for_votes == 6 and person.abstain == 4
    assert NoteCode.WRITE_IN_ELECTED in codes(result)


def test_R_CNT_3_more_people_passing_than_seats_are_ranked_by_votes():
    round_ = election(
        ballot(for_=["c1", "c2"], count=5),
        ballot(for_=["c2", "c3"], count=4),
        ballot(for_=["c1", "c3"], count=1),
        seats=2,
        n_candidates=3,
    )
    result = tally_round(round_)  # c2 9, c1 6, c3 5; all above 10/2
    assert result.elected == ("c2", "c1")
    assert result.status is Status.COMPLETE


# R-CNT-4: ties straddling the last seat ----------------------------------------------------


def test_R_CNT_4_a_tie_for_the_last_seat_asks_for_a_revote_among_the_tied():
    round_ = election(
        ballot(for_=["c1", "c2"], count=6),
        ballot(for_=["c1", "c3"], count=6),
        ballot(for_=["c2", "c3"], count=2),
        seats=2,
        n_candidates=3,
    )
    result = tally_round(round_)  # c1 12, c2 8, c3 8 of 14: c2 and c3 both pass and tie for the second seat
    assert result.status is Status.TIE_REVOTE_NEEDED
    assert result.elected == ("c1",)
    assert set(result.tied) == {"c2", "c3"}
    assert result.seats_left == 1
    assert result.next_round is not None
    assert result.next_round.kind is RoundKind.TIE_REVOTE
    assert (result.next_round.seats, set(result.next_round.candidates)) == (1, {"c2", "c3"})


def test_R_CNT_4_a_tie_within_the_seats_elects_all_of_them():
    round_ = election(
        ballot(for_=["c1", "c2"], count=7), ballot(for_=["c3"], count=3), seats=2, n_candidates=3
    )
    result = tally_round(round_)
    assert set(result.elected) == {"c1", "c2"}
    assert result.status is Status.COMPLETE


def test_R_CNT_4_the_revote_elects_the_most_votes_without_a_majority_by_default():
    round_ = election(
        ballot(for_=["c1"], count=4),
        ballot(for_=["c2"], count=3),
        ballot(count=3),
        seats=1,
        kind=RoundKind.TIE_REVOTE,
    )
    result = tally_round(round_)
    assert result.elected == ("c1",)
    assert NoteCode.REVOTE_WITHOUT_MAJORITY in codes(result)


def test_R_CNT_4_the_revote_needs_a_majority_when_the_procedure_says_so():
    round_ = election(
        ballot(for_=["c1"], count=4),
        ballot(for_=["c2"], count=3),
        ballot(count=3),
        seats=1,
        kind=RoundKind.TIE_REVOTE,
        tie_revote_needs_majority=True,
    )
    result = tally_round(round_)
    assert result.elected == ()
    assert result.status is Status.SEATS_UNFILLED


def test_R_CNT_4_a_tie_again_in_the_revote_asks_for_another():
    round_ = election(
        ballot(for_=["c1"], count=5), ballot(for_=["c2"], count=5), seats=1, kind=RoundKind.TIE_REVOTE
    )
    result = tally_round(round_)
    assert result.status is Status.TIE_REVOTE_NEEDED
    assert set(result.tied) == {"c1", "c2"}


def test_R_CNT_4_no_write_ins_in_a_revote():
    round_ = election(ballot(against=["c1"], write_in=["赵六"]), kind=RoundKind.TIE_REVOTE)
    assert Problem.WRITE_IN_IN_TIE_REVOTE in [p.code for p in round_problems(round_)]


# R-CNT-5/6: unfilled seats, the further election, seat reduction ----------------------------


def test_R_CNT_5_fewer_passing_than_seats_leaves_seats_for_a_further_election():
    round_ = election(
        ballot(for_=["c1", "c2", "c3"], against=["c4", "c5", "c6"], count=6),
        ballot(for_=["c1", "c4"], count=4),
        seats=5,
        n_candidates=6,
    )
    result = tally_round(round_)  # c1 10, c2 6, c3 6, c4 4, c5 0, c6 0 of 10
    assert result.elected == ("c1", "c2", "c3")
    assert result.status is Status.SEATS_UNFILLED
    assert result.seats_left == 2
    assert NoteCode.SEAT_REDUCTION_POSSIBLE in codes(result)


def test_R_CNT_6_the_further_election_pool_follows_votes_with_the_legal_surplus():
    round_ = election(
        ballot(for_=["c1", "c2"], count=6),
        ballot(for_=["c3", "c4"], count=3),
        ballot(for_=["c5"], count=1),
        seats=3,
        n_candidates=6,
    )
    result = tally_round(round_)  # c1 6, c2 6 elected; 1 seat left needs 2 candidates: c3 and c4 (3 each)
    assert result.elected == ("c1", "c2")  # equal votes rank in stroke order: 王 before 李
    assert result.next_round is not None
    assert result.next_round.kind is RoundKind.FURTHER
    assert (result.next_round.seats, result.next_round.minimum_candidates) == (1, 2)
    assert set(result.next_round.candidates) == {"c3", "c4"}


def test_R_CNT_6_a_tie_at_the_edge_of_the_pool_brings_everyone_tied_in():
    round_ = election(
        ballot(for_=["c1"], count=6),
        ballot(for_=["c2"], count=2),
        ballot(for_=["c3"], count=1),
        ballot(for_=["c4"], count=1),
        seats=2,
        n_candidates=4,
    )
    result = tally_round(round_)  # c1 elected; 1 seat left needs 2: c2 (2), then c3 and c4 tie at 1
    assert result.next_round is not None
    assert result.next_round.candidates[0] == "c2"
    assert set(result.next_round.candidates) == {"c2", "c3", "c4"}


def test_R_CNT_6_too_few_people_left_for_the_pool_is_said():
    round_ = election(ballot(for_=["c1"], count=3), ballot(count=7), seats=1, n_candidates=1)
    result = tally_round(round_)
    assert result.next_round is not None
    assert result.next_round.candidates == ("c1",)
    assert NoteCode.FURTHER_POOL_SHORT in codes(result)


def test_R_CNT_6_a_further_election_needs_the_same_majority():
    round_ = election(ballot(for_=["c1"], count=5), ballot(for_=["c2"], count=5), kind=RoundKind.FURTHER)
    assert tally_round(round_).elected == ()


def test_R_CNT_5_seat_reduction_needs_the_minimum_kept_and_half_or_more_consenting():
    # 半数以上 includes half by default (xuanju.rules.reduction); 过半数 is the stricter parameter
    assert may_reduce_seats(elected_total=4, statutory_minimum=3, consenting=25, present=50)
    assert not may_reduce_seats(elected_total=4, statutory_minimum=3, consenting=24, present=50)
    strict = ConsentReading.MORE_THAN_HALF
    assert may_reduce_seats(elected_total=4, statutory_minimum=3, consenting=26, present=50, reading=strict)
    assert not may_reduce_seats(
        elected_total=4, statutory_minimum=3, consenting=25, present=50, reading=strict
    )
    assert not may_reduce_seats(elected_total=2, statutory_minimum=3, consenting=50, present=50)
    # at a congress the presidium may decide instead, never below the minimum
    assert may_reduce_seats(
        elected_total=4, statutory_minimum=3, consenting=0, present=50, presidium_decided=True
    )
    assert not may_reduce_seats(
        elected_total=2, statutory_minimum=3, consenting=0, present=50, presidium_decided=True
    )


# R-CNT-7: announcement order ---------------------------------------------------------------


def test_R_CNT_7_the_elected_are_announced_in_stroke_order_and_every_vote_is_reported():
    round_ = election(
        ballot(for_=["c1", "c2", "c3"], count=9), ballot(for_=["c1"], count=1), seats=3, n_candidates=3
    )
    result = tally_round(round_)  # 王芳 10, 李强 9, 张伟 9
    assert result.elected[0] == "c1"
    assert result.elected_in_stroke_order == ("c1", "c2", "c3")  # 王 (4), 李 (7, 横…), 张 (7, 折…)
    assert len(result.tally) == 3
    assert NoteCode.REPORT_VOTES in codes(result)


def test_every_note_names_a_rule():
    round_ = election(ballot(for_=["c1"], count=3), void(), ballot(for_=["c1", "c2"]), seats=1)
    for note in tally_round(round_).notes:
        assert note.rule.startswith("R-")


# 预选: the pre-election round of a delegates' congress (R-DEL-5, R-CAND-4; R-CNT-3/4) ------------


def pre_election(*ballots, seats=2, n_candidates=4, **changes):
    """A pre-election counted by ranking alone: the procedure parameter of R-CNT-8 off."""
    changes.setdefault("pre_election_needs_majority", False)
    return election(*ballots, seats=seats, n_candidates=n_candidates, kind=RoundKind.PRE_ELECTION, **changes)


def test_R_CNT_3_pre_election_advances_the_top_seats_without_a_majority():
    round_ = pre_election(
        ballot(for_=["c1", "c2"], count=4),
        ballot(for_=["c3"], count=3),
        ballot(for_=["c4"], count=2),
        ballot(count=11),
        seats=3,
    )
    result = tally_round(round_)  # c1 4, c2 4, c3 3, c4 2 of 20 present: nobody has a majority
    assert result.status is Status.COMPLETE
    assert result.elected == ("c1", "c2", "c3")
    assert result.seats_left == 0 and result.tied == () and result.next_round is None
    assert [p.id for p in result.tally if p.elected] == ["c1", "c2", "c3"]
    assert NoteCode.PRE_ELECTION in codes(result)
    assert NoteCode.PRE_ELECTION_ADVANCED in codes(result)
    assert NoteCode.THRESHOLD not in codes(result)
    assert NoteCode.ELECTED not in codes(result)


def test_R_CNT_3_pre_election_candidates_without_for_votes_can_still_advance():
    round_ = pre_election(
        ballot(for_=["c1"], count=5), ballot(against=["c2", "c3"], count=5), seats=2, n_candidates=3
    )
    result = tally_round(round_)  # c1 5, c2 0, c3 0: tie for the last place between c2 and c3
    assert result.elected == ("c1",)
    assert set(result.tied) == {"c2", "c3"}


def test_R_CNT_4_pre_election_tie_straddling_the_cut_is_voted_again():
    round_ = pre_election(
        ballot(for_=["c1", "c2"], count=6),
        ballot(for_=["c1", "c3"], count=6),
        ballot(for_=["c4"], count=2),
        seats=2,
    )
    result = tally_round(round_)  # c1 12, c2 6, c3 6, c4 2: c2 and c3 straddle the second place
    assert result.status is Status.TIE_REVOTE_NEEDED
    assert result.elected == ("c1",)
    assert set(result.tied) == {"c2", "c3"}
    assert result.seats_left == 1
    assert result.next_round is not None
    assert result.next_round.kind is RoundKind.TIE_REVOTE
    assert (result.next_round.seats, set(result.next_round.candidates)) == (1, {"c2", "c3"})
    assert NoteCode.PRE_ELECTION_TIE in codes(result)
    assert NoteCode.TIE not in codes(result)


def test_R_CNT_4_pre_election_tie_below_the_cut_does_not_matter():
    round_ = pre_election(
        ballot(for_=["c1", "c2"], count=6), ballot(for_=["c1", "c3"], count=3), ballot(for_=["c4"], count=3)
    )
    result = tally_round(round_)  # c1 9, c2 6, c3 3, c4 3: the tie is below the second place
    assert result.status is Status.COMPLETE and result.elected == ("c1", "c2")


def test_R_CNT_4_pre_election_tie_within_the_cut_advances_all_of_them():
    round_ = pre_election(ballot(for_=["c1", "c2"], count=3), ballot(for_=["c3"], count=2), seats=2)
    result = tally_round(round_)
    assert result.status is Status.COMPLETE and set(result.elected) == {"c1", "c2"}


def test_R_BAL_3_pre_election_ballot_naming_more_people_than_seats_is_invalid():
    round_ = pre_election(
        ballot(for_=["c1", "c2", "c3"], count=5), ballot(for_=["c4", "c3"], count=2), seats=2
    )
    result = tally_round(round_)
    assert (result.ballots.valid, result.ballots.invalid) == (2, 5)
    assert result.elected == ("c4", "c3")  # 2 votes each, ranked in stroke order: 刘 (6) before 张 (7)
    assert NoteCode.INVALID_BALLOTS in codes(result)


def test_R_MEET_1_pre_election_needs_a_quorum():
    result = tally_round(pre_election(ballot(for_=["c1"], count=40), entitled=50, present=40))
    assert result.status is Status.MEETING_INVALID and result.elected == () and result.next_round is None


def test_R_BAL_5_pre_election_with_more_ballots_returned_than_issued_is_void():
    result = tally_round(pre_election(ballot(for_=["c1"], count=10), present=10, ballots_issued=9))
    assert result.status is Status.ROUND_VOID and result.elected == ()


def test_R_CAND_4_no_write_ins_in_a_pre_election():
    round_ = pre_election(ballot(for_=["c1"], against=["c2"], write_in=["赵六"]))
    assert [p.code for p in round_problems(round_)] == [Problem.WRITE_IN_IN_PRE_ELECTION]
    # a write-in without an against-mark is refused as a write-in, not as R-BAL-2
    round_ = pre_election(ballot(for_=["c1"], write_in=["赵六"]))
    assert [p.code for p in round_problems(round_)] == [Problem.WRITE_IN_IN_PRE_ELECTION]


def test_R_DEL_5_R_CAND_4_a_pre_election_needs_more_candidates_than_the_formal_list():
    assert [p.code for p in round_problems(pre_election(seats=4, n_candidates=4))] == [
        Problem.PRE_ELECTION_TOO_FEW_CANDIDATES
    ]
    assert round_problems(pre_election(seats=3, n_candidates=4)) == []
    # other rounds may have as many candidates as seats (R-CAND-3) or fewer (a further election)
    assert round_problems(election(seats=2, n_candidates=2)) == []


def test_R_CAND_4_pre_election_ends_with_the_list_for_the_presidium_instead_of_the_announcement():
    result = tally_round(pre_election(ballot(for_=["c1", "c2"], count=3), seats=2))
    assert codes(result)[-1] is NoteCode.PRE_ELECTION_LIST
    assert NoteCode.REPORT_VOTES not in codes(result)
    assert result.elected_in_stroke_order == ("c1", "c2")


def test_R_CNT_1_needs_majority_by_kind():
    plain, strict = Procedure(), Procedure(tie_revote_needs_majority=True)
    assert needs_majority(RoundKind.REGULAR, plain) and needs_majority(RoundKind.FURTHER, plain)
    assert not needs_majority(RoundKind.TIE_REVOTE, plain) and needs_majority(RoundKind.TIE_REVOTE, strict)
    # R-CNT-8: a pre-election needs a majority by default; its tie revote follows the revote rule
    assert needs_majority(RoundKind.PRE_ELECTION, plain)
    ranked = Procedure(pre_election_needs_majority=False)
    assert not needs_majority(RoundKind.PRE_ELECTION, ranked)
    assert not needs_majority(RoundKind.FURTHER, ranked, pre_election=True)
    assert needs_majority(RoundKind.FURTHER, plain, pre_election=True)
    assert not needs_majority(RoundKind.TIE_REVOTE, plain, pre_election=True)
    assert needs_majority(RoundKind.TIE_REVOTE, strict, pre_election=True)


# R-CNT-8: a pre-election needs a majority by default ------------------------------------------


def test_R_CNT_8_a_pre_election_places_only_nominees_with_a_majority_by_default():
    # 10 present, 3 formal candidates to place from 4 nominees: only c1 (8) and c2 (6) pass 5.
    round_ = election(
        ballot(for_=["c1", "c2", "c3"], count=5),
        ballot(for_=["c1", "c2", "c4"], count=1),
        ballot(for_=["c1", "c4"], count=2),
        ballot(count=2),
        seats=3,
        n_candidates=4,
        kind=RoundKind.PRE_ELECTION,
    )
    result = tally_round(round_)  # c1 8, c2 6, c3 5, c4 3 of 10: the threshold is 6
    assert result.threshold == 6
    assert result.elected == ("c1", "c2")
    assert result.status is Status.SEATS_UNFILLED and result.seats_left == 1
    nxt = result.next_round
    # the procedure's further-round rule, as for a formal election: the rest in vote order, 20% surplus
    assert nxt is not None and nxt.kind is RoundKind.FURTHER and nxt.pre_election
    assert (nxt.seats, nxt.candidates, nxt.minimum_candidates) == (1, ("c3", "c4"), 2)
    assert NoteCode.PRE_ELECTION_THRESHOLD in codes(result)
    assert NoteCode.PRE_ELECTION_UNFILLED in codes(result)
    # a pre-election never suggests reducing the formal list
    assert NoteCode.SEAT_REDUCTION_POSSIBLE not in codes(result)
    assert NoteCode.SEATS_UNFILLED not in codes(result)


def test_R_CNT_8_the_further_round_of_a_pre_election_still_places_formal_candidates():
    round_ = election(
        ballot(for_=["c1"], count=6), ballot(count=4), kind=RoundKind.FURTHER, pre_election=True
    )
    result = tally_round(round_)
    assert result.elected == ("c1",) and result.threshold == 6
    assert NoteCode.PRE_ELECTION_ADVANCED in codes(result)
    assert codes(result)[-1] is NoteCode.PRE_ELECTION_LIST
    refused = election(
        ballot(for_=["c1"], against=["c2"], write_in=["赵六"]), kind=RoundKind.FURTHER, pre_election=True
    )
    assert [p.code for p in round_problems(refused)] == [Problem.WRITE_IN_IN_PRE_ELECTION]


@pytest.mark.parametrize("needs", [False, True])
def test_R_CNT_8_a_tie_revote_after_a_pre_election_follows_the_revote_parameter(needs):
    # 10 present; c1 4, c2 3: nobody has a majority of 10
    round_ = election(
        ballot(for_=["c1"], count=4),
        ballot(for_=["c2"], count=3),
        ballot(count=3),
        kind=RoundKind.TIE_REVOTE,
        pre_election=True,
        tie_revote_needs_majority=needs,
    )
    result = tally_round(round_)
    if needs:
        assert result.elected == () and result.threshold == 6
        assert result.status is Status.SEATS_UNFILLED and result.next_round.pre_election
    else:
        assert result.elected == ("c1",) and result.threshold is None
        assert NoteCode.REVOTE_WITHOUT_MAJORITY in codes(result)


# R-CNT-4: a revote needs more tied people than seats; no threshold where none applies -----------


def test_R_CNT_4_a_revote_with_one_tied_person_is_refused_instead_of_electing_on_no_votes():
    lone = election(ballot(against=["c1"], count=10), kind=RoundKind.TIE_REVOTE, seats=1, n_candidates=1)
    assert [p.code for p in round_problems(lone)] == [Problem.REVOTE_WITHOUT_TIE]
    assert round_problems(election(kind=RoundKind.TIE_REVOTE, seats=1, n_candidates=2)) == []


def test_R_CNT_4_no_threshold_for_a_revote_without_majority_nor_a_round_without_quorum():
    revote = tally_round(election(ballot(for_=["c1"], count=3), ballot(count=7), kind=RoundKind.TIE_REVOTE))
    assert revote.threshold is None and revote.elected == ("c1",)
    assert NoteCode.THRESHOLD not in codes(revote)
    no_quorum = tally_round(election(ballot(for_=["c1"], count=40), entitled=50, present=40))
    assert no_quorum.threshold is None
    strict = tally_round(
        election(
            ballot(for_=["c1"], count=3),
            ballot(count=7),
            kind=RoundKind.TIE_REVOTE,
            tie_revote_needs_majority=True,
        )
    )
    assert strict.threshold == 6 and strict.elected == ()


# R-CAND-2/3, R-CNT-5/6: the engine knows the post ---------------------------------------------------


def test_R_CAND_3_a_secretarys_further_election_is_equal_and_never_reduced_to_zero():
    # the only candidate for secretary misses the majority of the plenary (4 of 9)
    round_ = election(
        ballot(for_=["c1"], count=4), ballot(against=["c1"], count=5), n_candidates=1, post=Post.SECRETARY
    )
    result = tally_round(round_)
    assert result.status is Status.SEATS_UNFILLED
    nxt = result.next_round
    assert nxt is not None and (nxt.seats, nxt.minimum_candidates, nxt.candidates) == (1, 1, ("c1",))
    assert NoteCode.FURTHER_POOL_EQUAL in codes(result)
    assert NoteCode.FURTHER_POOL_SHORT not in codes(result)  # no 差额 nominees asked for
    assert NoteCode.SEAT_REDUCTION_POSSIBLE not in codes(result)
    assert seat_reduction_problem(Post.SECRETARY, 0, 1) is ReductionProblem.EQUAL_ELECTION_POST


def test_R_CAND_2_a_committee_further_election_with_no_more_candidates_than_seats_is_warned():
    round_ = election(ballot(for_=["c1", "c2"], count=9), ballot(count=1), kind=RoundKind.FURTHER, seats=2)
    assert NoteCode.FURTHER_NOT_COMPETITIVE in codes(tally_round(round_))
    enough = election(ballot(for_=["c1", "c2"], count=9), kind=RoundKind.FURTHER, seats=2, n_candidates=3)
    assert NoteCode.FURTHER_NOT_COMPETITIVE not in codes(tally_round(enough))
    equal = election(
        ballot(for_=["c1"], count=9), kind=RoundKind.FURTHER, post=Post.SECRETARY, n_candidates=1
    )
    assert NoteCode.FURTHER_NOT_COMPETITIVE not in codes(tally_round(equal))  # 等额 is lawful (R-CAND-3)


def test_R_CNT_5_no_reduction_below_the_statutory_minimum():
    # a branch committee of 5 (minimum 3): 1 elected before, 1 now, 3 seats left
    round_ = election(
        ballot(for_=["c1"], count=6),
        ballot(count=4),
        seats=4,
        n_candidates=6,
        statutory_minimum=3,
        elected_before=1,
    )
    result = tally_round(round_)
    assert result.elected == ("c1",)
    assert NoteCode.SEAT_REDUCTION_POSSIBLE not in codes(result)
    note = next(n for n in result.notes if n.code is NoteCode.SEAT_REDUCTION_BELOW_MINIMUM)
    assert note.params == {"elected": 2, "minimum": 3}
    assert seat_reduction_problem(Post.COMMITTEE_MEMBER, 2, 3) is ReductionProblem.BELOW_MINIMUM
    assert seat_reduction_problem(Post.COMMITTEE_MEMBER, 3, 3) is None
    enough = tally_round(replace(round_, elected_before=2))
    assert NoteCode.SEAT_REDUCTION_POSSIBLE in codes(enough)


def test_R_BAL_2_for_and_against_on_one_name_is_its_own_problem():
    round_ = election(ballot(for_=["c1"], against=["c1"]))
    assert [p.code for p in round_problems(round_)] == [Problem.CANDIDATE_FOR_AND_AGAINST]
    twice = election(ballot(for_=["c1", "c1"]))
    assert [p.code for p in round_problems(twice)] == [Problem.CANDIDATE_TWICE]
