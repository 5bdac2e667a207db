"""Candidate slates: R-CAND-2 (差额 of at least 20%) and R-CAND-3 (等额 for secretaries)."""

from __future__ import annotations

import pytest

from xuanju.rules.candidates import (
    COMPETITIVE_POSTS,
    Post,
    SlateProblem,
    may_be_equal_election,
    minimum_candidates,
    minimum_surplus,
    slate_problem,
)


@pytest.mark.parametrize(
    ("seats", "least"),
    [(1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 8), (7, 9), (10, 12), (11, 14), (180, 216)],
)
def test_R_CAND_2_candidates_exceed_seats_by_at_least_a_fifth_rounded_up(seats, least):
    assert minimum_candidates(seats) == least


def test_R_CAND_2_five_seats_need_six_candidates():
    assert slate_problem(Post.COMMITTEE_MEMBER, seats=5, candidates=5) is SlateProblem.TOO_FEW_CANDIDATES
    assert slate_problem(Post.COMMITTEE_MEMBER, seats=5, candidates=6) is None


def test_R_CAND_2_delegates_too():
    assert slate_problem(Post.DELEGATE, seats=150, candidates=179) is SlateProblem.TOO_FEW_CANDIDATES
    assert slate_problem(Post.DELEGATE, seats=150, candidates=180) is None


def test_R_CAND_2_seats_must_be_positive():
    with pytest.raises(ValueError):
        minimum_surplus(0)


@pytest.mark.parametrize("post", [Post.SECRETARY, Post.DEPUTY_SECRETARY])
def test_R_CAND_3_secretaries_may_be_elected_with_as_many_candidates_as_posts(post):
    assert slate_problem(post, seats=1, candidates=1) is None
    assert slate_problem(post, seats=2, candidates=1) is SlateProblem.FEWER_CANDIDATES_THAN_SEATS


def test_R_CAND_3_standing_committee_only_with_the_upper_levels_approval():
    assert slate_problem(Post.STANDING_COMMITTEE, seats=5, candidates=5) is SlateProblem.TOO_FEW_CANDIDATES
    assert (
        slate_problem(Post.STANDING_COMMITTEE, seats=5, candidates=5, standing_committee_approved=True)
        is None
    )


@pytest.mark.parametrize(("seats", "least"), [(1, 2), (5, 6), (7, 9), (9, 11)])
def test_R_CAND_2_discipline_commission_members_are_competitive_like_committee_members(seats, least):
    for post in (Post.DISCIPLINE_MEMBER, Post.COMMITTEE_MEMBER, Post.DELEGATE):
        assert slate_problem(post, seats=seats, candidates=least - 1) is SlateProblem.TOO_FEW_CANDIDATES
        assert slate_problem(post, seats=seats, candidates=least) is None
        assert (
            slate_problem(post, seats=seats, candidates=seats - 1) is SlateProblem.FEWER_CANDIDATES_THAN_SEATS
        )


def test_R_CAND_3_discipline_commission_members_are_never_elected_with_as_many_candidates_as_posts():
    assert Post("discipline_member") is Post.DISCIPLINE_MEMBER
    assert Post.DISCIPLINE_MEMBER in COMPETITIVE_POSTS
    assert not may_be_equal_election(Post.DISCIPLINE_MEMBER)
    assert not may_be_equal_election(Post.DISCIPLINE_MEMBER, standing_committee_approved=True)
    assert (
        slate_problem(Post.DISCIPLINE_MEMBER, seats=5, candidates=5, standing_committee_approved=True)
        is SlateProblem.TOO_FEW_CANDIDATES
    )


@pytest.mark.parametrize(("seats", "least"), [(1, 2), (100, 120), (150, 180), (201, 242)])
def test_R_DEL_4_delegate_candidates_exceed_the_seats_by_at_least_a_fifth(seats, least):
    assert slate_problem(Post.DELEGATE, seats=seats, candidates=least - 1) is SlateProblem.TOO_FEW_CANDIDATES
    assert slate_problem(Post.DELEGATE, seats=seats, candidates=least) is None
