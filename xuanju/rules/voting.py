"""Who may vote and who may stand (选举权和被选举权, R-VOTE, R-CAND-6)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class MembershipStatus(StrEnum):
    FULL = "full"  # 正式党员
    PROBATIONARY = "probationary"  # 预备党员


class RestrictionKind(StrEnum):
    """States that take away or suspend a full member's rights for a period."""

    PROBATION_WITHIN_PARTY = "probation_within_party"  # 留党察看, R-VOTE-3
    DETENTION = "detention"  # 留置, R-VOTE-4
    ARREST = "arrest"  # 被逮捕, R-VOTE-4


@dataclass(frozen=True)
class Restriction:
    """A restriction from ``start`` to ``end`` inclusive; ``end`` None means still in force."""

    kind: RestrictionKind
    start: date
    end: date | None = None

    def in_force_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class MemberStanding:
    """What the rules need to know of a member on a given day."""

    status: MembershipStatus
    restrictions: tuple[Restriction, ...] = field(default_factory=tuple)


class NoRightReason(StrEnum):
    PROBATIONARY = "probationary"  # R-VOTE-2
    PROBATION_WITHIN_PARTY = "probation_within_party"  # R-VOTE-3
    SUSPENDED = "suspended"  # R-VOTE-4


@dataclass(frozen=True)
class Rights:
    can_vote: bool
    can_stand: bool
    reasons: tuple[NoRightReason, ...]


def rights_on(member: MemberStanding, day: date) -> Rights:
    """The member's right to vote (选举权) and to stand (被选举权) on ``day``.

    R-VOTE-1: only full members have them. R-VOTE-2: probationary members attend without them.
    R-VOTE-3: none during 留党察看. R-VOTE-4: suspended while held under 留置 or arrested.
    """
    reasons: list[NoRightReason] = []
    if member.status is MembershipStatus.PROBATIONARY:
        reasons.append(NoRightReason.PROBATIONARY)
    for restriction in member.restrictions:
        if not restriction.in_force_on(day):
            continue
        if restriction.kind is RestrictionKind.PROBATION_WITHIN_PARTY:
            reason = NoRightReason.PROBATION_WITHIN_PARTY
        else:
            reason = NoRightReason.SUSPENDED
        if reason not in reasons:
            reasons.append(reason)
    has_rights = not reasons
    return Rights(can_vote=has_rights, can_stand=has_rights, reasons=tuple(reasons))


def voters_on(members: Iterable[tuple[str, MemberStanding]], day: date) -> list[str]:
    """Ids of the members who hold the right to vote on ``day`` (the roll before R-MEET-2 exclusions)."""
    return [member_id for member_id, standing in members if rights_on(standing, day).can_vote]


def may_fill_in_ballot_for(helper_is_candidate: bool, voter_asked: bool) -> bool:
    """R-VOTE-5: no proxy voting; a voter who cannot write may, at their own wish, have a person
    who is not a candidate fill in their ballot (代写)."""
    return voter_asked and not helper_is_candidate


def completed_years(start: date, on: date) -> int:
    """Whole years from ``start`` to ``on`` (a birthday on 29 February completes its year on 1 March
    in common years)."""
    years = on.year - start.year
    if (on.month, on.day) < (start.month, start.day):
        years -= 1
    return max(years, 0)


def party_age(full_member_on: date | None, on: date) -> int | None:
    """党龄: whole years since a member became a full member (Party Constitution art. 7); None for a
    probationary member, whose party age has not begun. Upper levels set minimum party ages as
    candidate conditions (R-CAND-1)."""
    return None if full_member_on is None else completed_years(full_member_on, on)
