"""The meeting: R-MEET-1 quorum, R-MEET-2 exclusions, R-MEET-4 scrutineers."""

from __future__ import annotations

import pytest

from xuanju.rules.meeting import (
    Exclusion,
    ExclusionProblem,
    ExclusionReason,
    entitled_count,
    exclusion_problems,
    has_quorum,
    may_be_scrutineer,
    minimum_present_for_quorum,
)


@pytest.mark.parametrize(
    ("present", "entitled", "quorum"),
    [
        (40, 50, False),
        (41, 50, True),
        (4, 5, False),
        (5, 5, True),
        (8, 10, False),
        (9, 10, True),
        (0, 0, False),
    ],
)
def test_R_MEET_1_quorum_is_more_than_four_fifths(present, entitled, quorum):
    assert has_quorum(present, entitled) is quorum


@pytest.mark.parametrize("entitled", [1, 3, 5, 7, 10, 49, 50, 51, 123, 500])
def test_R_MEET_1_minimum_present_is_the_first_number_with_a_quorum(entitled):
    least = minimum_present_for_quorum(entitled)
    assert has_quorum(least, entitled)
    assert not has_quorum(least - 1, entitled)


def exclusion(member_id, consent=True, approval=True):
    return Exclusion(
        member_id, ExclusionReason.ABROAD, upper_level_consent=consent, meeting_approval=approval
    )


def test_R_MEET_2_approved_exclusions_reduce_the_entitled_count():
    voters = [f"m{i}" for i in range(50)]
    assert entitled_count(voters, [exclusion("m1"), exclusion("m2")]) == 48


def test_R_MEET_2_an_exclusion_needs_both_the_upper_levels_consent_and_the_meetings_approval():
    voters = ["m1", "m2", "m3"]
    exclusions = [exclusion("m1", consent=False), exclusion("m2", approval=False)]
    assert entitled_count(voters, exclusions) == 3
    assert exclusion_problems(voters, exclusions) == [
        ("m1", ExclusionProblem.NO_UPPER_LEVEL_CONSENT),
        ("m2", ExclusionProblem.NO_MEETING_APPROVAL),
    ]


def test_R_MEET_2_excluding_a_non_voter_or_the_same_member_twice_is_a_mistake():
    problems = exclusion_problems(["m1"], [exclusion("x"), exclusion("m1"), exclusion("m1")])
    assert problems == [("x", ExclusionProblem.NOT_A_VOTER), ("m1", ExclusionProblem.DUPLICATE)]
    assert entitled_count(["m1"], [exclusion("x"), exclusion("m1"), exclusion("m1")]) == 0


def test_R_MEET_4_scrutineers_are_approved_voters_who_are_not_candidates():
    assert may_be_scrutineer(is_candidate=False, has_vote=True, approved_by_meeting=True)
    assert not may_be_scrutineer(is_candidate=True, has_vote=True, approved_by_meeting=True)
    assert not may_be_scrutineer(is_candidate=False, has_vote=True, approved_by_meeting=False)
    assert not may_be_scrutineer(is_candidate=False, has_vote=False, approved_by_meeting=True)
