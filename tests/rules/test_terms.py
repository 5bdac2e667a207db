"""Terms and on-time re-election: R-TERM-1..3."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xuanju.rules.terms import (
    AdjustmentProblem,
    OrganizationKind,
    Sector,
    TermState,
    add_months,
    adjustment_problem,
    term_end,
    term_status,
    term_years,
)


@pytest.mark.parametrize(
    ("kind", "sector", "years"),
    [
        (OrganizationKind.PARTY_COMMITTEE, Sector.ENTERPRISE, 5),
        (OrganizationKind.PARTY_COMMITTEE, Sector.TOWNSHIP, 5),
        (OrganizationKind.GENERAL_BRANCH, Sector.STATE_ORGAN, 3),
        (OrganizationKind.BRANCH, Sector.SCHOOL, 3),
        (OrganizationKind.BRANCH, Sector.VILLAGE, 5),
        (OrganizationKind.GENERAL_BRANCH, Sector.COMMUNITY, 5),
        (OrganizationKind.BRANCH, Sector.TOWNSHIP, 3),  # a township's own branches: 3, like all others
        (OrganizationKind.GENERAL_BRANCH, Sector.TOWNSHIP, 3),
    ],
)
def test_R_TERM_1_term_lengths(kind, sector, years):
    assert term_years(kind, sector) == years


@given(st.sampled_from(OrganizationKind), st.sampled_from(Sector))
def test_R_TERM_1_only_party_committees_villages_and_communities_serve_five_years(kind, sector):
    # 党章 第三十一条 and the 2018 opinion on terms: every party committee 5 years; of general
    # branches and branches only those of villages and communities serve 5, every other 3.
    five = kind is OrganizationKind.PARTY_COMMITTEE or sector in (Sector.VILLAGE, Sector.COMMUNITY)
    assert term_years(kind, sector) == (5 if five else 3)


def test_R_TERM_1_the_term_runs_from_the_election_date():
    assert term_end(date(2023, 6, 15), 3) == date(2026, 6, 15)
    assert term_end(date(2024, 2, 29), 5) == date(2029, 2, 28)


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2028, 8, 31), -6) == date(2028, 2, 29)
    assert add_months(date(2026, 1, 15), -13) == date(2024, 12, 15)


def test_R_TERM_2_delay_or_advance_of_at_most_one_year_is_allowed():
    end = date(2026, 6, 15)
    assert adjustment_problem(end, date(2027, 6, 15)) is None
    assert adjustment_problem(end, date(2025, 6, 15)) is None
    assert adjustment_problem(end, end) is AdjustmentProblem.NO_CHANGE


def test_R_TERM_2_more_than_one_year_is_refused_without_an_exceptional_approval():
    end = date(2026, 6, 15)
    assert adjustment_problem(end, date(2027, 6, 16)) is AdjustmentProblem.EXCEEDS_ONE_YEAR
    assert adjustment_problem(end, date(2025, 6, 14)) is AdjustmentProblem.EXCEEDS_ONE_YEAR
    assert adjustment_problem(end, date(2027, 6, 16), exceptional_approval=True) is None


ELECTED = date(2023, 6, 15)  # a branch: term ends 2026-06-15


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2025, 12, 14), TermState.IN_TERM),
        (date(2025, 12, 15), TermState.DUE_SOON),  # R-TERM-3: six months before
        (date(2026, 6, 15), TermState.DUE_SOON),
        (date(2026, 6, 16), TermState.OVERDUE),
    ],
)
def test_R_TERM_3_reminder_six_months_before_the_term_ends_and_overdue_after(today, state):
    status = term_status(ELECTED, 3, today)
    assert status.state is state
    assert status.remind_from == date(2025, 12, 15)


def test_R_TERM_2_an_approved_delay_moves_the_due_date():
    approved = date(2027, 3, 1)
    assert term_status(ELECTED, 3, date(2026, 7, 1), approved).state is TermState.DELAYED
    assert term_status(ELECTED, 3, date(2026, 9, 1), approved).state is TermState.DELAY_LIMIT_NEAR
    assert term_status(ELECTED, 3, date(2027, 3, 2), approved).state is TermState.OVERDUE
    assert term_status(ELECTED, 3, date(2026, 7, 1), approved).days_left == 243


def test_R_TERM_2_an_approved_advance_brings_the_due_date_forward():
    status = term_status(ELECTED, 3, date(2025, 1, 1), date(2025, 10, 1))
    assert status.state is TermState.ADVANCED
    assert status.due == date(2025, 10, 1)
    assert term_status(ELECTED, 3, date(2025, 10, 2), date(2025, 10, 1)).state is TermState.OVERDUE
