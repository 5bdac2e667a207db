"""Team structure (班子结构) against composition targets: R-CAND-1 (a well-structured team) and
R-DEL-3 (composition targets checked against the candidates and those elected)."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xuanju.rules.conditions import EducationLevel
from xuanju.rules.structure import (
    AGE_BANDS,
    Gap,
    StructurePerson,
    TargetGap,
    Targets,
    age_band,
    at_risk_targets,
    structure_of,
    target_gaps,
    unreachable_targets,
)
from xuanju.rules.voting import completed_years

DAY = date(2026, 11, 28)
E = EducationLevel


def person(
    key,
    born,
    *,
    female=False,
    minority=False,
    education=E.BACHELOR,
    occupation="机关干部",
    front_line=False,
    returning=False,
):
    return StructurePerson(key, female, minority, born, education, occupation, front_line, returning)


# A slate of seven; ages on DAY in the comments ("a" and "e" have their birthday on DAY).
SLATE = (
    person(
        "a", date(1996, 11, 28), female=True, education=E.POSTGRADUATE, occupation="技术", front_line=True
    ),  # 30
    person("b", date(1991, 11, 29), education=E.COLLEGE, occupation="工人", front_line=True),  # 34
    person("c", date(1980, 1, 1), female=True, minority=True, returning=True),  # 46
    person("d", date(1975, 6, 30), education=E.HIGH_SCHOOL, occupation="农民", front_line=True),  # 51
    person("e", date(1970, 11, 28), returning=True),  # 56
    person("f", date(1970, 11, 29), education=None, occupation="工人", returning=True),  # 55
    person("g", date(1986, 2, 28), female=True, education=E.PRIMARY, occupation="农民"),  # 40
)


def test_R_CAND_1_structure_of_a_known_slate():
    s = structure_of(SLATE, DAY)
    assert s.size == 7
    assert s.women == 3
    assert s.minorities == 1
    assert s.ages == (30, 34, 40, 46, 51, 55, 56)
    assert s.average_age == pytest.approx(312 / 7)
    assert (s.youngest, s.oldest) == (30, 56)
    assert s.age_bands == (2, 1, 3, 1)
    assert s.education == (1, 1, 1, 2, 1)  # primary, high school, college, bachelor, postgraduate
    assert s.education_unknown == 1
    assert s.education_count(E.BACHELOR) == 2
    assert s.college_or_above == 4
    assert s.occupations == (("农民", 2), ("工人", 2), ("机关干部", 2), ("技术", 1))
    assert s.front_line == 3
    assert (s.returning, s.new) == (3, 4)
    assert s.aged_at_most(35) == 2
    assert s.aged_at_most(29) == 0


def test_R_CAND_1_ages_move_on_the_birthday():
    assert structure_of(SLATE, date(2026, 11, 27)).ages == (29, 34, 40, 46, 51, 55, 55)
    assert structure_of(SLATE, date(2026, 11, 29)).ages == (30, 35, 40, 46, 51, 56, 56)


def test_R_DEL_3_age_bands_are_inclusive_and_cover_every_age():
    assert AGE_BANDS == ((None, 35), (36, 45), (46, 55), (56, None))
    assert [age_band(age) for age in (18, 35, 36, 45, 46, 55, 56, 90)] == [0, 0, 1, 1, 2, 2, 3, 3]


def test_R_DEL_3_an_empty_group_has_no_average_and_meets_an_average_target():
    s = structure_of([], DAY)
    assert (s.size, s.average_age, s.youngest, s.oldest, s.age_bands) == (0, None, None, None, (0, 0, 0, 0))
    assert target_gaps(s, Targets(max_average_age=40.0)) == ()
    assert target_gaps(s, Targets(min_women=1)) == (TargetGap(Gap.MIN_WOMEN, 1, 0),)


def test_R_DEL_3_target_gaps_of_an_elected_committee():
    committee = structure_of(SLATE[:5], DAY)  # a b c d e: ages 30 34 46 51 56, avg 43.4
    targets = Targets(
        min_women=3,
        min_minorities=1,
        max_average_age=43.0,
        min_under_age=(35, 3),
        min_college_or_above=4,
        min_front_line=3,
        min_new=4,
        max_returning=1,
    )
    assert target_gaps(committee, targets) == (
        TargetGap(Gap.MIN_WOMEN, 3, 2),
        TargetGap(Gap.MAX_AVERAGE_AGE, 43.0, pytest.approx(43.4)),
        TargetGap(Gap.MIN_UNDER_AGE, 3, 2, age=35),
        TargetGap(Gap.MIN_NEW, 4, 3),
        TargetGap(Gap.MAX_RETURNING, 1, 2),
    )
    assert target_gaps(committee, Targets(max_average_age=43.4, min_college_or_above=3)) == ()


def test_R_DEL_3_average_age_at_the_limit_meets_it_exactly():
    two = structure_of([person("x", date(1980, 1, 1)), person("y", date(1981, 1, 1))], DAY)  # 46, 45
    assert target_gaps(two, Targets(max_average_age=45.5)) == ()
    assert [g.gap for g in target_gaps(two, Targets(max_average_age=45.49))] == [Gap.MAX_AVERAGE_AGE]
    three = structure_of(
        [person("x", date(1990, 1, 1)), person("y", date(1990, 1, 1)), person("z", date(1991, 1, 1))], DAY
    )
    # 36, 36, 35: average 35.666…, compared exactly, not after rounding
    assert target_gaps(three, Targets(max_average_age=35.6)) != ()
    assert target_gaps(three, Targets(max_average_age=35.7)) == ()


def test_R_DEL_3_unreachable_targets_of_a_slate():
    # 5 seats from SLATE: 3 women, 1 minority, 3 new... youngest five 30 34 40 46 51 average 40.2
    targets = Targets(
        min_women=4,
        min_minorities=1,
        max_average_age=40.0,
        min_under_age=(35, 3),
        min_college_or_above=4,
        min_front_line=4,
        min_new=5,
        max_returning=0,
    )
    assert unreachable_targets(SLATE, 5, targets, DAY) == (
        TargetGap(Gap.MIN_WOMEN, 4, 3),
        TargetGap(Gap.MAX_AVERAGE_AGE, 40.0, pytest.approx(40.2)),
        TargetGap(Gap.MIN_UNDER_AGE, 3, 2, age=35),
        TargetGap(Gap.MIN_FRONT_LINE, 4, 3),
        TargetGap(Gap.MIN_NEW, 5, 4),
        TargetGap(Gap.MAX_RETURNING, 0, 1),
    )
    # four new candidates for five seats: at least one returning member sits
    assert [g.gap for g in unreachable_targets(SLATE, 5, Targets(max_returning=0), DAY)] == [
        Gap.MAX_RETURNING
    ]
    assert unreachable_targets(SLATE, 5, Targets(max_returning=0), DAY)[0].actual == 1
    assert unreachable_targets(SLATE, 5, Targets(min_new=5), DAY) == (TargetGap(Gap.MIN_NEW, 5, 4),)
    assert unreachable_targets(SLATE, 5, Targets(max_returning=1, min_new=4), DAY) == ()


def test_R_DEL_3_a_target_reachable_only_if_particular_people_win_is_at_risk_not_unreachable():
    targets = Targets(min_women=3, min_minorities=1, min_new=4, max_returning=1, max_average_age=40.2)
    assert unreachable_targets(SLATE, 5, targets, DAY) == ()
    assert at_risk_targets(SLATE, 5, targets, DAY) == (
        TargetGap(Gap.MIN_WOMEN, 3, 3),
        TargetGap(Gap.MIN_MINORITIES, 1, 1),
        TargetGap(Gap.MAX_AVERAGE_AGE, 40.2, pytest.approx(40.2)),
        TargetGap(Gap.MIN_NEW, 4, 4),
        TargetGap(Gap.MAX_RETURNING, 1, 1),
    )
    # with slack (two women needed, three standing) the target is not at risk
    assert at_risk_targets(SLATE, 5, Targets(min_women=2), DAY) == ()


def test_R_DEL_3_an_equal_slate_is_never_at_risk():
    targets = Targets(min_women=3, max_average_age=45.0)
    assert at_risk_targets(SLATE, 7, targets, DAY) == ()
    assert unreachable_targets(SLATE, 7, targets, DAY) == ()


def test_R_DEL_3_fewer_candidates_than_seats_elects_them_all():
    assert unreachable_targets(SLATE[:2], 5, Targets(min_women=2, max_returning=0), DAY) == (
        TargetGap(Gap.MIN_WOMEN, 2, 1),
    )


def test_R_DEL_3_seats_must_be_positive():
    with pytest.raises(ValueError):
        unreachable_targets(SLATE, 0, Targets(), DAY)


def test_R_DEL_3_gap_values_are_the_target_field_names():
    assert [gap.value for gap in Gap] == [field.name for field in fields(Targets)]


# Properties --------------------------------------------------------------------------------------

people_strategy = st.builds(
    StructurePerson,
    key=st.just(""),
    female=st.booleans(),
    minority=st.booleans(),
    birth_date=st.dates(min_value=date(1960, 1, 1), max_value=date(2000, 12, 31)),
    education=st.none() | st.sampled_from(EducationLevel),
    occupation=st.sampled_from(["工人", "农民", "机关干部"]),
    front_line=st.booleans(),
    returning=st.booleans(),
)
small = st.none() | st.integers(min_value=0, max_value=6)
targets_strategy = st.builds(
    Targets,
    min_women=small,
    min_minorities=small,
    max_average_age=st.none()
    | st.integers(min_value=25, max_value=67).map(float)
    | st.sampled_from([40.5, 44.25]),
    min_under_age=st.none()
    | st.tuples(st.integers(min_value=26, max_value=66), st.integers(min_value=0, max_value=5)),
    min_college_or_above=small,
    min_front_line=small,
    min_new=small,
    max_returning=small,
)


BEST = {
    Gap.MIN_WOMEN: lambda ss, t: max(s.women for s in ss),
    Gap.MIN_MINORITIES: lambda ss, t: max(s.minorities for s in ss),
    Gap.MAX_AVERAGE_AGE: lambda ss, t: pytest.approx(min(s.average_age for s in ss)),
    Gap.MIN_UNDER_AGE: lambda ss, t: max(s.aged_at_most(t.min_under_age[0]) for s in ss),
    Gap.MIN_COLLEGE_OR_ABOVE: lambda ss, t: max(s.college_or_above for s in ss),
    Gap.MIN_FRONT_LINE: lambda ss, t: max(s.front_line for s in ss),
    Gap.MIN_NEW: lambda ss, t: max(s.new for s in ss),
    Gap.MAX_RETURNING: lambda ss, t: min(s.returning for s in ss),
}


def targeted(targets: Targets) -> set[Gap]:
    return {gap for gap in Gap if getattr(targets, gap.value) is not None}


def outcomes(candidates, seats):
    return list(combinations(candidates, min(seats, len(candidates))))


@settings(max_examples=300, deadline=None)
@given(
    candidates=st.lists(people_strategy, min_size=0, max_size=8),
    seats=st.integers(min_value=1, max_value=9),
    targets=targets_strategy,
)
def test_R_DEL_3_unreachable_targets_are_exactly_those_no_outcome_meets(candidates, seats, targets):
    met_by = [
        targeted(targets) - {g.gap for g in target_gaps(structure_of(o, DAY), targets)}
        for o in outcomes(candidates, seats)
    ]
    reachable = set().union(*met_by)
    unreachable = unreachable_targets(candidates, seats, targets, DAY)
    assert {g.gap for g in unreachable} == targeted(targets) - reachable
    structures = [structure_of(o, DAY) for o in outcomes(candidates, seats)]
    for gap in unreachable:  # actual is the best value any outcome reaches
        assert gap.actual == BEST[gap.gap](structures, targets)

    risky = {g.gap for g in at_risk_targets(candidates, seats, targets, DAY)}
    for gap in risky:
        assert gap in reachable  # some outcome meets it
        assert any(gap not in met for met in met_by)  # and some outcome misses it


@settings(max_examples=200, deadline=None)
@given(
    candidates=st.lists(people_strategy, min_size=1, max_size=8),
    seats=st.integers(min_value=1, max_value=8),
    targets=targets_strategy,
)
def test_R_DEL_3_count_targets_at_risk_exactly_when_every_meeting_outcome_takes_all_who_qualify(
    candidates, seats, targets
):
    risky = {g.gap for g in at_risk_targets(candidates, seats, targets, DAY)}
    qualifies = {
        Gap.MIN_WOMEN: lambda p: p.female,
        Gap.MIN_MINORITIES: lambda p: p.minority,
        Gap.MIN_FRONT_LINE: lambda p: p.front_line,
        Gap.MIN_NEW: lambda p: not p.returning,
    }
    all_outcomes = outcomes(candidates, seats)
    for gap, test in qualifies.items():
        if gap not in targeted(targets):
            continue
        meeting = [
            o for o in all_outcomes if gap not in {g.gap for g in target_gaps(structure_of(o, DAY), targets)}
        ]
        some_miss = len(meeting) < len(all_outcomes)
        qualifying = [i for i, p in enumerate(candidates) if test(p)]
        needs_everyone = bool(meeting) and some_miss and len(qualifying) == getattr(targets, gap.value)
        assert (gap in risky) == needs_everyone


def oracle_gaps(people, targets: Targets) -> set[Gap]:
    """Each target judged straight from the people, independently of Structure."""
    ages = [completed_years(p.birth_date, DAY) for p in people]
    missed = set()
    checks = {
        Gap.MIN_WOMEN: sum(p.female for p in people),
        Gap.MIN_MINORITIES: sum(p.minority for p in people),
        Gap.MIN_COLLEGE_OR_ABOVE: sum(p.education is not None and p.education >= E.COLLEGE for p in people),
        Gap.MIN_FRONT_LINE: sum(p.front_line for p in people),
        Gap.MIN_NEW: sum(not p.returning for p in people),
    }
    for gap, actual in checks.items():
        required = getattr(targets, gap.value)
        if required is not None and actual < required:
            missed.add(gap)
    if targets.max_average_age is not None and ages and sum(ages) > targets.max_average_age * len(ages):
        missed.add(Gap.MAX_AVERAGE_AGE)
    if targets.min_under_age is not None:
        age, count = targets.min_under_age
        if sum(a <= age for a in ages) < count:
            missed.add(Gap.MIN_UNDER_AGE)
    if targets.max_returning is not None and sum(p.returning for p in people) > targets.max_returning:
        missed.add(Gap.MAX_RETURNING)
    return missed


@given(people=st.lists(people_strategy, max_size=12), targets=targets_strategy)
def test_R_DEL_3_target_gaps_empty_iff_every_target_met(people, targets):
    gaps = target_gaps(structure_of(people, DAY), targets)
    assert {g.gap for g in gaps} == oracle_gaps(people, targets)
    assert (gaps == ()) == (not oracle_gaps(people, targets))


@given(people=st.lists(people_strategy, max_size=20))
def test_R_CAND_1_structure_counts_add_up(people):
    s = structure_of(people, DAY)
    assert sum(s.age_bands) == s.size == len(people)
    assert sum(s.education) + s.education_unknown == s.size
    assert s.new + s.returning == s.size
    assert sum(count for _, count in s.occupations) == s.size
    assert s.college_or_above == sum(s.education[E.COLLEGE - 1 :])
    assert list(s.occupations) == sorted(s.occupations, key=lambda item: (-item[1], item[0]))
    assert 0 <= s.women <= s.size and 0 <= s.minorities <= s.size and 0 <= s.front_line <= s.size
    if people:
        assert s.youngest is not None and s.oldest is not None and s.average_age is not None
        assert s.youngest <= s.average_age <= s.oldest
