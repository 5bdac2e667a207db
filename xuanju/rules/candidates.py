"""Candidate slates and the surplus of candidates over seats (差额, R-CAND-2/3)."""

from __future__ import annotations

from enum import StrEnum


class Post(StrEnum):
    """What a slate elects: the surplus rule depends on it."""

    COMMITTEE_MEMBER = "committee_member"  # 委员
    DELEGATE = "delegate"  # 代表
    SECRETARY = "secretary"  # 书记
    DEPUTY_SECRETARY = "deputy_secretary"  # 副书记
    STANDING_COMMITTEE = "standing_committee"  # 常委
    DISCIPLINE_MEMBER = "discipline_member"  # 纪委委员: competitive like committee members (R-CAND-2)


#: Posts always elected competitively (差额选举) with the R-CAND-2 surplus.
COMPETITIVE_POSTS = frozenset({Post.COMMITTEE_MEMBER, Post.DISCIPLINE_MEMBER, Post.DELEGATE})


def minimum_surplus(seats: int) -> int:
    """R-CAND-2: the surplus is at least 20% of the seats, rounded up (ceil(seats / 5))."""
    if seats < 1:
        raise ValueError("seats must be at least 1")
    return -(-seats // 5)


def minimum_candidates(seats: int) -> int:
    """R-CAND-2: the fewest candidates a competitive election (差额选举) of ``seats`` may have."""
    return seats + minimum_surplus(seats)


def may_be_equal_election(post: Post, standing_committee_approved: bool = False) -> bool:
    """R-CAND-3: secretary and deputies (and, where the upper level approves, the standing
    committee) may be elected with as many candidates as posts (等额选举); committee members,
    discipline-commission members and delegates never (R-CAND-2)."""
    if post in COMPETITIVE_POSTS:
        return False
    if post in (Post.SECRETARY, Post.DEPUTY_SECRETARY):
        return True
    return post is Post.STANDING_COMMITTEE and standing_committee_approved


class SlateProblem(StrEnum):
    TOO_FEW_CANDIDATES = "too_few_candidates"
    FEWER_CANDIDATES_THAN_SEATS = "fewer_candidates_than_seats"


def slate_problem(
    post: Post, seats: int, candidates: int, standing_committee_approved: bool = False
) -> SlateProblem | None:
    """Whether a slate of ``candidates`` for ``seats`` posts breaks R-CAND-2/3; None when it is lawful."""
    if candidates < seats:
        return SlateProblem.FEWER_CANDIDATES_THAN_SEATS
    if may_be_equal_election(post, standing_committee_approved):  # R-CAND-3
        return None
    if candidates < minimum_candidates(seats):  # R-CAND-2
        return SlateProblem.TOO_FEW_CANDIDATES
    return None
