"""The structure of a team (班子结构): a slate or an elected committee against composition targets.

R-CAND-1: nomination seeks a well-structured team; R-DEL-3: composition targets (front-line, women,
minority, age bands) are parameters checked against the candidates and against those elected.
Ages are completed years on the election day (``voting.completed_years``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction
from functools import cache

from xuanju.rules.conditions import EducationLevel
from xuanju.rules.voting import completed_years

AGE_BANDS: tuple[tuple[int | None, int | None], ...] = ((None, 35), (36, 45), (46, 55), (56, None))
"""Inclusive (lowest, highest) completed ages of each band; None is open. Labels are the shell's."""

COLLEGE_OR_ABOVE = (
    EducationLevel.COLLEGE,
    EducationLevel.BACHELOR,
    EducationLevel.POSTGRADUATE,
)  # 大专及以上


@dataclass(frozen=True)
class StructurePerson:
    key: str
    female: bool
    minority: bool  # ethnicity other than 汉族; the caller decides
    birth_date: date
    education: EducationLevel | None
    occupation: str
    front_line: bool  # 生产和工作一线
    returning: bool  # sat on the outgoing committee


@dataclass(frozen=True)
class Structure:
    """The make-up of a group of people on one day.

    ``education`` counts people per EducationLevel in level order (PRIMARY first);
    ``education_unknown`` those with none recorded. ``age_bands`` counts per ``AGE_BANDS``.
    ``ages`` holds every age, ascending. ``average_age``, ``youngest`` and ``oldest`` are None only
    for an empty group. ``occupations`` is sorted by count descending, then name.
    """

    size: int
    women: int
    minorities: int
    average_age: float | None
    age_bands: tuple[int, ...]
    youngest: int | None
    oldest: int | None
    education: tuple[int, ...]
    education_unknown: int
    college_or_above: int
    occupations: tuple[tuple[str, int], ...]
    front_line: int
    returning: int
    new: int
    ages: tuple[int, ...]

    def education_count(self, level: EducationLevel) -> int:
        return self.education[level - 1]

    def aged_at_most(self, age: int) -> int:
        """How many people are ``age`` or younger."""
        return sum(1 for each in self.ages if each <= age)


def age_band(age: int) -> int:
    """The index in ``AGE_BANDS`` of the band holding ``age``."""
    for index, (low, high) in enumerate(AGE_BANDS):
        if (low is None or age >= low) and (high is None or age <= high):
            return index
    raise AssertionError("AGE_BANDS cover every age")


def structure_of(people: Sequence[StructurePerson], on: date) -> Structure:
    """The structure of ``people`` on the day ``on`` (R-CAND-1, R-DEL-3)."""
    ages = sorted(completed_years(person.birth_date, on) for person in people)
    bands = [0] * len(AGE_BANDS)
    for age in ages:
        bands[age_band(age)] += 1
    levels = Counter(person.education for person in people)
    occupations = Counter(person.occupation for person in people)
    returning = sum(1 for person in people if person.returning)
    return Structure(
        size=len(people),
        women=sum(1 for person in people if person.female),
        minorities=sum(1 for person in people if person.minority),
        average_age=sum(ages) / len(ages) if ages else None,
        age_bands=tuple(bands),
        youngest=ages[0] if ages else None,
        oldest=ages[-1] if ages else None,
        education=tuple(levels[level] for level in EducationLevel),
        education_unknown=levels[None],
        college_or_above=sum(levels[level] for level in COLLEGE_OR_ABOVE),
        occupations=tuple(sorted(occupations.items(), key=lambda item: (-item[1], item[0]))),
        front_line=sum(1 for person in people if person.front_line),
        returning=returning,
        new=len(people) - returning,
        ages=tuple(ages),
    )


@dataclass(frozen=True)
class Targets:
    """Composition targets for a committee (R-CAND-1, R-DEL-3); None means no such target.

    ``min_under_age`` is (age, count): at least ``count`` people aged ``age`` or younger.
    ``max_average_age`` is met when the average age is at most it (an empty group meets it).
    """

    min_women: int | None = None
    min_minorities: int | None = None
    max_average_age: float | None = None
    min_under_age: tuple[int, int] | None = None
    min_college_or_above: int | None = None
    min_front_line: int | None = None
    min_new: int | None = None
    max_returning: int | None = None


