"""Delegate quota and its allocation across electoral units (代表名额分配, R-DEL-2/3)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

QUOTA_NORMAL_MIN = 100  # R-DEL-2
QUOTA_NORMAL_MAX = 200  # R-DEL-2
QUOTA_HARD_MAX = 300  # R-DEL-2
CONGRESS_MEMBER_THRESHOLD = 500  # R-DEL-1


@dataclass(frozen=True)
class ElectoralUnit:
    """An electoral unit (选举单位) and what its share is reckoned from."""

    id: str
    name: str
    full_members: int
    organizations: int = 1  # sub-organizations it comprises, shown beside the allocation


@dataclass(frozen=True)
class UnitAllocation:
    id: str
    seats: int
    quota: Fraction  # base + proportional share of the remaining seats, before rounding
    base: int = 0  # the base seats it received: none for a unit without full members (R-DEL-3)


def base_seats(unit: ElectoralUnit, base_per_unit: int) -> int:
    """R-DEL-3: the base a unit receives. A unit with no full members gets none: only full members
    vote and stand (R-VOTE-1), so it has nobody to elect a delegate nor to be one."""
    return base_per_unit if unit.full_members > 0 else 0


class QuotaProblem(StrEnum):
    TOTAL_ABOVE_300 = "total_above_300"
    TOTAL_BELOW_BASE = "total_below_base"
    NO_UNITS = "no_units"
    NO_MEMBERS = "no_members"


class QuotaWarning(StrEnum):
    OUTSIDE_NORMAL_RANGE = "outside_normal_range"


def quota_problem(total: int, base_per_unit: int, units: list[ElectoralUnit]) -> QuotaProblem | None:
    """Why a quota cannot be allocated as asked (R-DEL-2/3); None when it can."""
    if not units:
        return QuotaProblem.NO_UNITS
    if total > QUOTA_HARD_MAX:
        return QuotaProblem.TOTAL_ABOVE_300
    if sum(u.full_members for u in units) == 0:
        return QuotaProblem.NO_MEMBERS
    if total < sum(base_seats(u, base_per_unit) for u in units):
        return QuotaProblem.TOTAL_BELOW_BASE
    return None


def quota_warnings(total: int) -> list[QuotaWarning]:
    """R-DEL-2: a quota outside 100-200 is lawful (up to 300) but needs a reason in the request."""
    if not QUOTA_NORMAL_MIN <= total <= QUOTA_NORMAL_MAX:
        return [QuotaWarning.OUTSIDE_NORMAL_RANGE]
    return []


def allocate_quota(total: int, units: list[ElectoralUnit], base_per_unit: int = 1) -> list[UnitAllocation]:
    """Base seats per unit, the rest by largest remainder in proportion to full members (R-DEL-3).

    A unit without full members gets no base (:func:`base_seats`) and, having no members, no share:
    it gets no seat. Equal remainders go to the larger unit, then to the earlier unit in the list.
    The seats add up to ``total``. Raises ValueError when :func:`quota_problem` finds a problem.
    """
    problem = quota_problem(total, base_per_unit, units)
    if problem is not None:
        raise ValueError(problem.value)
    bases = [base_seats(u, base_per_unit) for u in units]
    remaining = total - sum(bases)
    members_total = sum(u.full_members for u in units)
    shares = [Fraction(remaining * u.full_members, members_total) for u in units]
    seats = [base + int(share) for base, share in zip(bases, shares, strict=True)]
    leftover = total - sum(seats)
    by_remainder = sorted(
        range(len(units)),
        key=lambda i: (-(shares[i] - int(shares[i])), -units[i].full_members, i),
    )
    for i in by_remainder[:leftover]:
        seats[i] += 1
    return [
        UnitAllocation(id=u.id, seats=seats[i], quota=bases[i] + shares[i], base=bases[i])
        for i, u in enumerate(units)
    ]


def needs_congress(members: int, scattered_units: bool) -> bool:
    """R-DEL-1: a delegates' congress may replace the members' meeting with 500+ members or
    scattered sub-units (and always needs the upper level's approval)."""
    return members >= CONGRESS_MEMBER_THRESHOLD or scattered_units
