"""Many teams' structure added up (集中换届 statistics): R-CAND-1 (a well-structured team) and R-DEL-3
(composition targets checked against those elected), summed by township and in total."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xuanju.rules.conditions import EducationLevel
from xuanju.rules.structure import Gap, StructurePerson, Targets, structure_of, target_gaps
from xuanju.rules.team_totals import (
    YOUNG_AGE,
    TeamFigures,
    add_up,
    attainment,
    average_tenths,
    percent_tenths,
    team_figures,
)
from xuanju.rules.voting import completed_years

DAY = date(2026, 11, 28)
E = EducationLevel


def person(
    born: date, *, female=False, minority=False, education=E.BACHELOR, front_line=False, returning=False
):
    return StructurePerson("", female, minority, born, education, "农民", front_line, returning)


def test_R_CAND_1_the_figures_of_a_known_team():
    team = [
        person(date(1991, 11, 28), female=True, front_line=True),  # 35 on DAY: young
        person(date(1991, 11, 29), education=E.HIGH_SCHOOL),  # 34
        person(date(1970, 1, 1), minority=True, returning=True, education=None),  # 56
        person(date(1980, 6, 1), female=True, returning=True, education=E.COLLEGE),  # 46
    ]
    figures = team_figures(structure_of(team, DAY), secretaries=1, secretaries_heading=1)
    assert (figures.teams, figures.people, figures.women, figures.minorities) == (1, 4, 2, 1)
    assert (figures.young, figures.front_line, figures.returning, figures.new) == (2, 1, 2, 2)
    assert figures.age_total == 35 + 34 + 56 + 46
    assert figures.average_age == Fraction(171, 4)
    assert figures.college_or_above == 2 and figures.education_unknown == 1
    assert figures.education_count(E.HIGH_SCHOOL) == 1
    assert (figures.secretaries, figures.secretaries_heading) == (1, 1)


def test_R_CAND_1_nobody_has_no_average_and_no_share():
    assert TeamFigures().average_age is None
    assert percent_tenths(0, 0) is None and average_tenths(None) is None


def test_R_CAND_1_shares_and_averages_round_half_up_to_one_decimal():
    assert percent_tenths(109, 400) == 273  # 27.25% → 27.3%
    assert percent_tenths(1, 3) == 333
    assert percent_tenths(2, 3) == 667
    assert percent_tenths(5, 5) == 1000
    assert average_tenths(Fraction(173, 4)) == 433  # 43.25 → 43.3
    with pytest.raises(ValueError):
        percent_tenths(-1, 3)


def test_R_CAND_1_a_team_cannot_have_more_secretaries_heading_the_committee_than_secretaries():
    with pytest.raises(ValueError):
        team_figures(structure_of([], DAY), secretaries=0, secretaries_heading=1)


def test_R_DEL_3_attainment_counts_the_teams_that_have_and_miss_each_target():
    young_woman = person(date(1995, 1, 1), female=True)
    old_man = person(date(1960, 1, 1), returning=True)
    teams = [
        (structure_of([young_woman, old_man], DAY), Targets(min_women=1, max_average_age=50)),
        (structure_of([old_man], DAY), Targets(min_women=1)),
        (structure_of([old_man], DAY), None),
    ]
    found = {a.gap: (a.judged, a.missed, a.met) for a in attainment(teams)}
    assert found == {Gap.MIN_WOMEN: (2, 1, 1), Gap.MAX_AVERAGE_AGE: (1, 0, 1)}


# Properties --------------------------------------------------------------------------------------

people = st.builds(
    person,
    born=st.dates(min_value=date(1955, 1, 1), max_value=date(2004, 12, 31)),
    female=st.booleans(),
    minority=st.booleans(),
    education=st.none() | st.sampled_from(EducationLevel),
    front_line=st.booleans(),
    returning=st.booleans(),
)
teams = st.lists(st.lists(people, max_size=5), max_size=5)


@given(teams=teams)
def test_R_CAND_1_the_figures_of_teams_together_are_those_of_all_their_people(teams):
    """Adding figures is the same as counting everyone at once: a township's row is the sum of its
    teams, the total the sum of the townships, whatever the grouping."""
    summed = add_up(team_figures(structure_of(team, DAY)) for team in teams)
    everyone = team_figures(structure_of([p for team in teams for p in team], DAY))
    assert summed == TeamFigures(**{**everyone.__dict__, "teams": len(teams)})


@given(teams=teams)
def test_R_CAND_1_adding_up_at_once_is_adding_one_by_one(teams):
    """add_up sums field by field in one pass; the same as ``+`` team after team."""
    figures = [team_figures(structure_of(team, DAY), secretaries=1) for team in teams]
    one_by_one = TeamFigures()
    for each in figures:
        one_by_one = one_by_one + each
    assert add_up(figures) == one_by_one
    assert add_up(iter(figures)) == one_by_one  # a generator is read once


@given(teams=teams, cut=st.integers(min_value=0, max_value=5))
def test_R_CAND_1_totals_do_not_depend_on_how_teams_are_grouped(teams, cut):
    figures = [team_figures(structure_of(team, DAY)) for team in teams]
    grouped = add_up([add_up(figures[:cut]), add_up(figures[cut:])])
    assert grouped == add_up(figures) == add_up(reversed(figures))


@given(teams=teams)
def test_R_CAND_1_shares_stay_within_the_whole_and_counts_add_up(teams):
    total = add_up(team_figures(structure_of(team, DAY)) for team in teams)
    assert sum(total.age_bands) == total.people
    assert sum(total.education) + total.education_unknown == total.people
    assert total.returning + total.new == total.people
    for part in (total.women, total.minorities, total.young, total.front_line, total.college_or_above):
        tenths = percent_tenths(part, total.people)
        assert tenths is None or 0 <= tenths <= 1000
    everyone = [p for team in teams for p in team]
    assert total.young == sum(1 for p in everyone if completed_years(p.birth_date, DAY) <= YOUNG_AGE)
    if total.people:
        ages = [completed_years(p.birth_date, DAY) for p in everyone]
        assert min(ages) <= total.average_age <= max(ages)


small = st.none() | st.integers(min_value=0, max_value=4)
targets = st.none() | st.builds(
    Targets,
    min_women=small,
    min_front_line=small,
    max_returning=small,
    max_average_age=st.none() | st.just(45.0),
)


@given(st.lists(st.tuples(st.lists(people, max_size=5), targets), max_size=5))
def test_R_DEL_3_attainment_agrees_with_each_team_checked_alone(cases):
    teams = [(structure_of(team, DAY), t) for team, t in cases]
    for found in attainment(teams):
        assert found.judged == sum(
            1 for _, t in teams if t is not None and getattr(t, found.gap.value) is not None
        )
        assert found.missed == sum(
            1 for s, t in teams if t is not None and any(g.gap is found.gap for g in target_gaps(s, t))
        )
        assert 0 <= found.missed <= found.judged
