"""Candidate conditions: R-CAND-6 (the right to stand on the day) and R-CAND-1 (the upper level's
added conditions: party age, age, education, residence, sanction-free years)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xuanju.rules.conditions import (
    EDUCATION_CODES,
    ConditionFailure,
    Conditions,
    EducationLevel,
    Failure,
    Person,
    anniversary,
    check_conditions,
    education_from_code,
)
from xuanju.rules.voting import (
    MembershipStatus,
    MemberStanding,
    NoRightReason,
    Restriction,
    RestrictionKind,
    completed_years,
    rights_on,
)

DAY = date(2026, 11, 28)
ONE_DAY = timedelta(days=1)

NOMINEE = Person(
    birth_date=date(1980, 5, 20),
    full_member_on=date(2005, 7, 1),
    education=EducationLevel.BACHELOR,
    resides_locally=True,
    sanction_dates=(),
    may_stand=True,
    no_right_reason=None,
)


def failures(person: Person, conditions: Conditions, on: date = DAY) -> list[Failure]:
    return [each.failure for each in check_conditions(person, conditions, on)]


def test_R_CAND_1_no_conditions_nothing_fails():
    assert check_conditions(NOMINEE, Conditions(), DAY) == ()


def test_R_CAND_1_a_nominee_meeting_every_condition_passes():
    conditions = Conditions(
        min_party_age=3,
        min_age=25,
        max_age=55,
        min_education=EducationLevel.COLLEGE,
        must_reside_locally=True,
        sanction_free_years=5,
    )
    assert check_conditions(NOMINEE, conditions, DAY) == ()


# R-CAND-6 ------------------------------------------------------------------------------------------


def test_R_CAND_6_no_right_to_stand_fails_with_its_reason():
    standing = MemberStanding(
        MembershipStatus.FULL,
        (Restriction(RestrictionKind.PROBATION_WITHIN_PARTY, date(2026, 1, 1), date(2027, 1, 1)),),
    )
    rights = rights_on(standing, DAY)
    person = replace(NOMINEE, may_stand=rights.can_stand, no_right_reason=rights.reasons[0].value)
    assert check_conditions(person, Conditions(), DAY) == (
        ConditionFailure(Failure.NO_RIGHT_TO_STAND, reason=NoRightReason.PROBATION_WITHIN_PARTY.value),
    )


def test_R_CAND_6_no_right_to_stand_fails_even_without_added_conditions_and_with_them():
    person = replace(NOMINEE, may_stand=False, no_right_reason="suspended")
    assert failures(person, Conditions()) == [Failure.NO_RIGHT_TO_STAND]
    assert failures(person, Conditions(min_party_age=1)) == [Failure.NO_RIGHT_TO_STAND]


# Party age (党龄) --------------------------------------------------------------------------------------


def test_R_CAND_1_party_age_counts_from_full_membership_on_exact_dates():
    person = replace(NOMINEE, full_member_on=date(2023, 11, 28))
    conditions = Conditions(min_party_age=3)
    assert check_conditions(person, conditions, date(2026, 11, 27)) == (
        ConditionFailure(Failure.PARTY_AGE_TOO_LOW, required=3, actual=2, on=date(2026, 11, 28)),
    )
    assert check_conditions(person, conditions, date(2026, 11, 28)) == ()
    assert check_conditions(person, conditions, date(2026, 11, 29)) == ()


def test_R_CAND_1_a_probationary_member_has_no_party_age():
    person = replace(NOMINEE, full_member_on=None, may_stand=False, no_right_reason="probationary")
    assert check_conditions(person, Conditions(min_party_age=3), DAY) == (
        ConditionFailure(Failure.NO_RIGHT_TO_STAND, reason="probationary"),
        ConditionFailure(Failure.PROBATIONARY, required=3),
    )
    # without a party-age condition only the right to stand fails
    assert failures(person, Conditions()) == [Failure.NO_RIGHT_TO_STAND]


def test_R_CAND_1_full_membership_after_the_election_day_is_no_party_age_yet():
    person = replace(NOMINEE, full_member_on=DAY + ONE_DAY)
    assert failures(person, Conditions(min_party_age=0)) == [Failure.PROBATIONARY]
    assert failures(replace(person, full_member_on=DAY), Conditions(min_party_age=0)) == []


def test_R_CAND_1_party_age_from_29_february_is_reached_on_1_march_of_a_common_year():
    person = replace(NOMINEE, full_member_on=date(2020, 2, 29))
    conditions = Conditions(min_party_age=5)
    (failure,) = check_conditions(person, conditions, date(2025, 2, 28))
    assert failure == ConditionFailure(Failure.PARTY_AGE_TOO_LOW, required=5, actual=4, on=date(2025, 3, 1))
    assert check_conditions(person, conditions, date(2025, 3, 1)) == ()


# Age (周岁) -----------------------------------------------------------------------------------------


def test_R_CAND_1_max_age_55_is_eligible_until_the_day_before_the_56th_birthday():
    person = replace(NOMINEE, birth_date=date(1970, 11, 28))
    conditions = Conditions(max_age=55)
    assert check_conditions(person, conditions, date(2026, 11, 27)) == ()  # 55, the last eligible day
    assert check_conditions(person, conditions, date(2026, 11, 28)) == (
        ConditionFailure(Failure.TOO_OLD, required=55, actual=56, on=date(2026, 11, 28)),
    )
    assert failures(person, conditions, date(2026, 11, 29)) == [Failure.TOO_OLD]
    assert check_conditions(person, conditions, date(2025, 11, 28)) == ()  # turning 55 is fine


def test_R_CAND_1_min_age_is_reached_on_the_birthday():
    person = replace(NOMINEE, birth_date=date(2008, 11, 28))
    conditions = Conditions(min_age=18)
    assert check_conditions(person, conditions, date(2026, 11, 27)) == (
        ConditionFailure(Failure.TOO_YOUNG, required=18, actual=17, on=date(2026, 11, 28)),
    )
    assert check_conditions(person, conditions, date(2026, 11, 28)) == ()
    assert check_conditions(person, conditions, date(2026, 11, 29)) == ()


def test_R_CAND_1_a_29_february_birthday_counts_on_1_march_in_common_years():
    person = replace(NOMINEE, birth_date=date(1972, 2, 29))
    conditions = Conditions(max_age=54)
    assert check_conditions(person, conditions, date(2027, 2, 28)) == ()  # still 54
    assert check_conditions(person, conditions, date(2027, 3, 1)) == (
        ConditionFailure(Failure.TOO_OLD, required=54, actual=55, on=date(2027, 3, 1)),
    )
    # in a leap year the birthday itself counts
    leap = Conditions(max_age=55)
    assert check_conditions(person, leap, date(2028, 2, 28)) == ()
    assert failures(person, leap, date(2028, 2, 29)) == [Failure.TOO_OLD]
    (young,) = check_conditions(person, Conditions(min_age=55), date(2027, 1, 1))
    assert young.on == date(2027, 3, 1)


def test_R_CAND_1_min_and_max_age_are_inclusive_on_both_ends():
    person = replace(NOMINEE, birth_date=date(1990, 6, 1))
    assert check_conditions(person, Conditions(min_age=36, max_age=36), date(2026, 6, 1)) == ()
    assert failures(person, Conditions(min_age=36, max_age=36), date(2026, 5, 31)) == [Failure.TOO_YOUNG]
    assert failures(person, Conditions(min_age=36, max_age=36), date(2027, 6, 1)) == [Failure.TOO_OLD]


@given(
    start=st.dates(min_value=date(1920, 1, 1), max_value=date(2020, 12, 31)),
    years=st.integers(min_value=1, max_value=80),
)
def test_R_CAND_1_anniversary_is_the_first_day_the_years_are_complete(start, years):
    day = anniversary(start, years)
    assert completed_years(start, day) == years
    assert completed_years(start, day - ONE_DAY) == years - 1


# Education ----------------------------------------------------------------------------------------


def test_R_CAND_1_education_below_the_minimum_fails_with_both_levels():
    person = replace(NOMINEE, education=EducationLevel.HIGH_SCHOOL)
    assert check_conditions(person, Conditions(min_education=EducationLevel.COLLEGE), DAY) == (
        ConditionFailure(Failure.EDUCATION_TOO_LOW, required=3, actual=2),
    )
    assert check_conditions(person, Conditions(min_education=EducationLevel.HIGH_SCHOOL), DAY) == ()


def test_R_CAND_1_unknown_education_never_passes_silently():
    person = replace(NOMINEE, education=None)
    assert check_conditions(person, Conditions(min_education=EducationLevel.PRIMARY), DAY) == (
        ConditionFailure(Failure.EDUCATION_UNKNOWN, required=1),
    )
    assert check_conditions(person, Conditions(), DAY) == ()  # no condition, nothing to know


def test_R_CAND_1_education_codes_name_every_level_in_order():
    assert list(EDUCATION_CODES.values()) == sorted(EducationLevel)
    assert EDUCATION_CODES["bachelor"] is EducationLevel.BACHELOR
    assert education_from_code("postgraduate") is EducationLevel.POSTGRADUATE
    assert education_from_code("") is None
    assert education_from_code(None) is None
    assert education_from_code("doctorate") is None


# Residence ----------------------------------------------------------------------------------------


def test_R_CAND_1_residence_required_unknown_and_elsewhere_fail_differently():
    conditions = Conditions(must_reside_locally=True)
    assert failures(replace(NOMINEE, resides_locally=False), conditions) == [Failure.NOT_RESIDENT]
    assert failures(replace(NOMINEE, resides_locally=None), conditions) == [Failure.RESIDENCE_UNKNOWN]
    assert failures(replace(NOMINEE, resides_locally=None), Conditions()) == []


# Sanctions ----------------------------------------------------------------------------------------


def test_R_CAND_1_a_sanction_exactly_n_years_before_the_day_is_outside_the_window():
    conditions = Conditions(sanction_free_years=5)
    on_the_edge = replace(NOMINEE, sanction_dates=(date(2021, 11, 28),))
    assert check_conditions(on_the_edge, conditions, DAY) == ()
    a_day_later = replace(NOMINEE, sanction_dates=(date(2021, 11, 29),))
    assert check_conditions(a_day_later, conditions, DAY) == (
        ConditionFailure(Failure.RECENT_SANCTION, required=5, actual=4, on=date(2021, 11, 29)),
    )


def test_R_CAND_1_a_sanction_on_the_day_counts_and_one_after_the_day_does_not():
    conditions = Conditions(sanction_free_years=1)
    assert failures(replace(NOMINEE, sanction_dates=(DAY,)), conditions) == [Failure.RECENT_SANCTION]
    assert failures(replace(NOMINEE, sanction_dates=(DAY + ONE_DAY,)), conditions) == []


def test_R_CAND_1_the_most_recent_sanction_in_the_window_is_reported():
    person = replace(NOMINEE, sanction_dates=(date(2024, 3, 1), date(2019, 1, 1), date(2022, 6, 30)))
    assert check_conditions(person, Conditions(sanction_free_years=5), DAY) == (
        ConditionFailure(Failure.RECENT_SANCTION, required=5, actual=2, on=date(2024, 3, 1)),
    )


def test_R_CAND_1_a_sanction_on_29_february_clears_on_1_march_five_years_on():
    person = replace(NOMINEE, sanction_dates=(date(2020, 2, 29),))
    conditions = Conditions(sanction_free_years=5)
    assert failures(person, conditions, date(2025, 2, 28)) == [Failure.RECENT_SANCTION]
    assert failures(person, conditions, date(2025, 3, 1)) == []


def test_R_CAND_1_sanction_free_years_zero_forbids_nothing():
    assert failures(replace(NOMINEE, sanction_dates=(DAY,)), Conditions(sanction_free_years=0)) == []


@given(
    sanction=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    years=st.integers(min_value=1, max_value=10),
)
def test_R_CAND_1_sanction_window_is_the_n_years_up_to_and_including_the_day(sanction, years):
    person = replace(NOMINEE, sanction_dates=(sanction,))
    recent = failures(person, Conditions(sanction_free_years=years)) == [Failure.RECENT_SANCTION]
    assert recent == (sanction <= DAY < anniversary(sanction, years))


# Everything together -------------------------------------------------------------------------------


def test_R_CAND_1_R_CAND_6_every_failure_is_reported_together_in_a_fixed_order():
    person = Person(
        birth_date=date(1960, 1, 1),
        full_member_on=date(2025, 1, 1),
        education=None,
        resides_locally=False,
        sanction_dates=(date(2025, 5, 5),),
        may_stand=False,
        no_right_reason="suspended",
    )
    conditions = Conditions(
        min_party_age=3,
        min_age=30,
        max_age=55,
        min_education=EducationLevel.BACHELOR,
        must_reside_locally=True,
        sanction_free_years=3,
    )
    assert check_conditions(person, conditions, DAY) == (
        ConditionFailure(Failure.NO_RIGHT_TO_STAND, reason="suspended"),
        ConditionFailure(Failure.PARTY_AGE_TOO_LOW, required=3, actual=1, on=date(2028, 1, 1)),
        ConditionFailure(Failure.TOO_OLD, required=55, actual=66, on=date(2016, 1, 1)),
        ConditionFailure(Failure.EDUCATION_UNKNOWN, required=4),
        ConditionFailure(Failure.NOT_RESIDENT),
        ConditionFailure(Failure.RECENT_SANCTION, required=3, actual=1, on=date(2025, 5, 5)),
    )


def test_R_CAND_1_too_young_and_probationary_together():
    person = replace(NOMINEE, birth_date=date(2010, 1, 1), full_member_on=None, may_stand=False)
    assert failures(person, Conditions(min_party_age=1, min_age=18)) == [
        Failure.NO_RIGHT_TO_STAND,
        Failure.PROBATIONARY,
        Failure.TOO_YOUNG,
    ]


@pytest.mark.parametrize("failure", list(Failure))
def test_R_CAND_1_failure_codes_are_stable_lowercase_words(failure):
    assert failure.value == failure.name.lower()
