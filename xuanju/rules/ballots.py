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
    RETURNED_EXCEEDS_PRESENT = "returned_exceeds_present"


def round_defect(
    issued: int, returned: int, present: int, issued_over_present_voids: bool = False
) -> RoundDefect | None:
    """R-BAL-5: the round is void, and must be repeated, when more ballots come back than were
    issued.

    Ballots issued beyond the voters present are a staff error, corrected by withdrawing the spare
    sheets and registering them as unused: not by themselves grounds to void (手册). A procedure may
    adopt the strict reading (``issued_over_present_voids``), under which they void the round.
    Once the spare sheets are withdrawn, only ``present`` ballots count as issued, so more returned
    than voters present still voids the round (a reading where RULES.md is silent: the box then
    holds more ballots than anyone could have cast).
    """
    if returned > issued:
        return RoundDefect.RETURNED_EXCEEDS_ISSUED
    if issued > present and issued_over_present_voids:
        return RoundDefect.ISSUED_EXCEEDS_PRESENT
    if issued > present and returned > present:
        return RoundDefect.RETURNED_EXCEEDS_PRESENT
    return None
