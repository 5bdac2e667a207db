"""Ballots and the validity of a ballot and of a round (选票, R-BAL)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Ballot:
    """One ballot as the counters read it, or ``count`` identical ones.

    A candidate the ballot neither votes for nor against is an abstention on it (R-BAL-2).
    ``write_in`` holds the names written under 另选他人. ``void_reason`` is set when the counters
    declared the ballot void (废票, R-BAL-4); such a ballot carries no marks.
    """

    for_: tuple[str, ...] = ()
    against: tuple[str, ...] = ()
    write_in: tuple[str, ...] = ()
    count: int = 1
    void_reason: str | None = None


class BallotState(StrEnum):
    VALID = "valid"  # 有效票
    INVALID = "invalid"  # 无效票, R-BAL-3
    VOID = "void"  # 废票, R-BAL-4


def ballot_state(ballot: Ballot, seats: int) -> BallotState:
    """R-BAL-3: a ballot voting for more people (for-marks plus write-ins) than there are seats is
    invalid as a whole. R-BAL-4: a ballot the counters declared unreadable or marked is void."""
    if ballot.void_reason is not None:
        return BallotState.VOID
    if len(ballot.for_) + len(ballot.write_in) > seats:
        return BallotState.INVALID
    return BallotState.VALID


def write_ins_allowed(ballot: Ballot) -> bool:
    """R-BAL-2: only a voter who votes against someone may write in another person, one for each
    against-mark; an abstention cannot be replaced by a write-in."""
    return len(ballot.write_in) <= len(ballot.against)


class RoundDefect(StrEnum):
    RETURNED_EXCEEDS_ISSUED = "returned_exceeds_issued"
    ISSUED_EXCEEDS_PRESENT = "issued_exceeds_present"


def round_defect(issued: int, returned: int, present: int) -> RoundDefect | None:
    """R-BAL-5: the round is void when more ballots come back than were issued, or more were
    issued than voters are present; it must then be repeated."""
    if returned > issued:
        return RoundDefect.RETURNED_EXCEEDS_ISSUED
    if issued > present:
        return RoundDefect.ISSUED_EXCEEDS_PRESENT
    return None
