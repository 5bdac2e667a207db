"""Candidate conditions (任职条件): the right to stand and the upper level's added conditions.

R-CAND-6: a candidate must hold the right to stand (R-VOTE) on the day of the election.
R-CAND-1: the upper level may add conditions — party age, age, education, residence, a period free of
Party disciplinary sanctions — which the system holds per election and checks here.

Every count of years uses ``voting.completed_years`` (whole years; a 29 February anniversary falls on
1 March in common years), so ages, party ages and sanction windows share one calendar rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum, StrEnum

from xuanju.rules.voting import completed_years, party_age


class EducationLevel(IntEnum):
    """Highest completed education, ordered so that a minimum compares with ``<``."""

    PRIMARY = 1  # 初中及以下
    HIGH_SCHOOL = 2  # 高中、中专
    COLLEGE = 3  # 大学专科
    BACHELOR = 4  # 大学本科
    POSTGRADUATE = 5  # 研究生


EDUCATION_CODES: dict[str, EducationLevel] = {
    "primary": EducationLevel.PRIMARY,
    "high_school": EducationLevel.HIGH_SCHOOL,
    "college": EducationLevel.COLLEGE,
    "bachelor": EducationLevel.BACHELOR,
    "postgraduate": EducationLevel.POSTGRADUATE,
}


def education_from_code(code: str | None) -> EducationLevel | None:
    """The level a stored code names; None for an empty or unknown code (education unknown)."""
    return EDUCATION_CODES.get(code) if code else None


@dataclass(frozen=True)
class Conditions:
    """The conditions the upper level set for one election (R-CAND-1); None means no such condition.

    ``min_age``/``max_age`` are inclusive bounds on completed years of age on the election day
    ("不超过55周岁" is ``max_age=55``: eligible up to the day before the 56th birthday).
    ``sanction_free_years`` N: no Party disciplinary sanction decided in the N years before the
    election day — a sanction counts while fewer than N whole years have passed since it was
    decided, so one decided exactly N years before the day no longer counts.
    """

    min_party_age: int | None = None
    min_age: int | None = None
    max_age: int | None = None
    min_education: EducationLevel | None = None
    must_reside_locally: bool = False
    sanction_free_years: int | None = None


@dataclass(frozen=True)
class Person:
    """What the conditions need to know of a nominee.

    ``may_stand`` is the R-VOTE right to stand on the election day, computed by the caller with
    ``voting.rights_on``; ``no_right_reason`` is the ``NoRightReason`` value when it is False.
    ``full_member_on`` is None for a probationary member; ``education`` and ``resides_locally`` are
    None when unknown.
    """

    birth_date: date
    full_member_on: date | None
    education: EducationLevel | None
    resides_locally: bool | None
    sanction_dates: tuple[date, ...]
    may_stand: bool
    no_right_reason: str | None = None


class Failure(StrEnum):
    NO_RIGHT_TO_STAND = "no_right_to_stand"  # R-CAND-6
    PROBATIONARY = "probationary"  # no party age yet, and a minimum party age is set (R-CAND-1)
    PARTY_AGE_TOO_LOW = "party_age_too_low"
    TOO_YOUNG = "too_young"
    TOO_OLD = "too_old"
    EDUCATION_TOO_LOW = "education_too_low"
    EDUCATION_UNKNOWN = "education_unknown"
    NOT_RESIDENT = "not_resident"
    RESIDENCE_UNKNOWN = "residence_unknown"
    RECENT_SANCTION = "recent_sanction"


@dataclass(frozen=True)
class ConditionFailure:
    """One unmet condition, with the numbers the shell needs to word it.

    - NO_RIGHT_TO_STAND: ``reason`` is the ``NoRightReason`` value (may be None if the caller gave none).
    - PROBATIONARY: ``required`` the minimum party age; ``actual`` None.
    - PARTY_AGE_TOO_LOW: ``required``/``actual`` party ages; ``on`` the day the minimum is reached.
    - TOO_YOUNG: ``required`` min_age, ``actual`` age; ``on`` the day they reach min_age.
    - TOO_OLD: ``required`` max_age, ``actual`` age; ``on`` the day they turned max_age + 1.
    - EDUCATION_TOO_LOW: ``required``/``actual`` EducationLevel values; EDUCATION_UNKNOWN: ``actual`` None.
    - NOT_RESIDENT / RESIDENCE_UNKNOWN: no numbers.
    - RECENT_SANCTION: ``required`` the sanction-free years, ``actual`` whole years since the most
      recent sanction in the window, ``on`` that sanction's date (it is clear from
      ``anniversary(on, required)``).
    """

    failure: Failure
    required: int | None = None
    actual: int | None = None
    on: date | None = None
    reason: str | None = None


def anniversary(start: date, years: int) -> date:
    """The first day on which ``completed_years(start, day) >= years`` (``years`` ≥ 1): the same
    month and day ``years`` later, and 1 March for a 29 February start in a common year."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February in a common year
        return date(start.year + years, 2, 28) + timedelta(days=1)