class Gap(StrEnum):
    """A target missed; each value is the name of its field in ``Targets``."""

    MIN_WOMEN = "min_women"
    MIN_MINORITIES = "min_minorities"
    MAX_AVERAGE_AGE = "max_average_age"
    MIN_UNDER_AGE = "min_under_age"
    MIN_COLLEGE_OR_ABOVE = "min_college_or_above"
    MIN_FRONT_LINE = "min_front_line"
    MIN_NEW = "min_new"
    MAX_RETURNING = "max_returning"


@dataclass(frozen=True)
class TargetGap:
    """A target and the number that misses (or, for a slate, the best any outcome reaches).

    ``required`` is the target's number (for MIN_UNDER_AGE the count; ``age`` is its age);
    ``actual`` is None only for the average age of nobody.
    """

    gap: Gap
    required: int | float
    actual: int | float | None
    age: int | None = None


@cache
def _exact(limit: float) -> Fraction:
    """``limit`` as the decimal it is written as (43.4 means 217/5). A campaign judges thousands of
    teams against the same few limits: each is parsed once."""
    return Fraction(repr(limit))


def _average_exceeds(total: int, count: int, limit: float) -> bool:
    """Whether ``total / count`` is above ``limit``, compared exactly: the limit is taken as the
    decimal it is written as, so an average equal to it meets it. In integers: total / count > p / q
    exactly when total * q > p * count (count > 0)."""
    exact = _exact(limit)
    return count > 0 and total * exact.denominator > exact.numerator * count


def _count_targets(targets: Targets) -> list[tuple[Gap, int, Callable[[StructurePerson], bool]]]:
    """The "at least N people who …" targets as (gap, N, who qualifies) — ages are the caller's."""
    found: list[tuple[Gap, int, Callable[[StructurePerson], bool]]] = []
    if targets.min_women is not None:
        found.append((Gap.MIN_WOMEN, targets.min_women, lambda p: p.female))
    if targets.min_minorities is not None:
        found.append((Gap.MIN_MINORITIES, targets.min_minorities, lambda p: p.minority))
    if targets.min_college_or_above is not None:
        found.append(
            (
                Gap.MIN_COLLEGE_OR_ABOVE,
                targets.min_college_or_above,
                lambda p: p.education in COLLEGE_OR_ABOVE,
            )
        )
    if targets.min_front_line is not None:
        found.append((Gap.MIN_FRONT_LINE, targets.min_front_line, lambda p: p.front_line))
    if targets.min_new is not None:
        found.append((Gap.MIN_NEW, targets.min_new, lambda p: not p.returning))
    return found


def target_gaps(structure: Structure, targets: Targets) -> tuple[TargetGap, ...]:
    """The targets an elected committee of this structure misses, in ``Gap`` order (R-DEL-3)."""
    gaps: list[TargetGap] = []

    def at_least(gap: Gap, required: int | None, actual: int) -> None:
        if required is not None and actual < required:
            gaps.append(TargetGap(gap, required, actual))

    at_least(Gap.MIN_WOMEN, targets.min_women, structure.women)
    at_least(Gap.MIN_MINORITIES, targets.min_minorities, structure.minorities)
    limit = targets.max_average_age
    if limit is not None and _average_exceeds(sum(structure.ages), structure.size, limit):
        gaps.append(TargetGap(Gap.MAX_AVERAGE_AGE, limit, structure.average_age))
    if targets.min_under_age is not None:
        age, count = targets.min_under_age
        under = structure.aged_at_most(age)
        if under < count:
            gaps.append(TargetGap(Gap.MIN_UNDER_AGE, count, under, age=age))
    at_least(Gap.MIN_COLLEGE_OR_ABOVE, targets.min_college_or_above, structure.college_or_above)
    at_least(Gap.MIN_FRONT_LINE, targets.min_front_line, structure.front_line)
    at_least(Gap.MIN_NEW, targets.min_new, structure.new)
    if targets.max_returning is not None and structure.returning > targets.max_returning:
        gaps.append(TargetGap(Gap.MAX_RETURNING, targets.max_returning, structure.returning))
    return tuple(gaps)


