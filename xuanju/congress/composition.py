"""The delegates' composition against the congress's targets, while units still elect (R-DEL-3).

Pure arithmetic over :class:`xuanju.rules.structure.StructurePerson` (no Django). Percentages of the
quota become counts of delegates (rounded up for "at least", down for "at most"), so the count
targets are the ``rules.structure.Targets`` the rest of the system checks committees against.

The outlook is honest arithmetic: the best case is that every seat still open goes to a qualifying
person — limited, in a unit whose candidates are known, to its qualifying candidates (the same
bound ``rules.structure.unreachable_targets`` takes for one slate). A target is flagged
*unreachable* when even the best case misses it, and *short* when it is missed so far but the open
seats can still make it up: the time to act is before those units elect.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from xuanju.rules.structure import StructurePerson, Targets
from xuanju.rules.voting import completed_years

YOUNG_AGE = 35  # 35 岁及以下
OLD_AGE = 55  # 55 岁以上: 56 and over


@dataclass(frozen=True)
class CompositionTargets:
    """The targets as the congress states them; None: not set."""

    front_line_percent: int | None = None
    women_percent: int | None = None
    min_minorities: int | None = None
    max_over_55_percent: int | None = None
    min_under_35: int | None = None


def at_least(total: int, percent: int) -> int:
    """The fewest delegates of ``total`` that make ``percent`` per cent (rounded up)."""
    return -(-total * percent // 100)


def at_most(total: int, percent: int) -> int:
    """The most delegates of ``total`` within ``percent`` per cent (rounded down)."""
    return total * percent // 100


def as_targets(total: int, targets: CompositionTargets) -> Targets:
    """The count targets for a body of ``total`` delegates (the "over 55" cap has no field there)."""
    return Targets(
        min_women=at_least(total, targets.women_percent) if targets.women_percent is not None else None,
        min_minorities=targets.min_minorities,
        min_under_age=(YOUNG_AGE, targets.min_under_35) if targets.min_under_35 is not None else None,
        min_front_line=(
            at_least(total, targets.front_line_percent) if targets.front_line_percent is not None else None
        ),
    )


class Target(StrEnum):
    FRONT_LINE = "front_line"
    WOMEN = "women"
    MINORITIES = "minorities"
    UNDER_35 = "under_35"
    OVER_55 = "over_55"


@dataclass(frozen=True)
class UnitOutlook:
    """A unit's seats not yet filled, and its candidates where they are known (None: not yet)."""

    seats_left: int
    candidates: Sequence[StructurePerson] | None = None


@dataclass(frozen=True)
class TargetRow:
    """One target: ``required`` delegates at least (or, for OVER_55, at most); ``actual`` among the
    delegates so far; ``best`` the best the open seats can still bring (for OVER_55, the fewest the
    known candidates force). ``met``: met by the delegates so far; ``reachable``: by the best case."""

    target: Target
    required: int
    actual: int
    best: int
    met: bool
    reachable: bool

    @property
    def short(self) -> bool:
        return not self.met and self.reachable


def _qualifies(target: Target, on: date) -> Callable[[StructurePerson], bool]:
    if target is Target.FRONT_LINE:
        return lambda p: p.front_line
    if target is Target.WOMEN:
        return lambda p: p.female
    if target is Target.MINORITIES:
        return lambda p: p.minority
    if target is Target.UNDER_35:
        return lambda p: completed_years(p.birth_date, on) <= YOUNG_AGE
    return lambda p: completed_years(p.birth_date, on) > OLD_AGE


def required_counts(total: int, targets: CompositionTargets) -> list[tuple[Target, int]]:
    counts = as_targets(total, targets)
    found: list[tuple[Target, int]] = []
    if counts.min_front_line is not None:
        found.append((Target.FRONT_LINE, counts.min_front_line))
    if counts.min_women is not None:
        found.append((Target.WOMEN, counts.min_women))
    if counts.min_minorities is not None:
        found.append((Target.MINORITIES, counts.min_minorities))
    if counts.min_under_age is not None:
        found.append((Target.UNDER_35, counts.min_under_age[1]))
    if targets.max_over_55_percent is not None:
        found.append((Target.OVER_55, at_most(total, targets.max_over_55_percent)))
    return found


def composition_rows(
    delegates: Sequence[StructurePerson],
    outlooks: Sequence[UnitOutlook],
    total: int,
    targets: CompositionTargets,
    on: date,
) -> list[TargetRow]:
    """Each target set, judged on the delegates so far and on the seats still open (R-DEL-3)."""
    rows = []
    for target, required in required_counts(total, targets):
        qualifies = _qualifies(target, on)
        actual = sum(1 for p in delegates if qualifies(p))
        if target is Target.OVER_55:
            # The fewest over 55 the open seats must add: a unit whose known candidates are too few
            # without them elects some of them whatever happens.
            forced = sum(
                max(0, o.seats_left - sum(1 for c in o.candidates if not qualifies(c)))
                for o in outlooks
                if o.candidates is not None
            )
            best = actual + forced
            rows.append(TargetRow(target, required, actual, best, actual <= required, best <= required))
            continue
        best = actual + sum(
            o.seats_left
            if o.candidates is None
            else min(o.seats_left, sum(1 for c in o.candidates if qualifies(c)))
            for o in outlooks
        )
        rows.append(TargetRow(target, required, actual, best, actual >= required, best >= required))
    return rows