def check_conditions(person: Person, conditions: Conditions, on: date) -> tuple[ConditionFailure, ...]:
    """Every condition ``person`` fails on the election day ``on``; empty when they may be a candidate.

    Unknown data never passes silently: it is a failure of its own kind (EDUCATION_UNKNOWN,
    RESIDENCE_UNKNOWN, PROBATIONARY when a party age is required but there is none).
    """
    failures: list[ConditionFailure] = []

    if not person.may_stand:  # R-CAND-6
        failures.append(ConditionFailure(Failure.NO_RIGHT_TO_STAND, reason=person.no_right_reason))

    if conditions.min_party_age is not None:  # R-CAND-1
        required = conditions.min_party_age
        if person.full_member_on is None or person.full_member_on > on:
            failures.append(ConditionFailure(Failure.PROBATIONARY, required=required))
        else:
            years = party_age(person.full_member_on, on)
            assert years is not None
            if years < required:
                failures.append(
                    ConditionFailure(
                        Failure.PARTY_AGE_TOO_LOW,
                        required=required,
                        actual=years,
                        on=anniversary(person.full_member_on, required),
                    )
                )

    age = completed_years(person.birth_date, on)
    if conditions.min_age is not None and age < conditions.min_age:  # R-CAND-1
        failures.append(
            ConditionFailure(
                Failure.TOO_YOUNG,
                required=conditions.min_age,
                actual=age,
                on=anniversary(person.birth_date, conditions.min_age),
            )
        )
    if conditions.max_age is not None and age > conditions.max_age:  # R-CAND-1
        failures.append(
            ConditionFailure(
                Failure.TOO_OLD,
                required=conditions.max_age,
                actual=age,
                on=anniversary(person.birth_date, conditions.max_age + 1),
            )
        )

    if conditions.min_education is not None:  # R-CAND-1
        required_level = int(conditions.min_education)
        if person.education is None:
            failures.append(ConditionFailure(Failure.EDUCATION_UNKNOWN, required=required_level))
        elif person.education < conditions.min_education:
            failures.append(
                ConditionFailure(
                    Failure.EDUCATION_TOO_LOW, required=required_level, actual=int(person.education)
                )
            )

    if conditions.must_reside_locally:  # R-CAND-1
        if person.resides_locally is None:
            failures.append(ConditionFailure(Failure.RESIDENCE_UNKNOWN))
        elif not person.resides_locally:
            failures.append(ConditionFailure(Failure.NOT_RESIDENT))

    if conditions.sanction_free_years is not None:  # R-CAND-1
        latest = recent_sanction(person.sanction_dates, conditions.sanction_free_years, on)
        if latest is not None:
            failures.append(
                ConditionFailure(
                    Failure.RECENT_SANCTION,
                    required=conditions.sanction_free_years,
                    actual=completed_years(latest, on),
                    on=latest,
                )
            )

    return tuple(failures)


def recent_sanction(sanction_dates: tuple[date, ...], years: int, on: date) -> date | None:
    """The most recent sanction decided within ``years`` before ``on`` (R-CAND-1), or None.

    A sanction counts when it was decided on or before ``on`` and fewer than ``years`` whole years
    have passed since: one decided exactly ``years`` years before ``on`` no longer counts; sanctions
    dated after ``on`` are not "before the election" and do not count.
    """
    within = [day for day in sanction_dates if day <= on and completed_years(day, on) < years]
    return max(within, default=None)