@dataclass(frozen=True)
class _Reach:
    """What the outcomes of a slate can do for one target: the best value any outcome reaches,
    whether the best outcome meets it, whether every outcome meets it, and whether the target is
    met only if every qualifying candidate is elected (no slack)."""

    gap: Gap
    required: int | float
    best: int | float | None
    reachable: bool
    always: bool
    no_slack: bool
    age: int | None = None


def _reach(candidates: Sequence[StructurePerson], seats: int, targets: Targets, on: date) -> list[_Reach]:
    """Every target of ``targets`` judged over all outcomes: any ``k = min(seats, candidates)`` of
    the candidates elected."""
    if seats < 1:
        raise ValueError("seats must be at least 1")
    n = len(candidates)
    k = min(seats, n)
    ages = sorted(completed_years(person.birth_date, on) for person in candidates)

    def count_reach(gap: Gap, required: int, qualifying: int, age: int | None = None) -> _Reach:
        best = min(qualifying, k)  # as many qualifying people as the seats allow
        worst = max(0, k - (n - qualifying))  # as few as the others leave room for
        return _Reach(
            gap,
            required,
            best,
            reachable=best >= required,
            always=worst >= required,
            no_slack=qualifying == required,
            age=age,
        )

    found: dict[Gap, _Reach] = {}
    for gap, required, qualifies in _count_targets(targets):
        found[gap] = count_reach(gap, required, sum(1 for person in candidates if qualifies(person)))
    if targets.min_under_age is not None:
        age, count = targets.min_under_age
        found[Gap.MIN_UNDER_AGE] = count_reach(
            Gap.MIN_UNDER_AGE, count, sum(1 for each in ages if each <= age), age=age
        )
    if targets.max_average_age is not None:
        limit = targets.max_average_age
        youngest = sum(ages[:k])  # the k youngest give the lowest average
        oldest = sum(ages[n - k :])
        # The second-lowest total swaps the oldest of the k youngest for the next youngest.
        runner_up = youngest - ages[k - 1] + ages[k] if 0 < k < n else youngest
        found[Gap.MAX_AVERAGE_AGE] = _Reach(
            Gap.MAX_AVERAGE_AGE,
            limit,
            youngest / k if k else None,
            reachable=not _average_exceeds(youngest, k, limit),
            always=not _average_exceeds(oldest, k, limit),
            no_slack=_average_exceeds(runner_up, k, limit),
        )
    if targets.max_returning is not None:
        # At most m returning among k elected is at least k - m new: a count target on the new.
        new = sum(1 for person in candidates if not person.returning)
        as_new = count_reach(Gap.MAX_RETURNING, k - targets.max_returning, new)
        found[Gap.MAX_RETURNING] = _Reach(
            Gap.MAX_RETURNING,
            targets.max_returning,
            k - min(new, k),  # as few returning as possible: max(0, k - new)
            reachable=as_new.reachable,
            always=as_new.always,
            no_slack=as_new.no_slack,
        )
    return [found[gap] for gap in Gap if gap in found]


def unreachable_targets(
    candidates: Sequence[StructurePerson], seats: int, targets: Targets, on: date
) -> tuple[TargetGap, ...]:
    """The targets that no outcome of the election can meet, whichever ``seats`` of the
    ``candidates`` are elected (all of them, if there are fewer candidates than seats) (R-DEL-3).

    Each target is judged on its own: ``actual`` is the best any outcome reaches for it (the most
    qualifying people; the lowest average age, of the youngest; the fewest returning members).
    A target met only if particular candidates are all elected is reachable: see ``at_risk_targets``.
    """
    return tuple(
        TargetGap(reach.gap, reach.required, reach.best, age=reach.age)
        for reach in _reach(candidates, seats, targets, on)
        if not reach.reachable
    )


def at_risk_targets(
    candidates: Sequence[StructurePerson], seats: int, targets: Targets, on: date
) -> tuple[TargetGap, ...]:
    """The reachable targets that some outcome misses and that have no slack (R-DEL-3): met only if
    every qualifying candidate is elected (for MAX_RETURNING: every new candidate; for
    MAX_AVERAGE_AGE: the youngest ``seats``, up to candidates of equal age). A softer warning than
    ``unreachable_targets``; ``actual`` is again the best any outcome reaches.
    """
    return tuple(
        TargetGap(reach.gap, reach.required, reach.best, age=reach.age)
        for reach in _reach(candidates, seats, targets, on)
        if reach.reachable and not reach.always and reach.no_slack
    )
