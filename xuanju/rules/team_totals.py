"""The structure of many new teams at once (集中换届): each team's figures added up by township and
in total, their shares, and how many teams meet each composition target (R-CAND-1: 结构合理;
R-DEL-3: composition targets are checked against the candidates and against those elected).

A team is one organization's elected committee or its open slate (``structure.structure_of``).
Figures are counts only, so that the figures of a township are the sums of its teams' and the total
is the sum of the townships': every share and average is computed from the summed counts, never by
averaging averages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from fractions import Fraction

from xuanju.rules.conditions import EducationLevel
from xuanju.rules.structure import AGE_BANDS, COLLEGE_OR_ABOVE, Gap, Structure, Targets, target_gaps

YOUNG_AGE = 35
"""The age line of the young members the statistics count: 35 岁及以下 (the first of ``AGE_BANDS``)."""


def _zeros(length: int) -> tuple[int, ...]:
    return (0,) * length


@dataclass(frozen=True)
class TeamFigures:
    """Counts over a number of teams; ``TeamFigures()`` is nobody.

    ``age_total`` is the sum of every person's completed age, ``age_bands`` counts per
    ``AGE_BANDS``, ``education`` per ``EducationLevel`` in level order, ``secretaries_heading`` the
    secretaries who also head the villagers' or residents' committee (书记、主任“一肩挑”).
    """

    teams: int = 0
    people: int = 0
    women: int = 0
    minorities: int = 0
    young: int = 0
    age_total: int = 0
    age_bands: tuple[int, ...] = _zeros(len(AGE_BANDS))
    education: tuple[int, ...] = _zeros(len(EducationLevel))
    education_unknown: int = 0
    front_line: int = 0
    returning: int = 0
    secretaries: int = 0
    secretaries_heading: int = 0

    def __add__(self, other: TeamFigures) -> TeamFigures:
        summed: dict[str, int | tuple[int, ...]] = {}
        for field in fields(self):
            mine, theirs = getattr(self, field.name), getattr(other, field.name)
            if isinstance(mine, tuple):
                summed[field.name] = tuple(a + b for a, b in zip(mine, theirs, strict=True))
            else:
                summed[field.name] = mine + theirs
        return TeamFigures(**summed)  # type: ignore[arg-type]

    @property
    def new(self) -> int:
        """People who did not sit on the outgoing committee (新进)."""
        return self.people - self.returning

    @property
    def college_or_above(self) -> int:
        return sum(self.education_count(level) for level in COLLEGE_OR_ABOVE)

    def education_count(self, level: EducationLevel) -> int:
        return self.education[level - 1]

    @property
    def average_age(self) -> Fraction | None:
        """The average completed age of everyone counted; None for nobody."""
        return Fraction(self.age_total, self.people) if self.people else None


def team_figures(structure: Structure, *, secretaries: int = 0, secretaries_heading: int = 0) -> TeamFigures:
    """The figures of one team of ``structure`` with its secretaries (one, or none before the
    plenary has elected one) and how many of them head the villagers' or residents' committee."""
    if not 0 <= secretaries_heading <= secretaries:
        raise ValueError("secretaries_heading must be between 0 and secretaries")
    return TeamFigures(
        teams=1,
        people=structure.size,
        women=structure.women,
        minorities=structure.minorities,
        young=structure.aged_at_most(YOUNG_AGE),
        age_total=sum(structure.ages),
        age_bands=structure.age_bands,
        education=structure.education,
        education_unknown=structure.education_unknown,
        front_line=structure.front_line,
        returning=structure.returning,
        secretaries=secretaries,
        secretaries_heading=secretaries_heading,
    )


def add_up(figures: Iterable[TeamFigures]) -> TeamFigures:
    """The figures of all ``figures`` together: the same as adding them one by one with ``+``,
    summed field by field in one pass (a campaign adds up thousands of teams)."""
    names = [field.name for field in fields(TeamFigures)]
    columns = list(zip(*(_field_values(each, names) for each in figures), strict=True))
    if not columns:
        return TeamFigures()
    summed: dict[str, int | tuple[int, ...]] = {}
    for name, values in zip(names, columns, strict=True):
        if isinstance(values[0], tuple):
            summed[name] = tuple(sum(parts) for parts in zip(*values, strict=True))
        else:
            summed[name] = sum(values)
    return TeamFigures(**summed)  # type: ignore[arg-type]


def _field_values(figures: TeamFigures, names: Sequence[str]) -> tuple[int | tuple[int, ...], ...]:
    """The values of ``figures``' fields ``names``, tuples left as they are."""
    return tuple(getattr(figures, name) for name in names)


def percent_tenths(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` in tenths of a percent, rounded half up (27.25% → 273); None when
    ``whole`` is 0. Statistics tables print one decimal: 273 reads 27.3%."""
    if whole == 0:
        return None
    if part < 0 or whole < 0:
        raise ValueError("counts cannot be negative")
    return int(Fraction(part * 1000, whole) + Fraction(1, 2))


def average_tenths(average: Fraction | None) -> int | None:
    """An average age in tenths of a year, rounded half up (43.25 → 433); None for nobody."""
    return None if average is None else int(average * 10 + Fraction(1, 2))


@dataclass(frozen=True)
class Attainment:
    """How the teams stand against one kind of target: ``judged`` teams have it set, ``missed`` of
    them miss it (R-DEL-3)."""

    gap: Gap
    judged: int
    missed: int

    @property
    def met(self) -> int:
        return self.judged - self.missed


def attainment(teams: Sequence[tuple[Structure, Targets | None]]) -> tuple[Attainment, ...]:
    """For each kind of target set for at least one of ``teams`` (an elected committee's structure
    and its targets), how many teams have it and how many miss it, in ``Gap`` order."""
    judged = dict.fromkeys(Gap, 0)
    missed = dict.fromkeys(Gap, 0)
    for structure, targets in teams:
        if targets is None:
            continue
        for gap in Gap:
            if getattr(targets, gap.value) is not None:
                judged[gap] += 1
        for found in target_gaps(structure, targets):
            missed[found.gap] += 1
    return tuple(Attainment(gap, judged[gap], missed[gap]) for gap in Gap if judged[gap])
